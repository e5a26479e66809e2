"""The path policy: one place that decides which files the tool may read and write.

Every file goes through here: sources, themes (a source's front-matter ``theme:`` included),
fonts, logos, images and every reference inside an SVG, the manifest, outputs, previews,
editions and publish folders.

- **Resolved once.** A path is compared by its real path (links followed, ``.`` and ``..``
  collapsed) and, when it exists, by its file identity (so a hard link is the same file).
- **Regular files only.** Reading refuses folders, FIFOs, devices and sockets, without
  blocking on them (a FIFO is opened without waiting for a writer, then refused).
- **Bounded.** No read takes more bytes than its limit (``LIMITS``).
- **Reached, not named.** A reference written *inside* a file (an image a source names, the
  theme its front matter asks for, an ``<image>`` in an SVG) is a relative path without
  ``..`` that must land, links followed, inside one of the folders its ``Scope`` grants: the
  source's own folder and the bundled assets, unless the command line or the manifest
  grants more (``--assets``). Absolute paths, URLs and ``~`` are refused.
- **Outputs never clobber.** An output is never one of the inputs (a source, a theme, a
  font, an image, the manifest) and two outputs never resolve to one file.

Paths given on the command line or in a manifest are the user's own choice: they may point
anywhere, but they are still read as regular files within limits.

This is a utility layer: it imports nothing of ours but the errors, so every stage can use it.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

import msgspec

from briefing.errors import BriefingError

#: The most bytes read from one file of each kind. Sources have their own limit
#: (``--max-size``, 20 MB by default).
LIMITS: dict[str, int] = {
    "theme": 1024 * 1024,  # a TOML file of a few kilobytes
    "manifest": 4 * 1024 * 1024,  # thousands of briefings
    "font": 64 * 1024 * 1024,  # a large TrueType family member is 1-20 MB
    "image": 64 * 1024 * 1024,  # PNG or JPEG (pixels are bounded too, see render.images)
    "svg": 8 * 1024 * 1024,
    "icc": 1024 * 1024,
}


def real(path: str | os.PathLike[str]) -> Path:
    """The real path: absolute, links followed, ``.`` and ``..`` collapsed."""
    return Path(os.path.realpath(os.fspath(path)))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: one real path, or one file reached by two names
    (a hard link)."""
    ra, rb = real(a), real(b)
    if ra == rb:
        return True
    ia, ib = _identity(ra), _identity(rb)
    return ia is not None and ia == ib


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    return f"{n:,} bytes"


def open_regular(path: str | os.PathLike[str], *, what: str = "file",
                 error: type[BriefingError] = BriefingError,
                 shown: str | None = None) -> tuple[BinaryIO, os.stat_result]:
    """Open a regular file for reading, and its state; refuse anything else at once.

    A FIFO is opened without waiting for a writer (then refused), a device is never read.
    """
    name = shown if shown is not None else os.fspath(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"{name}: no such file; check the path") from None
    except PermissionError:
        raise error(f"{name}: permission denied; make the file readable") from None
    except IsADirectoryError:
        raise error(f"{name}: is a folder, not a {what} file") from None
    except OSError as exc:
        raise error(f"{name}: cannot be read ({os.strerror(exc.errno or 0)})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{name}: is {_kind(st.st_mode)}, not a {what} file; give a regular file")
        with contextlib.suppress(OSError, AttributeError):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike[str], *, limit: int, what: str = "file",
               error: type[BriefingError] = BriefingError, shown: str | None = None,
               hint: str = "") -> bytes:
    """The bytes of a regular file, at most ``limit`` of them, or one clear error.

    ``what`` names the file's role in messages ("theme", "font"...); ``shown`` is the name
    the user knows it by (default: the path as given); ``hint`` ends the message of a file
    over the limit.
    """
    name = shown if shown is not None else os.fspath(path)
    handle, st = open_regular(path, what=what, error=error, shown=shown)
    with handle:
        if st.st_size > limit:
            raise error(too_large(name, limit, what, hint))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise error(f"{name}: cannot be read ({os.strerror(exc.errno or 0)})") from None
    if len(data) > limit:
        raise error(too_large(name, limit, what, hint))
    return data


def too_large(name: str, limit: int, what: str, hint: str = "") -> str:
    """The message for a file over its limit."""
    return f"{name}: the {what} file is larger than the limit of {_size(limit)}{hint}"


def check_file(path: str | os.PathLike[str], *, what: str = "file", limit: int | None = None,
               error: type[BriefingError] = BriefingError, shown: str | None = None) -> Path:
    """A path that names an existing regular file (within ``limit`` bytes), for libraries that
    open files by name themselves; its real path."""
    name = shown if shown is not None else os.fspath(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error(f"{name}: no such file; check the path") from None
    except OSError as exc:
        raise error(f"{name}: cannot be read ({os.strerror(exc.errno or 0)})") from None
    if not stat.S_ISREG(st.st_mode):
        raise error(f"{name}: is {_kind(st.st_mode)}, not a {what} file; give a regular file")
    if limit is not None and st.st_size > limit:
        raise error(too_large(name, limit, what))
    return real(path)


def is_regular(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` exists and is a regular file (links followed)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# --- names -----------------------------------------------------------------------------------

_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
#: What a name that names files (a briefing's PDF, state, editions) may be, for messages.
FILE_NAME_RULE = ("use letters, digits, '.', '_' and '-' (it names files), starting with a "
                  "letter or digit, at most 100 characters")


def is_file_name(name: str) -> bool:
    """Whether ``name`` may name files: one word of ``FILE_NAME_RULE``, whole (a trailing
    line break is not "the end of the line" here)."""
    return bool(_FILE_NAME.fullmatch(name))


# --- references written inside files -----------------------------------------------------


def reference_problem(ref: str) -> str | None:
    """Why a reference written inside a file cannot name a file, or None when it may."""
    if not ref or not ref.strip():
        return "is empty"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in ref):
        return "contains a control character"
    if "://" in ref or ref.startswith("//") or ref.lower().startswith(("file:", "data:")):
        return "is a URL; only files are allowed"
    if ref.startswith("~"):
        return "starts with '~'; give a path inside the folder"
    if PurePosixPath(ref).is_absolute() or PureWindowsPath(ref).is_absolute() or (
            PureWindowsPath(ref).drive):
        return "is an absolute path; give a path inside the folder"
    parts = ref.replace("\\", "/").split("/")
    if ".." in parts:
        return "goes up with '..'; give a path inside the folder"
    return None


class Scope(msgspec.Struct, frozen=True):
    """The folders a file's references may reach (real paths), searched in order."""

    roots: tuple[Path, ...]

    @classmethod
    def of(cls, *folders: str | os.PathLike[str] | None) -> Scope:
        """A scope of the given folders (None left out, duplicates once)."""
        roots = tuple(dict.fromkeys(real(f) for f in folders if f is not None))
        return cls(roots)

    def contains(self, path: str | os.PathLike[str]) -> bool:
        """Whether the real path of ``path`` lies inside one of the roots."""
        target = real(path)
        return any(target == root or target.is_relative_to(root) for root in self.roots)

    def reach(self, ref: str, *, what: str = "file", where: str = "",
              relative_to: str | os.PathLike[str] | None = None,
              error: type[BriefingError] = BriefingError,
              suffixes: Sequence[str] = ()) -> Path:
        """The regular file a reference names, inside the scope; its real path.

        ``relative_to``: the folder the reference is relative to (that of the file that
        holds it); by default it is looked up in each root in turn. ``suffixes``: the
        extensions accepted (lower case, with the dot). ``where`` prefixes messages.
        """
        prefix = f"{where}: " if where else ""
        problem = reference_problem(ref)
        if problem is not None:
            raise error(f"{prefix}{what} {ref!r} {problem}")
        bases = [Path(relative_to)] if relative_to is not None else list(self.roots)
        outside = False
        special = None
        for base in bases:
            candidate = real(base / ref)
            if not self.contains(candidate):
                outside = outside or os.path.lexists(candidate)
                continue
            try:
                mode = os.stat(candidate).st_mode
            except OSError:
                continue
            if not stat.S_ISREG(mode):
                special = special or _kind(mode)
                continue
            if suffixes and candidate.suffix.lower() not in suffixes:
                kinds = ", ".join(s.lstrip(".").upper() for s in suffixes)
                raise error(f"{prefix}{what} {ref!r}: use {kinds}")
            return candidate
        if special is not None:
            raise error(f"{prefix}{what} {ref!r} is {special}, not a file")
        home = bases[0] if bases else Path(".")
        if outside:
            raise error(f"{prefix}{what} {ref!r} leads outside {home} (a link?); "
                        "copy the file into the folder")
        raise error(f"{prefix}{what} {ref!r} not found in {home}")


# --- outputs ----------------------------------------------------------------------------------


class Files:
    """Labelled files, each resolved once, found again by any of their names.

    ``find`` answers in constant time whether a path is one of them: same real path, or the
    same file reached by another name (a hard link).
    """

    def __init__(self, items: Iterable[tuple[str, str | os.PathLike[str]]] = ()) -> None:
        self._by_real: dict[Path, str] = {}
        self._by_identity: dict[tuple[int, int], str] = {}
        for label, path in items:
            self.add(label, path)

    def add(self, label: str, path: str | os.PathLike[str]) -> None:
        """Add a file (the first label given for it is kept)."""
        resolved = real(path)
        self._by_real.setdefault(resolved, label)
        identity = _identity(resolved)
        if identity is not None:
            self._by_identity.setdefault(identity, label)

    def find(self, path: str | os.PathLike[str]) -> str | None:
        """The label of the file ``path`` names, or None."""
        resolved = real(path)
        found = self._by_real.get(resolved)
        if found is None:
            identity = _identity(resolved)
            found = self._by_identity.get(identity) if identity is not None else None
        return found


def pdf_name_problem(path: str | os.PathLike[str]) -> str | None:
    """Why a PDF must not be written under this name: it ends in another kind's extension
    (``out.png``, ``notes.txt``), which would make a PDF that no program opens as such."""
    suffix = Path(path).suffix.lower()
    if suffix and suffix != ".pdf" and suffix[1:].isalpha() and len(suffix) <= 6:
        return (f"a PDF is written, but the name ends in {suffix}; give a name ending in .pdf"
                + (" (an image of page 1 is --preview PNG)" if suffix == ".png" else ""))
    return None


def check_outputs(outputs: Sequence[tuple[str, str | os.PathLike[str]]],
                  inputs: Iterable[tuple[str, str | os.PathLike[str]]] = (), *,
                  error: type[BriefingError] = BriefingError) -> None:
    """Refuse outputs that would overwrite an input or each other.

    ``outputs`` and ``inputs`` are ``(label, path)`` pairs; a label says what the file is
    for the message: ``("-o", ...)``, ``("the source itself", ...)``, giving
    ``-o a.txt: is the source itself; give the output another name``.
    """
    known = Files(inputs)
    written = Files()
    for label, path in outputs:
        clash = known.find(path)
        if clash is not None:
            raise error(f"{label} {path}: is {clash}; give the output another name")
        other = written.find(path)
        if other is not None:
            raise error(f"{label} {path}: is the same file as {other}; "
                        "give each output its own name")
        written.add(f"{label} {path}", path)
