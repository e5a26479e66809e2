"""Tables from data: a ```` ```table ```` block's spec → header, formatted rows, alignment.

The block's body is YAML::

    data: cases                  # a data name, or a path into JSON data (status.regions)
    columns:                     # names, or mappings; default: every column
      - region
      - {column: cases, header: Cases, format: number, digits: 0}
      - {column: share, header: Share, format: percent, digits: 1}
      - {column: date, header: Date, format: date, style: short}
    sort: -cases                 # or a list: [region, -cases]; "-" sorts descending
    limit: 10                    # the first rows after sorting (at most MAX_ROWS)
    total: true                  # or {label: All regions, columns: [cases]}

Formats: ``number``, ``percent``, ``date`` (style ``short``, ``medium`` (the default),
``long``, ``full``, ``month``, ``day``) and ``text``; by default each column's type decides
(numbers in the language, dates ``medium``, text as is). Numbers are aligned right, the rest
left, unless ``align`` says otherwise. The total row sums the numeric columns (or those named)
over **every** row of the data, not only those shown after ``limit``; its first cell says
"Total" in the language unless ``label`` says otherwise.

``build_table`` gives a ``DataTable``: plain strings that map one to one to the model's
``Table(header, rows, align)`` (the total row is the last row, and ``total`` says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from briefing.data import formats
from briefing.data.spec import Checker, check_columns, dataset, sort_keys, sorted_rows
from briefing.data.values import NUMERIC, ColumnType, Dataset, Problem, is_number
from briefing.data.words import words
from briefing.errors import DataError

#: Most rows a table prints (before its total row): a longer table is pages of figures no
#: one reads in print; sort and ``limit`` it, or aggregate the data.
MAX_ROWS = 1000
FORMATS = ("number", "percent", "date", "text")
ALIGNS = ("left", "center", "right")
_KEYS = ("data", "columns", "sort", "limit", "total")
_COLUMN_KEYS = ("column", "header", "format", "digits", "style", "align")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table from data."""

    column: str  # the data's column
    header: str  # printed in the header row
    format: str | None = None  # number, percent, date, text; None: by the column's type
    digits: int | None = None  # decimals of numbers and percentages
    style: str | None = None  # of dates
    align: str | None = None  # left, center, right; None: numbers right, the rest left


@dataclass(frozen=True, slots=True)
class Total:
    """The total row: a label and the columns summed (None: every numeric column)."""

    label: str | None = None
    columns: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A ```` ```table ```` block, checked."""

    data: str
    columns: tuple[Column, ...] = ()  # empty: every column of the data
    sort: tuple[tuple[str, bool], ...] = ()  # (column, descending)
    limit: int | None = None
    total: Total | None = None


@dataclass(frozen=True, slots=True)
class DataTable:
    """A table ready for the model: the same shape as ``model.Table``, as plain strings."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]
    total: bool = False  # the last row is a total row


def table_spec(mapping: Mapping[str, Any], *, where: str) -> TableSpec:
    """Check a table block's keys (``spec.read_block`` gives the mapping)."""
    check = Checker(where)
    check.keys(mapping, _KEYS, ("data",))
    data = check.text(mapping["data"], "data")
    columns: list[Column] = []
    if "columns" in mapping:
        items = mapping["columns"]
        if not isinstance(items, list) or not items:
            raise check.fail("columns", "expected a list of columns")
        columns = [_column(check, item, f"columns[{i}]") for i, item in enumerate(items)]
    limit = check.whole(mapping["limit"], "limit", 1, MAX_ROWS) if "limit" in mapping else None
    return TableSpec(data, tuple(columns), sort_keys(check, mapping["sort"])
                     if "sort" in mapping else (), limit, _total(check, mapping.get("total")))


def _column(check: Checker, item: Any, key: str) -> Column:
    if not isinstance(item, dict):
        name = check.text(item, key)
        return Column(name, name)
    check.keys(item, _COLUMN_KEYS, ("column",), prefix=f"{key}.")
    name = check.text(item["column"], f"{key}.column")
    header = check.text(item["header"], f"{key}.header") if "header" in item else name
    fmt = check.choice(item["format"], f"{key}.format", FORMATS) if "format" in item else None
    digits = check.whole(item["digits"], f"{key}.digits", 0, 6) if "digits" in item else None
    style = (check.choice(item["style"], f"{key}.style", formats.DATE_STYLES)
             if "style" in item else None)
    align = check.choice(item["align"], f"{key}.align", ALIGNS) if "align" in item else None
    if digits is not None and fmt not in (None, "number", "percent"):
        raise check.fail(f"{key}.digits", "only numbers and percentages have decimals")
    if style is not None and fmt not in (None, "date"):
        raise check.fail(f"{key}.style", "only dates have a style")
    return Column(name, header, fmt, digits, style, align)


def _total(check: Checker, value: Any) -> Total | None:
    if value is None or value is False:
        return None
    if value is True:
        return Total()
    if not isinstance(value, dict):
        raise check.fail("total", "expected true, or {label: …, columns: […]}")
    check.keys(value, ("label", "columns"), (), prefix="total.")
    label = check.text(value["label"], "total.label") if "label" in value else None
    columns = None
    if "columns" in value:
        columns = tuple(check.text(c, f"total.columns[{i}]")
                        for i, c in enumerate(check.names(value["columns"], "total.columns")))
    return Total(label, columns)


def build_table(spec: TableSpec, data: Mapping[str, Any], *, lang: str,
                where: str) -> DataTable:
    """The table's header, rows of formatted cells and alignment, from the data."""
    table = dataset(data, spec.data, where=where)
    columns = spec.columns or tuple(Column(c, c) for c in table.columns)
    check_columns(table, [c.column for c in columns], "columns", where)
    check_columns(table, [c for c, _ in spec.sort], "sort", where)
    rows = sorted_rows(table.rows, spec.sort)
    shown = rows[:spec.limit] if spec.limit is not None else rows
    if len(shown) > MAX_ROWS:
        raise DataError(f"{where}: the table would print {len(shown):,} rows (at most "
                        f"{MAX_ROWS:,}); add limit: and sort:, or aggregate the data")
    types = [table.type_of(c.column) for c in columns]
    body = []
    for row in shown:
        body.append(tuple(_cell(row[c.column], c, t, lang, row.place(c.column), where)
                          for c, t in zip(columns, types, strict=True)))
    if spec.total is not None:
        body.append(_total_row(spec.total, table, columns, types, lang, where))
    align = tuple(c.align or ("right" if _numeric(c, t) else "left")
                  for c, t in zip(columns, types, strict=True))
    return DataTable(tuple(c.header for c in columns), tuple(body), align,
                     total=spec.total is not None)


def _numeric(column: Column, kind: ColumnType) -> bool:
    if column.format is not None:
        return column.format in ("number", "percent")
    return kind in NUMERIC or kind is ColumnType.YEAR


def _cell(value: Any, column: Column, kind: ColumnType, lang: str, place: str,
          where: str) -> str:
    try:
        if value is None:
            return ""
        if column.format == "text":
            return str(value)
        if column.format == "number" or (column.format is None and column.digits is not None
                                         and kind is not ColumnType.PERCENT):
            return formats.number(value, lang, column.digits)
        if column.format == "percent" or (kind is ColumnType.PERCENT and column.format is None):
            return formats.percent(value, lang, column.digits)
        if column.format == "date" or column.style is not None:
            return formats.date(value, lang, column.style or "medium")
        return formats.value(value, kind, lang, "medium")
    except Problem as exc:
        raise DataError(f"{where}: {place}: {exc}") from None


def _total_row(total: Total, table: Dataset, columns: tuple[Column, ...],
               types: list[ColumnType], lang: str, where: str) -> tuple[str, ...]:
    summed = set(total.columns) if total.columns is not None else {
        c.column for c, t in zip(columns, types, strict=True)
        if t in (ColumnType.INTEGER, ColumnType.DECIMAL) and c.format in (None, "number")}
    if total.columns is not None:
        check_columns(table, list(summed), "total.columns", where)
        missing = summed - {c.column for c in columns}
        if missing:
            raise DataError(f"{where}: total.columns: {sorted(missing)[0]!r} is not a column "
                            "of the table")
    cells = []
    for c, kind in zip(columns, types, strict=True):
        if c.column not in summed:
            cells.append("")
            continue
        values = []
        for row in table.rows:
            value = row[c.column]
            if value is None:
                continue
            if not is_number(value):
                raise DataError(f"{where}: total: {row.place(c.column)}: "
                                f"{str(value)[:40]!r} is not a number")
            values.append(value)
        amount = sum(values[1:], values[0]) if values else 0
        cells.append(_cell(amount, c, kind, lang, f"total of {c.column!r}", where))
    if not cells[0]:
        cells[0] = total.label or words(lang)["total"]
    elif total.label:
        raise DataError(f"{where}: total.label: the first column is summed; put a text column "
                        "first to hold the label")
    return tuple(cells)
