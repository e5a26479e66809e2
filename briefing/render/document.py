"""The pages: templates, furniture deferred until the page count is known ("page X / Y"), the
outline, reproducible dates. The footer and header drawn are ``render/__init__.py``'s
(``_furniture``), the metadata the PDF back end's (``pdf/``)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError

from briefing.pdf.compat import frame_size, restore_page, save_page, set_timestamp, start_page
from briefing.render.markup import INLINE_CALLBACK
from briefing.render.record import LayoutRecord
from briefing.render.tagging import Tagger, TaggingCanvas

#: Draws the furniture of one page, knowing the page number and the page count.
PageDecorator = Callable[[Canvas, int, int], None]

_IMMUTABLE = (int, float, str, bool, type(None))


class TextFrame(Frame):  # type: ignore[misc]
    """A reportlab frame that is cheap to deep-copy.

    reportlab deep-copies the current frame each time it measures a group kept together (a
    question and its answer); a frame's state is numbers and strings, which a deep copy
    shares anyway, so only the rest (its list of backgrounds) is copied, deeply.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> TextFrame:
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        clone.__dict__.update({key: value if type(value) in _IMMUTABLE
                               else copy.deepcopy(value, memo)
                               for key, value in self.__dict__.items()})
        return clone


class FurnitureCanvas(Canvas):  # type: ignore[misc]
    """Defers each page's furniture until the page count is known ("page X / Y").

    Pages are kept as saved states and finished at ``save()``; this costs no second layout.
    """

    decorator: PageDecorator | None = None
    #: Called once every page is finished, before the file is written (structure, metadata).
    finisher: Callable[[Canvas], None] | None = None
    #: A layout that may not be kept (a copy-fitting trial): reportlab's ``save`` at the end
    #: of the layout writes nothing, and ``write`` writes the layout once it is chosen.
    deferred = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: list[dict[str, Any]] = []
        # Paragraph markup carries zero-width markers for the tagging layer; untagged, they do nothing.
        self.setNamedCB(INLINE_CALLBACK, lambda *args: None)

    def showPage(self) -> None:
        self._pending.append(save_page(self))
        start_page(self)

    def save(self) -> None:
        if not self.deferred:
            self.write()

    def write(self) -> None:
        """Finish every page (furniture), the document (structure, metadata) and write it."""
        total = len(self._pending)
        for number, state in enumerate(self._pending, 1):
            restore_page(self, state)
            self.finish_page(number, total)
            super().showPage()
        if self.finisher is not None:
            self.finisher(self)
        super().save()

    def finish_page(self, number: int, total: int) -> None:
        """Draw a page's furniture (the tagging canvas marks it as an artifact)."""
        if self.decorator is not None:
            self.decorator(self, number, total)

    @property
    def page_count(self) -> int:
        return len(self._pending)


class BlockTooLarge(Exception):
    """A block that fits no frame, even an empty one, and cannot be split (reportlab's
    LayoutError, with the block itself instead of its internals: ``render`` names it)."""

    def __init__(self, flowable: Any, frame: Any) -> None:
        super().__init__("a block fits no page")
        self.flowable = flowable
        self.frame_size = frame_size(frame)


class PageLimitExceeded(Exception):
    """The layout passed the page limit (reportlab rewrites messages raised in its actions,
    so ``render`` turns this into the user's error)."""


class BriefingDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Two page templates (first page with the masthead, later pages) and an outline."""

    def __init__(self, filename: Any, *, first_frame: Frame, later_frame: Frame,
                 decorator: PageDecorator, date: dt.date, tagger: Tagger | None = None,
                 finisher: Callable[[Canvas], None] | None = None,
                 max_pages: int | None = None, deferred: bool = False,
                 record: LayoutRecord | None = None, **kw: Any) -> None:
        super().__init__(filename, **kw)
        self.deferred = deferred
        #: The layout report's measurements, when asked for (``render.record``).
        self.record = record
        self._handled: tuple[Any, Any] = (None, None)  # the blocks handled last, and before
        self.decorator = decorator
        self.tagger = tagger
        self.finisher = finisher
        self.max_pages = max_pages
        self.date = date
        self.outline_keys = 0
        self.block_pages: list[int] = []
        self.addPageTemplates([
            PageTemplate("first", [first_frame], autoNextPageTemplate="later"),
            PageTemplate("later", [later_frame]),
        ])

    def build(self, flowables: list[Any], **kw: Any) -> None:
        decorator = self.decorator
        base: tuple[type, ...] = (FurnitureCanvas,)
        if self.tagger is not None:
            base = (TaggingCanvas, FurnitureCanvas)  # marks content, then defers furniture

        class _Canvas(*base):  # type: ignore[misc]
            pass

        _Canvas.decorator = staticmethod(decorator)
        _Canvas.tagger = self.tagger
        _Canvas.finisher = staticmethod(self.finisher) if self.finisher else None
        _Canvas.deferred = self.deferred
        _Canvas.layout_record = self.record
        super().build(flowables, canvasmaker=_Canvas, **kw)

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        # Dates in the PDF come from the briefing's date: same input, same bytes.
        set_timestamp(self.canv, self.date)

    def handle_flowable(self, flowables: list[Any]) -> None:
        block = flowables[0] if flowables else None
        if self.record is not None:
            self._handled = (block, self._handled[0])
        try:
            super().handle_flowable(flowables)
        except LayoutError:
            raise BlockTooLarge(block, self.frame) from None

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        # Stop as soon as the limit is passed: a runaway source costs no more than the limit.
        if self.max_pages is not None and self.page > self.max_pages:
            raise PageLimitExceeded(self.max_pages)

    def handle_pageEnd(self) -> None:
        if self.record is not None and self.frame is not None:
            # The block that did not fit: the one being handled, or, when that is the page
            # break a kept group or a heading's room asked for, the one before it.
            block, before = self._handled
            cause = before if isinstance(block, ActionFlowable) else block
            self.record.page_end(self.frame, self.page, cause)
        super().handle_pageEnd()

    def afterFlowable(self, flowable: Any) -> None:
        if self.record is not None and self.frame is not None:
            self.record.placed(flowable, self.frame, self.page)
        outline = getattr(flowable, "outline", None)
        if outline:
            title, level = outline
            key = f"o{self.outline_keys}"
            self.outline_keys += 1
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=level >= 1)
        if getattr(flowable, "struct", None) is not None or outline:
            self.block_pages.append(self.page)


def draw_rule(canv: Canvas, x1: float, y: float, x2: float, color: str, width: float = 0.5) -> None:
    canv.saveState()
    canv.setStrokeColor(HexColor(color))
    canv.setLineWidth(width)
    canv.line(x1, y, x2, y)
    canv.restoreState()
