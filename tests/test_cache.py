"""The on-disk cache: a hit gives the stored value, a corrupt entry is a miss, off is off."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cache import cached


def test_hit_miss_and_corrupt_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def make() -> dict[str, int]:
        calls.append(1)
        return {"value": 42}

    assert cached("t", b"key", make) == {"value": 42}
    assert cached("t", b"key", make) == {"value": 42}
    assert len(calls) == 1  # the second came from disk
    (entry,) = (tmp_path / "t").iterdir()
    entry.write_bytes(b"not a pickle")
    assert cached("t", b"key", make) == {"value": 42}
    assert len(calls) == 2
    assert cached("t", b"other", make) == {"value": 42} and len(calls) == 3


def test_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", "off")
    calls: list[int] = []
    for _ in range(2):
        cached("t", b"key", lambda: calls.append(1))
    assert len(calls) == 2


def test_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker))  # a file: no folder can be made
    assert cached("t", b"key", lambda: 7) == 7
