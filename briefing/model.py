"""The typed model of a briefing: what readers produce and the renderer consumes.

The model says what each block *is* (a paragraph, a list, an FAQ entry...), never how it looks.
It imports nothing of ours. ``Briefing.as_dict()`` dumps it as plain data with a format
version: that dump is used by ``briefing check --json``, golden tests and edition records,
and ``Briefing.from_dict()`` reads it back (it is also what the YAML/JSON reader accepts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeAlias

#: Version of the ``as_dict()`` format. Bump it when the shape changes; keep old ones readable.
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Span:
    """A run of inline text with uniform formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False  # inline code: printed exactly as typed, in the mono face
    href: str | None = None  # link target; only http, https and mailto reach the PDF
    lang: str | None = None  # BCP 47 tag when the span is in another language than the document
    note: str | None = None  # footnote label when this span is a footnote reference


Inline: TypeAlias = tuple[Span, ...]

#: The only link schemes a briefing keeps: readers drop others (the text stays) and the
#: renderer refuses them again.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_link(href: str | None) -> str | None:
    """The link target if its scheme is one of ``LINK_SCHEMES``, else None."""
    if not href or ":" not in href:
        return None
    target = href.strip()
    scheme = target.split(":", 1)[0].lower()
    return target if scheme in LINK_SCHEMES else None


#: Characters no text of a briefing may hold: control characters (C0 but tab, line feed and
#: carriage return; DEL; C1), lone surrogates and the noncharacters U+FFFE/U+FFFF. They print
#: as nothing or garbage and make XML (the PDF's XMP, a feed) and e-mail headers invalid.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"\s*[\t\n\r\v\f\x1c-\x1f\x85\u2028\u2029]\s*")


def bad_character(text: str) -> re.Match[str] | None:
    """The first character ``text`` may not hold (see ``_BAD``), if any."""
    return _BAD.search(text)


def describe(char: str) -> str:
    """What is wrong with a refused character, for messages."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X}, half of a UTF-16 pair (a lone surrogate, not a character)"
    if code in (0xFFFE, 0xFFFF):
        return f"U+{code:04X}, not a character"
    return f"control character U+{code:04X} (not printable)"


def one_line(text: str) -> str:
    """``text`` on a single line: every run of white space with a tab or a break is a space."""
    return _BREAKS.sub(" ", text).strip() if _BREAKS.search(text) else text


def printable(text: str) -> str:
    """``text`` as one line without refused characters (each shown as U+FFFD): for XML and
    e-mail headers, whatever an older record or a caller holds."""
    return _BAD.sub("\ufffd", one_line(text))


def plain(spans: Inline) -> str:
    """The text of some spans, without formatting."""
    return "".join(span.text for span in spans)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    spans: Inline


@dataclass(frozen=True, slots=True)
class Heading:
    """A sub-heading inside a section (level 3 and below in the briefing's hierarchy)."""

    text: str
    level: int = 3


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list; it holds blocks, so lists nest."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bulleted (``ordered=False``) or numbered list."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Preformatted code, printed exactly as typed."""

    text: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Image:
    """A local image; ``src`` is relative to the source's folder or the assets folder."""

    src: str
    alt: str = ""  # what it shows, for readers who cannot see it (the PDF's /Alt)
    caption: str = ""  # printed under the image (Markdown's image title)


@dataclass(frozen=True, slots=True)
class Table:
    """A table: one header row and body rows of inline cells."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[str, ...] = ()  # per column: "left", "center", "right" or ""


Block: TypeAlias = Paragraph | Heading | ListBlock | Quote | CodeBlock | Image | Table


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """A question and its answer."""

    question: str
    answer: tuple[Block, ...]


class SectionKind(StrEnum):
    """What a section is for; it decides its place in the design and its structure role."""

    ARTICLE = "article"
    ADVICE = "advice"
    CONCLUSION = "conclusion"
    FAQ = "faq"


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the briefing, in source order."""

    kind: SectionKind
    heading: str | None = None  # None for the untitled article body
    blocks: tuple[Block, ...] = ()
    entries: tuple[FaqEntry, ...] = ()  # FAQ sections only


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote, referenced from a span whose ``note`` is this label."""

    label: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Meta:
    """What the briefing says about itself."""

    lang: str | None = None  # BCP 47 primary tag ("fr", "en"...); None until detected
    date: dt.date | None = None  # date of the briefing's content
    author: str | None = None
    organisation: str | None = None
    source: str | None = None  # URL of the original
    subtitle: str | None = None
    tags: tuple[str, ...] = ()
    theme: str | None = None  # theme asked for by the source
    logo: str | None = None  # logo asked for by the source
    correction: bool = False  # a silent correction of the current edition


@dataclass(frozen=True, slots=True)
class Briefing:
    """A whole briefing: title, lead, sections in source order, footnotes, metadata."""

    title: str
    lead: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    meta: Meta = field(default_factory=Meta)

    def section(self, kind: SectionKind) -> Section | None:
        """The first section of a kind, if any."""
        return next((s for s in self.sections if s.kind is kind), None)

    @property
    def faq(self) -> tuple[FaqEntry, ...]:
        """All FAQ entries, in order."""
        return tuple(e for s in self.sections if s.kind is SectionKind.FAQ for e in s.entries)

    def texts(self) -> Iterator[str]:
        """Every piece of text in reading order (title, lead, headings, blocks, FAQ, notes)."""
        yield self.title
        if self.meta.subtitle:
            yield self.meta.subtitle
        for para in self.lead:
            yield plain(para.spans)
        for section in self.sections:
            if section.heading:
                yield section.heading
            yield from _block_texts(section.blocks)
            for entry in section.entries:
                yield entry.question
                yield from _block_texts(entry.answer)
        for note in self.footnotes:
            yield from _block_texts(note.blocks)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (JSON-compatible), tagged with the format version."""
        data = _dump(self)
        assert isinstance(data, dict)
        return {"format": FORMAT_VERSION, **data}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Briefing:
        """Read back what ``as_dict`` wrote. Raises ``ValueError`` naming the bad field."""
        version = data.get("format", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise ValueError(f"format: unsupported model format {version!r}")
        return _load_briefing(data)


def _block_texts(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        match block:
            case Paragraph(spans):
                yield plain(spans)
            case Heading(text):
                yield text
            case ListBlock(items):
                for item in items:
                    yield from _block_texts(item.blocks)
            case Quote(inner):
                yield from _block_texts(inner)
            case CodeBlock(text):
                yield text
            case Image(_, alt, caption):
                if alt:
                    yield alt
                if caption:
                    yield caption
            case Table(header, rows):
                for row in (header, *rows):
                    for cell in row:
                        yield plain(cell)


# --- dump and load -------------------------------------------------------------------------

_BLOCK_TYPES: dict[str, type] = {
    "paragraph": Paragraph,
    "heading": Heading,
    "list": ListBlock,
    "quote": Quote,
    "code": CodeBlock,
    "image": Image,
    "table": Table,
}
_TYPE_NAMES = {cls: name for name, cls in _BLOCK_TYPES.items()}


def _dump(value: Any) -> Any:
    if isinstance(value, Span):
        # Compact spans: only the fields that differ from the default.
        out: dict[str, Any] = {"text": value.text}
        for f in fields(value)[1:]:
            v = getattr(value, f.name)
            if v:
                out[f.name] = v
        return out
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        out = {}
        if type(value) in _TYPE_NAMES:
            out["type"] = _TYPE_NAMES[type(value)]
        for f in fields(value):
            out[f.name] = _dump(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def _where(path: str, message: str) -> ValueError:
    return ValueError(f"{path}: {message}")


def kind_of(value: Any) -> str:
    """What a value of YAML, JSON or TOML is, in words (``a number``, not Python's ``int``)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a table of keys and values"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "a date or time"
    return "a value of another kind"


def _str(data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str | None:
    value = data.get(key, default)
    if value is None or isinstance(value, str):
        return value
    raise _where(f"{path}.{key}" if path else key, f"expected text, got {kind_of(value)}")


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _where(path, f"expected a list, got {kind_of(value)}")
    return value


def _map(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _where(path, f"expected a table of keys and values, got {kind_of(value)}")
    return value


def _keys(m: Mapping[str, Any], allowed: set[str], path: str) -> None:
    unknown = sorted(set(m) - allowed)
    if unknown:
        raise _where(f"{path}.{unknown[0]}" if path else str(unknown[0]), "unknown key")


def _bool(m: Mapping[str, Any], key: str, path: str) -> bool:
    value = m.get(key, False)
    if isinstance(value, bool):
        return value
    raise _where(f"{path}.{key}" if path else key, f"expected true or false, got {value!r}")


def _int(m: Mapping[str, Any], key: str, path: str, default: int, low: int, high: int) -> int:
    value = m.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _where(f"{path}.{key}", f"expected a whole number from {low} to {high}")
    return value


_BLOCK_KEYS: dict[str, set[str]] = {
    "paragraph": {"spans", "text"},
    "heading": {"text", "level"},
    "list": {"items", "ordered", "start"},
    "quote": {"blocks"},
    "code": {"text", "language"},
    "image": {"src", "alt", "caption"},
    "table": {"header", "rows", "align"},
}


def _load_spans(value: Any, path: str) -> Inline:
    if isinstance(value, str):
        return (Span(value),)
    spans = []
    for i, item in enumerate(_list(value, path)):
        p = f"{path}[{i}]"
        if isinstance(item, str):
            spans.append(Span(item))
            continue
        m = _map(item, p)
        _keys(m, {f.name for f in fields(Span)}, p)
        text = _str(m, "text", p)
        if text is None:
            raise _where(f"{p}.text", "missing")
        spans.append(
            Span(
                text,
                bold=_bool(m, "bold", p),
                italic=_bool(m, "italic", p),
                code=_bool(m, "code", p),
                href=_str(m, "href", p),
                lang=_str(m, "lang", p),
                note=_str(m, "note", p),
            )
        )
    return tuple(spans)


def _load_blocks(value: Any, path: str) -> tuple[Block, ...]:
    if isinstance(value, str):
        return (Paragraph((Span(value),)),)
    return tuple(_load_block(item, f"{path}[{i}]") for i, item in enumerate(_list(value, path)))


def _load_block(value: Any, path: str) -> Block:
    if isinstance(value, str):
        return Paragraph((Span(value),))
    m = _map(value, path)
    kind = m.get("type", "paragraph")
    if kind not in _BLOCK_KEYS:
        raise _where(f"{path}.type", f"unknown block type {kind!r}")
    _keys(m, _BLOCK_KEYS[kind] | {"type"}, path)
    if kind == "paragraph":
        return Paragraph(_load_spans(m.get("spans", m.get("text", "")), f"{path}.spans"))
    if kind == "heading":
        return Heading(_str(m, "text", path) or "", _int(m, "level", path, 3, 1, 6))
    if kind == "list":
        items = tuple(
            _load_item(it, f"{path}.items[{i}]")
            for i, it in enumerate(_list(m.get("items"), f"{path}.items"))
        )
        return ListBlock(
            items, _bool(m, "ordered", path), _int(m, "start", path, 1, 0, 999_999_999)
        )
    if kind == "quote":
        return Quote(_load_blocks(m.get("blocks"), f"{path}.blocks"))
    if kind == "code":
        return CodeBlock(_str(m, "text", path) or "", _str(m, "language", path))
    if kind == "image":
        src = _str(m, "src", path)
        if not src:
            raise _where(f"{path}.src", "missing")
        return Image(src, _str(m, "alt", path) or "", _str(m, "caption", path) or "")
    if kind == "table":
        header = tuple(
            _load_spans(c, f"{path}.header[{i}]")
            for i, c in enumerate(_list(m.get("header"), f"{path}.header"))
        )
        rows = tuple(
            tuple(
                _load_spans(c, f"{path}.rows[{r}][{i}]")
                for i, c in enumerate(_list(row, f"{path}.rows[{r}]"))
            )
            for r, row in enumerate(_list(m.get("rows"), f"{path}.rows"))
        )
        align = _list(m.get("align"), f"{path}.align")
        for i, a in enumerate(align):
            if a not in ("left", "center", "right", ""):
                raise _where(f"{path}.align[{i}]", 'expected "left", "center", "right" or ""')
        return Table(header, rows, tuple(align))
    raise _where(f"{path}.type", f"unknown block type {kind!r}")  # pragma: no cover


def _load_item(value: Any, path: str) -> ListItem:
    """A list item: blocks, a string, or a mapping with ``blocks``."""
    if isinstance(value, Mapping) and "blocks" in value and "type" not in value:
        _keys(value, {"blocks"}, path)
        return ListItem(_load_blocks(value.get("blocks"), f"{path}.blocks"))
    if isinstance(value, Mapping):
        return ListItem((_load_block(value, path),))
    return ListItem(_load_blocks(value, path))


def _load_section(value: Any, path: str) -> Section:
    m = _map(value, path)
    _keys(m, {"kind", "heading", "blocks", "entries"}, path)
    try:
        kind = SectionKind(m.get("kind", "article"))
    except ValueError:
        choices = ", ".join(k.value for k in SectionKind)
        raise _where(f"{path}.kind", f"expected one of {choices}") from None
    entries = []
    for i, e in enumerate(_list(m.get("entries"), f"{path}.entries")):
        p = f"{path}.entries[{i}]"
        em = _map(e, p)
        _keys(em, {"question", "answer"}, p)
        question = _str(em, "question", p)
        if not question:
            raise _where(f"{p}.question", "missing")
        entries.append(FaqEntry(question, _load_blocks(em.get("answer"), f"{p}.answer")))
    return Section(
        kind,
        _str(m, "heading", path),
        _load_blocks(m.get("blocks"), f"{path}.blocks"),
        tuple(entries),
    )


def _load_meta(value: Any) -> Meta:
    m = _map(value or {}, "meta")
    known = {f.name for f in fields(Meta)}
    unknown = set(m) - known
    if unknown:
        raise _where(f"meta.{sorted(unknown)[0]}", "unknown key")
    date = m.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise _where("meta.date", f"not a date (YYYY-MM-DD): {date!r}") from None
    elif isinstance(date, dt.datetime):
        date = date.date()
    elif date is not None and not isinstance(date, dt.date):
        raise _where("meta.date", "expected a date (YYYY-MM-DD)")
    tags = m.get("tags") or ()
    if isinstance(tags, str):
        tags = (tags,)
    if not isinstance(tags, list | tuple):
        raise _where("meta.tags", "expected a list of words")
    return Meta(
        lang=_str(m, "lang", "meta"),
        date=date,
        author=_str(m, "author", "meta"),
        organisation=_str(m, "organisation", "meta"),
        source=_str(m, "source", "meta"),
        subtitle=_str(m, "subtitle", "meta"),
        tags=tuple(str(t) for t in tags),
        theme=_str(m, "theme", "meta"),
        logo=_str(m, "logo", "meta"),
        correction=_bool(m, "correction", "meta"),
    )


def _load_briefing(data: Mapping[str, Any]) -> Briefing:
    known = {f.name for f in fields(Briefing)} | {"format"}
    unknown = set(data) - known
    if unknown:
        raise _where(sorted(unknown)[0], "unknown key")
    title = _str(data, "title", "")
    if not title or not title.strip():
        raise _where("title", "missing")
    lead: list[Paragraph] = []
    for i, block in enumerate(_load_blocks(data.get("lead"), "lead")):
        if not isinstance(block, Paragraph):
            # The lead is the standfirst, running text set large: no reader makes anything
            # else of it, and a list or a table set in its style would be no lead at all.
            name = _TYPE_NAMES[type(block)]
            raise _where(f"lead[{i}]", f"the lead holds paragraphs only, not a {name}; "
                         f"put the {name} in the first section's blocks")
        lead.append(block)
    sections = tuple(
        _load_section(s, f"sections[{i}]")
        for i, s in enumerate(_list(data.get("sections"), "sections"))
    )
    notes = []
    for i, n in enumerate(_list(data.get("footnotes"), "footnotes")):
        nm = _map(n, f"footnotes[{i}]")
        _keys(nm, {"label", "blocks"}, f"footnotes[{i}]")
        notes.append(
            Footnote(_str(nm, "label", f"footnotes[{i}]") or str(i + 1),
                     _load_blocks(nm.get("blocks"), f"footnotes[{i}].blocks"))
        )
    return Briefing(title, tuple(lead), sections, tuple(notes), _load_meta(data.get("meta")))
