"""What the last build of each briefing recorded, and whether a briefing is stale.

One small JSON file per briefing in the hidden state folder beside the manifest
(``.briefing/NAME.json``), never inside the PDF. Written atomically by the process holding the
manifest's lock. A record that cannot be read counts as "never built". The record keeps the
output's size and modification time: an output that no longer has them is hashed, and one
whose bytes are not those built (damaged, or replaced) is built again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import briefing
from briefing.clock import build_date
from briefing.errors import ManifestError, reason
from briefing.jobs.fingerprint import Hasher, Stamp, canonical_options, fingerprint, sha256_file
from briefing.jobs.manifest import Entry
from briefing.options import Asked
from briefing.output import write_atomic

log = logging.getLogger("briefing.jobs")

RECORD_FORMAT = 1


@dataclass(slots=True)
class Record:
    """What a successful build of one briefing recorded."""

    name: str
    fingerprint: str
    version: str  # briefing.__version__ that built it
    options: dict[str, str]  # what its layers asked (``fingerprint.canonical_options``)
    source: Stamp
    deps: list[Stamp]  # the theme's files (TOML, fonts, logos) the build used
    assets_listing: str | None  # hash of the extra assets folder's file names
    date: str | None  # the build date used when the source has no date of its own
    output: str
    pdf_sha256: str
    pages: int
    built_at: str  # ISO time of the build, UTC
    recorded_ns: int = field(default=0)  # time.time_ns() when written (racy-hash guard)
    edition: str | None = None  # "N:content hash" of the latest edition (editions folder only)
    output_stamp: Stamp | None = None  # the output's size and mtime when written
    resolved: dict[str, Any] = field(default_factory=dict)  # the options decided, with origins

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": RECORD_FORMAT,
            "name": self.name,
            "fingerprint": self.fingerprint,
            "version": self.version,
            "asked": self.options,
            "source": self.source.as_dict(),
            "deps": [stamp.as_dict() for stamp in self.deps],
            "assets_listing": self.assets_listing,
            "date": self.date,
            "output": self.output,
            "pdf_sha256": self.pdf_sha256,
            "pages": self.pages,
            "built_at": self.built_at,
            "recorded_ns": self.recorded_ns,
            "edition": self.edition,
            "output_stamp": self.output_stamp.as_dict() if self.output_stamp else None,
            "resolved": self.resolved,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Record:
        if data.get("format") != RECORD_FORMAT:
            raise ValueError(f"unknown record format {data.get('format')!r}")
        return cls(
            name=str(data["name"]),
            fingerprint=str(data["fingerprint"]),
            version=str(data["version"]),
            options={str(k): str(v) for k, v in dict(data.get("asked") or {}).items()},
            source=Stamp.from_dict(data["source"]),
            deps=[Stamp.from_dict(item) for item in data["deps"]],
            assets_listing=data.get("assets_listing"),
            date=data.get("date"),
            output=str(data["output"]),
            pdf_sha256=str(data["pdf_sha256"]),
            pages=int(data["pages"]),
            built_at=str(data["built_at"]),
            recorded_ns=int(data.get("recorded_ns", 0)),
            edition=data.get("edition"),
            output_stamp=Stamp.from_dict(data["output_stamp"]) if data.get("output_stamp")
            else None,
            resolved=dict(data.get("resolved") or {}),
        )


def components(
    *,
    version: str,
    options: Mapping[str, str],
    source: Stamp,
    deps: list[Stamp],
    assets_listing: str | None,
    date: str | None,
) -> dict[str, Any]:
    """What the fingerprint hashes."""
    return {
        "version": version,
        "options": dict(options),
        "source": source.sha256,
        "deps": {stamp.path: stamp.sha256 for stamp in deps},
        "assets": assets_listing,
        "date": date,
    }


def build_fingerprint(asked: Asked, *, source: Stamp, deps: list[Stamp],
                      date: str | None, hasher: Hasher) -> str:
    """The fingerprint of a build: what the state record and the edition record both keep."""
    assets = asked.get("assets")
    return fingerprint(components(
        version=briefing.__version__, options=canonical_options(asked), source=source,
        deps=deps, assets_listing=hasher.listing(assets) if assets else None, date=date))


def check_state_dir(state_dir: Path) -> None:
    """Fail before any work when the state folder's name is taken by something else."""
    if state_dir.exists() and not state_dir.is_dir():
        raise ManifestError(
            f"{state_dir}: is not a folder, but briefing keeps the state of the manifest's "
            "briefings in a folder of that name; move it away, then run again")


def record_path(state_dir: Path, name: str) -> Path:
    return state_dir / f"{name}.json"


def read_record(state_dir: Path, name: str) -> Record | None:
    path = record_path(state_dir, name)
    try:
        return Record.from_dict(json.loads(path.read_bytes()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("%s: unreadable state, the briefing will be rebuilt (%s)", path, reason(exc))
        return None


def write_record(state_dir: Path, record: Record) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    data = json.dumps(record.as_dict(), indent=1, sort_keys=True).encode("utf-8")
    write_atomic(record_path(state_dir, record.name), data + b"\n")


def stale_reason(
    entry: Entry, record: Record | None, hasher: Hasher, *, today: dt.date | None = None
) -> str | None:
    """Why ``entry`` must be rebuilt, or None when its PDF is up to date."""
    if record is None:
        return "never built"
    if record.version != briefing.__version__:
        return f"briefing's version changed ({record.version} → {briefing.__version__})"
    if record.options != canonical_options(entry.asked):
        changed = sorted(
            set(record.options.items()) ^ set(canonical_options(entry.asked).items())
        )
        return f"options changed ({', '.join(sorted({key for key, _ in changed}))})"
    if record.output != str(entry.output) or not entry.output.is_file():
        return "output missing"
    if _output_changed(entry.output, record):
        return "output changed since it was built (damaged or replaced)"
    if record.source.path != str(entry.source):
        return "source moved"
    source = hasher.stamp(entry.source, record.source, record.recorded_ns)
    if source is None:
        return "source missing"
    if source.sha256 != record.source.sha256:
        return "source changed"
    for dep in record.deps:
        now = hasher.stamp(dep.path, dep, record.recorded_ns)
        if now is None:
            return f"{Path(dep.path).name} removed"
        if now.sha256 != dep.sha256:
            return f"{Path(dep.path).name} changed"
    assets = entry.asked.get("assets")
    if (hasher.listing(assets) if assets else None) != record.assets_listing:
        return "assets folder changed"
    if record.date is not None:
        day = (today or build_date()).isoformat()
        if day != record.date:
            return f"date changed ({record.date} → {day})"
    return None


def _output_changed(output: Path, record: Record) -> bool:
    """True when the output's bytes are not those built: size and mtime first, then the hash.

    Unlike a source, the output is trusted on its size and mtime even when written just before
    the record (it is always): a later change by someone else changes one of them.
    """
    known = record.output_stamp
    try:
        st = output.stat()
    except OSError:
        return True
    if known is not None and (known.size, known.mtime_ns) == (st.st_size, st.st_mtime_ns):
        return False
    try:
        return sha256_file(output) != record.pdf_sha256
    except OSError:
        return True


def output_stamp(output: Path, pdf_sha256: str) -> Stamp | None:
    """The stamp of an output just written (None when it cannot be read back)."""
    try:
        st = output.stat()
    except OSError:
        return None
    return Stamp(str(output), st.st_size, st.st_mtime_ns, pdf_sha256)


def new_record(
    entry: Entry,
    *,
    source: Stamp,
    deps: list[Stamp],
    date: str | None,
    pdf_sha256: str,
    pages: int,
    hasher: Hasher,
    recorded_ns: int,
    edition: str | None = None,
    output: Stamp | None = None,
    resolved: Mapping[str, Any] | None = None,
) -> Record:
    """The record of a successful build."""
    options = canonical_options(entry.asked)
    assets = entry.asked.get("assets")
    listing = hasher.listing(assets) if assets else None
    parts = components(
        version=briefing.__version__,
        options=options,
        source=source,
        deps=deps,
        assets_listing=listing,
        date=date,
    )
    return Record(
        name=entry.name,
        fingerprint=fingerprint(parts),
        version=briefing.__version__,
        options=options,
        source=source,
        deps=deps,
        assets_listing=listing,
        date=date,
        output=str(entry.output),
        pdf_sha256=pdf_sha256,
        pages=pages,
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        resolved=dict(resolved or {}),
        recorded_ns=recorded_ns,
        edition=edition,
        output_stamp=output,
    )
