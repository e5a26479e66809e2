"""Fingerprints: one sha256 over everything that shapes a briefing's PDF.

The fingerprint covers the tool's version, the source's bytes, the resolved options, the bytes
of every file the theme depends on (its TOML files, fonts, logos), the listing of an extra
assets folder (a new font there can shadow a bundled one) and, for a source without its own
date, the build date. The theme's files are those the last build recorded (like a make
depfile): they can only change if one of them changes, which the fingerprint sees.

Hashing must stay cheap (a no-op update of hundreds of briefings takes well under a second):
nothing here imports the renderer, and a file whose size and modification time are those
recorded is not read again, unless it was modified within ``RACY_NS`` of the recording (the
"racy git" problem: a save in the same clock tick as the build).

Within one run (``hashing_run``: an ``update``, the workers it starts), each distinct file is
read once: its digest is kept under its path, size and modification time, so that the theme's
fonts and logos shared by every briefing are hashed once per run, not once per briefing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # plain data at run time: this module stays light
    from briefing.options import Asked

#: A file modified this close to the recording is hashed again even when its stat matches.
RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class Stamp:
    """A file's identity when it was last hashed."""

    path: str
    size: int
    mtime_ns: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "sha256": self.sha256,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Stamp:
        return cls(str(data["path"]), int(data["size"]), int(data["mtime_ns"]), str(data["sha256"]))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: The digests of this run (``hashing_run``), by (path, size, mtime_ns); None outside a run.
_digests: dict[tuple[str, int, int], str] | None = None


@contextlib.contextmanager
def hashing_run() -> Iterator[None]:
    """Within the block (one run), each distinct file is hashed once: its digest is kept
    under its path, size and modification time. Nested runs share the outermost's digests;
    worker processes forked within the block start with them."""
    global _digests
    if _digests is not None:
        yield
        return
    _digests = {}
    try:
        yield
    finally:
        _digests = None


def start_hashing_run() -> None:
    """Keep digests for the rest of this process's life (a worker process, started for one
    run, whose parent's digests did not come with it)."""
    global _digests
    if _digests is None:
        _digests = {}


def remember_digest(path: str, st: os.stat_result, digest: str) -> None:
    """Keep the digest of a file read for another purpose (shipped to a cluster) for the
    rest of the run: it is not read again to be hashed."""
    if _digests is not None:
        _digests[(path, st.st_size, st.st_mtime_ns)] = digest


def file_digest(path: str, st: os.stat_result) -> str:
    """sha256 of the file at ``path`` whose stat is ``st``: read once per run."""
    key = (path, st.st_size, st.st_mtime_ns)
    if _digests is not None:
        known = _digests.get(key)
        if known is not None:
            return known
    digest = sha256_file(Path(path))
    if _digests is not None:
        _digests[key] = digest
    return digest


class Hasher:
    """Stamps files, once per run per path, reusing recorded hashes when nothing changed."""

    def __init__(self) -> None:
        self._stamps: dict[str, Stamp | None] = {}
        self._listings: dict[str, str] = {}

    def stamp(
        self, path: Path | str, known: Stamp | None = None, recorded_ns: int = 0
    ) -> Stamp | None:
        """The file's current stamp, or None when it is missing or unreadable."""
        key = str(path)
        if key in self._stamps:
            return self._stamps[key]
        try:
            st = os.stat(key)
        except OSError:
            self._stamps[key] = None
            return None
        if (
            known is not None
            and known.path == key
            and known.size == st.st_size
            and known.mtime_ns == st.st_mtime_ns
            and st.st_mtime_ns < recorded_ns - RACY_NS
        ):
            stamp: Stamp | None = known
        else:
            try:
                stamp = Stamp(key, st.st_size, st.st_mtime_ns, file_digest(key, st))
            except OSError:
                stamp = None
        self._stamps[key] = stamp
        return stamp

    def listing(self, folder: Path | str) -> str:
        """A hash of the names of the files under ``folder`` (not their contents)."""
        key = str(folder)
        if key not in self._listings:
            names: list[str] = []
            for root, dirs, files in os.walk(key):
                dirs.sort()
                rel = os.path.relpath(root, key)
                names.extend(os.path.join(rel, name) for name in sorted(files))
            self._listings[key] = sha256_bytes("\n".join(names).encode("utf-8", "surrogateescape"))
        return self._listings[key]


def canonical_options(asked: Asked) -> dict[str, str]:
    """What a briefing's layers ask for, as strings (for hashing and comparing): a
    ``[[briefing]]`` key under its name, a ``[defaults]`` one as ``[defaults] key`` (the two
    rank differently against the source's own), any other layer under its name. Where in the
    manifest a key is written is left out: moving it rebuilds nothing."""
    names = {"manifest": "", "manifest defaults": "[defaults] "}
    out: dict[str, str] = {}
    for layer, values in asked.canonical():
        prefix = names.get(layer, f"{layer} ")
        for key, value in values.items():
            out.setdefault(f"{prefix}{key}", json.dumps(value, ensure_ascii=False))
    return dict(sorted(out.items()))


def fingerprint(components: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of the components."""
    text = json.dumps(components, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return sha256_bytes(text.encode("ascii"))
