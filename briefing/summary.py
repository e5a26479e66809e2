"""How a briefing was understood, for a person (``briefing check``) or a program (``--json``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from briefing.model import (
    Block,
    Briefing,
    CodeBlock,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    SectionKind,
    Table,
)
from briefing.read.text import Decision

_NAMES = {
    Paragraph: "paragraph", Heading: "sub-heading", ListBlock: "list", Quote: "quote",
    CodeBlock: "code block", Image: "image", Table: "table",
}


def _count(blocks: tuple[Block, ...]) -> str:
    counts: dict[str, int] = {}
    for block in blocks:
        name = _NAMES[type(block)]
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return "empty"
    return ", ".join(f"{n} {name}{'s' if n != 1 else ''}" for name, n in counts.items())


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def describe(briefing: Briefing, name: str, decisions: Sequence[Decision] = ()) -> str:
    """A few lines that show a person how the source was understood, then the guesses made
    about a pasted text, with their line numbers."""
    meta = briefing.meta
    lines = [f"{name}: language {meta.lang or '?'}" + (f", dated {meta.date}" if meta.date else "")]
    lines.append(f"  title       {_short(briefing.title)}")
    lines.append(f"  lead        {len(briefing.lead)} paragraph{'s' if len(briefing.lead) != 1 else ''}")
    for section in briefing.sections:
        label = section.kind.value
        heading = f'"{_short(section.heading, 50)}": ' if section.heading else ""
        if section.kind is SectionKind.FAQ:
            n = len(section.entries)
            body = f"{n} entr{'ies' if n != 1 else 'y'}"
            if section.blocks:
                body += f", {_count(section.blocks)}"
        else:
            body = _count(section.blocks)
        lines.append(f"  {label:<11} {heading}{body}")
    if briefing.footnotes:
        lines.append(f"  notes       {len(briefing.footnotes)}")
    if decisions:
        lines.append("read as pasted text (--literal reads it as typed):")
        lines += [f"  {decision.describe()}" for decision in decisions]
    return "\n".join(lines)


def summary_json(briefing: Briefing, decisions: Sequence[Decision] = ()) -> str:
    """The model as JSON, with a summary of counts and the reader's guesses first."""
    summary = {
        "title": briefing.title,
        "lead_paragraphs": len(briefing.lead),
        "sections": [
            {"kind": s.kind.value, "heading": s.heading, "blocks": len(s.blocks),
             "entries": len(s.entries)}
            for s in briefing.sections
        ],
        "faq_entries": len(briefing.faq),
    }
    return json.dumps({"summary": summary, "decisions": [d.as_dict() for d in decisions],
                       "briefing": briefing.as_dict()}, ensure_ascii=False, indent=2)
