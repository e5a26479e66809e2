"""Shared set-up: the bundled sample, built once per test session; hypothesis profiles
(``HYPOTHESIS_PROFILE=nightly`` for the long run).

The suite runs in parallel (pytest-xdist, ``-n auto``): each worker is a process of its own,
with its own on-disk cache and temporary folders; a fixture of session or module scope is made
once per worker."""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from briefing.assets import sample_source
from briefing.build import BuildResult, build
from briefing.options import ask

os.environ.setdefault("SOURCE_DATE_EPOCH", "1796169600")  # 2026-12-02: stable dates in tests
# The cyclic collector at a slower pace than Python's default (700, 10, 10): a test process
# holds pytest's, hypothesis's and reportlab's objects, which the default pace traverses again
# and again as the builds allocate (about a tenth of the suite's time). Cycles are still
# collected. Not briefing's own pace (runtime.THRESHOLDS), which tests/test_runtime.py checks.
gc.set_threshold(50_000, 20, 20)
# The on-disk cache of parsed logos and dictionaries: a fresh one, never the user's, one per
# process (each xdist worker has its own), removed when the process ends. The commands the
# tests run inherit it.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1... under xdist
_CACHE = tempfile.mkdtemp(prefix=f"briefing-cache-{_WORKER}-")
os.environ["BRIEFING_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# The normal suite: few examples, no deadline (a PDF build takes tens of milliseconds, more
# when hypothesis makes huge inputs). The nightly profile runs many more.
settings.register_profile(
    "default", max_examples=40, deadline=None, phases=[p for p in Phase if p is not Phase.explain],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "nightly", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return sample_source()


@pytest.fixture(scope="session")
def sample_build(sample_path: Path) -> BuildResult:
    return build(sample_path, ask())


@pytest.fixture(autouse=True)
def _briefing_log_levels() -> object:
    """The CLI sets the levels of briefing's loggers (-q, -v, the jobs' log) for its process;
    an in-process CLI test must not leave them to the tests after it."""
    import logging

    names = [name for name in logging.root.manager.loggerDict if name.startswith("briefing")]
    loggers = [logging.getLogger("briefing"), *(logging.getLogger(name) for name in names)]
    saved = [(logger, logger.level, logger.propagate, list(logger.handlers)) for logger in loggers]
    yield
    for logger, level, propagate, handlers in saved:
        logger.setLevel(level)
        logger.propagate = propagate
        logger.handlers[:] = handlers
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("briefing") and all(name != logger.name for logger, *_ in saved):
            created = logging.getLogger(name)
            created.setLevel(logging.NOTSET)
