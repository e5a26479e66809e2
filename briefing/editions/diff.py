"""What changed between two briefings, compared on the model (never on PDF text).

``compare(old, new)`` returns a typed ``Changes``: the title, each section changed, added or
removed (matched by kind and heading) with the words added and removed, FAQ questions added
and removed, and the texts of the new model's blocks that changed, so the renderer can give
them a change bar.

Blocks are aligned by their texts, then words within the blocks that differ, both with
``opcodes``: near-linear in the length (difflib's matcher alone is quadratic when words repeat,
as they do in prose: seconds for one 15,000-word paragraph). Past ``MAX_WORDS`` words, a
changed stretch is not diffed word by word: it counts as replaced. ``content_hash`` is the identity of a
model's content: what the reader cares about, without the look (theme, logo) or the
``correction`` flag.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import hashlib
import json
import re
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefing.data.words import words
from briefing.model import (
    Block,
    Briefing,
    Chart,
    DataTable,
    FaqEntry,
    Section,
    leaves,
    lens,
    plain,
)
from briefing.typography import format_date, language

#: Meta fields that only change the look or the publishing, never the content.
_LOOK_ONLY = ("theme", "logo", "correction", "short_title")


def content_hash(briefing: Briefing) -> str:
    """SHA-256 of the model's content (its ``as_dict()`` without look-only fields)."""
    data = briefing.as_dict()
    meta = dict(data.get("meta") or {})
    for key in _LOOK_ONLY:
        meta.pop(key, None)
    data["meta"] = meta
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class SectionChange:
    """One section that differs between the two briefings."""

    name: str  # its heading, or what it is ("article", "lead", "faq", "notes")
    kind: str  # "lead", "article", "advice", "conclusion", "faq", "notes"
    status: str  # "changed", "added" or "removed"
    words_added: int = 0
    words_removed: int = 0
    blocks_changed: int = 0  # blocks (paragraphs, answers...) whose text changed
    questions_added: tuple[str, ...] = ()  # FAQ sections only
    questions_removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()  # runs of words added, for people
    removed: tuple[str, ...] = ()  # runs of words removed

    @property
    def text_changed(self) -> bool:
        """True when the section's own text changed, beyond FAQ questions coming and going."""
        return self.status != "changed" or self.blocks_changed > 0

    @property
    def figures_only(self) -> bool:
        """True when only figures changed in the section (every word added or removed is a
        number): new data, not new text."""
        runs = (*self.added, *self.removed)
        return (self.status == "changed" and not self.questions_added
                and not self.questions_removed and bool(runs)
                and all(_FIGURE.fullmatch(word) for run in runs for word in run.split()))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "status": self.status,
            "words_added": self.words_added, "words_removed": self.words_removed,
            "blocks_changed": self.blocks_changed,
            "questions_added": list(self.questions_added),
            "questions_removed": list(self.questions_removed),
            "added": list(self.added), "removed": list(self.removed),
        }


@dataclass(frozen=True, slots=True)
class Changes:
    """Everything that differs between an old and a new briefing."""

    title: tuple[str, str] | None = None  # (old, new) when the title changed
    sections: tuple[SectionChange, ...] = ()
    details: tuple[str, ...] = ()  # metadata fields that changed ("author", "date"...)
    changed_blocks: frozenset[str] = field(default_factory=frozenset)  # new texts to mark
    # the figures of tables and charts from data that changed, named in the briefing's
    # language ("Cases in North: 1,204 → 1,388"), then rows that came and went
    figures: tuple[str, ...] = ()
    figures_more: int = 0  # changed figures not named past ``FIGURES``

    @property
    def empty(self) -> bool:
        return self.title is None and not self.sections and not self.details

    @property
    def questions_added(self) -> tuple[str, ...]:
        return tuple(q for s in self.sections for q in s.questions_added)

    @property
    def questions_removed(self) -> tuple[str, ...]:
        return tuple(q for s in self.sections for q in s.questions_removed)

    @property
    def words_added(self) -> int:
        return sum(s.words_added for s in self.sections)

    @property
    def words_removed(self) -> int:
        return sum(s.words_removed for s in self.sections)

    def summary(self) -> str:
        """What changed, in one line (English, for logs, listings and feeds)."""
        if self.empty:
            return "no change"
        parts: list[str] = []
        if self.title:
            parts.append("title changed")
        for s in self.sections:
            if s.text_changed and not (self.figures and s.figures_only):
                parts.append(f"{s.name} {s.status}")
        if self.questions_added:
            n = len(self.questions_added)
            parts.append(f"{n} FAQ question{'s' if n > 1 else ''} added")
        if self.questions_removed:
            n = len(self.questions_removed)
            parts.append(f"{n} FAQ question{'s' if n > 1 else ''} removed")
        if self.details:
            parts.append(", ".join(self.details) + " changed")
        if self.figures:
            more = [f"and {self.figures_more} more"] if self.figures_more else []
            parts.insert(0, "figures: " + "; ".join((*self.figures, *more)))
        words = f" (+{self.words_added} −{self.words_removed} words)" if self.sections else ""
        return "; ".join(parts) + words

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``briefing diff --json``; blocks to mark are left out (internal)."""
        return {
            "changed": not self.empty,
            "summary": self.summary(),
            "title": {"old": self.title[0], "new": self.title[1]} if self.title else None,
            "sections": [s.as_dict() for s in self.sections],
            "questions_added": list(self.questions_added),
            "questions_removed": list(self.questions_removed),
            "words_added": self.words_added,
            "words_removed": self.words_removed,
            "details": list(self.details),
            "figures": list(self.figures),
            "figures_more": self.figures_more,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def describe(self) -> str:
        """The changes for a person, section by section."""
        if self.empty:
            return "No change."
        lines: list[str] = []
        if self.title:
            lines.append(f"Title: {_quote(self.title[0])} → {_quote(self.title[1])}")
        if self.figures:
            lines.append("Figures:")
            lines += [f"  {line}" for line in self.figures]
            if self.figures_more:
                lines.append(f"  and {self.figures_more} more")
        for s in self.sections:
            counts = f"+{s.words_added} −{s.words_removed} words"
            what = {"added": "added", "removed": "removed"}.get(s.status, "changed")
            if s.status == "changed" and s.blocks_changed:
                n = s.blocks_changed
                what = f"{n} block{'s' if n > 1 else ''} changed"
            elif s.status == "changed":
                what = "questions only"
            lines.append(f"{s.name} ({s.kind}): {what}, {counts}")
            for q in s.questions_added:
                lines.append(f"  + question: {q}")
            for q in s.questions_removed:
                lines.append(f"  − question: {q}")
            if s.status == "changed":
                lines += [f"  − {_quote(_short(t))}" for t in s.removed]
                lines += [f"  + {_quote(_short(t))}" for t in s.added]
        if self.details:
            lines.append("Details changed: " + ", ".join(self.details))
        return "\n".join(lines)


def notice_text(changes: Changes, lang: str | None, date: dt.date) -> str | None:
    """The page-1 notice, in the briefing's language: "Updated <date>. Changed: …"."""
    if changes.empty:
        return None
    data = language(lang)
    labels = data.labels
    parts = [labels["updated"].format(date=format_date(date, data.code))]
    # When figures of the data changed, they are named; a section where nothing else changed
    # is not named as changed besides.
    names = [s.name for s in changes.sections if s.text_changed and s.status != "removed"
             and not (changes.figures and s.figures_only)]
    if changes.title:
        names.insert(0, labels.get("title", "title"))
    if names:
        parts.append(labels.get("changed", "Changed: {items}").format(items=", ".join(names)))
    quoted = labels.get("quoted", "“{text}”")
    if changes.questions_added:
        items = ", ".join(quoted.format(text=x) for x in changes.questions_added)
        parts.append(labels.get("faq_added", "New in the FAQ: {items}").format(items=items))
    if changes.questions_removed:
        items = ", ".join(quoted.format(text=x) for x in changes.questions_removed)
        parts.append(labels.get("faq_removed", "Removed from the FAQ: {items}").format(items=items))
    removed = [s.name for s in changes.sections if s.status == "removed"]
    if removed:
        parts.append(labels.get("removed", "Removed: {items}").format(items=", ".join(removed)))
    if changes.figures:
        said = words(data.code)
        named = list(changes.figures[:NOTICE_FIGURES])
        more = len(changes.figures) - len(named) + changes.figures_more
        if more:
            named.append(said["more"].format(n=more))
        parts.append(said["figures"].format(items=said["semicolon"].join(named)))
    return ". ".join(p.rstrip(".") for p in parts) + "."


# --- comparing ---------------------------------------------------------------------------


def compare(old: Briefing, new: Briefing) -> Changes:
    """What changed from ``old`` to ``new``."""
    labels = language(new.meta.lang).labels
    sections: list[SectionChange] = []
    marked: set[str] = set()

    lead = _compare_blocks(
        "lead", labels.get("lead", "lead"), tuple(old.lead), tuple(new.lead), marked
    )
    if lead:
        sections.append(lead)

    old_keys = [_key(s) for s in old.sections]
    new_keys = [_key(s) for s in new.sections]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            pairs = zip(old.sections[i1:i2], new.sections[j1:j2], strict=True)
            for o, n in pairs:
                change = _compare_sections(o, n, labels, marked)
                if change:
                    sections.append(change)
            continue
        for o in old.sections[i1:i2]:
            words = _words(" ".join(_section_texts(o)))
            sections.append(SectionChange(_name(o, labels), o.kind.value, "removed",
                                          words_removed=len(words)))
        for n in new.sections[j1:j2]:
            words = _words(" ".join(_section_texts(n)))
            marked.update(_section_texts(n))
            sections.append(SectionChange(_name(n, labels), n.kind.value, "added",
                                          words_added=len(words),
                                          questions_added=tuple(e.question for e in n.entries)))

    notes = _compare_blocks(
        "notes", labels.get("notes", "notes"),
        tuple(b for f in old.footnotes for b in f.blocks),
        tuple(b for f in new.footnotes for b in f.blocks), marked,
    )
    if notes:
        sections.append(notes)

    details = tuple(
        name for name in ("subtitle", "author", "organisation", "source", "date", "lang", "tags")
        if getattr(old.meta, name) != getattr(new.meta, name)
    )
    if old.meta.subtitle != new.meta.subtitle and new.meta.subtitle:
        marked.add(new.meta.subtitle)
    title = (old.title, new.title) if old.title != new.title else None
    figures, more = _figures(old, new, new.meta.lang or "en") if sections else ((), 0)
    return Changes(title, tuple(sections), details, frozenset(marked), figures, more)


#: A word that is a figure: a number with its sign, separators and percent sign, maybe
#: followed by punctuation ("1,388", "+15 %", "12,5%", "3.40.", "−2").
_FIGURE = re.compile(r"[+\-−±]?(?:\d[\d.,\u00a0\u202f']*)?\d%?[.,;:)]?|%|[(]?[+\-−±]?\d")

#: Changed figures named at most, for tables and charts together; in the page-1 notice.
FIGURES = 10
NOTICE_FIGURES = 4


def _figures(old: Briefing, new: Briefing, lang: str) -> tuple[tuple[str, ...], int]:
    """The figures that changed in tables and charts made from data, named: each new block
    compared with the old block of the same spec."""
    old_blocks, new_blocks = _data_blocks(old), _data_blocks(new)
    if not new_blocks or not old_blocks:
        return (), 0
    from briefing.data.changes import compare_tables  # with the data extra, as the blocks

    lines: list[str] = []
    seen: set[tuple[str, str, str, str]] = set()
    unnamed = 0
    olds: dict[tuple[type, str], list[tuple[tuple[str, ...], list[tuple[str, ...]]]]] = {}
    for block in old_blocks:
        olds.setdefault((type(block), block.spec), []).append(_snapshot(block))
    for block in new_blocks:
        found = olds.get((type(block), block.spec))
        if not found:
            continue
        old_header, old_rows = found.pop(0)
        header, rows = _snapshot(block)
        made = compare_tables(header, old_rows, rows, lang=lang, limit=FIGURES,
                              old_header=old_header)
        for change, line in zip(made.changes, made.lines, strict=False):
            # A figure shown twice (a table and its chart) is named once.
            said = (change.kind, change.key, change.old, change.new)
            if said not in seen:
                seen.add(said)
                lines.append(line)
        unnamed += made.more
    if len(lines) > FIGURES:
        unnamed += len(lines) - FIGURES
        lines = lines[:FIGURES]
    return tuple(lines), unnamed


def _snapshot(block: DataTable | Chart) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """A table or chart from data as a header and rows of printed cells."""
    if isinstance(block, DataTable):
        return (tuple(plain(c) for c in block.header),
                [tuple(plain(c) for c in row) for row in block.rows])
    header = (block.x_label, *(s.label for s in block.series))
    rows = [(category, *(s.texts[i] if i < len(s.texts) else "" for s in block.series))
            for i, category in enumerate(block.categories)]
    return header, rows


def _data_blocks(briefing: Briefing) -> list[DataTable | Chart]:
    found: list[DataTable | Chart] = []

    def walk(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, DataTable | Chart):
                found.append(block)
            for _, inner in lens(block)[0].children:
                walk(inner)

    for section in briefing.sections:
        walk(section.blocks)
        for entry in section.entries:
            walk(entry.answer)
    return found


def _key(section: Section) -> tuple[str, str | None]:
    return (section.kind.value, section.heading)


def _name(section: Section, labels: dict[str, str]) -> str:
    return section.heading or labels.get(section.kind.value, section.kind.value)


def _compare_sections(old: Section, new: Section, labels: dict[str, str],
                      marked: set[str]) -> SectionChange | None:
    name = _name(new, labels)
    body = _compare_blocks(new.kind.value, name, old.blocks, new.blocks, marked)
    added = removed = blocks = 0
    runs_added: list[str] = []
    runs_removed: list[str] = []
    if body:
        added, removed, blocks = body.words_added, body.words_removed, body.blocks_changed
        runs_added += body.added
        runs_removed += body.removed
    if old.heading != new.heading:
        a, r, ra, rr = _word_diff(old.heading or "", new.heading or "")
        added, removed, blocks = added + a, removed + r, blocks + 1
        runs_added += ra
        runs_removed += rr
        if new.heading:
            marked.add(new.heading)
    old_entries = {e.question: e for e in old.entries}
    new_questions = {e.question for e in new.entries}
    # A question whose wording was edited (a typo fixed) is the same question, not one removed
    # and one added: pair it with the most similar old question that is gone.
    reworded = _pair_reworded([e.question for e in new.entries if e.question not in old_entries],
                              [e.question for e in old.entries if e.question not in new_questions])
    q_added: list[str] = []
    for entry in new.entries:
        before = old_entries.get(entry.question) or old_entries.get(reworded.get(entry.question, ""))
        if before is None:
            q_added.append(entry.question)
            added += len(_words(" ".join(_entry_texts(entry))))
            marked.update(_entry_texts(entry))
            continue
        if before.question != entry.question:
            a, r, ra, rr = _word_diff(before.question, entry.question)
            added, removed, blocks = added + a, removed + r, blocks + 1
            runs_added += ra
            runs_removed += rr
            marked.add(entry.question)
        answer = _compare_blocks("faq", name, before.answer, entry.answer, marked)
        if answer:
            added += answer.words_added
            removed += answer.words_removed
            blocks += answer.blocks_changed
            runs_added += answer.added
            runs_removed += answer.removed
    paired = set(reworded.values())
    q_removed = tuple(e.question for e in old.entries
                      if e.question not in new_questions and e.question not in paired)
    for entry in old.entries:
        if entry.question not in new_questions and entry.question not in paired:
            removed += len(_words(" ".join(_entry_texts(entry))))
    if not (added or removed or blocks or q_added or q_removed):
        return None
    return SectionChange(name, new.kind.value, "changed", added, removed, blocks,
                         tuple(q_added), q_removed, tuple(runs_added), tuple(runs_removed))


#: How alike two questions must be (difflib's ratio) to count as one question reworded.
REWORDED = 0.75


def _pair_reworded(new: list[str], old: list[str]) -> dict[str, str]:
    """New question → the old question it rewords, for pairs at least ``REWORDED`` alike."""
    pairs: dict[str, str] = {}
    left = list(old)
    for question in new:
        scored = [(difflib.SequenceMatcher(None, question, o).ratio(), o) for o in left]
        if scored:
            ratio, best = max(scored)
            if ratio >= REWORDED:
                pairs[question] = best
                left.remove(best)
    return pairs


def _compare_blocks(kind: str, name: str, old: tuple[Block, ...], new: tuple[Block, ...],
                    marked: set[str]) -> SectionChange | None:
    """Blocks aligned by their text; changed or inserted new blocks are marked."""
    old_texts = [t for b in old for t in _leaf_texts(b)]
    new_texts = [t for b in new for t in _leaf_texts(b)]
    if old_texts == new_texts:
        return None
    added = removed = changed = 0
    runs_added: list[str] = []
    runs_removed: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes(old_texts, new_texts):
        if tag == "equal":
            continue
        a, r, ra, rr = _word_diff(" ".join(old_texts[i1:i2]), " ".join(new_texts[j1:j2]))
        added += a
        removed += r
        runs_added += ra
        runs_removed += rr
        changed += max(i2 - i1, j2 - j1)
        marked.update(new_texts[j1:j2])
    return SectionChange(name, kind, "changed", added, removed, changed,
                         added=tuple(runs_added), removed=tuple(runs_removed))


def _words(text: str) -> list[str]:
    return text.split()


def _word_diff(old: str, new: str) -> tuple[int, int, list[str], list[str]]:
    """Words added and removed, and the runs of words themselves."""
    a, b = _words(old), _words(new)
    if len(a) + len(b) > MAX_WORDS:  # too long to say word by word: all of it changed
        return len(b), len(a), [new] if b else [], [old] if a else []
    added = removed = 0
    runs_added: list[str] = []
    runs_removed: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag in ("replace", "delete"):
            removed += i2 - i1
            runs_removed.append(" ".join(a[i1:i2]))
        if tag in ("replace", "insert"):
            added += j2 - j1
            runs_added.append(" ".join(b[j1:j2]))
    return added, removed, runs_added, runs_removed


#: Longest stretch of words (old and new together) diffed word by word.
MAX_WORDS = 400_000
#: Runs no bigger than this (product of their lengths) go to difflib's exact matcher.
EXACT = 20_000
#: Work allowed per item of the input; what is left when it is spent counts as replaced.
BUDGET = 40

Opcode = tuple[str, int, int, int, int]


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """difflib-style opcodes turning ``a`` into ``b``, in time near-linear in their length.

    The common head and tail are set aside; what is left is split at anchors, items found
    exactly once on each side, kept in the longest run that is in order on both (patience
    diff); the stretches between anchors are split again the same way, and small ones go to
    difflib's exact matcher (autojunk off). A stretch with no anchor, or any stretch once the
    work budget is spent, counts as replaced.
    """
    out: list[Opcode] = []
    budget = BUDGET * (len(a) + len(b)) + EXACT
    # A stack of work, in reverse order: a range to compare, or an opcode to emit.
    stack: list[Opcode | tuple[int, int, int, int]] = [(0, len(a), 0, len(b))]
    while stack:
        item = stack.pop()
        if len(item) == 5:
            out.append(item)
            continue
        i1, i2, j1, j2 = item
        head = 0
        while i1 + head < i2 and j1 + head < j2 and a[i1 + head] == b[j1 + head]:
            head += 1
        tail = 0
        while (i2 - tail > i1 + head and j2 - tail > j1 + head
               and a[i2 - tail - 1] == b[j2 - tail - 1]):
            tail += 1
        pending: list[Opcode | tuple[int, int, int, int]] = []
        if head:
            pending.append(("equal", i1, i1 + head, j1, j1 + head))
        m1, m2, n1, n2 = i1 + head, i2 - tail, j1 + head, j2 - tail
        if m1 < m2 or n1 < n2:
            size = (m2 - m1) * (n2 - n1)
            if m1 == m2 or n1 == n2:
                pending.append(("replace", m1, m2, n1, n2))
            elif size <= EXACT and budget >= size:
                budget -= size
                matcher = difflib.SequenceMatcher(None, a[m1:m2], b[n1:n2], autojunk=False)
                pending += [(tag, x1 + m1, x2 + m1, y1 + n1, y2 + n1)
                            for tag, x1, x2, y1, y2 in matcher.get_opcodes()]
            else:
                budget -= (m2 - m1) + (n2 - n1)
                anchors = _anchors(a, b, m1, m2, n1, n2) if budget > 0 else []
                if not anchors:
                    pending.append(("replace", m1, m2, n1, n2))
                else:
                    x, y = m1, n1
                    for i, j in anchors:
                        pending.append((x, i, y, j))
                        pending.append(("equal", i, i + 1, j, j + 1))
                        x, y = i + 1, j + 1
                    pending.append((x, m2, y, n2))
        if tail:
            pending.append(("equal", i2 - tail, i2, j2 - tail, j2))
        stack.extend(reversed(pending))
    return _merged(out)


def _anchors(a: Sequence[Hashable], b: Sequence[Hashable], i1: int, i2: int, j1: int,
             j2: int) -> list[tuple[int, int]]:
    """Items once in ``a[i1:i2]`` and once in ``b[j1:j2]``, the longest run in order on both."""
    in_a = Counter(a[i1:i2])
    in_b = Counter(b[j1:j2])
    where_b = {item: j for j, item in enumerate(b[j1:j2], j1) if in_b[item] == 1}
    pairs = [(i, where_b[item]) for i, item in enumerate(a[i1:i2], i1)
             if in_a[item] == 1 and item in where_b]
    # Longest increasing run of the b positions (patience sorting), with back links.
    tops: list[int] = []  # the b position ending each pile
    ends: list[int] = []  # index into pairs of that pile's end
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(tops, j)
        back[k] = ends[pile - 1] if pile else -1
        if pile == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[pile], ends[pile] = j, k
    run: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]


def _merged(ops: list[Opcode]) -> list[Opcode]:
    """Neighbouring opcodes of one kind (equal, or any change) made one."""
    out: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if i1 == i2 and j1 == j2:
            continue
        changed = tag != "equal"
        if out and (out[-1][0] != "equal") == changed:
            _, p1, _, q1, _ = out[-1]
            i1, j1 = p1, q1
            out.pop()
        if changed:
            tag = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
        out.append((tag, i1, i2, j1, j2))
    return out


def _leaf_texts(block: Block) -> Iterator[str]:
    """The texts of a block as the renderer sets them: one per paragraph-like flowable (an
    image as ``[src]``, then its alt text and caption)."""
    for _, text in leaves((block,), ()):
        yield text


def _entry_texts(entry: FaqEntry) -> list[str]:
    return [entry.question, *(t for b in entry.answer for t in _leaf_texts(b))]


def _section_texts(section: Section) -> list[str]:
    out = [section.heading] if section.heading else []
    out += [t for b in section.blocks for t in _leaf_texts(b)]
    for entry in section.entries:
        out += _entry_texts(entry)
    return out


def _quote(text: str) -> str:
    return f"“{text}”"


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


__all__ = ["Changes", "SectionChange", "compare", "content_hash", "notice_text", "opcodes"]
