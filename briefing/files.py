"""A file's state, as caches and change checks compare it.

Imports nothing of ours: the renderer (fonts, images), the theme loader and the jobs all ask
the same question, "has this file changed since I last read it?".
"""

from __future__ import annotations

import os
from pathlib import Path

#: (modification time in nanoseconds, size in bytes); ``MISSING`` when it cannot be read.
FileState = tuple[int, int]
MISSING: FileState = (-1, -1)


def file_state(path: str | Path) -> FileState:
    """The file's modification time and size, or ``MISSING``."""
    try:
        st = os.stat(path)  # no Path built: the renderer asks this dozens of times a build
    except OSError:
        return MISSING
    return (st.st_mtime_ns, st.st_size)
