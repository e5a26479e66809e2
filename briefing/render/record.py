"""The layout record: what the renderer set, measured while it lays the pages out.

Filled only when a build is asked for it (``RenderOptions.layout``, ``briefing check
--layout``): the doc template hangs the record on its canvas, and the paragraphs, the images
and the doc template itself write into it as they are drawn. Without a record each of them
asks the canvas for one and finds none, which costs nothing measurable.

It holds measurements, no judgement: per page the lines the breaker set (their text, the width
they had, how much of it their words took, their word spaces, how they end), the images' pixel
and drawn sizes, and the empty height at the page's foot with what came next; the layout
report (``briefing/layout_report.py``) decides what breaks a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.platypus import KeepTogether, Spacer, Table
from reportlab.platypus.doctemplate import ActionFlowable

from briefing.pdf.compat import (
    frame_bottom,
    frame_cursor,
    justifies_last_line,
    kept_flowables,
    kept_height,
    table_height,
)
from briefing.render.flowables import Callout, HeadingRoom, Together, keeps_with_next
from briefing.render.images import Picture
from briefing.render.measure import run_measure

NBSP = "\u00a0"
#: What a hyphen at a line end looks like (the breaker's, and a word's own).
HYPHENS = ("-", "\u2010", "\u00ad")
_FIRST_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"\W*([^\W\d_]+)")
#: Words shorter than this are not hyphenated (the breaker's ``MIN_HYPHENATED``).
MIN_HYPHENATED = 6


@dataclass(slots=True)
class LineRecord:
    """One line of a paragraph, as set."""

    block: int  # its paragraph, numbered in drawing order (the pieces of a split share it)
    kind: str  # what the paragraph is (``structure.ROLES``: paragraph, lead, faq_answer…)
    tag: str  # its PDF structure type (P, H1, TD…)
    style: str  # its style role in the theme (body, faq_answer…)
    page: int
    text: str  # as drawn, a hyphen added at a break inside a word
    size: float  # font size, points
    width: float  # the measure the line had, points
    natural: float  # the width of its words and natural word spaces, points
    spaces: int  # its stretchable spaces (word spaces and no-break spaces)
    space: float  # a natural word space's width in the paragraph's font, points
    justified: bool  # its word spaces stretch or shrink to the measure
    last: bool  # the last line of a piece of a paragraph (split or not)
    forced: bool  # it ends at a forced line break (``<br/>``)
    lead: float  # the width of its first word (to tell whether it fitted on the line above)
    lead_head: float | None  # the width of that word's shortest head a hyphen could follow

    @property
    def slack(self) -> float:
        """How much wider than natural its word spaces are, in all (points)."""
        return self.width - self.natural if self.justified else 0.0

    @property
    def space_ratio(self) -> float:
        """A justified word space's width over its natural width (1: not justified)."""
        if not self.justified or self.spaces <= 0 or self.space <= 0:
            return 1.0
        return 1.0 + self.slack / self.spaces / self.space

    @property
    def hyphenated(self) -> bool:
        """The line ends with a hyphen after a letter (as a reader sees it)."""
        text = self.text.rstrip(" ")
        return len(text) > 1 and text.endswith(HYPHENS) and text[-2].isalpha()


@dataclass(slots=True)
class ImageRecord:
    """A raster image as placed."""

    page: int
    name: str  # the file's name
    pixels: tuple[int, int]
    drawn: tuple[float, float]  # points

    @property
    def ppi(self) -> float:
        """Its effective resolution: pixels per inch on the page (the lower of the two axes)."""
        return min(self.pixels[0] / (self.drawn[0] / 72), self.pixels[1] / (self.drawn[1] / 72))


@dataclass(slots=True)
class FootRecord:
    """The foot of a page: the empty height under its last block, and why the page ended."""

    page: int
    bottom: float  # where the last block ends, points from the paper's bottom edge
    gap: float  # points from the bottom of the last block to the frame's foot
    room: float  # points the next block had (the space after the last block included)
    next_block: str  # what the next page starts with ("" on the last page)
    kept: str  # the unit that went over whole, that the room could not hold ("": none)
    needed: float  # its height, points (0: none)


@dataclass
class LayoutRecord:
    """The measurements of one layout (see the module's docstring)."""

    body_leading: float = 0.0  # the line spacing of running text, points
    body_size: float = 0.0
    lines: list[LineRecord] = field(default_factory=list)
    images: list[ImageRecord] = field(default_factory=list)
    feet: list[FootRecord] = field(default_factory=list)
    pages: int = 0
    _blocks: dict[int, tuple[int, Any]] = field(default_factory=dict)
    _page_bottom: dict[int, float] = field(default_factory=dict)
    _cursor: dict[int, float] = field(default_factory=dict)
    _next: dict[int, str] = field(default_factory=dict)

    # --- paragraphs -------------------------------------------------------------------

    def paragraph(self, para: Any, page: int) -> None:
        """The lines of a paragraph (or of a piece of one) being drawn on ``page``."""
        bl = getattr(para, "blPara", None)
        if bl is None or not bl.lines:
            return
        struct = getattr(para, "struct", None)
        owner = struct if struct is not None else (getattr(para, "_source", None) or para)
        found = self._blocks.get(id(owner))
        if found is None:
            found = self._blocks[id(owner)] = (len(self._blocks), owner)
        block = found[0]
        style = para.style
        kind = struct.kind if struct is not None else ""
        tag = struct.role if struct is not None else ""
        name = str(style.name).removesuffix("-rtl")
        justify = style.alignment == TA_JUSTIFY
        hyphenator = getattr(getattr(style, "hyphenationLang", None), "points", None)
        widths = _line_widths(para, len(bl.lines))
        justify_last = justifies_last_line(para)
        n = len(bl.lines)
        logical = _logical_lines(para, n)
        for i, line in enumerate(bl.lines):
            if bl.kind == 0:
                extra, words = line[0], list(line[1])
                text = " ".join(str(w) for w in words)
                spaces = len(words) - 1 + text.count(NBSP)
                font, size = bl.fontName, bl.fontSize
                space = run_measure(font, size).width(" ")
                forced = False
            else:
                extra = line.extraSpace
                frags = [w for w in line.words if not hasattr(w, "cbDefn")]
                text = "".join(w.text for w in frags)
                spaces = line.wordCount - 1 + text.count(NBSP)
                shown = [w for w in frags if w.text.strip()]
                font, size = ((shown[0].fontName, shown[0].fontSize) if shown
                              else (style.fontName, style.fontSize))
                # The paragraph's own word space (a smaller note's is set in the next word's).
                space = run_measure(style.fontName, style.fontSize).width(" ")
                forced = bool(getattr(line, "lineBreak", False))
            text = logical[i] if logical is not None else text.rstrip(" ")
            last = i == n - 1 and not justify_last
            justified = justify and not last and not forced and spaces > 0
            lead, head = _first_word(text, font, size, hyphenator)
            self.lines.append(LineRecord(
                block, kind, tag, name, page, text, float(style.fontSize), widths[i],
                widths[i] - float(extra), spaces, space, justified, i == n - 1, forced, lead,
                head))

    # --- images -----------------------------------------------------------------------

    def image(self, name: str, pixels: tuple[int, int], drawn: tuple[float, float],
              page: int) -> None:
        """A raster image drawn on ``page``."""
        if drawn[0] > 0 and drawn[1] > 0:
            self.images.append(ImageRecord(page, name, pixels, drawn))

    # --- page feet (the doc template's) ------------------------------------------------

    def placed(self, flowable: Any, frame: Any, page: int) -> None:
        """A block was placed: the page's text now ends at its bottom (a block that takes no
        height, such as a conditional page break, moves nothing)."""
        if isinstance(flowable, ActionFlowable | Spacer):
            return  # a page's or frame's action, or empty space: no text ends there
        cursor = frame_cursor(frame)
        if cursor < self._cursor.get(page, float("inf")):
            self._cursor[page] = cursor
            self._page_bottom[page] = cursor + float(flowable.getSpaceAfter())
            if page not in self._next:
                self._next[page] = describe_block(flowable)

    def page_end(self, frame: Any, page: int, cause: Any) -> None:
        """A page ends; ``cause``: the block that did not fit on it (or None)."""
        foot = frame_bottom(frame)
        cursor = frame_cursor(frame)
        bottom = self._page_bottom.get(page, cursor)
        kept, needed = kept_unit(cause)
        self.feet.append(FootRecord(page, bottom, max(0.0, bottom - foot),
                                    max(0.0, cursor - foot), "", kept, needed))
        self.pages = max(self.pages, page)

    def finish(self, pages: int) -> None:
        """The layout is done: each foot learns what the next page starts with."""
        self.pages = pages
        for foot in self.feet:
            foot.next_block = self._next.get(foot.page + 1, "")
        self.feet = [foot for foot in self.feet if foot.page < pages]


def _line_widths(para: Any, n: int) -> list[float]:
    """The measure of each line of a paragraph: the widths its lines were broken for."""
    measures = getattr(para, "line_measures", None)
    found: list[float] | None = measures() if measures is not None else None
    if found is not None:
        return found
    style = para.style
    width = float(para.width) - style.leftIndent - style.rightIndent
    return [width - (style.firstLineIndent if i == 0 else 0.0) for i in range(n)]


def _logical_lines(para: Any, n: int) -> list[str] | None:
    """The text of each line in reading order (``FitParagraph.line_texts``: a right-to-left
    line is drawn in visual order, its letters as shaped glyphs); None: a paragraph reportlab
    broke itself."""
    texts = getattr(para, "line_texts", None)
    found = texts() if texts is not None else None
    return found if found is not None and len(found) == n else None


def _first_word(text: str, font: str, size: float,
                hyphenator: Any) -> tuple[float, float | None]:
    """The width of a line's first word, and of its shortest head a hyphen could end a line
    with (as ``tests/layoutcheck.py`` reads them from the page)."""
    found = _FIRST_WORD.match(text.lstrip())
    if found is None:
        return 0.0, None
    word = found.group()
    measure = run_measure(font, size)
    head = None
    letters = _LETTERS.match(word)
    if hyphenator is not None and letters and len(letters.group(1)) >= MIN_HYPHENATED:
        points = hyphenator(letters.group(1))
        if points:
            head = measure.width(word[:letters.start(1) + points[0]])
    return measure.width(word), head


def describe_block(flowable: Any) -> str:
    """What a block is, in a few words, for the report (``the heading “Conclusion”``)."""
    struct = getattr(flowable, "struct", None)
    kind = getattr(struct, "kind", None)
    text = " ".join(getattr(struct, "text", "").split())
    name = {"paragraph": "a paragraph", "lead": "the lead", "section_heading": "a heading",
            "subheading": "a heading", "faq_question": "a question", "faq_answer": "an answer",
            "advice_paragraph": "an advice paragraph", "figure": "an image",
            "table": "a table", "list": "a list", "quote": "a quotation", "code": "code",
            "note_paragraph": "a note", "figure_caption": "a caption"}.get(kind or "")
    if name is None:
        name = ("an image and its caption" if isinstance(flowable, Together)
                else "a box" if isinstance(flowable, Callout)
                else "an image" if isinstance(flowable, Picture)
                else "a table" if isinstance(flowable, Table) else "a block")
    if text:
        name += f" “{text[:30]}{'…' if len(text) > 30 else ''}”"
    return name


def kept_unit(cause: Any) -> tuple[str, float]:
    """The unit that moved whole to the next page, and its height: a figure and its caption,
    a question and its answer, a table or an image, a heading with the start of what follows
    (``HeadingRoom``), a box opened by its heading; ("", 0) for a block that splits (a
    paragraph, a list)."""
    if isinstance(cause, HeadingRoom):
        return "a heading with the start of what follows", float(cause.height)
    if isinstance(cause, KeepTogether):
        content = kept_flowables(cause)
        kind = getattr(getattr(content[0], "struct", None), "kind", "") if content else ""
        what = "a question and its answer" if kind == "faq_question" else "blocks kept together"
        return what, kept_height(cause)
    if isinstance(cause, Callout) and cause.content and keeps_with_next(cause.content[0]):
        return "a box's heading with the start of what follows", float(cause.height)
    if isinstance(cause, Together):
        return "an image and its caption", float(cause.height)
    if isinstance(cause, Picture):
        return "an image", float(cause.height)
    if isinstance(cause, Table):
        return "a table", table_height(cause)
    return "", 0.0
