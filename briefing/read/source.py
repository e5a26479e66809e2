"""Reading a source file's bytes into text, strictly, with one clear error per failure.

Accepts UTF-8 with or without BOM and any line ending; refuses binary files and other
encodings, naming the file and the byte offset, and says how to convert.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import msgspec

from briefing.errors import SourceError
from briefing.paths import open_regular, too_large
from briefing.read.clean import text_problem

#: Default maximum source size; generous, overridable by the caller.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class SourceText(msgspec.Struct, frozen=True):
    """A source's text and where it came from."""

    text: str
    name: str  # for messages: the path as given, or "<stdin>"
    folder: Path  # images named in the source are looked up here
    raw: bytes  # the exact bytes read (fingerprints hash these)


def read_source_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a source file (or ``-`` for standard input) as text."""
    source = read_source_bytes(path, max_bytes=max_bytes)
    return SourceText(decode(source.raw, source.name), source.name, source.folder, source.raw)


def read_source_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a source file (or ``-`` for standard input) as bytes, for the readers of binary
    formats (``.docx``) and of formats that say their own encoding (``.html``); its ``text``
    is left empty."""
    if str(path) == "-":
        raw = sys.stdin.buffer.read(max_bytes + 1)
        name, folder = "<stdin>", Path.cwd()
    else:
        p = Path(path)
        name, folder = str(path), p.resolve().parent
        raw = _read_bytes(p, name, max_bytes)
    if len(raw) > max_bytes:
        raise SourceError(too_large(name, max_bytes, "source", _RAISE_IT))
    return SourceText("", name, folder, raw)


_RAISE_IT = "; raise it with --max-size if this is intended"


def _read_bytes(p: Path, name: str, max_bytes: int) -> bytes:
    """Read through the path policy (a regular file, bounded), again while it changes."""
    if p.is_dir():
        raise SourceError(f"{name}: is a directory; give the path of a source file inside it")
    try:
        # A file being saved while it is read would give a mix of two versions: read again
        # until two stats around the read agree (an editor's save is over in milliseconds).
        for _attempt in range(_READ_ATTEMPTS):
            handle, before = open_regular(p, what="source", error=SourceError, shown=name)
            with handle:
                if before.st_size > max_bytes:
                    raise SourceError(too_large(name, max_bytes, "source", _RAISE_IT))
                raw = handle.read(max_bytes + 1)
                after = os.stat(p)
            if _same_file_state(before, after) and (
                len(raw) == before.st_size or len(raw) > max_bytes
            ):
                return raw
            time.sleep(_READ_PAUSE)
    except OSError as exc:
        raise SourceError(f"{name}: cannot be read ({os.strerror(exc.errno or 0)})") from None
    raise SourceError(f"{name}: the file kept changing while it was read; try again once it is saved")


_READ_ATTEMPTS = 5
_READ_PAUSE = 0.05  # seconds between attempts


def _same_file_state(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_dev, b.st_size, b.st_mtime_ns)


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 strictly (BOM allowed), normalise line endings, refuse binary data and
    control characters (``clean.py``), naming the line and column."""
    if b"\x00" in raw:
        raise SourceError(f"{name}: this is not a text file (it contains binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{name}: not valid UTF-8 at byte {exc.start}; convert it, for example with "
            f"`iconv -f latin1 -t utf-8 {name} > converted.txt`"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problem = text_problem(text, name)
    if problem is not None:
        raise SourceError(problem)
    if not text.strip():
        raise SourceError(f"{name}: the file is empty; write the briefing's text in it")
    return text
