"""Reading a source file's bytes into text, strictly, with one clear error per failure.

Accepts UTF-8 with or without BOM and any line ending; refuses binary files and other
encodings, naming the file and the byte offset, and says how to convert.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import SourceError

#: Default maximum source size; generous, overridable by the caller.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source's text and where it came from."""

    text: str
    name: str  # for messages: the path as given, or "<stdin>"
    folder: Path  # images named in the source are looked up here
    raw: bytes  # the exact bytes read (fingerprints hash these)


def read_source_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Read a source file (or ``-`` for standard input) as text."""
    if str(path) == "-":
        raw = sys.stdin.buffer.read(max_bytes + 1)
        name, folder = "<stdin>", Path.cwd()
    else:
        p = Path(path)
        name, folder = str(path), p.resolve().parent
        raw = _read_bytes(p, name, max_bytes)
    if len(raw) > max_bytes:
        raise SourceError(
            f"{name}: the source is larger than the limit of {max_bytes // (1024 * 1024)} MB; "
            "raise it with --max-size if this is intended"
        )
    return SourceText(decode(raw, name), name, folder, raw)


def _read_bytes(p: Path, name: str, max_bytes: int) -> bytes:
    if not p.exists():
        raise SourceError(f"{name}: no such file; check the path")
    if p.is_dir():
        raise SourceError(f"{name}: is a directory; give the path of a source file inside it")
    try:
        with p.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except PermissionError:
        raise SourceError(f"{name}: permission denied; make the file readable") from None
    except OSError as exc:
        raise SourceError(f"{name}: cannot be read ({os.strerror(exc.errno or 0)})") from None


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 strictly (BOM allowed), normalise line endings, refuse binary data."""
    if b"\x00" in raw[:8192]:
        raise SourceError(f"{name}: this is not a text file (it contains binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{name}: not valid UTF-8 at byte {exc.start}; convert it, for example with "
            f"`iconv -f latin1 -t utf-8 {name} > converted.txt`"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError(f"{name}: the file is empty; write the briefing's text in it")
    return text
