"""The on-disk cache: plain data in a private folder; a hit gives the stored value, anything
wrong is a miss, a folder others can write to is not used, off is off."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from briefing.cache import Codec, cached

ROOT = Path(__file__).resolve().parents[1]
PLAIN: Codec[dict[str, int]] = Codec(lambda value: value, lambda data: {"value": int(data["value"])})


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder))
    return folder


def counted(calls: list[int]) -> Any:
    def make() -> dict[str, int]:
        calls.append(1)
        return {"value": 42}
    return make


def test_hit_miss_and_corrupt_entry(cache: Path) -> None:
    calls: list[int] = []
    assert cached("t", b"key", counted(calls), PLAIN) == {"value": 42}
    assert cached("t", b"key", counted(calls), PLAIN) == {"value": 42}
    assert len(calls) == 1  # the second came from disk
    (entry,) = (cache / "t").iterdir()
    assert entry.suffix == ".json"
    entry.write_bytes(b"not json")
    assert cached("t", b"key", counted(calls), PLAIN) == {"value": 42}
    assert len(calls) == 2
    assert cached("t", b"other", counted(calls), PLAIN) == {"value": 42} and len(calls) == 3


def test_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", "off")
    calls: list[int] = []
    for _ in range(2):
        cached("t", b"key", counted(calls), PLAIN)
    assert len(calls) == 2


def test_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker))  # a file: no folder can be made
    assert cached("t", b"key", lambda: {"value": 7}, PLAIN) == {"value": 7}


def test_S3_the_cache_folder_is_private(cache: Path) -> None:
    cached("t", b"key", counted([]), PLAIN)
    assert cache.stat().st_mode & 0o777 == 0o700
    assert (cache / "t").stat().st_mode & 0o777 == 0o700
    (entry,) = (cache / "t").iterdir()
    assert entry.stat().st_mode & 0o077 == 0


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no file owners")
def test_S3_a_folder_others_can_write_to_is_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(shared))
    caplog.set_level(logging.DEBUG, "briefing.cache")
    calls: list[int] = []
    for _ in range(2):
        assert cached("shared-kind", b"key", counted(calls), PLAIN) == {"value": 42}
    assert len(calls) == 2  # never read from there...
    assert not list((shared / "shared-kind").glob("*.json"))  # ...nor written
    assert "must belong to you and be writable by you alone" in caplog.text


@pytest.mark.parametrize("entry", [
    b'{"format": 2, "kind": "t", "key": "K", "data": {"value": "x"}}',  # wrong data
    b'{"format": 1, "kind": "t", "key": "K", "data": {"value": 1}}',  # another format
    b'{"format": 2, "kind": "u", "key": "K", "data": {"value": 1}}',  # another kind
    b"\x80\x04K*.",  # a pickle
])
def test_S3_a_wrong_entry_is_ignored_with_a_debug_line(
        cache: Path, caplog: pytest.LogCaptureFixture, entry: bytes) -> None:
    caplog.set_level(logging.DEBUG, "briefing.cache")
    calls: list[int] = []
    cached("t", b"key", counted(calls), PLAIN)
    (path,) = (cache / "t").iterdir()
    key = path.stem
    path.write_bytes(entry.replace(b'"K"', f'"{key}"'.encode()))
    assert cached("t", b"key", counted(calls), PLAIN) == {"value": 42}
    assert len(calls) == 2
    assert "a wrong cache entry, made again" in caplog.text


def test_S3_a_planted_pickle_never_runs(tmp_path: Path) -> None:
    """An attacker who could write to a shared cache folder planted what an older version
    loaded as a pickle: the build must neither run it nor fail."""
    import reportlab

    from briefing.assets import asset

    shared = tmp_path / "shared"
    marker = tmp_path / "PWNED"
    key = (f"reportlab-{reportlab.Version}".encode() + b"\0"
           + asset("logos", "briefing.svg").read_bytes())

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (open, (str(marker), "w"))

    for version in (b"1", b"2"):
        for kind_key in (key, b"svg\0" + key):
            name = hashlib.sha256(version + b"\0" + kind_key).hexdigest()
            for suffix in (".pickle", ".json"):
                target = shared / "svg" / (name + suffix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(pickle.dumps(Payload()))
    shared.chmod(0o1777)
    (shared / "svg").chmod(0o1777)
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "build", "-o", str(tmp_path / "v.pdf")],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT),
                           "BRIEFING_CACHE_DIR": str(shared)},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "the planted pickle ran"


def test_S3_a_cached_build_is_the_same_pdf(tmp_path: Path, sample_path: Path) -> None:
    """Off, cold (filling the cache) and warm (reading it back): byte for byte the same PDF,
    with the logo (a parsed SVG), the French hyphenation dictionary and the parsed fonts."""
    folder = tmp_path / "c"

    def build(cache: str, name: str) -> bytes:
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "briefing", "build", str(sample_path), "-o", str(out)],
            env={**os.environ, "PYTHONPATH": str(ROOT), "BRIEFING_CACHE_DIR": cache},
            check=True, capture_output=True, timeout=120)
        return out.read_bytes()

    off = build("off", "off.pdf")
    cold = build(str(folder), "cold.pdf")
    assert sorted(p.name for p in folder.iterdir()) == ["font", "pyphen", "svg"]
    assert list((folder / "svg").glob("*.json")) and list((folder / "pyphen").glob("*.json"))
    assert len(list((folder / "font").glob("*.json"))) >= 3  # body, bold, headings
    warm = build(str(folder), "warm.pdf")
    assert off == cold == warm
    from pypdf import PdfReader

    assert "artistes" in PdfReader(io.BytesIO(warm)).pages[0].extract_text()


def test_S3_the_codecs_keep_what_they_read(tmp_path: Path) -> None:
    import json

    import pyphen
    from reportlab.graphics.shapes import Drawing
    from svglib.svglib import svg2rlg

    from briefing.assets import asset
    from briefing.render.drawings import DRAWING
    from briefing.typography.hyphenation import PATTERNS

    drawing = svg2rlg(str(asset("logos", "briefing.svg")))
    data = json.loads(json.dumps(DRAWING.encode(drawing)))
    again = DRAWING.decode(data)
    assert isinstance(again, Drawing) and DRAWING.encode(again) == data
    with pytest.raises(KeyError):  # only reportlab's plain shapes are ever made
        DRAWING.decode({"shape": "os.system", "attrs": {}})
    with pytest.raises(TypeError):
        DRAWING.decode({"shape": "Rect", "attrs": {"__class__": None}})
    dictionary = pyphen.HyphDict(pyphen.LANGUAGES["fr"])
    back = PATTERNS.decode(json.loads(json.dumps(PATTERNS.encode(dictionary))))
    for word in ("anticonstitutionnellement", "hyphénation", "artistes"):
        assert back.positions(word) == dictionary.positions(word)


def test_a_cached_logo_needs_no_xml_parser(tmp_path: Path, sample_path: Path) -> None:
    """The logo's references were checked when it was stored (only an SVG that refers to no
    other file is): read back, neither lxml nor svglib is loaded."""
    code = ("import sys\n"
            "from briefing.build import build\n"
            f"build({str(sample_path)!r})\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'lxml', 'svglib'}))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFING_CACHE_DIR": str(tmp_path / "c")}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, check=True,
                           capture_output=True, text=True, timeout=120).stdout.strip()
            for _ in range(2)]
    assert runs[0] != "[]"  # cold: the SVG is checked and parsed
    assert runs[1] == "[]"
