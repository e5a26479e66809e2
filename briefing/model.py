"""The typed model of a briefing: what readers produce and the renderer consumes.

The model says what each block *is* (a paragraph, a list, an FAQ entry...), never how it looks.
It imports nothing of ours (msgspec is a library). ``Briefing.as_dict()`` dumps it as plain
data with a format version: that dump is used by ``briefing check --json``, golden tests and
edition records, and ``read.fields.load_briefing`` reads it back (it is also what the YAML/JSON
reader accepts). The classes are that format's one declaration: the loader, its messages and
the JSON Schema (``briefing schema``) are derived from them, with the shorthands declared
here as plain data (``shorthand``, ``aliases``, ``default_member``: see ``convert.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, TypeAlias, assert_never

import msgspec

#: Version of the ``as_dict()`` format. Only version 1 exists; a change of shape bumps it,
#: and the loader (``read.fields.load_briefing``) then upgrades older data before reading it.
FORMAT_VERSION = 1

#: A language tag: a primary subtag of two or three letters, then subtags ("fr", "pt-BR").
#: msgspec applies patterns with ``re.search``: anchored, with ``\Z`` (``$`` also matches
#: before a final line break).
LANGUAGE_TAG = r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z"
#: What ``Meta.source`` may be: an http(s) address, printed in the footer and as a QR code.
WEB_ADDRESS = r"(?i)^https?://\S+\Z"


class Span(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """A run of inline text with uniform formatting."""

    shorthand: ClassVar[str] = "text"  # "word" stands for {text: "word"}

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


class Paragraph(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
                tag_field="type", tag="paragraph"):
    """A paragraph of running text."""

    noun: ClassVar[str] = "paragraph"  # what ``briefing check`` calls it
    shorthand: ClassVar[str] = "spans"  # a string is a paragraph
    aliases: ClassVar[dict[str, str]] = {"text": "spans"}
    default_member: ClassVar[bool] = True  # a block without a type is a paragraph

    spans: Inline = ()


class Heading(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
              tag_field="type", tag="heading"):
    """A sub-heading inside a section (level 3 and below in the briefing's hierarchy)."""

    noun: ClassVar[str] = "sub-heading"  # what ``briefing check`` calls it

    text: str = ""
    level: Annotated[int, msgspec.Meta(ge=1, le=6)] = 3


class ListItem(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One item of a list; it holds blocks, so lists nest."""

    shorthand: ClassVar[str] = "blocks"  # anything but {blocks: ...} is the item's blocks
    wraps_mappings: ClassVar[bool] = True

    blocks: tuple[Block, ...] = ()


class ListBlock(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
                tag_field="type", tag="list"):
    """A bulleted (``ordered=False``) or numbered list."""

    noun: ClassVar[str] = "list"  # what ``briefing check`` calls it

    items: tuple[ListItem, ...] = ()
    ordered: bool = False
    start: Annotated[int, msgspec.Meta(ge=0, le=999_999_999)] = 1


class Quote(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
            tag_field="type", tag="quote"):
    """A block quotation."""

    noun: ClassVar[str] = "quote"  # what ``briefing check`` calls it

    blocks: tuple[Block, ...] = ()


class CodeBlock(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
                tag_field="type", tag="code"):
    """Preformatted code, printed exactly as typed."""

    noun: ClassVar[str] = "code block"  # what ``briefing check`` calls it

    text: str = ""
    language: str | None = None


class Image(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
            tag_field="type", tag="image"):
    """A local image; ``src`` is relative to the source's folder or the assets folder."""

    noun: ClassVar[str] = "image"  # what ``briefing check`` calls it

    src: Annotated[str, msgspec.Meta(min_length=1)]
    alt: str = ""  # what it shows, for readers who cannot see it (the PDF's /Alt)
    caption: str = ""  # printed under the image (Markdown's image title)


#: How a table column is aligned; "": as the table's style says (flush left).
Align: TypeAlias = Literal["left", "center", "right", ""]
_ALIGNS: tuple[Align, ...] = ("left", "center", "right", "")


def align_of(text: str) -> Align:
    """A column alignment as a reader found it ("right", "Center"...), "" when unknown."""
    found = text.strip().lower()
    return next((a for a in _ALIGNS if a == found), "")


class Table(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
            tag_field="type", tag="table"):
    """A table: one header row and body rows of inline cells."""

    noun: ClassVar[str] = "table"  # what ``briefing check`` calls it

    header: tuple[Inline, ...] = ()
    rows: tuple[tuple[Inline, ...], ...] = ()
    align: tuple[Align, ...] = ()  # per column


class DataTable(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
                tag_field="type", tag="data-table"):
    """A table made from data (a ```` ```table ```` block): its spec, then the cells the data
    gives once the build has read it (``briefing.fill``)."""

    noun: ClassVar[str] = "table from data"  # what ``briefing check`` calls it
    shorthand: ClassVar[str] = "spec"  # a string is the spec

    spec: Annotated[str, msgspec.Meta(min_length=1)]  # YAML: data, columns, sort, limit, total
    header: tuple[Inline, ...] = ()
    rows: tuple[tuple[Inline, ...], ...] = ()
    align: tuple[Align, ...] = ()  # per column: numbers flush right
    total: bool = False  # the last row is a total row


class ChartSeries(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One series of a chart: its label, its values (None: no value) and the values as the
    briefing's language writes them."""

    label: str = ""
    values: tuple[float | None, ...] = ()
    texts: tuple[str, ...] = ()


class Chart(msgspec.Struct, frozen=True, forbid_unknown_fields=True,
            tag_field="type", tag="chart"):
    """A chart made from data (a ```` ```chart ```` block): its spec, then what the data gives
    once the build has read it (``briefing.fill``): the points, and the alt text written from
    them."""

    noun: ClassVar[str] = "chart"  # what ``briefing check`` calls it
    shorthand: ClassVar[str] = "spec"  # a string is the spec

    spec: Annotated[str, msgspec.Meta(min_length=1)]  # YAML: type, data, x, y, title...
    kind: Literal["bar", "horizontal bar", "line", "stacked bar", ""] = ""
    title: str = ""
    x_label: str = ""  # the categories' column: the data table's first header
    categories: tuple[str, ...] = ()
    series: tuple[ChartSeries, ...] = ()
    alt: str = ""  # what a screen reader says, written from the data
    percent: bool = False  # the values are percentages (the axis says so)


Block: TypeAlias = (Paragraph | Heading | ListBlock | Quote | CodeBlock | Image | Table
                    | DataTable | Chart)


class FaqEntry(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A question and its answer."""

    question: Annotated[str, msgspec.Meta(min_length=1)]
    answer: tuple[Block, ...] = ()


class SectionKind(StrEnum):
    """What a section is for; it decides its place in the design and its structure role."""

    ARTICLE = "article"
    ADVICE = "advice"
    CONCLUSION = "conclusion"
    FAQ = "faq"


class Section(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A section of the briefing, in source order."""

    kind: SectionKind = SectionKind.ARTICLE
    heading: str | None = None  # None for the untitled article body
    blocks: tuple[Block, ...] = ()
    entries: tuple[FaqEntry, ...] = ()  # FAQ sections only


class Footnote(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A footnote, referenced from a span whose ``note`` is this label."""

    label: str = ""  # read from data without one: its number, 1, 2...
    blocks: tuple[Block, ...] = ()


class Meta(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What the briefing says about itself."""

    aliases: ClassVar[dict[str, str]] = {"organization": "organisation"}
    #: Fields added after format 1: left out of the dump while unset, so that a dump (and an
    #: edition's content hash) made before they existed stays the same.
    added: ClassVar[tuple[str, ...]] = ("short_title",)

    # BCP 47 tag ("fr", "en", "pt-BR"); None until detected
    lang: Annotated[str, msgspec.Meta(
        pattern=LANGUAGE_TAG, extra={"expected": "a language tag such as fr or en-GB"})] | None = None
    date: dt.date | None = None  # date of the briefing's content
    author: str | None = None
    organisation: str | None = None
    # URL of the original: printed in the footer and as a QR code
    source: Annotated[str, msgspec.Meta(
        pattern=WEB_ADDRESS, extra={"expected": "an http(s) address"})] | None = None
    subtitle: str | None = None
    # the title in the running header and footer (else the title, cut short at a word)
    short_title: str | None = None
    # keywords; "a, b" is two of them
    tags: Annotated[tuple[str, ...], msgspec.Meta(extra={"split": ","})] = ()
    theme: str | None = None  # theme asked for by the source
    logo: str | None = None  # logo asked for by the source
    correction: bool = False  # a silent correction of the current edition


class Briefing(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A whole briefing: title, lead, sections in source order, footnotes, metadata."""

    title: Annotated[str, msgspec.Meta(min_length=1)]
    lead: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    meta: Meta = msgspec.field(default_factory=Meta)
    # data files by the name the text uses ({cases: cases.csv}): CSV, TSV or JSON files beside
    # the source; ``{{ data.cases | sum("cases") }}``, tables and charts read them
    data: dict[str, Annotated[str, msgspec.Meta(min_length=1)]] = msgspec.field(
        default_factory=dict)

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
        data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(self))
        meta = data.get("meta") or {}
        for key in Meta.added:
            if meta.get(key) is None:
                meta.pop(key, None)
        if not data.get("data"):  # a briefing without data dumps as it always has
            data.pop("data", None)
        return {"format": FORMAT_VERSION, **data}


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
        case DataTable(spec, header, rows, align, total):
            made = lens(Table(header, rows, align))

            def data_table(p: Parts) -> Block:
                shaped = made[1](Parts(inlines=p.inlines))
                assert isinstance(shaped, Table)
                return DataTable(p.refs[0][1], shaped.header, shaped.rows, align, total)

            return Parts(refs=(((), spec),), inlines=made[0].inlines), data_table
        case Chart(spec, kind, title, x_label, categories, series, alt, percent):
            prose: list[tuple[ModelPath, str]] = [
                (("title",), title), (("alt",), alt), (("x_label",), x_label)]
            prose += [(("categories", i), c) for i, c in enumerate(categories)]
            for s, one in enumerate(series):
                prose.append((("series", s, "label"), one.label))
                prose += [(("series", s, "texts", i), t) for i, t in enumerate(one.texts)]

            def chart(p: Parts) -> Block:
                texts = [t for _, t in p.prose]
                head, rest = texts[:3 + len(categories)], texts[3 + len(categories):]
                out = []
                for one in series:
                    n = len(one.texts)
                    out.append(ChartSeries(rest[0], one.values, tuple(rest[1:1 + n])))
                    rest = rest[1 + n:]
                return Chart(p.refs[0][1], kind, head[0], head[2], tuple(head[3:]), tuple(out),
                             head[1], percent)

            return Parts(refs=(((), spec),), prose=tuple(prose)), chart
        case _:
            assert_never(block)


class Unit(NamedTuple):
    """One text of the briefing, where it is and what it is."""

    path: ModelPath
    role: str  # title, subtitle, lead, heading, question, paragraph, subheading, cell, alt,
    #            caption, code, source (an image's file, as "[src]")
    text: str


_ROLE = {Paragraph: "paragraph", Heading: "subheading", CodeBlock: "code", Table: "cell",
         DataTable: "cell", Chart: "cell"}


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
        data=briefing.data,
    )
