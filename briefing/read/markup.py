"""What the readers of marked-up sources (Markdown, HTML, Word) share: headings met at the
top level of a document, inline spans tidied, and the assembly of title, lead and sections.

The assembly is the same for every marked-up source:

- without a title given (front matter, document properties), the first level-1 heading is the
  title; other level-1 headings count as level 2;
- the first paragraph before any heading is the lead; a source that opens with something else
  (a list, a quote, code) has no lead, so nothing is read out of its order;
- each level-2 heading opens a section, whose kind comes from an explicit mapping, else from
  its words (``briefing.read.sections``); a run of two or more level-2 questions, each with an
  answer, forms the FAQ even without an FAQ heading;
- level-3 and deeper headings are sub-headings, except in the FAQ, where each one is a question
  and what follows it the answer; a paragraph or list item opening with a bold question is a
  question too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefing.model import (
    Block,
    Briefing,
    Footnote,
    Heading,
    Inline,
    ListBlock,
    Meta,
    Paragraph,
    Section,
    SectionKind,
    Span,
    plain,
)
from briefing.read.sections import SectionCollector, fold, section_kind
from briefing.read.text import is_question


@dataclass(frozen=True, slots=True)
class Head:
    """A heading met at the top level of the document (``line``: where, for messages; 0 when
    the source has no lines)."""

    level: int
    text: str
    line: int


Item = Head | Block


def clean_spans(spans: Sequence[Span]) -> Inline:
    """Adjacent spans with the same formatting merged; leading and trailing spaces removed."""
    merged: list[Span] = []
    for span in spans:
        if merged and _same(merged[-1], span):
            merged[-1] = replace(merged[-1], text=merged[-1].text + span.text)
        elif span.text or span.note:
            merged.append(span)
    if merged and not merged[0].code and not merged[0].note:
        merged[0] = replace(merged[0], text=merged[0].text.lstrip())
    if merged and not merged[-1].code and not merged[-1].note:
        merged[-1] = replace(merged[-1], text=merged[-1].text.rstrip())
    return tuple(s for s in merged if s.text or s.note)


def _same(a: Span, b: Span) -> bool:
    return (a.bold, a.italic, a.code, a.href, a.lang, a.note) == (
        b.bold, b.italic, b.code, b.href, b.lang, b.note
    ) and not a.note and not a.code


def blocks_only(items: Sequence[Item]) -> tuple[Block, ...]:
    return tuple(Heading(i.text, max(3, i.level)) if isinstance(i, Head) else i for i in items)


# --- blocks to sections ------------------------------------------------------------------


def assemble(
    items: list[Item],
    *,
    front_title: str | None,
    mapping: dict[str, SectionKind],
    footnotes: tuple[Footnote, ...],
    meta: Meta,
) -> Briefing:
    items = list(items)
    title = front_title
    first_head = next((k for k, it in enumerate(items) if isinstance(it, Head)), None)
    if first_head is not None:
        head = items[first_head]
        assert isinstance(head, Head)
        if head.level == 1 and (title is None or fold(head.text) == fold(title)):
            title = title or head.text
            del items[first_head]
    # Remaining level-1 headings count as level 2.
    items = [replace(i, level=2) if isinstance(i, Head) and i.level == 1 else i for i in items]
    # The lead is the paragraph the text opens with; a text that opens with something else
    # (a list, a quote, code) has no lead, so nothing is read out of its order.
    lead: list[Paragraph] = []
    if items and isinstance(first := items[0], Paragraph):
        lead.append(first)
        del items[0]
    sections = _Sections(mapping).build(items)
    return Briefing(title or "", tuple(lead), sections, footnotes, meta)


def _question_split(spans: Inline) -> tuple[str, Inline] | None:
    """A paragraph that opens with a bold question: the question and the rest."""
    bold: list[Span] = []
    for span in spans:
        if not span.bold:
            break
        bold.append(span)
    question = plain(tuple(bold)).strip()
    if not question or not is_question(question):
        return None
    rest = list(spans[len(bold):])
    if rest and not rest[0].code:
        rest[0] = replace(rest[0], text=rest[0].text.lstrip())
    return question, tuple(s for s in rest if s.text or s.note)


class _Sections(SectionCollector):
    """Collects sections in order while the top-level items are read."""

    def __init__(self, mapping: dict[str, SectionKind]) -> None:
        super().__init__()
        self.mapping = mapping

    def add(self, block: Block) -> None:
        if self.kind is SectionKind.FAQ:
            if isinstance(block, Paragraph) and (split := _question_split(block.spans)):
                question, rest = split
                self.ask(question, (Paragraph(rest),) if rest else ())
                return
            if isinstance(block, ListBlock) and _is_question_list(block):
                for item in block.items:
                    first = item.blocks[0]
                    assert isinstance(first, Paragraph)
                    split = _question_split(first.spans)
                    assert split is not None
                    question, rest = split
                    self.ask(question, ((Paragraph(rest),) if rest else ()) + item.blocks[1:])
                return
        self.append(block)

    def build(self, items: list[Item]) -> tuple[Section, ...]:
        for k, item in enumerate(items):
            if not isinstance(item, Head):
                self.add(item)
                continue
            explicit = self.mapping.get(fold(item.text))
            if explicit is not None:
                self.open(explicit, item.text)
            elif item.level >= 3:
                if self.kind is SectionKind.FAQ:
                    self.ask(item.text)
                else:
                    self.add(Heading(item.text, item.level))
            elif is_question(item.text) and (
                self.kind is SectionKind.FAQ or _starts_faq(items, k)
            ):
                if self.kind is not SectionKind.FAQ:
                    self.open(SectionKind.FAQ, None)
                self.ask(item.text)
            else:
                self.open(section_kind(item.text) or SectionKind.ARTICLE, item.text)
        self.close()
        return tuple(self.sections)


def _is_question_list(block: ListBlock) -> bool:
    return bool(block.items) and all(
        item.blocks
        and isinstance(item.blocks[0], Paragraph)
        and _question_split(item.blocks[0].spans) is not None
        for item in block.items
    )


def _starts_faq(items: list[Item], k: int) -> bool:
    """Two section-level questions in a row, each followed by an answer, start at ``k``."""
    def pair(j: int) -> int | None:  # index after the pair, or None
        if j >= len(items):
            return None
        head = items[j]
        if not (isinstance(head, Head) and head.level <= 2 and is_question(head.text)):
            return None
        end = j + 1
        while end < len(items) and not isinstance(items[end], Head):
            end += 1
        return end if end > j + 1 else None

    second = pair(k)
    return second is not None and pair(second) is not None
