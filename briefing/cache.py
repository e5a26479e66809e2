"""An on-disk cache for data that is slow to derive and never changes for the same input:
parsed SVG logos and hyphenation dictionaries.

A cold ``briefing build`` otherwise spends about a sixth of its time importing svglib and
parsing the logo, and parsing the language's pyphen dictionary. Entries are pickles keyed by a
hash of the input's bytes and the library's version; a missing, unreadable or stale entry is
simply made again, and a cache that cannot be written is skipped. The folder is
``$BRIEFING_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefing``, else ``~/.cache/briefing``;
``BRIEFING_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    given = os.environ.get("BRIEFING_CACHE_DIR")
    if given:
        return None if given.lower() in ("off", "0", "no") else Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefing"


#: Bumped when what is stored changes shape: older entries are then never read.
FORMAT = b"1"


def cached(kind: str, key: bytes, make: Callable[[], T], expect: type | None = None) -> T:
    """The value cached under (kind, key), or ``make()``'s result, stored for next time.

    ``expect``: the type a stored value must have; anything else is a miss.
    """
    folder = cache_dir()
    if folder is None:
        return make()
    path = folder / kind / (hashlib.sha256(FORMAT + b"\0" + key).hexdigest() + ".pickle")
    try:
        value: T = pickle.loads(path.read_bytes())
        if expect is None or isinstance(value, expect):
            return value
    except Exception:  # missing, truncated, or written by another version: a miss
        pass
    value = make()
    with contextlib.suppress(Exception):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # pickles: yours alone
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return value
