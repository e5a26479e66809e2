"""briefing's own processes (the command, its pool workers) collect reference cycles rarely and
not at exit; a library caller's process is left as it is."""

from __future__ import annotations

import atexit
import gc
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from briefing import cli
from briefing.jobs import workers
from briefing.runtime import THRESHOLDS


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Callable[..., Any]]]:
    """What is registered to run at exit; the collector's pace restored after the test."""
    before = gc.get_threshold()
    found: list[Callable[..., Any]] = []
    monkeypatch.setattr(atexit, "register", found.append)
    try:
        yield found
    finally:
        gc.set_threshold(*before)


def test_the_command_paces_the_collector(registered: list[Callable[..., Any]],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["briefing", "--version"])
    with pytest.raises(SystemExit):
        cli.main()
    assert gc.get_threshold() == THRESHOLDS
    assert gc.freeze in registered


def test_a_worker_paces_the_collector(registered: list[Callable[..., Any]],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "close_inherited_locks", lambda: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    monkeypatch.setattr(workers, "watch_parent", lambda parent: None)
    workers.start_worker(1, use_prctl=False)
    assert gc.get_threshold() == THRESHOLDS
    assert gc.freeze in registered


def test_building_in_a_library_leaves_the_collector_alone(tmp_path: Any) -> None:
    from briefing.assets import sample_source
    from briefing.build import build

    before = gc.get_threshold()
    build(sample_source())
    assert gc.get_threshold() == before
