"""The plain-text reader: a briefing written as lines of text, like the bundled sample.

How a text is understood:

- the first line gives the title and the lead: its first sentence is the headline, the rest
  the standfirst (a first line that is a lone heading-like line is the title, and the next
  paragraph the lead); a title given by the caller makes the whole first line the lead;
- each further line is a paragraph; hard-wrapped lines (no final punctuation, next line
  starting in lower case) are joined back;
- a short line without final punctuation is a heading; its words decide whether it opens the
  advice, the conclusion, the FAQ or an ordinary article sub-section;
- a line ending with ``?`` followed by a paragraph is an FAQ question; a run of two or more
  forms the FAQ even without a heading. A paragraph after an answer continues that answer.

Nothing is dropped: every line of the source lands somewhere in the model.
"""

from __future__ import annotations

import re

from briefing.model import (
    Briefing,
    Meta,
    Paragraph,
    Section,
    SectionKind,
    Span,
)
from briefing.read.sections import SectionCollector, section_kind

_FINAL_PUNCT = ".!?:;,…"
_CLOSERS = "»”’\"')]"
_MAX_HEADING_WORDS = 14
_MAX_HEADING_CHARS = 110


def _strip_closers(line: str) -> str:
    return line.rstrip().rstrip(_CLOSERS + "\u00a0\u202f ").rstrip()


def is_question(line: str) -> bool:
    """A line that asks a question (final ``?`` after any closing quote)."""
    return _strip_closers(line).endswith("?")


def is_heading(line: str) -> bool:
    """A short line without final punctuation."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_HEADING_CHARS:
        return False
    if len(stripped.split()) > _MAX_HEADING_WORDS:
        return False
    return stripped[-1] not in _FINAL_PUNCT + _CLOSERS


_SENTENCE_END = re.compile(r"(?<=[.!?…])[»”\"’)]*\s+(?=[«“\"'(\[A-ZÀ-ÖØ-Þ0-9])")


def split_first_sentence(line: str) -> tuple[str, str]:
    """The first sentence of a line and the rest (which may be empty)."""
    match = _SENTENCE_END.search(line)
    if not match:
        return line.strip(), ""
    return line[: match.start()].strip(), line[match.end() :].strip()


def _headline(sentence: str) -> str:
    # A headline carries no final full stop; ? and ! are part of its meaning.
    if sentence.endswith(".") and not sentence.endswith("..."):
        return sentence[:-1].rstrip()
    return sentence


def _paragraph_lines(text: str) -> list[str]:
    """Non-empty lines, with hard-wrapped continuation lines joined back."""
    out: list[str] = []
    previous_blank = True
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            previous_blank = True
            continue
        if (
            out
            and not previous_blank
            and len(out[-1]) > 60
            and out[-1][-1] not in _FINAL_PUNCT + _CLOSERS
            and line[0].islower()
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        previous_blank = False
    return out


def _para(line: str) -> Paragraph:
    return Paragraph((Span(line),))


def read_text(text: str, *, title: str | None = None, meta: Meta | None = None) -> Briefing:
    """Understand a plain-text briefing."""
    lines = _paragraph_lines(text)
    meta = meta or Meta()
    lead: list[Paragraph] = []
    if title:
        body = lines
        if body and not is_heading(body[0]):
            lead.append(_para(body[0]))
            body = body[1:]
    elif is_heading(lines[0]) and len(lines) > 1:
        title = lines[0]
        body = lines[1:]
        if body and not is_heading(body[0]) and not _starts_faq(body, 0):
            lead.append(_para(body[0]))
            body = body[1:]
    else:
        first, rest = split_first_sentence(lines[0])
        title = _headline(first)
        if rest:
            lead.append(_para(rest))
        body = lines[1:]
    return Briefing(title=title, lead=tuple(lead), sections=_sections(body), meta=meta)


def _starts_faq(lines: list[str], i: int) -> bool:
    """Two question/answer pairs in a row start here."""
    def pair(j: int) -> bool:
        return (
            j + 1 < len(lines)
            and is_question(lines[j])
            and not is_question(lines[j + 1])
            and not (is_heading(lines[j + 1]) and section_kind(lines[j + 1]) is not None)
        )

    return pair(i) and pair(i + 2)


def _sections(lines: list[str]) -> tuple[Section, ...]:
    builder = SectionCollector()
    i = 0
    while i < len(lines):
        line = lines[i]
        if is_heading(line):
            kind = section_kind(line)
            builder.open(kind or SectionKind.ARTICLE, line)
            i += 1
            continue
        in_faq = builder.kind is SectionKind.FAQ
        answer_follows = (
            i + 1 < len(lines) and not is_question(lines[i + 1]) and not is_heading(lines[i + 1])
        )
        if is_question(line) and answer_follows and (in_faq or _starts_faq(lines, i)):
            if not in_faq:
                builder.open(SectionKind.FAQ, None)
            builder.ask(line, (_para(lines[i + 1]),))
            i += 2
            continue
        builder.append(_para(line))
        i += 1
    builder.close()
    return tuple(builder.sections)
