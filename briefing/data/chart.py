"""Charts from data: a ```` ```chart ```` block's spec → series, alt text, and a data table.

The block's body is YAML::

    type: bar                    # bar, horizontal bar, line, stacked bar
    data: cases                  # a data name, or a path into JSON data
    x: region                    # the categories (or dates, for a line)
    y: cases                     # one series, or several: [cases, deaths], or
                                 # [{column: cases, label: Cases}, …]
    title: Cases by region       # default: "<y> by <x>" in the language
    sort: -cases                 # optional, as in tables
    limit: 12                    # optional: the first rows after sorting
    format: number               # or percent: how values and the axis are written
    digits: 0

Each type has a most points it can show legibly in print (``LIMITS``); more is an error that
says what to do, never an unreadable chart. The alt text is written from the data in the
briefing's language ("Bar chart, cases by region: North 1 204, the highest; …") and the data
is also given as a table (header and rows), for screen readers. ``draw.draw_chart`` draws it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from briefing.data import formats
from briefing.data.spec import Checker, check_columns, dataset, sort_keys, sorted_rows
from briefing.data.values import ColumnType, Problem, Record, is_number
from briefing.data.words import words
from briefing.errors import DataError

TYPES = ("bar", "horizontal bar", "line", "stacked bar")
_ALIASES = {"hbar": "horizontal bar", "horizontal-bar": "horizontal bar", "column": "bar",
            "stacked": "stacked bar", "stacked-bar": "stacked bar"}


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one chart type shows legibly on a printed page."""

    categories: int  # x values
    series: int
    marks: int  # bars (categories × series), or points of a line (categories × series)


LIMITS = {
    "bar": Limits(categories=24, series=4, marks=48),
    "horizontal bar": Limits(categories=30, series=3, marks=45),
    "stacked bar": Limits(categories=24, series=6, marks=144),
    "line": Limits(categories=400, series=6, marks=1200),
}
#: Points listed one by one in the alt text; past this, each series is summarised.
ALT_POINTS = 12
_KEYS = ("type", "data", "x", "y", "title", "sort", "limit", "format", "digits")


@dataclass(frozen=True, slots=True)
class Series:
    """One series: a column of numbers and its label."""

    column: str
    label: str


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A ```` ```chart ```` block, checked."""

    type: str
    data: str
    x: str
    y: tuple[Series, ...]
    title: str | None = None
    sort: tuple[tuple[str, bool], ...] = ()
    limit: int | None = None
    format: str = "number"  # or percent
    digits: int | None = None


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """A series' label, values (None: no value) and the values as the language writes them."""

    label: str
    values: tuple[Decimal | None, ...]
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ChartData:
    """What a chart shows, ready to draw, describe and tabulate."""

    type: str
    title: str
    x_label: str
    categories: tuple[str, ...]  # the x values as the language writes them, short
    series: tuple[ChartSeries, ...]
    lang: str
    format: str = "number"  # or percent
    digits: int | None = None
    spoken: tuple[str, ...] = ()  # the x values written out, for the alt text

    def tick(self, value: float) -> str:
        """An axis value as the language writes it."""
        amount = Decimal(str(round(value, 6))).normalize()
        places = max(0, -_exponent(amount))
        amount = amount.quantize(Decimal(1).scaleb(-places))
        if self.format == "percent":
            return formats.percent(amount, self.lang, max(0, places - 2))
        return formats.number(amount, self.lang, places)


def _exponent(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def chart_spec(mapping: Mapping[str, Any], *, where: str) -> ChartSpec:
    """Check a chart block's keys (``spec.read_block`` gives the mapping)."""
    check = Checker(where)
    check.keys(mapping, _KEYS, ("type", "data", "x", "y"))
    raw_type = mapping["type"]
    kind = _ALIASES.get(str(raw_type).strip().lower(), raw_type)
    kind = check.choice(kind, "type", TYPES)
    ys = []
    for i, item in enumerate(check.names(mapping["y"], "y")):
        key = f"y[{i}]" if isinstance(mapping["y"], list) else "y"
        if isinstance(item, dict):
            check.keys(item, ("column", "label"), ("column",), prefix=f"{key}.")
            column = check.text(item["column"], f"{key}.column")
            label = check.text(item["label"], f"{key}.label") if "label" in item else column
        else:
            column = label = check.text(item, key)
        ys.append(Series(column, label))
    if not ys:
        raise check.fail("y", "name at least one column of numbers")
    limits = LIMITS[kind]
    if len(ys) > limits.series:
        raise check.fail("y", f"{len(ys)} series (a {kind} chart shows at most "
                         f"{limits.series}); make several charts")
    return ChartSpec(
        type=kind,
        data=check.text(mapping["data"], "data"),
        x=check.text(mapping["x"], "x"),
        y=tuple(ys),
        title=check.text(mapping["title"], "title") if "title" in mapping else None,
        sort=sort_keys(check, mapping["sort"]) if "sort" in mapping else (),
        limit=check.whole(mapping["limit"], "limit", 1, limits.categories)
        if "limit" in mapping else None,
        format=check.choice(mapping["format"], "format", ("number", "percent"))
        if "format" in mapping else "number",
        digits=check.whole(mapping["digits"], "digits", 0, 6) if "digits" in mapping else None,
    )


def chart_data(spec: ChartSpec, data: Mapping[str, Any], *, lang: str, where: str) -> ChartData:
    """The chart's categories and series from the data, within the type's limits."""
    table = dataset(data, spec.data, where=where)
    check_columns(table, [spec.x], "x", where)
    check_columns(table, [s.column for s in spec.y], "y", where)
    check_columns(table, [c for c, _ in spec.sort], "sort", where)
    rows = sorted_rows(table.rows, spec.sort)
    if spec.limit is not None:
        rows = rows[:spec.limit]
    limits = LIMITS[spec.type]
    marks = len(rows) * len(spec.y)
    if len(rows) > limits.categories or marks > limits.marks:
        advice = ("add limit: (with sort:) or aggregate the data" if spec.type == "line"
                  else "add limit: (with sort:), or use a line chart for a long series")
        most = min(limits.categories, limits.marks // len(spec.y))
        raise DataError(f"{where}: {len(rows):,} values of {spec.x!r} is too many for a "
                        f"{spec.type} chart (at most {most:,} with {_count(len(spec.y))}); "
                        f"{advice}")
    if not rows:
        raise DataError(f"{where}: the data has no rows to chart")
    x_type = table.type_of(spec.x)
    categories = tuple(_category(row, spec.x, x_type, lang, "medium", where) for row in rows)
    spoken = tuple(_category(row, spec.x, x_type, lang, "long", where) for row in rows)
    series = tuple(_series(spec, s, rows, lang, where) for s in spec.y)
    x_label = spec.x
    title = spec.title or words(lang)["by"].format(
        y=_join([s.label for s in spec.y], lang), x=x_label)
    title = title[:1].upper() + title[1:]  # a default title made of column names
    return ChartData(spec.type, title, x_label, categories, series, lang, spec.format,
                     spec.digits, spoken)


def _category(row: Record, column: str, kind: ColumnType, lang: str, style: str,
              where: str) -> str:
    try:
        return formats.value(row[column], kind, lang, style)
    except Problem as exc:  # pragma: no cover - every cell of a typed column prints
        raise DataError(f"{where}: {row.place(column)}: {exc}") from None


def _series(spec: ChartSpec, series: Series, rows: list[Record], lang: str,
            where: str) -> ChartSeries:
    values: list[Decimal | None] = []
    texts: list[str] = []
    for row in rows:
        value = row[series.column]
        if value is None:
            values.append(None)
            texts.append("")
            continue
        if not is_number(value):
            raise DataError(f"{where}: y: {row.place(series.column)}: {str(value)[:40]!r} is "
                            "not a number; a chart shows columns of numbers")
        amount = value if isinstance(value, Decimal) else Decimal(value)
        if spec.type == "stacked bar" and amount < 0:
            raise DataError(f"{where}: y: {row.place(series.column)}: a stacked bar chart "
                            "cannot show a negative value; use a bar chart")
        values.append(amount)
        try:
            texts.append(formats.percent(amount, lang, spec.digits) if spec.format == "percent"
                         else formats.number(amount, lang, spec.digits))
        except Problem as exc:
            raise DataError(f"{where}: y: {row.place(series.column)}: {exc}") from None
    if all(v is None for v in values):
        raise DataError(f"{where}: y: the column {series.column!r} has no value to chart")
    return ChartSeries(series.label, tuple(values), tuple(texts))


def _count(series: int) -> str:
    return "1 series" if series == 1 else f"{series} series"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {words(lang)['and']} " + items[-1]


def _lower_first(text: str) -> str:
    """``Cases by region`` → ``cases by region`` (an acronym such as ``ICU`` stays)."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() and len(first) > 1 else text[:1].lower() + text[1:]


def alt_text(chart: ChartData) -> str:
    """What a screen reader says for the chart, written from its data in its language:
    every point when there are few (the highest and lowest named), a summary otherwise."""
    w = words(chart.lang)
    head = f"{w['chart.' + chart.type]}, {_lower_first(chart.title)}"
    parts = []
    for series in chart.series:
        label = f"{series.label}{w['colon']}" if len(chart.series) > 1 else ""
        parts.append(label + (_every_point(chart, series) if len(chart.categories) <= ALT_POINTS
                              else _summary(chart, series)))
    if len(chart.series) == 1:
        return f"{head}{w['colon']}{parts[0]}."
    return f"{head}. " + ". ".join(p[:1].upper() + p[1:] for p in parts) + "."


def _every_point(chart: ChartData, series: ChartSeries) -> str:
    w = words(chart.lang)
    present = [v for v in series.values if v is not None]
    high, low = max(present), min(present)
    items = []
    for category, value, text in zip(chart.spoken or chart.categories, series.values,
                                     series.texts, strict=True):
        if value is None:
            continue
        note = (f", {w['highest']}" if value == high and high != low else
                f", {w['lowest']}" if value == low and high != low else "")
        items.append(f"{category} {text}{note}")
    return w["semicolon"].join(items)


def _summary(chart: ChartData, series: ChartSeries) -> str:
    w = words(chart.lang)
    points = [(c, v, t) for c, v, t in zip(chart.spoken or chart.categories, series.values,
                                           series.texts, strict=True) if v is not None]
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    summary = w["summary"].format(n=len(points), first=points[0][0], last=points[-1][0])
    extremes = w["extremes"].format(high=high[2], high_at=high[0], low=low[2], low_at=low[0],
                                    last=points[-1][2])
    return f"{summary}{w['semicolon']}{extremes}"


def data_table(chart: ChartData) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The chart's data as a table (header, rows), for screen readers: x, then each series."""
    header = (chart.x_label, *(s.label for s in chart.series))
    rows = tuple((category, *(s.texts[i] for s in chart.series))
                 for i, category in enumerate(chart.categories))
    return header, rows
