"""Building a source as an edition: compare with the last edition, mark what changed, record.

``build_edition`` is what ``update`` and ``schedule`` call for each briefing of the manifest:

- the model is compared with the latest edition's (``diff.content_hash``);
- a model that changed makes a **new edition** (N+1) whose page 1 carries the "Updated"
  notice and change bars against edition N (nothing on a first edition);
- a model that did not change is the **same edition**: the PDF is rebuilt (a new theme or
  new assets give it a new look) against edition N-1, rewritten in place when its bytes
  differ, and nobody is told;
- ``correction`` (or ``correction: true`` in the front matter) rewrites the latest edition
  with the new model instead of making a new one: a silent correction.

``edition_key`` is what the fingerprint must include, since page 1 depends on the previous
edition: its number and content hash.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from briefing.build import BuildOptions, BuildResult, Marks, build
from briefing.clock import build_date
from briefing.editions.diff import Changes, compare, content_hash, notice_text
from briefing.editions.store import Edition, EditionStore
from briefing.model import Briefing

log = logging.getLogger("briefing.editions")


@dataclass(frozen=True, slots=True)
class EditionOutcome:
    """What a build did to the editions of a briefing."""

    status: str  # "first", "new", "correction", "restyled" (same model, new PDF), "unchanged"
    edition: Edition  # the edition now current
    changes: Changes  # against the previous edition (empty for a first edition)
    result: BuildResult

    @property
    def new_edition(self) -> bool:
        """True when readers should hear of it (first or new edition)."""
        return self.status in ("first", "new")


def edition_key(store: EditionStore, name: str) -> str:
    """The latest edition's number and content hash, for the build's fingerprint."""
    latest = store.latest(name)
    return f"{latest.number}:{latest.content_hash}" if latest else "0:"


def build_edition(source: str | Path, name: str, store: EditionStore,
                  options: BuildOptions | None = None, *, fingerprint: str = "",
                  correction: bool = False, date: dt.date | None = None) -> EditionOutcome:
    """Build ``source`` and record it in ``store`` as an edition of ``name`` when it changed."""
    options = options or BuildOptions()
    latest = store.latest(name)
    today = date or options.date or build_date()
    base: list[Edition | None] = [None]
    decided: list[str] = [""]

    def marks(briefing: Briefing) -> Marks:
        digest = content_hash(briefing)
        fix = correction or briefing.meta.correction
        if latest is None:
            decided[0] = "first"
            return Marks(date=today)
        if digest == latest.content_hash:
            decided[0] = "same"
        elif fix:
            decided[0] = "correction"
        else:
            decided[0] = "new"
        # The same edition (or its correction) is still compared with the one before it.
        previous = latest if decided[0] == "new" else _before(store, latest)
        base[0] = previous
        day = today if decided[0] == "new" else latest.date
        if previous is None:
            return Marks(date=day)
        changes = compare(previous.model(), briefing)
        return Marks(notice_text(changes, briefing.meta.lang, day), changes.changed_blocks, day)

    result = build(source, options, marks=marks)
    digest = content_hash(result.briefing)
    previous = base[0]
    changes = compare(previous.model(), result.briefing) if previous else Changes()
    summary = "first edition" if previous is None and decided[0] != "same" else changes.summary()
    status = decided[0]
    if status == "same":
        assert latest is not None
        if latest.pdf_path.is_file() and latest.pdf() == result.pdf:
            return EditionOutcome("unchanged", latest, changes, result)
        edition = store.record(name, result.briefing, result.pdf, pages=result.pages,
                               date=latest.date, fingerprint=fingerprint,
                               summary=latest.summary, content_hash=digest, replace=True)
        return EditionOutcome("restyled", edition, changes, result)
    if status == "correction":
        assert latest is not None
        edition = store.record(name, result.briefing, result.pdf, pages=result.pages,
                               date=latest.date, fingerprint=fingerprint, summary=summary,
                               content_hash=digest, replace=True)
        log.info("%s: edition %d corrected silently", name, edition.number)
        return EditionOutcome("correction", edition, changes, result)
    edition = store.record(name, result.briefing, result.pdf, pages=result.pages, date=today,
                           fingerprint=fingerprint, summary=summary, content_hash=digest)
    return EditionOutcome(status, edition, changes, result)


def _before(store: EditionStore, edition: Edition) -> Edition | None:
    return store.get(edition.name, edition.number - 1) if edition.number > 1 else None
