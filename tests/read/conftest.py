from __future__ import annotations

from pathlib import Path

import pytest

from briefing.assets import asset
from briefing.model import Briefing
from briefing.read.markdown import read_markdown


@pytest.fixture
def sample_dir() -> Path:
    return asset("examples")


@pytest.fixture
def markdown_fixture_models() -> list[Briefing]:
    folder = Path(__file__).parent / "fixtures" / "markdown"
    return [
        read_markdown(p.read_text(encoding="utf-8"), name=p.name, title="T")
        for p in sorted(folder.glob("*.md"))
    ]
