"""What ```` ```table ```` and ```` ```chart ```` blocks share: their YAML body read and checked,
the data they name, sorting and limits.

Every problem is a ``DataError`` that starts with ``where`` (``article.md, line 30 (table)``)
and names the key (``columns[1].format: …``); unknown keys suggest the closest known one.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from briefing.data.values import Dataset, Problem, Record, dataset_of, is_number
from briefing.errors import DataError

#: Largest YAML body of a table or chart block, in characters.
MAX_SPEC = 20_000


def read_block(body: str, *, where: str, line: int = 1) -> dict[str, Any]:
    """A block's YAML body as a mapping; ``line`` is the file's line of the body's first line."""
    if len(body) > MAX_SPEC:
        raise DataError(f"{where}: the block is longer than {MAX_SPEC:,} characters")
    try:
        value = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"line {line + mark.line}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise DataError(f"{where}: {at}{problem}; the block's body is YAML "
                        "(key: value, one per line)") from None
    if not isinstance(value, dict):
        raise DataError(f"{where}: the block's body must be YAML keys (data: …, columns: …)")
    return value


class Checker:
    """Checks the keys of a block's mapping, each problem naming the key."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, key: str, problem: str) -> DataError:
        return DataError(f"{self.where}: {key}: {problem}" if key else f"{self.where}: {problem}")

    def keys(self, mapping: Mapping[Any, Any], allowed: Sequence[str], required: Sequence[str],
             prefix: str = "") -> None:
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                raise self.fail(f"{prefix}{key}", f"unknown key{hint} (keys: "
                                f"{', '.join(allowed)})")
        for key in required:
            if key not in mapping:
                raise self.fail(f"{prefix}{key}", "missing")

    def text(self, value: Any, key: str, *, longest: int = 200) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(key, "expected a text")
        text = str(value).strip()
        if not text or len(text) > longest:
            raise self.fail(key, f"expected a text of 1 to {longest} characters")
        if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text):
            raise self.fail(key, "contains a control character")
        return text

    def whole(self, value: Any, key: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(key, f"expected a whole number from {low} to {high:,}")
        return value

    def choice(self, value: Any, key: str, choices: Sequence[str]) -> str:
        text = str(value).strip().lower() if isinstance(value, str) else ""
        if text not in choices:
            close = difflib.get_close_matches(str(value), choices, n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            raise self.fail(key, f"{value!r} is not one of {', '.join(choices)}{hint}")
        return text

    def names(self, value: Any, key: str) -> list[Any]:
        """A list, or one item standing for a list of one."""
        return list(value) if isinstance(value, list) else [value]


def sort_keys(checker: Checker, value: Any) -> tuple[tuple[str, bool], ...]:
    """``sort: cases``, ``-cases`` (descending) or a list of them → (column, descending)."""
    out = []
    for i, item in enumerate(checker.names(value, "sort")):
        key = f"sort[{i}]" if isinstance(value, list) else "sort"
        text = checker.text(item, key)
        descending = text.startswith("-")
        out.append((text.lstrip("-+").strip(), descending))
    return tuple(out)


def dataset(data: Mapping[str, Any], ref: str, *, where: str) -> Dataset:
    """The table a block names: a data name (``cases``) or a path into JSON data
    (``status.regions``)."""
    name, *path = ref.split(".")
    if name not in data:
        close = difflib.get_close_matches(name, list(data), n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        known = ", ".join(data) or "none: declare data in the front matter"
        raise DataError(f"{where}: data: no data named {name!r}{hint} (data: {known})")
    value = data[name]
    file = value.file if isinstance(value, Dataset | Record) else name
    for part in path:
        if not isinstance(value, Record) or part not in value:
            raise DataError(f"{where}: data: {ref!r}: {file} has no {part!r} there")
        value = value[part]
    try:
        return dataset_of(value, ref, file)
    except Problem as exc:
        raise DataError(f"{where}: data: {exc}") from None


def check_columns(table: Dataset, columns: Sequence[str], key: str, where: str) -> None:
    for column in columns:
        try:
            table.column(column)
        except Problem as exc:
            raise DataError(f"{where}: {key}: {exc}") from None


def _sort_value(value: Any) -> tuple[int, Any]:
    """Numbers, then dates, then texts (case-insensitive), empty cells last."""
    if value is None:
        return (3, 0)
    if is_number(value):
        return (0, value)
    if isinstance(value, dt.date):
        return (1, value)
    return (2, str(value).casefold())


def sorted_rows(rows: Sequence[Record], keys: Sequence[tuple[str, bool]]) -> list[Record]:
    """Rows sorted by each (column, descending), the last key first; stable, empty cells last
    in either direction."""
    out = list(rows)
    for column, descending in reversed(keys):
        present = [(_sort_value(r[column]), r) for r in out if r[column] is not None]
        empty = [r for r in out if r[column] is None]
        present.sort(key=lambda pair: pair[0], reverse=descending)
        out = [r for _, r in present] + empty
    return out
