"""Semantic HTML into the model: the one reader behind Word documents (through mammoth's
HTML) and saved web pages (their main content).

How HTML is understood:

- ``h1``–``h6`` are headings (at the top level they shape the sections, as Markdown's ``#``
  do: see ``briefing.read.markup``; inside a list or a quotation they are sub-headings);
- ``p`` is a paragraph, ``ul``/``ol`` a list (nested; ``start`` kept), ``blockquote`` a
  quotation, ``pre`` code, ``table`` a table (its header row: the ``thead``, a first row of
  ``th``, or a first row all in bold above rows that are not), ``figure`` an image with its
  ``figcaption`` as caption, ``img`` an image with its ``alt`` text, ``dl`` paragraphs (terms
  in bold), and ``div``, ``section``, ``article`` and other containers are read through;
- inline: ``em``/``i`` italic, ``strong``/``b`` bold, ``code``/``kbd``/``samp`` code, ``a``
  a link (its target kept for http, https and mailto only), ``br`` a line break, ``lang`` a
  span in another language; footnote references (a ``sup`` link to a list item of notes)
  become the model's footnotes;
- scripts, styles, forms and embedded objects are not text and are left out; every other
  element's text is read, so nothing of the content is dropped.

An image is kept when the caller's ``image`` function says where its file is (a local file
beside the page, or one unpacked from a Word document); otherwise its caption, or failing
that its description, is printed in its place, with a warning.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from briefing.model import (
    Block,
    CodeBlock,
    Footnote,
    Heading,
    Image,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Span,
    Table,
    plain,
    safe_link,
)
from briefing.read.markup import Head, Item, blocks_only, clean_spans

log = logging.getLogger(__name__)

#: Deepest nesting of lists and quotations; deeper ones are read into the level above.
MAX_DEPTH = 12

#: Elements whose content is not text for a reader.
SKIPPED = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe",
    "object", "embed", "svg", "canvas", "video", "audio", "map", "button", "input", "select",
    "textarea", "option", "datalist",
})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
#: Block-level elements: they end the paragraph around them.
BLOCKS = frozenset({
    *HEADINGS, "p", "ul", "ol", "li", "blockquote", "pre", "table", "figure", "figcaption",
    "div", "section", "article", "main", "header", "footer", "aside", "nav", "address", "dl",
    "dt", "dd", "details", "summary", "hr", "form", "fieldset", "center", "hgroup", "caption",
    "thead", "tbody", "tfoot", "tr", "td", "th", "body", "html", "dialog", "menu", "legend",
})
ITALIC = frozenset({"em", "i", "cite", "dfn", "var"})
BOLD = frozenset({"strong", "b"})
CODE = frozenset({"code", "kbd", "samp", "tt"})

#: Where an image's file is: the src the renderer can use, or None when there is none.
ImageFinder = Callable[[str], str | None]

_SPACE = re.compile(r"[ \t\n\r\f]+")


def _tag(el: Any) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _classes(el: Any) -> set[str]:
    return set(str(el.get("class") or "").split())


@dataclass
class _Style:
    bold: int = 0
    italic: int = 0
    code: int = 0
    links: list[str | None] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)


class HtmlReader:
    """Reads a tree of semantic HTML (lxml elements) into top-level items and footnotes."""

    def __init__(self, name: str, image: ImageFinder) -> None:
        self.name = name
        self.image = image
        self.refs: dict[str, str] = {}  # id of a note's element -> its label
        self.notes: dict[str, Any] = {}  # label -> the note's element
        self.skip: set[Any] = set()  # the notes' elements, read as notes, not in place

    # --- entry point -------------------------------------------------------------------------

    def read(self, root: Any) -> tuple[list[Item], tuple[Footnote, ...]]:
        """The items of ``root``'s content, and its footnotes."""
        self._find_notes(root)
        items = self.blocks(root, top=True, depth=0)
        notes = tuple(
            Footnote(label, blocks_only(self.blocks(self.notes[label], top=False, depth=1)))
            for label in self.notes
        )
        return items, notes

    # --- footnotes ---------------------------------------------------------------------------

    def _find_notes(self, root: Any) -> None:
        """Footnote references: links to ``#id`` inside ``sup`` (or marked as note
        references), whose target is a list item; numbered in the order they are met."""
        ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
        for link in root.iter("a"):
            href = str(link.get("href") or "")
            if not href.startswith("#") or len(href) < 2:
                continue
            target = ids.get(href[1:])
            parent = link.getparent()
            marked = (parent is not None and _tag(parent) == "sup") or (
                link.get("role") == "doc-noteref") or "footnote-ref" in _classes(link)
            if target is None or not marked or _tag(target) != "li":
                continue
            if target.get("id") not in self.refs:
                label = str(len(self.refs) + 1)
                self.refs[target.get("id")] = label
                self.notes[label] = target
                self.skip.add(target)
            # Back links from a note to its reference ("↑", "↩") are not text.
            for back in target.iter("a"):
                if back.get("href") == f"#{link.get('id')}" or back.get("role") == "doc-backlink":
                    self.skip.add(back)

    def _note_label(self, el: Any) -> str | None:
        """The label when ``el`` is a footnote reference (``sup`` or its link)."""
        links = [el] if _tag(el) == "a" else list(el.iter("a"))
        for link in links:
            href = str(link.get("href") or "")
            if href.startswith("#") and href[1:] in self.refs:
                return self.refs[href[1:]]
        return None

    # --- blocks ------------------------------------------------------------------------------

    def blocks(self, el: Any, *, top: bool, depth: int) -> list[Item]:
        """The blocks of a container element: its inline runs become paragraphs."""
        out: list[Item] = []
        run: list[Any] = []  # text (str) and inline elements, in order

        def flush() -> None:
            if run:
                out.extend(self.paragraph(run))
                run.clear()

        if el.text:
            run.append(el.text)
        for child in el:
            tag = _tag(child)
            if child in self.skip or tag in SKIPPED or not tag:
                pass
            elif tag in BLOCKS or tag == "img" or self._holds_blocks(child):
                flush()
                out.extend(self.block(child, top=top, depth=depth))
            else:
                run.append(child)
            if child.tail:
                run.append(child.tail)
        flush()
        return out

    def _holds_blocks(self, el: Any) -> bool:
        """An inline element wrapping blocks (``<a><div>…</div></a>``) is read as a container."""
        return any(_tag(d) in BLOCKS for d in el.iterdescendants())

    def block(self, el: Any, *, top: bool, depth: int) -> list[Item]:
        tag = _tag(el)
        if tag in HEADINGS:
            text = plain(self.inline([el]))
            if not text:
                return []
            level = HEADINGS[tag]
            line = el.sourceline or 0
            return [Head(level, text, line) if top else Heading(text, max(3, level))]
        if tag == "p":
            return list(self.paragraph([el]))
        if tag in ("ul", "ol", "menu"):
            if depth >= MAX_DEPTH:
                return self._flat(el, depth)
            listed = self.list_block(el, depth)
            return [listed] if listed.items else []  # a list of footnotes only, read as notes
        if tag == "blockquote":
            if depth >= MAX_DEPTH:
                return self._flat(el, depth)
            return [Quote(blocks_only(self.blocks(el, top=False, depth=depth + 1)))]
        if tag == "pre":
            return [CodeBlock(_pre_text(el).strip("\n"), _code_language(el))]
        if tag == "table":
            return self.table(el, top=top, depth=depth)
        if tag == "figure":
            return self.figure(el, top=top, depth=depth)
        if tag == "img":
            return self.picture(el, "")
        if tag == "dt":
            spans = self.inline([el], _Style(bold=1))
            return [Paragraph(spans)] if spans else []
        if tag == "hr":
            return []
        return self.blocks(el, top=top, depth=depth)

    def _flat(self, el: Any, depth: int) -> list[Item]:
        """Too deep to nest further: the content, read one level up."""
        return list(blocks_only(self.blocks(el, top=False, depth=depth)))

    def list_block(self, el: Any, depth: int) -> ListBlock:
        ordered = _tag(el) == "ol"
        try:
            start = max(0, int(str(el.get("start") or 1)))
        except ValueError:
            start = 1
        items: list[ListItem] = []
        loose: list[Any] = []  # content of a list outside any li (broken HTML): its own item
        for child in el:
            if _tag(child) == "li":
                if child in self.skip:
                    continue
                items.append(ListItem(blocks_only(self.blocks(child, top=False, depth=depth + 1))))
            elif _tag(child) not in SKIPPED and (plain(self.inline([child])) or _tag(child)):
                loose.append(child)
        for child in loose:
            inner = blocks_only(self.block(child, top=False, depth=depth + 1))
            if inner:
                items.append(ListItem(inner))
        return ListBlock(tuple(items), ordered, start if ordered else 1)

    def table(self, el: Any, *, top: bool, depth: int) -> list[Item]:
        rows = [tr for tr in el.iter("tr") if _owner_table(tr) is el]
        if _is_layout(el, rows):
            # A table used for layout: its cells are read as the containers they are.
            out: list[Item] = []
            for tr in rows:
                for cell in tr:
                    if _tag(cell) in ("td", "th"):
                        out.extend(self.blocks(cell, top=top, depth=depth))
            return out
        out = []
        for caption in el.iter("caption"):
            if _owner_table(caption) is el:
                spans = self.inline([caption], _Style(bold=1))
                if spans:
                    out.append(Paragraph(spans))
        cells: list[tuple[Inline, ...]] = []
        heads: list[bool] = []
        for tr in rows:
            row: list[Inline] = []
            all_th = True
            for cell in tr:
                if _tag(cell) not in ("td", "th"):
                    continue
                all_th = all_th and _tag(cell) == "th"
                row.append(self.inline([cell]))
                try:
                    span = min(50, max(1, int(str(cell.get("colspan") or 1))))
                except ValueError:
                    span = 1
                row += [()] * (span - 1)
            if row:
                cells.append(tuple(row))
                parent = tr.getparent()
                heads.append(all_th or (parent is not None and _tag(parent) == "thead"))
        if not cells:
            return out
        header = heads[0] or (len(cells) > 1 and _all_bold(cells[0]) and not _all_bold(cells[1]))
        if header:
            out.append(Table(cells[0], tuple(cells[1:])))
        else:
            out.append(Table((), tuple(cells)))
        return out

    def figure(self, el: Any, *, top: bool, depth: int) -> list[Item]:
        captions = [c for c in el.iter("figcaption")]
        caption = " ".join(plain(self.inline([c])) for c in captions).strip()
        images = [img for img in el.iter("img")]
        if len(images) == 1 and not any(
                _tag(d) in ("table", "blockquote", "pre", "p", "ul", "ol")
                and not any(a is d for c in captions for a in c.iter())
                for d in el.iterdescendants()):
            return self.picture(images[0], caption)
        # A figure holding something else (a table, a quotation, several images): each in
        # turn, the caption after them.
        out: list[Item] = []
        for child in el:
            if _tag(child) == "figcaption":
                continue
            if child not in self.skip and _tag(child) and _tag(child) not in SKIPPED:
                out.extend(self.block(child, top=top, depth=depth))
            if child.tail and child.tail.strip():
                out.extend(self.paragraph([child.tail]))
        if el.text and el.text.strip():
            out.insert(0, Paragraph((Span(" ".join(el.text.split())),)))
        if caption:
            out.append(Paragraph((Span(caption, italic=True),)))
        return out

    def picture(self, img: Any, caption: str) -> list[Item]:
        src = str(img.get("src") or "").strip()
        alt = " ".join(str(img.get("alt") or "").split())
        found = self.image(src) if src else None
        if found is not None:
            return [Image(found, alt, caption)]
        text = caption or alt
        if src and text:
            log.warning("%s: image %r is not a file saved with the source; its %s is printed "
                        "instead", self.name, _short(src), "caption" if caption else "description")
        if not text:
            return []
        return [Paragraph((Span(text, italic=True),))]

    # --- inline ------------------------------------------------------------------------------

    def paragraph(self, run: Iterable[Any]) -> list[Block]:
        """A paragraph from a run of inline content; images in it become image blocks."""
        out: list[Block] = []
        spans: list[Span] = []
        style = _Style()

        def flush() -> None:
            cleaned = clean_spans(spans)
            if plain(cleaned).strip() or any(s.note for s in cleaned):
                out.append(Paragraph(cleaned))
            spans.clear()

        for piece in run:
            if isinstance(piece, str):
                spans.extend(self._text(piece, style))
                continue
            for kind, value in self._walk(piece, style):
                if kind == "image":
                    flush()
                    out.extend(b for b in self.picture(value, "") if not isinstance(b, Head))
                else:
                    spans.append(value)
        flush()
        return out

    def inline(self, run: Iterable[Any], style: _Style | None = None) -> Inline:
        """The spans of some inline content; images become their description."""
        style = style or _Style()
        spans: list[Span] = []
        for piece in run:
            if isinstance(piece, str):
                spans.extend(self._text(piece, style))
                continue
            for kind, value in self._walk(piece, style, inner=True):
                if kind == "image":
                    alt = " ".join(str(value.get("alt") or "").split())
                    if alt:
                        spans.append(self._span(alt, style))
                else:
                    spans.append(value)
        return clean_spans(spans)

    def _walk(self, el: Any, style: _Style, *, inner: bool = False) -> Iterable[tuple[str, Any]]:
        """The spans (and images) of an element, depth first; ``inner``: the element's own
        tag counts too (a heading's or a cell's content)."""
        tag = _tag(el)
        if el in self.skip or tag in SKIPPED or not tag:
            return
        if tag == "img":
            yield "image", el
            return
        if tag == "br":
            yield "span", self._span("\n", style)
            return
        if tag in ("sup", "a") and (label := self._note_label(el)) is not None:
            yield "span", Span(label, note=label)
            return
        pushed = self._push(el, tag, style)
        if el.text:
            for span in self._text(el.text, style):
                yield "span", span
        for child in el:
            yield from self._walk(child, style)
            if child.tail:
                for span in self._text(child.tail, style):
                    yield "span", span
        self._pop(tag, pushed, style)
        if tag in BLOCKS and tag not in ("td", "th", "caption", "figcaption") and not inner:
            yield "span", self._span(" ", style)

    def _push(self, el: Any, tag: str, style: _Style) -> dict[str, bool]:
        pushed = {"bold": tag in BOLD, "italic": tag in ITALIC, "code": tag in CODE,
                  "link": tag == "a", "lang": bool(el.get("lang"))}
        style.bold += pushed["bold"]
        style.italic += pushed["italic"]
        style.code += pushed["code"]
        if pushed["link"]:
            style.links.append(safe_link(str(el.get("href") or "")))
        if pushed["lang"]:
            style.langs.append(str(el.get("lang")))
        return pushed

    def _pop(self, tag: str, pushed: dict[str, bool], style: _Style) -> None:
        style.bold -= pushed["bold"]
        style.italic -= pushed["italic"]
        style.code -= pushed["code"]
        if pushed["link"]:
            style.links.pop()
        if pushed["lang"]:
            style.langs.pop()

    def _text(self, text: str, style: _Style) -> list[Span]:
        if style.code:
            return [self._span(text, style)] if text else []
        collapsed = _SPACE.sub(" ", text)
        return [self._span(collapsed, style)] if collapsed else []

    def _span(self, text: str, style: _Style) -> Span:
        href = next((h for h in reversed(style.links) if h), None)
        lang = style.langs[-1] if style.langs else None
        return Span(text, bold=style.bold > 0, italic=style.italic > 0, code=style.code > 0,
                    href=href, lang=lang)


def _owner_table(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _is_layout(table: Any, rows: list[Any]) -> bool:
    """A table used for page layout: its cells hold tables, or several blocks of text."""
    for tr in rows:
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            if any(_tag(d) == "table" for d in cell.iterdescendants()):
                return True
            blocks = [c for c in cell if _tag(c) in ("p", "div", "ul", "ol", "h1", "h2", "h3")]
            if len(blocks) > 2:
                return True
    return False


def _all_bold(row: tuple[Inline, ...]) -> bool:
    texts = [s for cell in row for s in cell if s.text.strip()]
    return bool(texts) and all(s.bold for s in texts)


def _pre_text(el: Any) -> str:
    return "".join(el.itertext())


def _code_language(el: Any) -> str | None:
    for node in (el, *el.iter("code")):
        for name in _classes(node):
            for prefix in ("language-", "lang-"):
                if name.startswith(prefix) and len(name) > len(prefix):
                    return name[len(prefix):]
    return None


def _short(src: str) -> str:
    return src if len(src) <= 80 else src[:79] + "…"


def text_of(el: Any) -> str:
    """An element's text, spaces collapsed (for metadata)."""
    return " ".join("".join(el.itertext()).split())

