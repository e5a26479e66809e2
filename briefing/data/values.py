"""The values data files hold: rows (``Record``), tables (``Dataset``), column types.

Plain and read-only, so the expression sandbox can hand them to templates without anything to
mutate or walk: a ``Record`` is a mapping of column names to typed values (int, Decimal, date,
str or None for an empty cell) that also knows where it came from (a CSV line or a JSON path),
so every error about a value can name the file, the line and the column.

Imports nothing but the standard library and the errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any, overload


class ColumnType(StrEnum):
    """What a column holds, decided from all its cells (``load``)."""

    INTEGER = "integer"  # int
    DECIMAL = "decimal"  # Decimal, with the data's own precision
    PERCENT = "percent"  # Decimal, as a fraction: "12,5 %" is Decimal("0.125")
    DATE = "date"  # datetime.date
    MONTH = "month"  # datetime.date, the first of the month ("décembre 2026", "2026-12")
    YEAR = "year"  # int, printed without grouping (a column named "year", "année"…)
    TEXT = "text"  # str
    EMPTY = "empty"  # no cell holds anything


#: Column types whose values are numbers (sums, charts, right alignment).
NUMERIC = frozenset({ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.PERCENT})
#: Column names that hold years, in the languages of ``words``: their numbers are years
#: ("2026", not "2 026") when every value is between 1000 and 2999.
YEAR_NAMES = frozenset({"year", "année", "annee", "an", "jahr", "año", "ano", "anno"})
#: Column types whose values are dates.
DATES = frozenset({ColumnType.DATE, ColumnType.MONTH})

Value = int | Decimal | dt.date | str | None


class Percent(Decimal):
    """A percentage, held as a fraction (``12 %`` is ``Percent("0.12")``); printed as a
    percentage. Arithmetic on it gives plain numbers."""

    __slots__ = ()


class Year(int):
    """A year (a column named "year", "année"…): printed without grouping (``2026``)."""

    __slots__ = ()


class Month(dt.date):
    """A month (``décembre 2026``, ``2026-12``), held as its first day; printed as a month."""

    __slots__ = ()


class Problem(Exception):
    """A problem found while evaluating data, before the file and line of the expression or
    block that asked are known; the caller turns it into a ``DataError`` with them."""


class Record(Mapping[str, Any]):
    """One row of a CSV file, or one JSON object: values by column name, read-only."""

    __slots__ = ("_index", "_values", "file", "origin")

    def __init__(self, index: Mapping[str, int], values: Sequence[Any], origin: int | str,
                 file: str) -> None:
        self._index = index  # shared by every row of a table
        self._values = tuple(values)
        #: The CSV line (1 = the header) or the JSON path ("regions[3]") it came from.
        self.origin = origin
        #: The data file's name, for messages.
        self.file = file

    def __getitem__(self, key: str) -> Any:
        position = self._index.get(key) if isinstance(key, str) else None
        if position is None:
            raise KeyError(key)
        return self._values[position] if position < len(self._values) else None

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return f"Record({dict(self)!r})"

    def place(self, column: str | None = None) -> str:
        """Where this row (and one of its columns) is: ``cases.csv, line 14, column "cases"``."""
        where = (f"{self.file}, line {self.origin}" if isinstance(self.origin, int)
                 else f"{self.file}, {self.origin}" if self.origin else self.file)
        return f'{where}, column "{column}"' if column is not None else where

    def missing(self, column: str) -> Problem:
        """The error for a column this row does not have."""
        what = "key" if isinstance(self.origin, str) else "column"
        known = suggest(str(column), self._index).replace("(columns:", f"({what}s:")
        return Problem(f"{self.place()} has no {what} {column!r}{known}")


class Dataset(Sequence[Record]):
    """A table of rows with named, typed columns: a CSV file, or a JSON list of objects."""

    __slots__ = ("_index", "columns", "file", "name", "rows", "types")

    def __init__(self, name: str, file: str, columns: Sequence[str],
                 types: Sequence[ColumnType], rows: Sequence[Record]) -> None:
        self.name = name  # the name the source gives it ("cases")
        self.file = file  # the file, for messages ("cases.csv")
        self.columns = tuple(columns)
        self.types = tuple(types)
        self.rows = tuple(rows)
        self._index = {column: i for i, column in enumerate(self.columns)}

    @overload
    def __getitem__(self, i: int) -> Record: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Record]: ...
    def __getitem__(self, i: int | slice) -> Record | Sequence[Record]:
        return self.rows[i]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.rows)

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, {len(self.rows)} rows, columns {list(self.columns)!r})"

    def column(self, name: str) -> int:
        """The position of a column, or a ``Problem`` naming the file and the columns it has."""
        if not isinstance(name, str) or name not in self._index:
            raise Problem(f"{self.file} has no column {name!r}{suggest(str(name), self.columns)}")
        return self._index[name]

    def type_of(self, name: str) -> ColumnType:
        """The type of a column."""
        return self.types[self.column(name)]


def suggest(name: str, known: Iterable[str]) -> str:
    """``; did you mean "region"? (columns: region, cases)``, for messages."""
    names = list(known)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
    return f"{hint} (columns: {shown})" if names else hint


def is_number(value: object) -> bool:
    """Whether a value is a number (bool is not)."""
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


def dataset_of(value: object, name: str, file: str) -> Dataset:
    """A ``Dataset`` from loaded data: a CSV table as is, a JSON list of objects as a table
    (columns in first-seen order, typed from the JSON values), or a ``Problem``."""
    if isinstance(value, Dataset):
        return value
    if not isinstance(value, tuple) or not all(isinstance(v, Record) for v in value):
        raise Problem(f"{name} is not a table: give a CSV file, or a JSON list of objects")
    columns: dict[str, None] = {}
    for record in value:
        columns.update(dict.fromkeys(record))
    index = {column: i for i, column in enumerate(columns)}
    rows = [Record(index, [record.get(c) for c in columns], record.origin, file)
            for record in value]
    types = [_type_of([row[c] for row in rows]) for c in columns]
    return Dataset(name, file, list(columns), types, rows)


def _type_of(values: list[Any]) -> ColumnType:
    present = [v for v in values if v is not None]
    if not present:
        return ColumnType.EMPTY
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return ColumnType.INTEGER
    if all(is_number(v) for v in present):
        return ColumnType.DECIMAL
    return ColumnType.TEXT
