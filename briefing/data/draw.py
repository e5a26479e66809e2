"""Charts drawn as vectors with reportlab's graphics, designed for print.

- Fonts are passed in (names of registered, embedded TrueType fonts): nothing falls back to
  the unembedded base-14 Helvetica. A label with characters the font lacks is set in the
  fallback font when that has them, else reported in ``Drawn.missing``.
- Text is legible in print: labels ``LABEL_SIZE`` (7.5 pt), values ``VALUE_SIZE`` (7 pt), the
  title ``TITLE_SIZE`` (9 pt, bold).
- Colours: the series take ``palette.palette`` (the theme's primary and accent first when
  they stay distinguishable, then Okabe–Ito); text, light gridlines and the baseline take the
  theme's text, rule and muted colours.
- No chartjunk: no frame, no ticks, no axis line on the value axis; a few bars carry their
  values (and then need no value axis or grid); otherwise light gridlines; a legend only for
  several series, above the plot, in the order of the series; thinned category labels on
  long lines, turned 45° only when they do not fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics

from briefing.data.chart import ChartData
from briefing.data.palette import palette

LABEL_SIZE = 7.5
VALUE_SIZE = 7.0
TITLE_SIZE = 9.0
#: Bars that carry their values (one series, this many or fewer).
VALUE_LABELS = 12
#: Most category labels printed under a line chart.
LINE_LABELS = 8


@dataclass(frozen=True, slots=True)
class ChartStyle:
    """The theme's side of a chart: fonts (registered names) and colours (``#RRGGBB``)."""

    font: str  # labels and values
    bold: str  # the title
    fallback: str | None = None  # for characters ``font`` lacks
    text: str = "#1D1D1F"
    muted: str = "#5F6B7A"  # category labels, baseline
    grid: str = "#D9DEE5"  # gridlines
    first_colours: tuple[str, ...] = ()  # the theme's primary and accent


@dataclass(slots=True)
class Drawn:
    """A chart as a reportlab ``Drawing``, and any characters no font could show."""

    drawing: Drawing
    missing: set[str] = field(default_factory=set)
    colours: tuple[str, ...] = ()


def draw_chart(chart: ChartData, style: ChartStyle, *, width: float,
               height: float | None = None) -> Drawn:
    """Draw ``chart`` ``width`` points wide (the height follows the type, unless given)."""
    fonts = _Fonts(style)
    colours = palette(len(chart.series), style.first_colours)
    horizontal = chart.type == "horizontal bar"
    if height is None:
        height = (_horizontal_height(chart) if horizontal else min(width * 0.5, 230.0))
    drawing = Drawing(width, height)
    # The renderer's starting font is Helvetica, unembedded, unless the drawing says otherwise.
    drawing.initialFontName = style.font
    drawing.initialFontSize = LABEL_SIZE
    top = height
    title = fonts.string(0, top - TITLE_SIZE, chart.title, TITLE_SIZE, style.text, bold=True)
    drawing.add(title)
    top -= TITLE_SIZE + 6
    if len(chart.series) > 1:
        top -= _legend(drawing, chart, colours, fonts, style, width, top) + 4
    plot = _plot(chart, style, fonts, colours, width, top)
    drawing.add(plot)
    return Drawn(drawing, fonts.missing, colours)


def _horizontal_height(chart: ChartData) -> float:
    rows = len(chart.categories) * max(1, len(chart.series))
    legend = LABEL_SIZE + 8 if len(chart.series) > 1 else 0
    return TITLE_SIZE + 10 + legend + rows * 13 + 16


class _Fonts:
    """Strings in the chart's fonts, with the fallback font for what the main one lacks."""

    def __init__(self, style: ChartStyle) -> None:
        self.style = style
        self.missing: set[str] = set()

    def name_for(self, text: str, bold: bool = False) -> str:
        name = self.style.bold if bold else self.style.font
        if _covers(name, text):
            return name
        if self.style.fallback and _covers(self.style.fallback, text):
            return self.style.fallback
        self.missing.update(c for c in text if not _covers(name, c))
        return name

    def string(self, x: float, y: float, text: str, size: float, colour: str, *,
               bold: bool = False, anchor: str = "start") -> String:
        return String(x, y, text, fontName=self.name_for(text, bold), fontSize=size,
                      fillColor=HexColor(colour), textAnchor=anchor)

    def width(self, text: str, size: float) -> float:
        return float(pdfmetrics.stringWidth(text, self.name_for(text), size))


def _covers(font: str, text: str) -> bool:
    face = getattr(pdfmetrics.getFont(font), "face", None)
    chars = getattr(face, "charToGlyph", None)
    if chars is None:  # pragma: no cover - not a TrueType font
        return True
    return all(ord(c) in chars or c in " \n" for c in text)


def _legend(drawing: Drawing, chart: ChartData, colours: tuple[str, ...], fonts: _Fonts,
            style: ChartStyle, width: float, top: float) -> float:
    """Swatches and series names in a row (wrapping), under the title; its height."""
    x, y, line = 0.0, top - LABEL_SIZE, LABEL_SIZE + 4
    for series, colour in zip(chart.series, colours, strict=False):
        item = 7 + 4 + fonts.width(series.label, LABEL_SIZE) + 12
        if x and x + item > width:
            x, y = 0.0, y - line
        drawing.add(Rect(x, y, 7, 7, fillColor=HexColor(colour), strokeColor=None))
        drawing.add(fonts.string(x + 11, y + 0.5, series.label, LABEL_SIZE, style.text))
        x += item
    return top - y


def _values(chart: ChartData) -> list[list[float | None]]:
    return [[None if v is None else float(v) for v in s.values] for s in chart.series]


def _value_range(chart: ChartData, stacked: bool) -> tuple[float, float]:
    data = _values(chart)
    if stacked:
        sums = [sum(v or 0.0 for v in column) for column in zip(*data, strict=True)]
        low, high = 0.0, max(sums, default=0.0)
    else:
        present = [v for series in data for v in series if v is not None]
        low, high = min(0.0, *present), max(0.0, *present)
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step or step


def _nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) giving about five gridlines."""
    if span <= 0:
        return 1.0
    raw = span / 5
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def _plot(chart: ChartData, style: ChartStyle, fonts: _Fonts, colours: tuple[str, ...],
          width: float, top: float) -> object:
    horizontal = chart.type == "horizontal bar"
    stacked = chart.type == "stacked bar"
    labelled = (chart.type in ("bar", "horizontal bar") and len(chart.series) == 1
                and len(chart.categories) <= VALUE_LABELS)
    low, high = _value_range(chart, stacked)
    step = _nice_step(high - low)
    ticks = [low + i * step for i in range(round((high - low) / step) + 1)]
    tick_width = max(fonts.width(chart.tick(t), LABEL_SIZE) for t in ticks)
    category_width = max(fonts.width(c, LABEL_SIZE) for c in chart.categories)

    if chart.type == "line":
        plot = HorizontalLineChart()
    elif horizontal:
        plot = HorizontalBarChart()
    else:
        plot = VerticalBarChart()
    plot.data = _values(chart)
    value_axis, category_axis = plot.valueAxis, plot.categoryAxis

    # Geometry: the value labels (or none) on the left, category labels below (or left).
    if horizontal:
        left = category_width + 6
        plot.x, plot.y = left, 4 if labelled else LABEL_SIZE + 8
        plot.width = width - left - (fonts.width(max(chart.series[0].texts, key=len), VALUE_SIZE)
                                     + 6 if labelled else 8)
        plot.height = top - plot.y - 2
    else:
        left = 0 if labelled else tick_width + 6
        slot = (width - left) / max(1, len(chart.categories))
        turned = chart.type != "line" and category_width > slot - 4
        below = (category_width * 0.72 + LABEL_SIZE + 6) if turned else LABEL_SIZE + 8
        plot.x, plot.y = left, below
        plot.width = width - left - 4
        plot.height = top - below - (VALUE_SIZE + 4 if labelled else 4)
        if turned:
            category_axis.labels.angle = 45
            category_axis.labels.boxAnchor = "ne"

    # The category axis: a muted baseline, no ticks.
    names = list(chart.categories)
    if chart.type == "line" and len(names) > LINE_LABELS:
        every = math.ceil(len(names) / LINE_LABELS)
        names = [n if i % every == 0 else "" for i, n in enumerate(names)]
    if horizontal:  # reportlab stacks categories upwards: the first row goes on top
        names.reverse()
        plot.data = [list(reversed(series)) for series in plot.data]
    category_axis.categoryNames = names
    category_axis.strokeColor = HexColor(style.muted)
    category_axis.strokeWidth = 0.6
    category_axis.visibleTicks = 0
    category_axis.labels.fontName = fonts.name_for("".join(chart.categories))
    category_axis.labels.fontSize = LABEL_SIZE
    category_axis.labels.fillColor = HexColor(style.text)
    if stacked:
        category_axis.style = "stacked"
    if chart.type == "line":
        category_axis.joinAxisMode = "bottom"

    # The value axis: light gridlines and round ticks, or nothing when bars carry values.
    value_axis.valueMin, value_axis.valueMax, value_axis.valueStep = low, high, step
    value_axis.visibleAxis = 0
    value_axis.visibleTicks = 0
    value_axis.labels.fontName = style.font
    value_axis.labels.fontSize = LABEL_SIZE
    value_axis.labels.fillColor = HexColor(style.muted)
    value_axis.labelTextFormat = chart.tick
    if labelled:
        value_axis.visibleLabels = 0
        value_axis.visibleGrid = 0
    else:
        value_axis.visibleGrid = 1
        value_axis.gridStrokeColor = HexColor(style.grid)
        value_axis.gridStrokeWidth = 0.5

    if chart.type == "line":
        for i, colour in enumerate(colours):
            plot.lines[i].strokeColor = HexColor(colour)
            plot.lines[i].strokeWidth = 1.6
            if len(chart.categories) <= 24:
                plot.lines[i].symbol = makeMarker("FilledCircle", size=3.2,
                                                  fillColor=HexColor(colour),
                                                  strokeColor=HexColor(colour))
        plot.joinedLines = 1
    else:
        for i, colour in enumerate(colours):
            plot.bars[i].fillColor = HexColor(colour)
            plot.bars[i].strokeColor = None
            plot.bars[i].strokeWidth = 0
        # Bars of a measured width (at most 28 pt, 14 pt lying down), the rest is space.
        across = len(chart.series) if chart.type != "stacked bar" else 1
        slot = (plot.height if horizontal else plot.width) / len(chart.categories)
        bar = min(14.0 if horizontal else 28.0, slot * (0.7 if horizontal else 0.62) / across)
        plot.barSpacing = 1.0 if across > 1 else 0.0
        plot.barWidth = bar
        plot.groupSpacing = max(1.0, slot - bar * across - plot.barSpacing * (across - 1))
    if chart.type != "line":
        plot.barLabels.fontName = fonts.name_for("".join(chart.series[0].texts))
        plot.barLabels.fontSize = VALUE_SIZE
        plot.barLabels.fillColor = HexColor(style.text)
    if labelled:
        first = chart.series[0]
        texts = {float(v): t for v, t in zip(first.values, first.texts, strict=True)
                 if v is not None}
        plot.barLabelFormat = lambda value, _texts=texts: _texts.get(value, "")
        plot.barLabels.boxAnchor = "w" if horizontal else "s"
        plot.barLabels.nudge = 3
        plot.barLabels.boxTarget = "hi"
    return plot
