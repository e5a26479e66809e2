"""Shared fixtures: the bundled sample, built once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.assets import sample_source
from briefing.build import BuildOptions, BuildResult, build

os.environ.setdefault("SOURCE_DATE_EPOCH", "1796169600")  # 2026-12-02: stable dates in tests


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return sample_source()


@pytest.fixture(scope="session")
def sample_build(sample_path: Path) -> BuildResult:
    return build(sample_path, BuildOptions())
