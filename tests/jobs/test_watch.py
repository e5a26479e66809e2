from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from briefing.jobs.update import Outcome
from briefing.jobs.watch import watch_manifest, watch_source
from tests.jobs.fakes import fake_build


def run_in_thread(
    target: Callable[..., None], *args: object, **kwargs: object
) -> tuple[threading.Event, queue.Queue[Outcome], threading.Thread]:
    stop = threading.Event()
    outcomes: queue.Queue[Outcome] = queue.Queue()
    thread = threading.Thread(
        target=target,
        args=args,
        kwargs={
            **kwargs,
            "builder": fake_build,
            "stop_event": stop,
            "debounce_ms": 50,
            "on_outcome": outcomes.put,
        },
        daemon=True,
    )
    thread.start()
    return stop, outcomes, thread


def save_until_rebuilt(path: Path, text: str, outcomes: queue.Queue[Outcome]) -> Outcome:
    """Save, and save again if the watcher was not ready yet; the outcome of the rebuild."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        path.write_text(text)
        try:
            return outcomes.get(timeout=1)
        except queue.Empty:
            continue
    raise AssertionError("no rebuild after saving")


def test_watch_source_rebuilds_and_keeps_last_good(tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("Note\n\nFirst.\n")
    output = tmp_path / "note.pdf"
    stop, outcomes, thread = run_in_thread(watch_source, source, output)
    try:
        assert outcomes.get(timeout=10).status == "built"
        assert b"First." in output.read_bytes()
        rebuilt = save_until_rebuilt(source, "Note\n\nSecond.\n", outcomes)
        assert rebuilt.status == "built"
        assert b"Second." in output.read_bytes()
        broken = save_until_rebuilt(source, "Note\n\nBROKEN\n", outcomes)
        assert broken.status == "failed"
        assert b"Second." in output.read_bytes()
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_watch_manifest_rebuilds_the_affected(three: Path) -> None:
    stop, outcomes, thread = run_in_thread(watch_manifest, three / "briefings.toml", jobs=1)
    try:
        first = [outcomes.get(timeout=10) for _ in range(3)]
        assert sorted(o.name for o in first if o.status == "built") == ["alpha", "beta", "gamma"]
        theme = three / "theme.toml"
        rebuilt = save_until_rebuilt(theme, '[colors]\naccent = "#0c0"\n', outcomes)
        batch = [rebuilt] + [outcomes.get(timeout=5) for _ in range(2)]
        assert sorted((o.name, o.status) for o in batch) == [
            ("alpha", "built"),
            ("beta", "built"),
            ("gamma", "unchanged"),
        ]
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
