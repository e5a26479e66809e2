"""Building a source as an edition: compare with the last edition, mark what changed, record.

Three steps, each done once per build:

- ``decide`` compares the typeset model with the latest edition's (``diff.content_hash``, then
  one ``compare``) and says what the build is:

  - a model that changed makes a **new edition** (N+1) whose page 1 carries the "Updated"
    notice and change bars against edition N (nothing on a first edition);
  - a model that did not change is the **same edition**: the PDF is rebuilt (a new theme or
    new assets give it a new look) against edition N-1, rewritten in place when its bytes
    differ ("restyled"), and nobody is told ("unchanged" when the bytes are the same);
  - ``correction`` (or ``correction: true`` in the front matter) rewrites the latest edition
    with the new model instead of making a new one: a silent correction.

- ``draft_edition`` builds the PDF with what the decision adds to the page; nothing is written;
- ``record_edition`` writes the draft into the editions folder (when it changes anything).

``build_edition`` does all three. The jobs call the steps themselves, so that they can journal
each write. An edition is never dated earlier than the one before it: a clock that went back is
reported, and the new edition takes the previous one's date.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import msgspec

from briefing.build import BuildResult, Marks, finish, read_and_typeset
from briefing.clock import build_date
from briefing.editions.diff import Changes, compare, content_hash, notice_text
from briefing.editions.store import Edition, EditionStore, edition_key
from briefing.model import Briefing
from briefing.options import NOTHING_ASKED, Asked

log = logging.getLogger("briefing.editions")

__all__ = ["Decision", "Draft", "EditionOutcome", "build_edition", "decide", "draft_edition",
           "edition_key", "record_edition"]


class Decision(msgspec.Struct, frozen=True):
    """What a build is, against the editions of its briefing."""

    kind: str  # "first", "new", "same" (the model did not change) or "correction"
    number: int  # the edition the build is (a new number, or the latest's)
    date: dt.date  # that edition's date
    digest: str  # ``content_hash`` of the model
    changes: Changes  # against the edition the page is compared with (none for a first)
    marks: Marks  # what the page shows of it: the notice and the change bars


@dataclass(frozen=True, slots=True)
class Draft:
    """A build of a briefing as an edition, not yet recorded."""

    name: str
    status: str  # "first", "new", "correction", "restyled" (same model, new PDF), "unchanged"
    decision: Decision
    latest: Edition | None  # the latest edition before this build
    result: BuildResult

    @property
    def writes(self) -> bool:
        """True when recording it changes the editions folder."""
        return self.status != "unchanged"

    @property
    def new_edition(self) -> bool:
        """True when readers should hear of it (first or new edition)."""
        return self.status in ("first", "new")

    @property
    def summary(self) -> str:
        """What changed, in one line, as the edition records it."""
        if self.decision.number == 1 and self.decision.kind != "same":
            return "first edition"
        if self.decision.kind == "same":
            assert self.latest is not None
            return self.latest.summary
        return self.decision.changes.summary()


@dataclass(frozen=True, slots=True)
class EditionOutcome:
    """What a build did to the editions of a briefing."""

    status: str  # "first", "new", "correction", "restyled" (same model, new PDF), "unchanged"
    edition: Edition  # the edition now current
    changes: Changes  # against the previous edition (empty for a first edition)
    result: BuildResult


def decide(briefing: Briefing, store: EditionStore, latest: Edition | None, *,
           correction: bool = False, today: dt.date, name: str = "") -> Decision:
    """What ``briefing`` is against the latest edition; the one ``compare`` of the build."""
    digest = content_hash(briefing)
    if latest is None:
        return Decision("first", 1, today, digest, Changes(), Marks(date=today, edition=1))
    if digest == latest.content_hash:
        kind = "same"
    elif correction or briefing.meta.correction:
        kind = "correction"
    else:
        kind = "new"
    base: Edition | None = latest
    if kind == "new":
        number, date = latest.number + 1, today
        if today < latest.date:
            log.warning("%s: today (%s) is earlier than the date of edition %d (%s); the clock "
                        "may be wrong: edition %d takes that date", name or latest.name,
                        today.isoformat(), latest.number, latest.date.isoformat(), number)
            date = latest.date
    else:
        # The same edition (or its correction) is still compared with the one before it.
        number, date = latest.number, latest.date
        base = store.get(latest.name, latest.number - 1) if latest.number > 1 else None
    if base is None:
        return Decision(kind, number, date, digest, Changes(), Marks(date=date, edition=number))
    changes = compare(base.model(), briefing)
    notice = notice_text(changes, briefing.meta.lang, date)
    return Decision(kind, number, date, digest, changes,
                    Marks(notice, changes.changed_blocks, date, number))


def draft_edition(source: str | Path, name: str, store: EditionStore,
                  asked: Asked = NOTHING_ASKED, *, latest: Edition | None,
                  correction: bool = False, date: dt.date | None = None) -> Draft:
    """Build ``source`` as the next state of ``name``'s editions; nothing is written.

    ``latest`` is the latest edition, as the caller read it (``store.latest(name)``).
    """
    typeset = read_and_typeset(source, asked)
    try:
        decision = decide(typeset.briefing, store, latest, correction=correction,
                          today=date or asked.get("date") or build_date(), name=name)
    except BaseException:
        typeset.scratch.close()  # finish() would have removed a .docx's unpacked images
        raise
    result = finish(typeset, decision.marks)
    status = decision.kind
    if status == "same":
        assert latest is not None
        try:
            same = latest.pdf() == result.pdf
        except Exception:  # a missing or unreadable PDF is rewritten
            same = False
        status = "unchanged" if same else "restyled"
    return Draft(name, status, decision, latest, result)


def record_edition(store: EditionStore, draft: Draft, *, fingerprint: str = "") -> EditionOutcome:
    """Write ``draft`` into the editions folder (when it changes anything)."""
    latest, decision, result = draft.latest, draft.decision, draft.result
    if not draft.writes:
        assert latest is not None
        return EditionOutcome("unchanged", latest, decision.changes, result)
    edition = store.write(draft.name, result.briefing, result.pdf, number=decision.number,
                          date=decision.date, pages=result.pages, fingerprint=fingerprint,
                          summary=draft.summary, content_hash=decision.digest,
                          replacing=latest if decision.number == getattr(latest, "number", 0)
                          else None)
    if draft.status == "correction":
        log.info("%s: edition %d corrected silently", draft.name, edition.number)
    return EditionOutcome(draft.status, edition, decision.changes, result)


def build_edition(source: str | Path, name: str, store: EditionStore,
                  asked: Asked = NOTHING_ASKED, *, fingerprint: str = "",
                  correction: bool = False, date: dt.date | None = None) -> EditionOutcome:
    """Build ``source`` and record it in ``store`` as an edition of ``name`` when it changed."""
    draft = draft_edition(source, name, store, asked, latest=store.latest(name),
                          correction=correction, date=date)
    return record_edition(store, draft, fingerprint=fingerprint)
