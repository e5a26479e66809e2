"""Tagged PDF (PDF/UA-1) on open-source reportlab: marking the content while it is drawn.

reportlab writes no structure tree, so tagging is done in two steps:

1. **While drawing** (here), the canvas writes marked content and records, for every
   structure node, which pieces of content belong to it:
   - paragraphs (``TaggedText``) open ``/P <</MCID n>> BDC … EMC`` *inside* their text
     objects (marked content never straddles BT/ET); links and spans in another language
     switch to a ``Link``/``Span`` child element in the middle of a line, through zero-width
     ``<ondraw>`` markers that ``markup.py`` writes around them;
   - figures, code blocks and list labels (``TaggedBlock``) get one marked-content sequence
     around their drawing;
   - page furniture, drawn when the page is finished, is a ``/Pagination`` artifact, and a
     sweeper wraps any other painting left outside marked content (backgrounds, rules, the
     masthead band, link underlines) in ``/Artifact``.
   MCIDs are numbered per page while the story is laid out; the furniture drawn at
   ``save()`` adds none.
2. **Before reportlab writes the file**, the PDF back end turns the record into a
   StructTreeRoot with its ParentTree (``pdf/structure.py``), written with the rest of the
   file, beside the metadata and the PDF/A parts (``pdf/document.py``). Same input, same bytes.

Reading aloud: a word hyphenated at a line end is drawn with U+00AD (a soft hyphen, which
looks the same) instead of the '-' the line breaker inserts, and a real space ends every line
except one that ends inside a word without a hyphen (a long URL cut at a slash), so the
structure text reads whole words, never glued together nor cut apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import ListFlowable
from reportlab.platypus.flowables import BulletDrawer, LIIndenter

from briefing.pdf.compat import (
    InjectedFrag,
    SplitFragHY,
    SplitFragLL,
    SplitWordHY,
    SplitWordLL,
    annotation_count,
    content_code,
    current_text_object,
    list_item_bullet,
)
from briefing.pdf.structure import MC, Annot
from briefing.render.markup import INLINE_CALLBACK, InlineTag
from briefing.render.structure import StructNode

SOFT_HYPHEN = "\u00ad"


Kid = MC | Annot | StructNode


class Tagger:
    """The record of one document's marked content, filled while it is drawn."""

    def __init__(self, inlines: list[InlineTag]) -> None:
        self.inlines = inlines  # the inline elements markup.py announced, by marker number
        self.page = 0  # index of the page being laid out
        self.pages: list[list[StructNode]] = [[]]  # per page: the element of each MCID
        self.content: dict[StructNode, list[Kid]] = {}  # drawn pieces of each element, in order
        self.text_stack: list[StructNode] = []  # paragraphs being drawn
        self.sealed = 0  # >0 inside a block or an artifact: text objects add no MCs
        self.open_inline: dict[StructNode, list[StructNode]] = {}  # left open by a page break
        self._drawn: dict[int, Any] = {}  # flowables drawn once (kept alive for their id)
        self.problems: list[str] = []  # broken invariants, for the self-check (pdf/selfcheck.py)

    # --- recording --------------------------------------------------------------------

    def mark(self, node: StructNode) -> int:
        """A new MCID on the current page for ``node``."""
        owners = self.pages[self.page]
        owners.append(node)
        self.content.setdefault(node, []).append(MC(self.page, len(owners) - 1))
        return len(owners) - 1

    def child(self, parent: StructNode, tag: InlineTag) -> StructNode:
        """An inline element (Link, Span) inside ``parent``, in reading order."""
        node = StructNode(tag.kind, parent, lang=tag.lang, text=tag.text, href=tag.href)
        self.content.setdefault(parent, []).append(node)
        return node

    def new_page(self) -> None:
        self.page += 1
        self.pages.append([])

    def text_node(self) -> StructNode | None:
        """The element a new text object belongs to, if it should be tagged."""
        return self.text_stack[-1] if self.text_stack and not self.sealed else None

    # --- drawing contexts -------------------------------------------------------------

    @contextmanager
    def drawing(self, flowable: Any, canv: Canvas, *, text: bool) -> Iterator[None]:
        """Draw ``flowable`` inside its structure element, or as an artifact."""
        node: StructNode | None = getattr(flowable, "struct", None)
        key = id(flowable)
        if node is not None and not self.sealed and key in self._drawn:
            node = None  # drawn again (a repeated table header): pagination artifact
        self._drawn[key] = flowable
        code = content_code(canv)
        if node is None or self.sealed:
            if self.sealed:  # inside a block: its marked content already covers it
                yield
                return
            code.append("/Artifact BMC")
            self.sealed += 1
            try:
                yield
            finally:
                self.sealed -= 1
                code.append("EMC")
        elif text:
            self.text_stack.append(node)
            try:
                yield
            finally:
                self.text_stack.pop()
        else:
            code.append(f"/{node.role} <</MCID {self.mark(node)}>> BDC")
            self.sealed += 1
            try:
                yield
            finally:
                self.sealed -= 1
                content_code(canv).append("EMC")


class TaggedTextObject(PDFTextObject):  # type: ignore[misc]
    """A text object that opens its element's marked content after BT and closes it before ET.

    MCs open lazily, at the first text shown, so switching to a link at a line start leaves
    no empty sequence behind.
    """

    def __init__(self, canvas: Any, x: float, y: float, direction: Any, tagger: Tagger,
                 node: StructNode) -> None:
        super().__init__(canvas, x, y, direction)
        self._tagger = tagger
        self._node = node
        self._inline = list(tagger.open_inline.pop(node, ()))  # reopened after a page break
        self._open = False
        self._last = " "
        self._line = 0  # lines drawn so far
        self.joined: frozenset[int] = frozenset()  # lines that end inside a word

    def _current(self) -> StructNode:
        return self._inline[-1] if self._inline else self._node

    def _begin(self) -> None:
        if not self._open:
            node = self._current()
            content_code(self).append(f"/{node.role} <</MCID {self._tagger.mark(node)}>> BDC")
            self._open = True

    def _end(self) -> None:
        if self._open:
            content_code(self).append("EMC")
            self._open = False

    def push_inline(self, tag: InlineTag) -> None:
        self._end()
        self._inline.append(self._tagger.child(self._current(), tag))

    def pop_inline(self) -> None:
        self._end()
        if self._inline:
            self._inline.pop()

    def link_for(self, url: str) -> StructNode | None:
        for node in reversed(self._inline):
            if node.href == url:
                return node
        for kid in reversed(self._tagger.content.get(self._node, [])):
            if isinstance(kid, StructNode) and kid.href == url:
                return kid
        return None

    def _textOut(self, text: str, TStar: int = 0) -> None:
        if text:
            self._begin()
            self._last = text[-1]
        # A line end is a word end, except after a hyphen or inside a word cut without one
        # (a long URL): say it with a real space.
        if TStar:
            line = self._line
            self._line += 1
            if self._last not in (" ", "-", SOFT_HYPHEN, "\u00a0") and line not in self.joined:
                self._begin()
                text += " "
                self._last = " "
        super()._textOut(text, TStar)

    def textOut(self, text: str) -> None:
        self._begin()
        super().textOut(text)

    def textLine(self, text: str = "") -> None:  # preformatted code: one call per line
        self._begin()
        super().textLine(text if text.endswith(" ") else text + " ")

    def getCode(self) -> str:
        self._end()
        if self._inline:  # a link or span goes on in the next piece of the paragraph
            self._tagger.open_inline[self._node] = self._inline
        code: str = super().getCode()
        return code


# Painting operators (the text-showing ones only occur inside BT…ET chunks).
_PAINTS = re.compile(r"(?:^|\s)(?:f\*?|F|S|s|B\*?|b\*?|sh|Do|BI|Tj|TJ|'|\")(?=\s|$)")


#: String operands in page code: text shown, which may spell any operator ("BDC and EMC").
#: reportlab escapes parentheses inside literal strings.
_STRINGS = re.compile(r"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>")
_MARKS = re.compile(r"(?:^|\s)(BDC|BMC|EMC)(?=\s|$)")


@lru_cache(maxsize=1024)  # the sweep and the balance check read the same chunks
def _marks(chunk: str) -> tuple[int, int]:
    """How many marked-content sequences a chunk of page code opens and closes (operators,
    never text that spells them)."""
    found = _MARKS.findall(_STRINGS.sub(" ", chunk))
    return len(found) - found.count("EMC"), found.count("EMC")


def sweep(code: list[str]) -> list[str]:
    """Wrap every painting chunk outside marked content in ``/Artifact BMC … EMC``.

    reportlab's page code is a list of chunks, one per drawing call (a whole BT…ET text object
    is one chunk). Our own markers are chunks that start with '/' and end with BDC or BMC, and
    'EMC'. Consecutive painting chunks share one artifact; anything else closes it, so
    artifacts never cross q/Q pairs that reportlab opened elsewhere.
    """
    out: list[str] = []
    depth = 0
    artifact = False
    for chunk in code:
        if chunk == "EMC":
            depth -= 1
            out.append(chunk)
            continue
        if chunk.startswith("/") and (chunk.endswith("BDC") or chunk.endswith("BMC")):
            if artifact:
                out.append("EMC")
                artifact = False
            depth += 1
            out.append(chunk)
            continue
        if depth == 0:
            paints = (chunk.startswith("BT") and not _marks(chunk)[0] and _PAINTS.search(chunk)) or (
                not chunk.startswith("BT") and _PAINTS.search(chunk)
            )
            if paints and not artifact:
                out.append("/Artifact BMC")
                artifact = True
            elif not paints and artifact:
                out.append("EMC")
                artifact = False
        out.append(chunk)
    if artifact:
        out.append("EMC")
    return out


def balanced(code: list[str]) -> bool:
    """Whether every marked-content sequence of a page's code is closed, in order."""
    depth = 0
    for chunk in code:
        if chunk == "EMC":
            depth -= 1
            if depth < 0:
                return False
        elif chunk.startswith("/") and (chunk.endswith("BDC") or chunk.endswith("BMC")):
            depth += 1
        elif chunk.startswith("BT"):  # a text object closes what it opens
            opened, closed = _marks(chunk)
            if opened != closed:
                return False
    return depth == 0


class TaggingCanvas(Canvas):  # type: ignore[misc]
    """Mixed in before ``FurnitureCanvas``: marks content, furniture and annotations."""

    tagger: Tagger

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setNamedCB(INLINE_CALLBACK, _inline_marker)
        self._text: TaggedTextObject | None = None

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> Any:
        node = self.tagger.text_node()
        if node is None:
            return PDFTextObject(self, x, y, direction=direction)
        self._text = TaggedTextObject(self, x, y, direction, self.tagger, node)
        return self._text

    def drawText(self, aTextObject: Any) -> None:
        super().drawText(aTextObject)
        if aTextObject is self._text:
            self._text = None

    def linkURL(self, url: str, rect: Any, relative: int = 0, *args: Any, **kw: Any) -> None:
        super().linkURL(url, rect, relative, *args, **kw)
        tx = self._text
        link = tx.link_for(url) if tx is not None else None
        if link is None:  # a link outside tagged text still needs an element
            stack = self.tagger.text_stack
            parent = tx._node if tx is not None else (stack[-1] if stack else None)
            if parent is None:
                return
            link = self.tagger.child(parent, InlineTag("link", href=url, text=url))
        self.tagger.content.setdefault(link, []).append(
            Annot(self.tagger.page, annotation_count(self) - 1))

    def showPage(self) -> None:
        super().showPage()
        self.tagger.new_page()

    def finish_page(self, number: int, total: int) -> None:
        code = content_code(self)
        code.append("/Artifact <</Type /Pagination>> BDC")
        super().finish_page(number, total)
        code = content_code(self)
        code.append("EMC")
        code[:] = sweep(code)
        if not balanced(code):
            self.tagger.problems.append(f"page {number}: marked content is not balanced "
                                        "(BDC/BMC and EMC)")


def _inline_marker(canv: Any, kind: str, label: str | None) -> None:
    """``<ondraw>`` callback: a link or a span in another language starts or ends here."""
    tx = current_text_object(canv)
    if not isinstance(tx, TaggedTextObject) or not label:
        return
    if label == "end":
        tx.pop_inline()
    else:
        tx.push_inline(tx._tagger.inlines[int(label)])


# --- flowable mixins ------------------------------------------------------------------


class TaggedBlock:
    """Mixin for flowables drawn as one piece of content (figures, code): one MC around it."""

    struct: StructNode | None = None
    _tag_text = False

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger | None = getattr(canv, "tagger", None)
        if tagger is None:
            super().drawOn(canv, x, y, _sW)  # type: ignore[misc]
            return
        with tagger.drawing(self, canv, text=self._tag_text):
            super().drawOn(canv, x, y, _sW)  # type: ignore[misc]


class TaggedText(TaggedBlock):
    """Mixin for paragraphs: their text objects carry the MCs; inserted hyphens become SHY."""

    _tag_text = True

    def draw(self) -> None:
        if getattr(self.canv, "tagger", None) is not None:  # type: ignore[attr-defined]
            _soften_hyphens(self)
        super().draw()  # type: ignore[misc]

    def beginText(self, x: float, y: float) -> Any:
        tx = super().beginText(x, y)  # type: ignore[misc]
        if isinstance(tx, TaggedTextObject):
            bl = getattr(self, "blPara", None)
            lines = bl.lines if bl is not None else ()
            tx.joined = frozenset(i for i, line in enumerate(lines)
                                  if getattr(line, "joined", False))
        return tx


@cache
def _has_soft_hyphen(font_name: str) -> bool:
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    return face is not None and 0xAD in face.charToGlyph


def _soften_hyphens(para: Any) -> None:
    """Draw the hyphens reportlab inserted at line ends as soft hyphens (same look)."""
    bl = getattr(para, "blPara", None)
    if bl is None or not bl.lines:
        return
    if bl.kind == 0:
        if not _has_soft_hyphen(bl.fontName):
            return
        for _, words in bl.lines:
            last = words[-1] if words else None
            if isinstance(last, SplitWordHY | SplitWordLL) and last.endswith("-"):
                words[-1] = last[:-1] + SOFT_HYPHEN
        return
    frags = getattr(para, "frags", [])
    lines = bl.lines
    for i, line in enumerate(lines):
        hyphenated = getattr(line, "hyphenated", None)  # said by the total-fit breaker
        if hyphenated is None:
            start = getattr(line, "sFW", None)
            if start is None:
                return
            stop = lines[i + 1].sFW if i + 1 < len(lines) else len(frags)
            word = next((w for w in reversed(frags[start:stop])
                         if not isinstance(w, InjectedFrag)), None)
            hyphenated = isinstance(word, SplitFragHY | SplitFragLL)
        if not hyphenated:
            continue
        for frag in reversed(line.words):
            text = getattr(frag, "text", "")
            if not text or hasattr(frag, "cbDefn"):
                continue
            if text.endswith("-") and _has_soft_hyphen(frag.fontName):
                frag.text = text[:-1] + SOFT_HYPHEN
            break


class TaggedBullet(BulletDrawer):  # type: ignore[misc]
    """A list bullet or number drawn as the item's ``Lbl``."""

    struct: StructNode | None = None

    def drawOn(self, indenter: Any, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        tagger: Tagger | None = getattr(canv, "tagger", None)
        if tagger is None:
            super().drawOn(indenter, canv, x, y, _sW)
            return
        with tagger.drawing(self, canv, text=False):
            super().drawOn(indenter, canv, x, y, _sW)


class TaggedList(ListFlowable):  # type: ignore[misc]
    """A list whose bullets are drawn inside their items' ``Lbl`` elements."""

    struct: StructNode | None = None

    def _makeBullet(self, value: Any, params: Any = None) -> Any:
        bullet = super()._makeBullet(value, params)
        bullet.__class__ = TaggedBullet
        return bullet

    def _getContent(self) -> list[Any]:
        content: list[Any] = super()._getContent()
        items = self.struct.children if self.struct is not None else []
        labels = iter([li.children[0] for li in items
                       if li.children and li.children[0].kind == "list_label"])
        for f in content:
            bullet = list_item_bullet(f) if isinstance(f, LIIndenter) else None
            if bullet is not None:
                bullet.struct = next(labels, None)
        return content
