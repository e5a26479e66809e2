"""Charts from data on the page: a vector drawing tagged as a Figure, and its data as a table.

``chart_flowable`` draws a model ``Chart`` with ``data.draw`` in the theme's colours and its
heading face (labels at least 7 pt, a colour-blind-safe palette). In a tagged PDF the drawing
is a ``Figure`` whose alt text was written from the data (``data.chart.alt_text``), and the
data follows it as a ``Table`` (a header row of ``TH``, a row of ``TD`` per category) set in
invisible text over the chart: a screen reader reads the figures one by one, and copying the
chart copies its data, while the page shows the chart alone. An untagged PDF has the drawing
only.

The data library (and with it Babel, for the axis' numbers) is imported when a briefing has a
chart, not before.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.platypus import Flowable

from briefing.model import Chart
from briefing.pdf.compat import content_code
from briefing.render.fonts import FontSet
from briefing.render.structure import StructNode
from briefing.render.tagging import TaggedBlock, Tagger
from briefing.theme import Theme

#: Space above and below a chart (points).
SPACE_BEFORE, SPACE_AFTER = 8.0, 12.0
#: Size of the invisible text of the data table (it is never seen; small keeps it inside).
HIDDEN_SIZE = 4.0


class ChartFigure(TaggedBlock, Flowable):  # type: ignore[misc]
    """A chart's drawing (a Figure when tagged), and its data as an invisible tagged table."""

    def __init__(self, drawing: Any, cells: list[tuple[StructNode, str]], font: str) -> None:
        super().__init__()
        self.drawing = drawing
        self.width = float(drawing.width)
        self.height = float(drawing.height)
        self.cells = cells  # each cell of the data table, in reading order
        self.font = font
        self.spaceBefore, self.spaceAfter = SPACE_BEFORE, SPACE_AFTER

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        renderPDF.draw(self.drawing, self.canv, 0, 0)

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canv, x, y, _sW)
        tagger: Tagger | None = getattr(canv, "tagger", None)
        if tagger is None or tagger.sealed or not self.cells:
            return
        # The data table, after the figure in reading order: one marked-content sequence per
        # cell, its text invisible (render mode 3), inside the chart's box.
        step = self.height / (len(self.cells) + 1)
        for i, (node, text) in enumerate(self.cells):
            content_code(canv).append(f"/{node.role} <</MCID {tagger.mark(node)}>> BDC")
            tagger.sealed += 1
            canv.saveState()  # the render mode is graphics state: it ends with the cell
            try:
                tx = canv.beginText(x + 2, y + self.height - step * (i + 1))
                tx.setTextRenderMode(3)
                tx.setFont(self.font, HIDDEN_SIZE)
                tx.textOut(text + " ")
                canv.drawText(tx)
            finally:
                canv.restoreState()
                tagger.sealed -= 1
                content_code(canv).append("EMC")


def chart_flowable(block: Chart, parent: StructNode, *, theme: Theme, fonts: FontSet,
                   lang: str, width: float) -> ChartFigure:
    """The flowable of a chart made from data, its Figure and data table under ``parent``."""
    from briefing.data.chart import ChartData
    from briefing.data.chart import ChartSeries as Series
    from briefing.data.draw import ChartStyle, draw_chart

    colors = theme.colors
    regular = fonts.face("heading")
    bold = fonts.face("heading", "bold")
    widest = max(fonts.fallback, key=lambda f: len(f.charset), default=None)
    style = ChartStyle(font=regular.name, bold=bold.name,
                       fallback=widest.name if widest is not None else None,
                       text=colors["text"], muted=colors["muted"], grid=colors["rule"],
                       first_colours=(colors["primary"], colors["accent"]))
    data = ChartData(
        type=block.kind or "bar", title=block.title, x_label=block.x_label,
        categories=block.categories,
        series=tuple(Series(s.label, tuple(None if v is None else Decimal(repr(v))
                                           for v in s.values), s.texts)
                     for s in block.series),
        lang=lang, format="percent" if block.percent else "number")
    drawn = draw_chart(data, style, width=width)
    figure = parent.add("figure", alt=block.alt or block.title)
    table = parent.add("table")
    cells: list[tuple[StructNode, str]] = []
    header = table.add("table_row")
    for text in (block.x_label, *(s.label for s in block.series)):
        cells.append((header.add("table_header_cell", text=text), text))
    for i, category in enumerate(block.categories):
        row = table.add("table_row")
        for text in (category, *(s.texts[i] if i < len(s.texts) else "" for s in block.series)):
            cells.append((row.add("table_cell", text=text), text))
    flowable = ChartFigure(drawn.drawing, cells, regular.name)
    flowable.struct = figure
    flowable.hAlign = "LEFT"
    return flowable
