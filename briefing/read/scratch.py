"""A private scratch folder for what a reader unpacks from a source (a ``.docx``'s images).

Made on first use only (most sources need none), readable by its owner alone (``mkdtemp``),
and removed with everything in it when the build that opened it is over.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType


class Scratch:
    """A folder made on first use and removed on ``close`` (or at the end of a ``with``)."""

    def __init__(self) -> None:
        self._path: Path | None = None

    def path(self) -> Path:
        """The folder, made now if it is not there yet."""
        if self._path is None:
            self._path = Path(tempfile.mkdtemp(prefix="briefing-"))
        return self._path

    def owns(self, path: Path) -> bool:
        """Whether a file lies in this folder (it is then part of the source, not beside it)."""
        return self._path is not None and path.resolve().is_relative_to(self._path.resolve())

    def close(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
