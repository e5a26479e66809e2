"""The editions folder: every edition of each briefing, numbered 1, 2, 3…

Layout (one folder per briefing name)::

    editions/NAME/0001.json   the edition record: number, date, fingerprint, pages, what
                              changed, content hash, and the model (``as_dict()``, format 1)
    editions/NAME/0001.pdf    the PDF of that edition

Names carry the edition number, so two editions on one day never collide. Every file is
written atomically, the PDF before its record: a record never names a PDF that is not there.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.errors import EditionError, reason
from briefing.model import Briefing
from briefing.output import write_atomic
from briefing.paths import FILE_NAME_RULE, is_file_name
from briefing.read.fields import load_briefing

log = logging.getLogger("briefing.editions")

#: Version of the edition record format (the model inside has its own ``format``).
RECORD_FORMAT = 1

_FILE = re.compile(r"^(\d{4,})\.json$")


@dataclass(frozen=True, slots=True)
class Edition:
    """One recorded edition of a briefing."""

    name: str  # the briefing's name in the manifest
    number: int  # 1, 2, 3…
    date: dt.date  # the date of the edition
    fingerprint: str  # of the build that made it
    pages: int
    summary: str  # what changed since the previous edition, in one line
    content_hash: str  # ``diff.content_hash`` of the model
    title: str
    corrections: int = 0  # silent corrections published over this edition
    folder: Path = Path(".")  # the briefing's folder in the editions folder

    @property
    def pdf_path(self) -> Path:
        return self.folder / f"{self.number:04d}.pdf"

    @property
    def record_path(self) -> Path:
        return self.folder / f"{self.number:04d}.json"

    def model(self) -> Briefing:
        """The edition's model, read back from its record."""
        data = _read_json(self.record_path)
        try:
            return load_briefing(data["model"])
        except (KeyError, ValueError) as exc:
            raise EditionError(f"{self.record_path}: the model cannot be read ({reason(exc)}); "
                                "remove the record or restore it from a backup") from None

    def pdf(self) -> bytes:
        try:
            return self.pdf_path.read_bytes()
        except OSError as exc:
            raise EditionError(f"{self.pdf_path}: cannot be read ({exc.strerror})") from None

    def meta(self) -> dict[str, Any]:
        return {
            "name": self.name, "number": self.number, "date": self.date.isoformat(),
            "fingerprint": self.fingerprint, "pages": self.pages, "summary": self.summary,
            "content_hash": self.content_hash, "title": self.title,
            "corrections": self.corrections,
        }


def edition_key(latest: Edition | None) -> str:
    """The latest edition's number and content hash: a build's fingerprint includes it, since
    page 1 depends on the previous edition."""
    return f"{latest.number}:{latest.content_hash}" if latest else "0:"


def check_name(name: str) -> str:
    """A briefing name usable as a folder name, or an error saying why not."""
    if not is_file_name(name):
        raise EditionError(f"{name!r}: not a briefing name; {FILE_NAME_RULE}")
    return name


class EditionStore:
    """The editions folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def folder(self, name: str) -> Path:
        return self.root / check_name(name)

    def names(self) -> list[str]:
        """Briefings that have at least one edition, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and is_file_name(p.name) and self._numbered(p.name))

    def _numbered(self, name: str) -> list[tuple[int, Path]]:
        """The record files of a briefing with their numbers, oldest first (one listing)."""
        folder = self.folder(name)
        try:
            paths = list(folder.iterdir())
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise EditionError(f"{folder}: cannot be read ({exc.strerror})") from None
        found = [(int(m.group(1)), path) for path in paths if (m := _FILE.match(path.name))]
        return sorted(found)

    def list(self, name: str, *, damaged: list[str] | None = None) -> list[Edition]:
        """Every edition of a briefing, oldest first.

        A damaged record raises ``EditionError``; with ``damaged``, it is left out and its
        error added to that list instead.
        """
        out = []
        for _, path in self._numbered(name):
            try:
                out.append(self._load(name, path))
            except EditionError as exc:
                if damaged is None:
                    raise
                damaged.append(exc.message)
        return out

    def latest(self, name: str) -> Edition | None:
        """The latest edition (only its record is read)."""
        numbered = self._numbered(name)
        return self._load(name, numbered[-1][1]) if numbered else None

    def get(self, name: str, number: int) -> Edition:
        path = self.folder(name) / f"{number:04d}.json"
        if not path.is_file():
            have = ", ".join(str(e.number) for e in self.list(name)) or "none"
            raise EditionError(f"{name}: no edition {number} (editions: {have})")
        return self._load(name, path)

    def record(self, name: str, briefing: Briefing, pdf: bytes, *, pages: int, date: dt.date,
               fingerprint: str, summary: str, content_hash: str,
               replace: bool = False) -> Edition:
        """Write the next edition (or, with ``replace``, rewrite the latest one in place, keeping
        its number, date and summary)."""
        latest = self.latest(name)
        if replace and latest is not None:
            return self.write(name, briefing, pdf, number=latest.number, date=latest.date,
                              pages=pages, fingerprint=fingerprint, summary=latest.summary,
                              content_hash=content_hash, replacing=latest)
        return self.write(name, briefing, pdf, number=latest.number + 1 if latest else 1,
                          date=date, pages=pages, fingerprint=fingerprint, summary=summary,
                          content_hash=content_hash)

    def write(self, name: str, briefing: Briefing, pdf: bytes, *, number: int, date: dt.date,
              pages: int, fingerprint: str, summary: str, content_hash: str,
              replacing: Edition | None = None) -> Edition:
        """Write edition ``number`` (a new one, or ``replacing`` the latest in place).

        The PDF is written before the record, each atomically: a record never names a PDF
        that is not there.
        """
        folder = self.folder(name)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EditionError(f"{folder}: cannot create the folder ({exc.strerror})") from None
        corrections = 0
        if replacing is not None:
            corrections = replacing.corrections + (content_hash != replacing.content_hash)
        edition = Edition(name, number, date, fingerprint, pages, summary, content_hash,
                          briefing.title, corrections, folder)
        write_atomic(edition.pdf_path, pdf)
        record = {"record_format": RECORD_FORMAT, "edition": edition.meta(),
                  "model": briefing.as_dict()}
        text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(edition.record_path, text.encode("utf-8"))
        log.info("%s: edition %d %s (%s)", name, edition.number,
                 "rewritten" if replacing is not None else "recorded", summary)
        return edition

    def _load(self, name: str, path: Path) -> Edition:
        data = _read_json(path)
        try:
            if data.get("record_format") != RECORD_FORMAT:
                raise ValueError(f"unsupported record format {data.get('record_format')!r}")
            meta = data["edition"]
            return Edition(
                name=name, number=int(meta["number"]),
                date=dt.date.fromisoformat(meta["date"]), fingerprint=str(meta["fingerprint"]),
                pages=int(meta["pages"]), summary=str(meta["summary"]),
                content_hash=str(meta["content_hash"]), title=str(meta.get("title", "")),
                corrections=int(meta.get("corrections", 0)), folder=path.parent,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise EditionError(f"{path}: not an edition record ({reason(exc)}); remove it or "
                               "restore it from a backup") from None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EditionError(f"{path}: cannot be read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EditionError(f"{path}: not a valid edition record ({reason(exc)}); remove it or "
                           "restore it from a backup") from None
    if not isinstance(data, dict):
        raise EditionError(f"{path}: not an edition record")
    return data


def describe(editions: list[Edition]) -> str:
    """The ``briefing editions`` listing: number, date, pages, what changed."""
    lines = []
    for e in editions:
        fixed = f" [{e.corrections} correction{'s' if e.corrections > 1 else ''}]" if e.corrections else ""
        lines.append(f"{e.number:>4}  {e.date.isoformat()}  {e.pages:>3} p.  {e.summary}{fixed}")
    return "\n".join(lines)
