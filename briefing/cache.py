"""An on-disk cache for data that is slow to derive and never changes for the same input:
parsed SVG logos, hyphenation dictionaries and TrueType faces.

A cold ``briefing build`` otherwise spends about a sixth of its time importing svglib and
parsing the logo, and parsing the language's pyphen dictionary, and reportlab parses each font
file in Python (``pdf/fontcache.py``). Entries are plain JSON, never
code: each kind of entry has a ``Codec`` that turns its value into plain data and checks that
data when it is read back. An entry is keyed by a hash of the input's bytes and the library's
version; a missing, unreadable, stale or wrong entry is simply made again (a wrong one is
noted at debug level, ``-vv``), and a cache that cannot be written is skipped.

The folder is ``$BRIEFING_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefing``, else
``~/.cache/briefing``; ``BRIEFING_CACHE_DIR=off`` turns the cache off. It is private: created
with mode 0700, and used only while it (and each entry) belongs to the user and no one else can
write to it. A shared or restored folder that does not is ignored (one debug line).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger("briefing.cache")

#: Bumped when what is stored changes shape: older entries are then never read.
FORMAT = 2
#: The largest entry read back (the biggest hyphenation dictionary is about 3 MB).
MAX_ENTRY = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Codec(Generic[T]):
    """How one kind of value becomes plain JSON data and back.

    ``encode`` may raise (``TypeError``, ``ValueError``) for a value it cannot represent: that
    value is then not cached. ``decode`` must check what it reads and raise ``TypeError``,
    ``ValueError`` or ``KeyError`` when it is wrong.
    """

    encode: Callable[[T], Any]
    decode: Callable[[Any], T]


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    given = os.environ.get("BRIEFING_CACHE_DIR")
    if given:
        return None if given.lower() in ("off", "0", "no") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing"


def cached(kind: str, key: bytes, make: Callable[[], T], codec: Codec[T]) -> T:
    """The value cached under (kind, key), or ``make()``'s result, stored for next time."""
    found = lookup(kind, key, codec)
    if found is not None:
        return found
    value = make()
    path = _entry_path(kind, key)
    if path is None:
        return value
    try:
        data = codec.encode(value)
    except (TypeError, ValueError) as exc:
        log.debug("%s: not cached (%s)", path, exc)
        return value
    _write(path, {"format": FORMAT, "kind": kind, "key": path.stem, "data": data})
    log.debug("cache: %s made and stored in %s", kind, path)
    return value


def lookup(kind: str, key: bytes, codec: Codec[T]) -> T | None:
    """The value cached under (kind, key), or None: nothing is made (a caller that must
    check its input before making a value can skip the check for one stored before)."""
    path = _entry_path(kind, key)
    if path is None:
        return None
    found = _read(path, kind, path.stem)
    if found is None:
        return None
    try:
        value = codec.decode(found)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        log.debug("%s: a wrong cache entry, made again (%s)", path, exc)
        return None
    log.debug("cache: %s read from %s", kind, path)
    return value


def _entry_path(kind: str, key: bytes) -> Path | None:
    root = cache_dir()
    folder = _private_folder(root / kind) if root is not None else None
    if folder is None:
        return None
    digest = hashlib.sha256(str(FORMAT).encode() + b"\0" + kind.encode() + b"\0" + key).hexdigest()
    return folder / f"{digest}.json"


#: Folders already checked by this process: the folder → usable.
_checked: dict[Path, bool] = {}


def _private_folder(folder: Path) -> Path | None:
    """``folder`` (created 0700 when missing) if it is the user's alone, else None."""
    if folder not in _checked:
        usable = False
        try:
            folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            folder.mkdir(mode=0o700, exist_ok=True)
            usable = _owned(folder.parent) and _owned(folder)
        except OSError as exc:
            log.debug("%s: the cache cannot be used (%s)", folder, exc.strerror or exc)
        _checked[folder] = usable
    return folder if _checked[folder] else None


def _owned(path: Path, st: os.stat_result | None = None) -> bool:
    """True when ``path`` belongs to the user and no one else may write to it."""
    st = st or os.stat(path)
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: no owners to compare
        return True
    if st.st_uid != getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        log.debug("%s: not used as a cache: it must belong to you and be writable by you "
                  "alone (chmod 700)", path)
        return False
    return True


def _read(path: Path, kind: str, digest: str) -> Any:
    """The data of the entry at ``path``, or None (missing, foreign or malformed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode) or not _owned(path, st) or st.st_size > MAX_ENTRY:
            return None
        raw = handle.read(MAX_ENTRY + 1)
    try:
        entry = json.loads(raw)
        if (not isinstance(entry, dict) or entry.get("format") != FORMAT
                or entry.get("kind") != kind or entry.get("key") != digest):
            raise ValueError("not an entry of this kind and key")
    except (ValueError, RecursionError) as exc:
        log.debug("%s: a wrong cache entry, made again (%s)", path, exc)
        return None
    return entry["data"]


def _write(path: Path, entry: dict[str, Any]) -> None:
    with contextlib.suppress(OSError, ValueError):
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":"))
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
