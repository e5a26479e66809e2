"""How a briefing was understood, for a person (``briefing check``) or a program (``--json``)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from briefing.model import Block, Briefing, SectionKind
from briefing.read.text import Decision


def _count(blocks: tuple[Block, ...]) -> str:
    counts: dict[str, int] = {}
    for block in blocks:
        name = block.noun
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return "empty"
    return ", ".join(f"{n} {name}{'s' if n != 1 else ''}" for name, n in counts.items())


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def describe(briefing: Briefing, name: str, decisions: Sequence[Decision] = (),
             options: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """A few lines that show a person how the source was understood, then the guesses made
    about a pasted text, with their line numbers, then each option a build would take from
    somewhere else than the built-in defaults, and from where."""
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
    if briefing.data:
        lines.append("  data        " + ", ".join(f"{name} ({file})"
                                                 for name, file in briefing.data.items()))
    if decisions:
        lines.append("read as pasted text (--literal reads it as typed):")
        lines += [f"  {decision.describe()}" for decision in decisions]
    chosen = {key: setting for key, setting in (options or {}).items()
              if setting["from"] != "built-in default"}
    if chosen:
        lines.append("options (and where each comes from):")
        lines += [f"  {key:<11} {_shown(setting['value'])}  ({setting['from']})"
                  for key, setting in chosen.items()]
    return "\n".join(lines)


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def summary_json(briefing: Briefing, decisions: Sequence[Decision] = (),
                 options: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The model as JSON, with a summary of counts, the reader's guesses and the options a
    build would use (each with its value and where it comes from) first."""
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
                       "options": dict(options or {}), "briefing": briefing.as_dict()},
                      ensure_ascii=False, indent=2)
