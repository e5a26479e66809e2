"""The typed model of a briefing: what readers produce and the renderer consumes.

The model says what each block *is* (a paragraph, a list, an FAQ entry...), never how it looks.
It imports nothing of ours. ``Briefing.as_dict()`` dumps it as plain data with a format
version: that dump is used by ``briefing check --json``, golden tests and edition records,
and ``Briefing.from_dict()`` reads it back (it is also what the YAML/JSON reader accepts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Any, ClassVar, NamedTuple, TypeAlias, assert_never

import msgspec

#: Version of the ``as_dict()`` format. Bump it when the shape changes; keep old ones readable.
FORMAT_VERSION = 1


class Span(msgspec.Struct, frozen=True):
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


class Paragraph(msgspec.Struct, frozen=True):
    """A paragraph of running text."""

    noun: ClassVar[str] = "paragraph"  # what ``briefing check`` calls it

    spans: Inline


class Heading(msgspec.Struct, frozen=True):
    """A sub-heading inside a section (level 3 and below in the briefing's hierarchy)."""

    noun: ClassVar[str] = "sub-heading"  # what ``briefing check`` calls it

    text: str
    level: int = 3


class ListItem(msgspec.Struct, frozen=True):
    """One item of a list; it holds blocks, so lists nest."""

    blocks: tuple[Block, ...]


class ListBlock(msgspec.Struct, frozen=True):
    """A bulleted (``ordered=False``) or numbered list."""

    noun: ClassVar[str] = "list"  # what ``briefing check`` calls it

    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1


class Quote(msgspec.Struct, frozen=True):
    """A block quotation."""

    noun: ClassVar[str] = "quote"  # what ``briefing check`` calls it

    blocks: tuple[Block, ...]


class CodeBlock(msgspec.Struct, frozen=True):
    """Preformatted code, printed exactly as typed."""

    noun: ClassVar[str] = "code block"  # what ``briefing check`` calls it

    text: str
    language: str | None = None


class Image(msgspec.Struct, frozen=True):
    """A local image; ``src`` is relative to the source's folder or the assets folder."""

    noun: ClassVar[str] = "image"  # what ``briefing check`` calls it

    src: str
    alt: str = ""  # what it shows, for readers who cannot see it (the PDF's /Alt)
    caption: str = ""  # printed under the image (Markdown's image title)


class Table(msgspec.Struct, frozen=True):
    """A table: one header row and body rows of inline cells."""

    noun: ClassVar[str] = "table"  # what ``briefing check`` calls it

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[str, ...] = ()  # per column: "left", "center", "right" or ""


Block: TypeAlias = Paragraph | Heading | ListBlock | Quote | CodeBlock | Image | Table


class FaqEntry(msgspec.Struct, frozen=True):
    """A question and its answer."""

    question: str
    answer: tuple[Block, ...]


class SectionKind(StrEnum):
    """What a section is for; it decides its place in the design and its structure role."""

    ARTICLE = "article"
    ADVICE = "advice"
    CONCLUSION = "conclusion"
    FAQ = "faq"


class Section(msgspec.Struct, frozen=True):
    """A section of the briefing, in source order."""

    kind: SectionKind
    heading: str | None = None  # None for the untitled article body
    blocks: tuple[Block, ...] = ()
    entries: tuple[FaqEntry, ...] = ()  # FAQ sections only


class Footnote(msgspec.Struct, frozen=True):
    """A footnote, referenced from a span whose ``note`` is this label."""

    label: str
    blocks: tuple[Block, ...]


class Meta(msgspec.Struct, frozen=True):
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


class Briefing(msgspec.Struct, frozen=True):
    """A whole briefing: title, lead, sections in source order, footnotes, metadata."""

    title: str
    lead: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    meta: Meta = msgspec.field(default_factory=Meta)

    def section(self, kind: SectionKind) -> Section | None:
        """The first section of a kind, if any."""
        return next((s for s in self.sections if s.kind is kind), None)

    @property
    def faq(self) -> tuple[FaqEntry, ...]:
        """All FAQ entries, in order."""
        return tuple(e for s in self.sections if s.kind is SectionKind.FAQ for e in s.entries)

    def texts(self) -> Iterator[str]:
        """Every piece of text in reading order (title, lead, headings, blocks, FAQ, notes)."""
        return texts(self)

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


# --- one walker of the model ---------------------------------------------------------------

#: Where a text is in the model: the keys and indexes leading to it from the briefing, as in
#: its dump (``("sections", 2, "blocks", 0, "items", 1, "blocks", 0)``). Editions mark the
#: blocks that changed by path; the renderer gives the block at a marked path a change bar.
ModelPath: TypeAlias = tuple[str | int, ...]


class Parts(msgspec.Struct, frozen=True):
    """What a block holds, each part with its path relative to the block (``()``: the block
    itself)."""

    prose: tuple[tuple[ModelPath, str], ...] = ()  # text a reader reads, typography sets it
    inlines: tuple[tuple[ModelPath, Inline], ...] = ()  # runs of spans (a paragraph, cells)
    verbatim: tuple[tuple[ModelPath, str], ...] = ()  # printed as typed (code)
    refs: tuple[tuple[ModelPath, str], ...] = ()  # not text, but part of its identity (a file)
    children: tuple[tuple[ModelPath, tuple[Block, ...]], ...] = ()  # nested blocks


def lens(block: Block) -> tuple[Parts, Callable[[Parts], Block]]:
    """What a block holds, and how to make the block again from changed parts.

    The only place outside the renderer that knows each kind of block: walking, language
    detection, typography, the diff of editions and ``check`` go through it. A new kind is
    its class, its member of ``Block`` and a case here (mypy fails until it has one, and until
    the renderer's ``StoryBuilder.block`` has one too).
    """
    match block:
        case Paragraph(spans):
            return Parts(inlines=(((), spans),)), lambda p: Paragraph(p.inlines[0][1])
        case Heading(text, level):
            return Parts(prose=(((), text),)), lambda p: Heading(p.prose[0][1], level)
        case ListBlock(items, ordered, start):
            return (
                Parts(children=tuple((("items", i, "blocks"), item.blocks)
                                     for i, item in enumerate(items))),
                lambda p: ListBlock(tuple(ListItem(blocks) for _, blocks in p.children),
                                    ordered, start),
            )
        case Quote(blocks):
            return Parts(children=((("blocks",), blocks),)), lambda p: Quote(p.children[0][1])
        case CodeBlock(text, language):
            return Parts(verbatim=(((), text),)), lambda p: CodeBlock(p.verbatim[0][1], language)
        case Image(src, alt, caption):
            return (
                Parts(refs=(((), src),), prose=((("alt",), alt), (("caption",), caption))),
                lambda p: Image(p.refs[0][1], p.prose[0][1], p.prose[1][1]),
            )
        case Table(header, rows, align):
            cells: list[tuple[ModelPath, Inline]] = [
                (("header", c), cell) for c, cell in enumerate(header)]
            cells += [(("rows", r, c), cell) for r, row in enumerate(rows)
                      for c, cell in enumerate(row)]
            shape = [len(row) for row in rows]

            def table(p: Parts) -> Block:
                new = [cell for _, cell in p.inlines]
                head, rest = tuple(new[:len(header)]), new[len(header):]
                body = []
                for width in shape:
                    body.append(tuple(rest[:width]))
                    rest = rest[width:]
                return Table(head, tuple(body), align)

            return Parts(inlines=tuple(cells)), table
        case _:
            assert_never(block)


class Unit(NamedTuple):
    """One text of the briefing, where it is and what it is."""

    path: ModelPath
    role: str  # title, subtitle, lead, heading, question, paragraph, subheading, cell, alt,
    #            caption, code, source (an image's file, as "[src]")
    text: str


_ROLE = {Paragraph: "paragraph", Heading: "subheading", CodeBlock: "code", Table: "cell"}


def units(blocks: tuple[Block, ...], base: ModelPath) -> Iterator[Unit]:
    """The text units of some blocks, in reading order, with their paths (empty texts left
    out)."""
    for j, block in enumerate(blocks):
        path = (*base, j)
        parts, _ = lens(block)
        role = _ROLE.get(type(block), "paragraph")
        for rel, ref in parts.refs:
            yield Unit((*path, *rel), "source", f"[{ref}]")
        for rel, text in parts.prose:
            if text:
                yield Unit((*path, *rel), rel[-1] if rel and isinstance(rel[-1], str) else role,
                           text)
        for rel, spans in parts.inlines:
            yield Unit((*path, *rel), role, plain(spans))
        for rel, text in parts.verbatim:
            yield Unit((*path, *rel), role, text)
        for rel, inner in parts.children:
            yield from units(inner, (*path, *rel))


def walk(briefing: Briefing) -> Iterator[Unit]:
    """Every text unit of the briefing in reading order: title, subtitle, lead, then each
    section's heading, blocks and FAQ entries, then the footnotes."""
    yield Unit(("title",), "title", briefing.title)
    if briefing.meta.subtitle:
        yield Unit(("meta", "subtitle"), "subtitle", briefing.meta.subtitle)
    for i, para in enumerate(briefing.lead):
        yield Unit(("lead", i), "lead", plain(para.spans))
    for i, section in enumerate(briefing.sections):
        if section.heading:
            yield Unit(("sections", i, "heading"), "heading", section.heading)
        yield from units(section.blocks, ("sections", i, "blocks"))
        for k, entry in enumerate(section.entries):
            yield Unit(("sections", i, "entries", k, "question"), "question", entry.question)
            yield from units(entry.answer, ("sections", i, "entries", k, "answer"))
    for i, note in enumerate(briefing.footnotes):
        yield from units(note.blocks, ("footnotes", i, "blocks"))


def texts(briefing: Briefing, *, verbatim: bool = True) -> Iterator[str]:
    """Every text a reader reads, in reading order (image files left out; code too, without
    ``verbatim``: it says nothing of the language the briefing is written in)."""
    for unit in walk(briefing):
        if unit.role != "source" and (verbatim or unit.role != "code"):
            yield unit.text


def leaves(blocks: tuple[Block, ...], base: ModelPath) -> Iterator[tuple[ModelPath, str]]:
    """(path, text) of each unit of some blocks as the renderer sets them (a paragraph, a
    sub-heading, a table cell, a caption, code; an image as ``[src]``): what editions compare."""
    for unit in units(blocks, base):
        yield unit.path, unit.text


def map_blocks(blocks: tuple[Block, ...], text: Callable[[str], str],
               spans: Callable[[Inline], Inline]) -> tuple[Block, ...]:
    """The blocks with their prose passed through ``text`` and their spans through ``spans``
    (code and file references as they are)."""
    out: list[Block] = []
    for block in blocks:
        parts, rebuild = lens(block)
        out.append(rebuild(Parts(
            prose=tuple((rel, text(t)) for rel, t in parts.prose),
            inlines=tuple((rel, spans(run)) for rel, run in parts.inlines),
            verbatim=parts.verbatim,
            refs=parts.refs,
            children=tuple((rel, map_blocks(inner, text, spans))
                           for rel, inner in parts.children),
        )))
    return tuple(out)


def map_texts(briefing: Briefing, *, text: Callable[[str], str],
              spans: Callable[[Inline], Inline]) -> Briefing:
    """The briefing with every prose text (title, headings, questions, captions, the
    subtitle, author and organisation...) passed through ``text`` and every run of spans
    through ``spans``; code, file references, link targets and the rest as they are."""

    def opt(value: str | None) -> str | None:
        return None if value is None else text(value)

    meta = msgspec.structs.replace(briefing.meta, subtitle=opt(briefing.meta.subtitle),
                                   author=opt(briefing.meta.author),
                                   organisation=opt(briefing.meta.organisation))
    return Briefing(
        title=text(briefing.title),
        lead=tuple(Paragraph(spans(p.spans)) for p in briefing.lead),
        sections=tuple(
            Section(s.kind, opt(s.heading), map_blocks(s.blocks, text, spans),
                    tuple(FaqEntry(text(e.question), map_blocks(e.answer, text, spans))
                          for e in s.entries))
            for s in briefing.sections
        ),
        footnotes=tuple(Footnote(n.label, map_blocks(n.blocks, text, spans))
                        for n in briefing.footnotes),
        meta=meta,
    )


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
        for name in Span.__struct_fields__[1:]:
            v = getattr(value, name)
            if v:
                out[name] = v
        return out
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, msgspec.Struct):
        out = {}
        if type(value) in _TYPE_NAMES:
            out["type"] = _TYPE_NAMES[type(value)]
        for name in value.__struct_fields__:
            out[name] = _dump(getattr(value, name))
        return out
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def _where(path: str, message: str) -> ValueError:
    return ValueError(f"{path}: {message}")


def _str(data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str | None:
    value = data.get(key, default)
    if value is None or isinstance(value, str):
        return value
    raise _where(f"{path}.{key}" if path else key, f"expected text, got {type(value).__name__}")


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _where(path, f"expected a list, got {type(value).__name__}")
    return value


def _map(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _where(path, f"expected a mapping, got {type(value).__name__}")
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
        _keys(m, set(Span.__struct_fields__), p)
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
    known = set(Meta.__struct_fields__)
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
    known = {*Briefing.__struct_fields__, "format"}
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
