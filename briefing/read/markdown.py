"""The Markdown reader: CommonMark with GFM tables, footnotes and YAML front matter.

How a Markdown briefing is understood:

- front matter keys ``title``, ``subtitle``, ``short_title``, ``lang``, ``date``, ``author``, ``organisation``,
  ``source``, ``theme``, ``logo``, ``tags``, ``correction`` go to the metadata; ``sections``
  maps section kinds to headings (``sections: {advice: "Que faire ?"}``);
- without a front-matter title, the first ``#`` heading is the title; other ``#`` headings
  count as ``##``;
- the first paragraph before any heading is the lead; what else comes before the first ``##``
  is the untitled article body;
- each ``##`` heading opens a section; its kind comes from front matter, else from its words,
  like the plain-text reader (``briefing.read.sections``); a run of two or more ``##``
  questions, each with an answer, forms the FAQ even without an FAQ heading;
- ``###`` and deeper headings are sub-headings, except in the FAQ, where each one is a
  question and what follows it the answer; a paragraph or list item opening with a bold
  question is a question too;
- emphasis, strong, code, links, lists (nested, numbered from any start), block quotes,
  images, tables and footnotes land in the model as such;
- ``data: {cases: cases.csv}`` in the front matter names the data files the text uses;
  ```` ```table ```` and ```` ```chart ```` fenced blocks are tables and charts made from them
  (their YAML body is kept as the block's spec), and ``{{ … }}`` expressions are hidden from
  the Markdown parser (``data.hide``) so that the build evaluates them as written
  (``briefing.fill``).

Raw HTML and character references (``&amp;``) are text, kept as typed: the reader never
produces markup. Links keep their target only for http, https and mailto; other links keep
their text. Images must be local files (a path relative to the source); remote images are
replaced by their description, with a warning.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import msgspec
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from briefing.convert import kind_of
from briefing.data.hide import hide, reveal
from briefing.errors import SourceError
from briefing.model import (
    Align,
    Block,
    Briefing,
    Chart,
    CodeBlock,
    DataTable,
    Footnote,
    Heading,
    Image,
    Inline,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Quote,
    SectionKind,
    Span,
    Table,
    align_of,
    plain,
    safe_link,
)
from briefing.read.clean import MAX_DEPTH
from briefing.read.fields import FieldError, Lines, line_of, load_meta, load_yaml
from briefing.read.markup import Head, Item, assemble, blocks_only, clean_spans
from briefing.read.sections import fold

log = logging.getLogger(__name__)

#: Front-matter keys besides the model's ``Meta`` fields (and their aliases).
_OWN_KEYS = ("title", "sections", "data")
#: What a data file's name may be: it is written in expressions (``data.cases``).
DATA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")  # as ``fill.DATA_NAME``


def _parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable("table")
        .disable("entity")  # "&amp;" stays as typed, like raw HTML
        .use(front_matter_plugin)
        .use(footnote_plugin)
    )
    # Keep every link target: the reader decides which ones stay links (see model.LINK_SCHEMES).
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # markdown-it drops, silently, what lies deeper than maxNesting (20 in CommonMark's
    # preset); deeper sources are refused with an error instead (see MAX_DEPTH).
    md.options["maxNesting"] = 4 * MAX_DEPTH + 20
    return md


_MD = _parser()




_NESTING_OPEN = {"bullet_list_open", "ordered_list_open", "blockquote_open"}
_NESTING_CLOSE = {"bullet_list_close", "ordered_list_close", "blockquote_close"}


def _nesting(tokens: Sequence[Token]) -> int:
    """The deepest nesting of lists and block quotes in markdown-it's token stream."""
    depth = deepest = 0
    for token in tokens:
        if token.type in _NESTING_OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif token.type in _NESTING_CLOSE:
            depth -= 1
    return deepest


def read_markdown(text: str, *, name: str = "<markdown>", title: str | None = None) -> Briefing:
    """Understand a Markdown briefing."""
    env: dict[str, Any] = {}
    tokens = _MD.parse(hide(text), env)
    # markdown-it stops (silently) at its maxNesting, far beyond MAX_DEPTH: a source that
    # reaches MAX_DEPTH is refused, so nothing it holds is ever dropped.
    depth = _nesting(tokens)
    if depth > MAX_DEPTH:
        raise SourceError(
            f"{name}: lists or quotes nested {depth} levels deep; at most {MAX_DEPTH} levels "
            "fit a page: flatten the deepest ones"
        )
    for label, number in env.get("footnotes", {}).get("refs", {}).items():
        if number < 0:
            log.warning(
                "%s: footnote [^%s] is never referred to; it is left out", name, label[1:]
            )
    front: dict[str, Any] = {}
    lines: Lines = {}
    if tokens and tokens[0].type == "front_matter":
        front, lines = _front_matter(tokens[0].content, name)
        tokens = tokens[1:]
    reader = _Reader(name)
    items, _ = reader.blocks(tokens, 0, top=True)
    meta = _meta(front, lines, name)
    mapping = _section_mapping(front.get("sections"), lines, name)
    briefing = assemble(
        items, front_title=_text(front, "title", lines, name) or title,
        mapping=mapping, footnotes=reader.footnotes(), meta=meta,
    )
    data = _data_files(front.get("data"), lines, name)
    return msgspec.structs.replace(briefing, data=data) if data else briefing


# --- front matter ------------------------------------------------------------------------


def _front_matter(content: str, name: str) -> tuple[dict[str, Any], Lines]:
    data, lines = load_yaml(reveal(content), name, first_line=2)
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise SourceError(f"{name}, line 2: front matter: expected keys such as title: and lang:")
    return data, lines


def _error(lines: Lines, name: str, key: str, message: str) -> SourceError:
    line = line_of(lines, key)
    where = f"{name}, line {line}" if line else name
    return SourceError(f"{where}: front matter: {key}: {message}")


def _text(front: Mapping[str, Any], key: str, lines: Lines, name: str) -> str | None:
    value = front.get(key)
    if value is None:
        return None
    if isinstance(value, bool | dict | list):
        raise _error(lines, name, key, f"expected text, got {kind_of(value)}")
    return str(value)


def _meta(front: Mapping[str, Any], lines: Lines, name: str) -> Meta:
    """The metadata of the front matter, read as the YAML/JSON ``meta:`` is (one loader):
    an unknown key is a warning, not an error (front matter from a blog engine carries
    ``layout:`` and such)."""

    def warn(key: str, message: str) -> None:
        log.warning("%s, line %s: front matter: %s", name, line_of(lines, key), message)

    try:
        return load_meta({k: v for k, v in front.items() if k not in _OWN_KEYS}, prefix="",
                         unknown="warn", warn=warn)
    except FieldError as exc:
        raise _error(lines, name, exc.path, exc.message) from None


def _data_files(value: Any, lines: Lines, name: str) -> dict[str, str]:
    """``data: {cases: cases.csv}``: each data file by the name the text uses."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not value:
        raise _error(lines, name, "data", "expected names and files, such as "
                     "{cases: cases.csv}")
    out: dict[str, str] = {}
    for key, file in value.items():
        if not isinstance(key, str) or not DATA_NAME.fullmatch(key):
            raise _error(lines, name, "data", f"{key!r} is not a usable name: a letter, then "
                         "letters, digits or _ (it is written data.NAME in expressions)")
        if not isinstance(file, str) or not file.strip():
            raise _error(lines, name, f"data.{key}", "expected the name of a CSV, TSV or "
                         "JSON file beside the source")
        out[key] = file.strip()
    return out


def _section_mapping(value: Any, lines: Lines, name: str) -> dict[str, SectionKind]:
    """Folded heading text → section kind, from ``sections: {advice: "Que faire ?"}``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _error(lines, name, "sections", 'expected a mapping such as {advice: "Que faire ?"}')
    out: dict[str, SectionKind] = {}
    for key, headings in value.items():
        try:
            kind = SectionKind(str(key))
        except ValueError:
            choices = ", ".join(k.value for k in SectionKind)
            raise _error(
                lines, name, f"sections.{key}", f"unknown section kind; use one of {choices}"
            ) from None
        for heading in headings if isinstance(headings, list) else [headings]:
            if not isinstance(heading, str | int | float) or isinstance(heading, bool):
                raise _error(lines, name, f"sections.{key}", "expected a heading's text")
            out[fold(str(heading))] = kind
    return out


# --- tokens to blocks --------------------------------------------------------------------


@dataclass
class _Style:
    bold: int = 0
    italic: int = 0
    links: list[str | None] = field(default_factory=list)


class _Reader:
    """Turns markdown-it's token stream into the model's blocks."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: dict[int, tuple[Block, ...]] = {}

    def footnotes(self) -> tuple[Footnote, ...]:
        return tuple(Footnote(str(i + 1), blocks) for i, blocks in sorted(self.notes.items()))

    def blocks(self, tokens: Sequence[Token], i: int, *, top: bool = False,
               until: str | None = None) -> tuple[list[Item], int]:
        """Blocks from ``tokens[i]`` up to the closing token ``until``; returns the index after."""
        out: list[Item] = []
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == until:
                return out, i + 1
            if kind == "heading_open":
                text = plain(self.inline(tokens[i + 1]))
                level = int(tok.tag[1:])
                line = (tok.map[0] + 1) if tok.map else 0
                out.append(Head(level, text, line) if top else Heading(text, max(3, level)))
                i += 3
            elif kind == "paragraph_open":
                out.extend(self.paragraph(tokens[i + 1]))
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                listed, i = self.list_block(tokens, i)
                out.append(listed)
            elif kind == "blockquote_open":
                inner, i = self.blocks(tokens, i + 1, until="blockquote_close")
                out.append(Quote(blocks_only(inner)))
            elif kind == "fence" and tok.info.strip().lower() in ("table", "chart"):
                out.append(self.data_block(tok))
                i += 1
            elif kind in ("fence", "code_block"):
                language = tok.info.strip().split()[0] if tok.info.strip() else None
                out.append(CodeBlock(tok.content.removesuffix("\n"), language))
                i += 1
            elif kind == "table_open":
                table, i = self.table(tokens, i + 1)
                out.append(table)
            elif kind == "footnote_block_open":
                i = self.footnote_block(tokens, i + 1)
            elif kind == "inline":  # not expected outside paragraphs; keep its words anyway
                out.extend(self.paragraph(tok))
                i += 1
            else:  # hr, footnote_anchor, closing tokens of hidden paragraphs...
                i += 1
        return out, i

    def data_block(self, tok: Token) -> Block:
        """A ```` ```table ```` or ```` ```chart ```` block: its YAML body is its spec."""
        spec = reveal(tok.content).strip("\n")
        what = tok.info.strip().lower()
        if not spec.strip():
            line = (tok.map[0] + 1) if tok.map else 0
            raise SourceError(f"{self.name}, line {line}: the {what} block is empty; give its "
                              "data and columns (see the README, Data)")
        return DataTable(spec) if what == "table" else Chart(spec)

    def list_block(self, tokens: Sequence[Token], i: int) -> tuple[ListBlock, int]:
        opening = tokens[i]
        ordered = opening.type == "ordered_list_open"
        closing = "ordered_list_close" if ordered else "bullet_list_close"
        start = int(opening.attrs.get("start", 1)) if ordered else 1
        items: list[ListItem] = []
        i += 1
        while tokens[i].type != closing:
            if tokens[i].type == "list_item_open":
                inner, i = self.blocks(tokens, i + 1, until="list_item_close")
                items.append(ListItem(blocks_only(inner)))
            else:
                i += 1
        return ListBlock(tuple(items), ordered, start), i + 1

    def table(self, tokens: Sequence[Token], i: int) -> tuple[Table, int]:
        header: list[Inline] = []
        rows: list[list[Inline]] = []
        align: list[Align] = []
        in_head = False
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open" and not in_head:
                rows.append([])
            elif tok.type in ("th_open", "td_open"):
                cell = self.inline(tokens[i + 1])
                if in_head:
                    header.append(cell)
                    style = str(tok.attrs.get("style", ""))
                    align.append(align_of(style.removeprefix("text-align:")) if style else "")
                else:
                    rows[-1].append(cell)
            i += 1
        return Table(tuple(header), tuple(tuple(r) for r in rows), tuple(align)), i + 1

    def footnote_block(self, tokens: Sequence[Token], i: int) -> int:
        while tokens[i].type != "footnote_block_close":
            if tokens[i].type == "footnote_open":
                number = int(tokens[i].meta["id"])
                inner, i = self.blocks(tokens, i + 1, until="footnote_close")
                self.notes[number] = blocks_only(inner)
            else:
                i += 1
        return i + 1

    def paragraph(self, tok: Token) -> list[Block]:
        """A paragraph; images in it become image blocks around the text."""
        out: list[Block] = []
        run: list[Span] = []
        style = _Style()
        for child in tok.children or ():
            if child.type == "image" and _is_local(child.attrs.get("src")):
                if plain(tuple(run)).strip():
                    out.append(Paragraph(clean_spans(run)))
                run = []
                # markdown-it writes the name as a URL ("sp%20ace%20%C3%BC.png"): the
                # file's name is the decoded one ("sp ace ü.png").
                out.append(Image(unquote(str(child.attrs["src"])), _image_alt(child),
                                 str(child.attrs.get("title") or "")))
            else:
                run.extend(self.span(child, style))
        if plain(tuple(run)).strip() or any(s.note for s in run):
            out.append(Paragraph(clean_spans(run)))
        return out

    def inline(self, tok: Token) -> Inline:
        """An inline token's spans (images become their description)."""
        style = _Style()
        spans: list[Span] = []
        for child in tok.children or ():
            spans.extend(self.span(child, style))
        return clean_spans(spans)

    def span(self, tok: Token, style: _Style) -> list[Span]:
        kind = tok.type
        href = next((h for h in reversed(style.links) if h), None) if style.links else None

        def make(text: str, **extra: Any) -> Span:
            return Span(text, bold=style.bold > 0, italic=style.italic > 0, href=href, **extra)

        if kind == "text" or kind == "html_inline":
            return [make(tok.content)] if tok.content else []
        if kind == "softbreak":
            return [make(" ")]
        if kind == "hardbreak":
            return [make("\n")]
        if kind == "code_inline":
            return [make(tok.content, code=True)]
        if kind in ("strong_open", "strong_close"):
            style.bold += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            style.italic += 1 if kind == "em_open" else -1
        elif kind == "link_open":
            style.links.append(safe_link(str(tok.attrs.get("href", ""))))
        elif kind == "link_close":
            if style.links:
                style.links.pop()
        elif kind == "image":
            src = str(tok.attrs.get("src", ""))
            if not _is_local(src):
                log.warning(
                    "%s: image %r is not a local file; its description is printed", self.name, src
                )
            return [make(_image_alt(tok) or src)]
        elif kind == "footnote_ref":
            number = str(int(tok.meta["id"]) + 1)
            return [Span(number, note=number)]
        elif tok.content:
            return [make(tok.content)]
        return []


def _is_local(src: Any) -> bool:
    text = str(src or "")
    return bool(text) and not urlsplit(text).scheme and not text.startswith("//")


def _image_alt(tok: Token) -> str:
    return "".join(c.content for c in tok.children or () if c.type in ("text", "code_inline"))


# --- inline Markdown in other readers ------------------------------------------------------

#: markdown-it's inline tokens and the kind of markup each one is, for ``briefing check``.
_MARKUP_KINDS = {
    "em_open": "emphasis", "strong_open": "emphasis", "link_open": "links", "image": "images",
    "code_inline": "code",
}


def read_inline(text: str, name: str) -> tuple[list[Block], frozenset[str]]:
    """One piece of text read as inline Markdown (for text pasted into a plain-text source):
    its blocks (a paragraph; images become image blocks around it) and the kinds of markup
    met ("emphasis", "links", "images", "code"). Without markup, no blocks: the text is
    kept as typed (backslashes and all)."""
    inline = _MD.parseInline(text, {})[0]
    kinds = frozenset(_MARKUP_KINDS[c.type] for c in inline.children or ()
                      if c.type in _MARKUP_KINDS)
    if not kinds:
        return [], kinds
    return _Reader(name).paragraph(inline), kinds


def read_inline_spans(text: str, name: str) -> tuple[Inline, frozenset[str]]:
    """Like ``read_inline``, for a place that holds spans only (a table cell): images become
    their description."""
    inline = _MD.parseInline(text, {})[0]
    kinds = frozenset(_MARKUP_KINDS[c.type] for c in inline.children or ()
                      if c.type in _MARKUP_KINDS)
    if not kinds:
        return (Span(text),), kinds
    return _Reader(name).inline(inline), kinds
