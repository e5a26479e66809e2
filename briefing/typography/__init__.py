"""Typography: the language's conventions applied to the model's text.

``typeset`` settles the document's language (given, or detected) and returns the briefing with
its text set the language's way (see ``rules`` for what changes). It touches every text a
reader sees (title, subtitle, lead, headings, paragraphs, list items, quotes, table cells, image
descriptions, FAQ questions and answers, footnotes) and never code spans, code blocks, footnote
references, image paths or link targets. The renderer then only draws what it is given.
"""

from __future__ import annotations

import msgspec

from briefing.model import (
    Block,
    Briefing,
    CodeBlock,
    FaqEntry,
    Footnote,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Section,
    Table,
)
from briefing.typography.dates import format_date
from briefing.typography.detect import detect_language
from briefing.typography.languages import Language, language
from briefing.typography.rules import typeset_spans, typeset_text

__all__ = [
    "Language",
    "detect_language",
    "format_date",
    "language",
    "typeset",
    "typeset_blocks",
    "typeset_spans",
    "typeset_text",
]


def typeset(briefing: Briefing) -> Briefing:
    """The briefing with its language settled and its text set by that language's rules."""
    code = briefing.meta.lang or detect_language(briefing.texts())
    lang = language(code)
    meta = briefing.meta
    meta = msgspec.structs.replace(
        meta,
        lang=code,
        subtitle=_opt(meta.subtitle, lang),
        author=_opt(meta.author, lang),
        organisation=_opt(meta.organisation, lang),
    )
    return Briefing(
        title=typeset_text(briefing.title, lang),
        lead=tuple(Paragraph(typeset_spans(p.spans, lang)) for p in briefing.lead),
        sections=tuple(_section(s, lang) for s in briefing.sections),
        footnotes=tuple(
            Footnote(n.label, typeset_blocks(n.blocks, lang)) for n in briefing.footnotes
        ),
        meta=meta,
    )


def _opt(text: str | None, lang: Language) -> str | None:
    return None if text is None else typeset_text(text, lang)


def _section(section: Section, lang: Language) -> Section:
    return Section(
        section.kind,
        _opt(section.heading, lang),
        typeset_blocks(section.blocks, lang),
        tuple(
            FaqEntry(typeset_text(e.question, lang), typeset_blocks(e.answer, lang))
            for e in section.entries
        ),
    )


def typeset_blocks(blocks: tuple[Block, ...], lang: Language) -> tuple[Block, ...]:
    """Blocks with their text set by the language's rules (code blocks as typed)."""
    return tuple(_block(b, lang) for b in blocks)


def _block(block: Block, lang: Language) -> Block:
    match block:
        case Paragraph(spans):
            return Paragraph(typeset_spans(spans, lang))
        case Heading(text, level):
            return Heading(typeset_text(text, lang), level)
        case ListBlock(items, ordered, start):
            return ListBlock(
                tuple(ListItem(typeset_blocks(i.blocks, lang)) for i in items), ordered, start
            )
        case Quote(inner):
            return Quote(typeset_blocks(inner, lang))
        case CodeBlock():
            return block
        case Image(src, alt, caption):
            return Image(src, typeset_text(alt, lang), typeset_text(caption, lang))
        case Table(header, rows, align):
            return Table(
                tuple(typeset_spans(c, lang) for c in header),
                tuple(tuple(typeset_spans(c, lang) for c in row) for row in rows),
                align,
            )
    raise TypeError(f"not a block: {block!r}")  # pragma: no cover
