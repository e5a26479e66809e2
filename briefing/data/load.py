"""Data files → values: a CSV file becomes a typed ``Dataset``, a JSON file its values as is.

CSV: UTF-8 with or without BOM; the delimiter sniffed among comma, semicolon, tab and ``|``
(the one that splits the first rows into as many fields as the header, most fields first);
``"`` quotes, doubled inside; a header row naming every column once; blank lines skipped.
Each column is typed from all its cells in the briefing's language (``formats.cell_parser``):
integer, decimal, percentage, date, month or text; an empty cell, or one of
``MISSING_MARKERS`` in a column of numbers or dates, is empty (``None``).

JSON: objects become read-only ``Record``\\ s (values by key, with their JSON path for
messages), arrays tuples, decimals ``Decimal`` (exact), other values as they are.

Bounded: a file is read up to its byte limit (``MAX_BYTES`` unless the caller says), a CSV
file holds at most ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns, a JSON file nests at most
``MAX_DEPTH`` levels; past a limit, one clear error. Every error names the file, and the line
and column when there is one.

The caller resolves the path (the path policy: a file beside the source or in the assets, no
``..``, no URL) and gives the byte limit; ``read_bounded`` then reads it as a regular file
only, never more than the limit.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from briefing.data.formats import cell_parser
from briefing.data.values import (
    YEAR_NAMES,
    ColumnType,
    Dataset,
    Month,
    Percent,
    Record,
    Value,
    Year,
)
from briefing.errors import DataError

#: Largest data file read, in bytes, unless the caller gives another limit.
MAX_BYTES = 20 * 1024 * 1024
#: Most rows (after the header) in a CSV file: 50,000 rows type in about a second and a
#: half; past this, aggregate the export first.
MAX_ROWS = 50_000
#: Most columns in a CSV file.
MAX_COLUMNS = 200
#: Deepest nesting of arrays and objects in a JSON file.
MAX_DEPTH = 64
#: Cells that stand for "no value" in a column of numbers or dates (kept as text elsewhere).
MISSING_MARKERS = frozenset({"-", "–", "—", "n/a", "N/A", "NA", "na", "null", "NULL", "None",
                             "nd", "n.d.", "?"})

FORMATS = {".csv": "csv", ".tsv": "csv", ".json": "json"}
_DELIMITERS = ("\t", ";", ",", "|")
_SNIFF_LINES = 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_data(path: str | os.PathLike[str], *, name: str, lang: str, shown: str | None = None,
              limit: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Any:
    """Read a data file already allowed by the path policy: a ``Dataset`` for CSV, values for
    JSON. ``name`` is the data's name in the source (``cases``), ``shown`` the file as
    messages name it (default: the path as given)."""
    shown = shown or os.fspath(path)
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise DataError(f"{shown}: data files are .csv, .tsv or .json files; "
                        "export the data in one of these formats")
    return parse_data(read_bounded(path, shown, limit), name=name, file=shown, fmt=fmt,
                      lang=lang, max_rows=max_rows)


def read_bounded(path: str | os.PathLike[str], shown: str, limit: int) -> bytes:
    """A regular file's bytes, never more than ``limit``: folders, FIFOs and devices are
    refused without blocking on them."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise DataError(f"{shown}: no such data file; check the name in the source") from None
    except PermissionError:
        raise DataError(f"{shown}: permission denied; make the data file readable") from None
    except OSError as exc:
        raise DataError(f"{shown}: cannot be read ({os.strerror(exc.errno or 0)})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise DataError(f"{shown}: is not a regular file; give a CSV or JSON file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise DataError(f"{shown}: the data file is larger than the limit of "
                            f"{_size(limit)}; aggregate or split the export")
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise DataError(f"{shown}: the data file is larger than the limit of {_size(limit)}; "
                        "aggregate or split the export")
    return raw


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def parse_data(raw: bytes, *, name: str, file: str, fmt: str, lang: str,
               max_rows: int = MAX_ROWS) -> Any:
    """A data file's bytes as values: ``fmt`` is ``csv`` or ``json``."""
    text = decode(raw, file)
    if fmt == "json":
        return parse_json(text, file)
    return parse_csv(text, name=name, file=file, lang=lang, max_rows=max_rows)


def decode(raw: bytes, file: str) -> str:
    """UTF-8 (a BOM is dropped), line endings normalised; binary data, other encodings and
    control characters refused, naming the line and column."""
    if b"\x00" in raw:
        raise DataError(f"{file}: this is not a text file (it contains binary data); "
                        "export the data as CSV or JSON")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        raise DataError(f"{file}, line {line}, column {column}: not valid UTF-8; export the "
                        "data as UTF-8 (in a spreadsheet: CSV UTF-8)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if found := _CONTROL.search(text):
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise DataError(f"{file}, line {line}, column {column}: a control character "
                        f"(U+{ord(found.group()):04X}); remove it")
    if not text.strip():
        raise DataError(f"{file}: the data file is empty")
    return text


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


# --- CSV --------------------------------------------------------------------------------------


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into as many fields as the header (the most
    fields when several do; comma for a single column)."""
    head = [line for line in text[:65536].split("\n")[:200] if line.strip()][:_SNIFF_LINES]
    best, best_fields = ",", 1
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(head, delimiter=delimiter))
        except csv.Error:
            continue
        fields = len(rows[0]) if rows else 0
        consistent = all(len(row) == fields for row in rows)
        if consistent and fields > best_fields:
            best, best_fields = delimiter, fields
    if best_fields == 1:  # no delimiter splits every row alike: the one the header uses most
        counts = {d: head[0].count(d) for d in _DELIMITERS} if head else {}
        best = max(counts, key=lambda d: counts[d], default=",") if any(counts.values()) else ","
    return best


def _records(text: str, delimiter: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, its fields), blank lines skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for fields in reader:
            if any(field.strip() for field in fields):
                yield line, fields
            line = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"{file}, line {line}: {_csv_problem(str(exc))}") from None


def _csv_problem(message: str) -> str:
    if "field larger than field limit" in message:
        return "a cell is longer than 131,072 characters; is a quote left open?"
    if "quote" in message or "EOF" in message or "end of data" in message:
        return ('a quote is not closed or stray: put quotes around the whole cell and '
                'double a quote inside it ("")')
    return "not a valid CSV line"


def _fields(n: int) -> str:
    return "1 field" if n == 1 else f"{n} fields"


def _label(delimiter: str) -> str:
    return {"\t": "tab", ";": "semicolon", ",": "comma", "|": "'|'"}[delimiter]


def parse_csv(text: str, *, name: str, file: str, lang: str, max_rows: int = MAX_ROWS) -> Dataset:
    """A CSV text as a typed table (see the module's docstring)."""
    delimiter = sniff_delimiter(text)
    records = _records(text, delimiter, file)
    first = next(records, None)
    if first is None:  # pragma: no cover - decode() refuses blank files
        raise DataError(f"{file}: the data file is empty")
    columns = _header(first[1], file)
    width = len(columns)
    lines: list[int] = []
    cells: list[list[str]] = []
    for line, fields in records:
        if len(fields) > width and not any(f.strip() for f in fields[width:]):
            fields = fields[:width]  # trailing empty fields, as some spreadsheets write them
        if len(fields) != width:
            raise DataError(
                f"{file}, line {line}: {_fields(len(fields))} where the header has {width} "
                f"(read with the {_label(delimiter)} as delimiter); quote cells that contain "
                "it, or give every row the header's columns")
        if len(cells) >= max_rows:
            raise DataError(f"{file}: more than {max_rows:,} rows (the limit for a data file); "
                            "aggregate or filter the export first")
        lines.append(line)
        cells.append([f.strip() for f in fields])
    types, values = _typed(columns, cells, lang)
    index = {column: i for i, column in enumerate(columns)}
    rows = [Record(index, row, line, file) for line, row in zip(lines, values, strict=True)]
    return Dataset(name, file, columns, types, rows)


def _header(fields: list[str], file: str) -> list[str]:
    if len(fields) > MAX_COLUMNS:
        raise DataError(f"{file}, line 1: {len(fields)} columns (at most {MAX_COLUMNS})")
    columns = [f.strip() for f in fields]
    seen: dict[str, int] = {}
    for position, column in enumerate(columns, 1):
        if not column:
            raise DataError(f"{file}, line 1, column {position}: the column has no name; "
                            "name every column in the header row")
        if column in seen:
            raise DataError(f'{file}, line 1: the column "{column}" appears twice (columns '
                            f"{seen[column]} and {position}); give each column its own name")
        seen[column] = position
    return columns


def _typed(columns: list[str], cells: list[list[str]],
           lang: str) -> tuple[list[ColumnType], list[list[Value]]]:
    """Each column's type, and the rows with typed values."""
    parsers = cell_parser(lang).parsers
    values: list[list[Value]] = [list(row) for row in cells]
    types: list[ColumnType] = []
    for c, column in enumerate(columns):
        distinct = {row[c] for row in cells} - {""}
        present = distinct - MISSING_MARKERS
        if not distinct:
            types.append(ColumnType.EMPTY)
            for row in values:
                row[c] = None
            continue
        kind, read = _column_type(present, parsers)
        if read is None:
            types.append(ColumnType.TEXT)
            for row in values:
                if row[c] == "":
                    row[c] = None
            continue
        table = {cell: read(cell) for cell in present}
        if kind is ColumnType.INTEGER and column.casefold() in YEAR_NAMES and all(
                1000 <= v <= 2999 for v in table.values()):
            kind = ColumnType.YEAR
        types.append(kind)
        if kind in _WRAP:
            table = {cell: _WRAP[kind](v) for cell, v in table.items()}
        for row in values:
            row[c] = table.get(row[c])  # type: ignore[arg-type]
    return types, values


_WRAP: dict[ColumnType, Any] = {
    ColumnType.PERCENT: Percent,
    ColumnType.YEAR: Year,
    ColumnType.MONTH: lambda d: Month(d.year, d.month, 1),
}


def _column_type(cells: set[str], parsers: Any) -> tuple[ColumnType, Any]:
    """The first parser that reads every cell (its type and function), or (TEXT, None)."""
    if not cells:
        return ColumnType.TEXT, None
    for kind, read in parsers:
        if all(read(cell) is not None for cell in cells):
            return kind, read
    return ColumnType.TEXT, None


# --- JSON -------------------------------------------------------------------------------------


def parse_json(text: str, file: str) -> Any:
    """A JSON text as values: objects as ``Record``, arrays as tuples, decimals exact."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise DataError(f"{file}, line {exc.lineno}, column {exc.colno}: not valid JSON "
                        f"({exc.msg.lower()})") from None
    except RecursionError:
        raise DataError(f"{file}: nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # NaN or Infinity, an integer of thousands of digits
        raise DataError(f"{file}: {exc}") from None
    _check_depth(data, file)
    return _values(data, "", file)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows; write null for a missing value")


def _check_depth(data: Any, file: str) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DataError(f"{file}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _values(data: Any, path: str, file: str) -> Any:
    if isinstance(data, dict):
        index = {key: i for i, key in enumerate(data)}
        return Record(index, [_values(v, f"{path}.{k}" if path else k, file)
                              for k, v in data.items()], path, file)
    if isinstance(data, list):
        return tuple(_values(v, f"{path}[{i}]", file) for i, v in enumerate(data))
    return data


def row_record(cells: Mapping[str, str], *, lang: str, file: str,
               origin: int | str = "") -> Record:
    """One row given as its cells' texts (a fan-out's row), typed as a one-row CSV file."""
    columns = list(cells)
    types, values = _typed(columns, [[str(cells[c]).strip() for c in columns]], lang)
    del types
    return Record({c: i for i, c in enumerate(columns)}, values[0], origin, file)


def cell_text(value: Value) -> str:
    """A typed value as a cell that ``row_record`` reads back to the same value."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{(value * 100).normalize():f}%"
    if isinstance(value, Month):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
