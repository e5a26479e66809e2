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

These are the rules of the format itself (``--literal``). Text pasted from elsewhere is
understood further by ``briefing.read.pasted``, which hands this module's assembly a stream of
units: lines, and blocks it recognised (tables, lists, code, quotes, Markdown headings).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import msgspec

from briefing.model import (
    Block,
    Briefing,
    Heading,
    Inline,
    Meta,
    Paragraph,
    Section,
    SectionKind,
    Span,
)
from briefing.read.sections import SectionCollector, fold, section_kind

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


class Decision(msgspec.Struct, frozen=True):
    """A guess the reader made about a text, for ``briefing check``: lines ``first`` to
    ``last`` (numbered from 1, as an editor shows them) and what they were read as."""

    first: int
    last: int
    text: str

    def describe(self) -> str:
        where = f"line {self.first}" if self.first == self.last else (
            f"lines {self.first}\u2013{self.last}")
        return f"{where}: {self.text}"

    def as_dict(self) -> dict[str, object]:
        return {"lines": [self.first, self.last], "text": self.text}


@dataclass(frozen=True, slots=True)
class Line:
    """A line of text (hard-wrapped lines joined back), from source line ``first`` to ``last``.

    ``spans`` holds its inline formatting when some was read (Markdown in pasted text);
    ``text`` is always its plain text, which the rules below look at."""

    text: str
    first: int = 0
    last: int = 0
    spans: Inline | None = None
    written: str | None = None  # the text where only text fits: links' addresses kept

    def paragraph(self) -> Paragraph:
        return Paragraph(self.spans if self.spans is not None else (Span(self.text),))

    def label(self) -> str:
        """The line as a heading, a question or a title (plain text, which cannot hold a
        link: its address follows its words)."""
        return self.written if self.written is not None else self.text


@dataclass(frozen=True, slots=True)
class Piece:
    """Blocks recognised in pasted text (a table, lists, code, a quote, an image)."""

    blocks: tuple[Block, ...]
    first: int = 0
    last: int = 0


@dataclass(frozen=True, slots=True)
class Title:
    """A heading marked as such in pasted text (Markdown ``#``, or underlined), with its
    level: 1 is the briefing's title (later ones count as 2), 2 opens a section, 3 and
    deeper are sub-headings."""

    text: str
    level: int
    first: int = 0
    last: int = 0


Unit = Line | Piece | Title


@dataclass(slots=True)
class Guesses:
    """Which guesses the assembly may make (pasted text), and the decisions it took."""

    enabled: bool = False
    decisions: list[Decision] = field(default_factory=list)

    def note(self, first: int, last: int, text: str) -> None:
        self.decisions.append(Decision(first, last, text))


def _paragraph_lines(text: str) -> list[Line]:
    """Non-empty lines, with hard-wrapped continuation lines joined back."""
    out: list[Line] = []
    previous_blank = True
    for number, raw in enumerate(text.split("\n"), 1):
        line = " ".join(raw.split())
        if not line:
            previous_blank = True
            continue
        if out and not previous_blank and continues(out[-1].text, line):
            out[-1] = Line(f"{out[-1].text} {line}", out[-1].first, number)
        else:
            out.append(Line(line, number, number))
        previous_blank = False
    return out


def continues(previous: str, line: str) -> bool:
    """Whether ``line`` continues a hard-wrapped ``previous`` line (no blank line between):
    a long line without final punctuation, then one starting in lower case."""
    return len(previous) > 60 and previous[-1] not in _FINAL_PUNCT + _CLOSERS and line[0].islower()


def _para(line: str) -> Paragraph:
    return Paragraph((Span(line),))


def read_text(text: str, *, title: str | None = None, meta: Meta | None = None) -> Briefing:
    """Understand a plain-text briefing by the format's own rules (nothing guessed)."""
    return assemble(_paragraph_lines(text), title=title, meta=meta or Meta())


def _is_heading(unit: Unit) -> bool:
    return isinstance(unit, Line) and is_heading(unit.text)


def assemble(units: Sequence[Unit], *, title: str | None = None, meta: Meta,
             guesses: Guesses | None = None) -> Briefing:
    """Title, lead and sections from a text's units, by the rules in this module's docstring."""
    guesses = guesses or Guesses()
    units = list(units)
    lead: list[Paragraph] = []
    if not units:
        return Briefing(title=title or "", meta=meta)
    first = units[0]
    if title:
        body = units
        if guesses.enabled and isinstance(first, Line | Title) and fold(first.text) == fold(title):
            guesses.note(first.first, first.last, "the title given repeated: printed once")
            body = body[1:]
        if body and isinstance(body[0], Line) and not is_heading(body[0].text):
            lead.append(body[0].paragraph())
            body = body[1:]
    elif isinstance(first, Title) or (_is_heading(first) and len(units) > 1):
        assert isinstance(first, Line | Title)
        title = first.label() if isinstance(first, Line) else first.text
        body = _without_repeat(units[1:], title, guesses)
        if body and isinstance(body[0], Line) and not is_heading(body[0].text) and (
                not _starts_faq(body, 0)):
            lead.append(body[0].paragraph())
            body = body[1:]
    elif isinstance(first, Line):
        rest = split_first_sentence(first.text)[1]
        title = _headline(split_first_sentence(first.label())[0])
        if rest:
            lead.append(_lead_rest(first, rest))
        body = units[1:] if rest else _without_repeat(units[1:], title, guesses)
    else:  # a text that opens with a table or a list has no title of its own
        title, body = "", units
    return Briefing(title=title, lead=tuple(lead), sections=_sections(body, guesses), meta=meta)


def _lead_rest(line: Line, rest: str) -> Paragraph:
    """The rest of a first line after its headline, keeping its formatting if it has any."""
    if line.spans is None:
        return _para(rest)
    # Drop the headline's characters from the front of the spans.
    skip = len(line.text) - len(rest)
    spans: list[Span] = []
    for span in line.spans:
        if skip >= len(span.text):
            skip -= len(span.text)
            continue
        text = span.text[skip:]
        skip = 0
        spans.append(Span(text.lstrip() if not spans else text, span.bold, span.italic,
                          span.code, span.href, span.lang, span.note))
    return Paragraph(tuple(s for s in spans if s.text or s.note))


def _without_repeat(body: list[Unit], title: str, guesses: Guesses) -> list[Unit]:
    """The body without a first line that only repeats the title (pasted text only)."""
    if guesses.enabled and body and isinstance(body[0], Line | Title) and (
            fold(body[0].text) == fold(title)):
        guesses.note(body[0].first, body[0].last, "the title repeated: printed once")
        return body[1:]
    return body


def _starts_faq(units: Sequence[Unit], i: int) -> bool:
    """Two question/answer pairs in a row start here."""
    def pair(j: int) -> bool:
        if j + 1 >= len(units):
            return False
        q, a = units[j], units[j + 1]
        return (
            isinstance(q, Line) and is_question(q.text)
            and isinstance(a, Line) and not is_question(a.text)
            and not (is_heading(a.text) and section_kind(a.text) is not None)
        )

    return pair(i) and pair(i + 2)


def _sections(units: list[Unit], guesses: Guesses) -> tuple[Section, ...]:
    builder = SectionCollector()
    i = 0
    while i < len(units):
        unit = units[i]
        if isinstance(unit, Piece):
            for block in unit.blocks:
                builder.append(block)
            i += 1
            continue
        if isinstance(unit, Title):
            _title(builder, unit)
            i += 1
            continue
        line = unit.text
        if is_heading(line):
            kind = section_kind(line)
            builder.open(kind or SectionKind.ARTICLE, unit.label())
            i += 1
            # A heading directly followed by others: a section heading and its sub-headings.
            run = i
            while guesses.enabled and i < len(units) and (sub := _sub_heading(units[i])):
                builder.append(Heading(sub, 3))
                i += 1
            if i > run:
                last = units[i - 1]
                assert isinstance(last, Line)
                subs = "sub-headings" if i - run > 1 else "a sub-heading"
                guesses.note(unit.first, last.last, f"headings in a row: a section and {subs}")
            continue
        in_faq = builder.kind is SectionKind.FAQ
        following = units[i + 1] if i + 1 < len(units) else None
        answer_follows = isinstance(following, Line) and not is_question(following.text) and (
            not is_heading(following.text))
        if is_question(line) and answer_follows and (in_faq or _starts_faq(units, i)):
            assert isinstance(following, Line)
            if not in_faq:
                builder.open(SectionKind.FAQ, None)
            builder.ask(unit.label(), (following.paragraph(),))
            i += 2
            continue
        builder.append(unit.paragraph())
        i += 1
    builder.close()
    return tuple(builder.sections)


def _sub_heading(unit: Unit) -> str | None:
    """The text of a heading line that names no section of its own."""
    if isinstance(unit, Line) and is_heading(unit.text) and section_kind(unit.text) is None:
        return unit.label()
    return None


def _title(builder: SectionCollector, unit: Title) -> None:
    """A marked heading: levels 1 and 2 open a section, deeper ones are sub-headings (in the
    FAQ, questions)."""
    if unit.level <= 2:
        builder.open(section_kind(unit.text) or SectionKind.ARTICLE, unit.text)
    elif builder.kind is SectionKind.FAQ:
        builder.ask(unit.text)
    else:
        builder.append(Heading(unit.text, unit.level))
