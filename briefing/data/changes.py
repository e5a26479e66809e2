"""What changed in a data table between two editions, named figure by figure.

``compare_tables`` compares two snapshots of one table (its header and rows of cells as
printed: what an edition record keeps) and names the figures that changed: "Cases in North:
1 204 → 1 388" (``Cas (Nord) : 1 204 → 1 388`` in French), then rows that came and went.
Rows are matched by their key cells (the first column by default; a key that is not unique
matches by position among the rows sharing it), so reordered rows are no change. Bounded:
linear in the rows, and at most ``limit`` changes are named, then "and N more".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefing.data import formats
from briefing.data.values import Dataset
from briefing.data.words import words

#: Changes named at most, by default, for one table.
LIMIT = 10

Row = Sequence[str]


@dataclass(frozen=True, slots=True)
class Change:
    """One changed figure, or a row added or removed."""

    kind: str  # "changed", "added", "removed"
    key: str  # the row's key cells, joined
    column: str = ""  # the changed column's header
    old: str = ""
    new: str = ""


@dataclass(frozen=True, slots=True)
class TableChanges:
    """The changes of one table, and their sentences in a language."""

    changes: tuple[Change, ...]
    more: int  # changes not named past the limit
    lines: tuple[str, ...]  # "Cases in North: 1 204 → 1 388", …, "and 3 more"


def compare_tables(header: Row, old_rows: Sequence[Row], new_rows: Sequence[Row], *,
                   lang: str, key: Sequence[int] = (0,), limit: int = LIMIT,
                   old_header: Row | None = None) -> TableChanges:
    """The named changes between two snapshots of a table; ``key`` are the columns that
    identify a row."""
    old_header = header if old_header is None else old_header
    old_index = {name: i for i, name in enumerate(old_header)}
    changes: list[Change] = []
    total = 0
    old_by_key = _by_key(old_rows, key)
    new_by_key = _by_key(new_rows, key)
    columns = [(i, name) for i, name in enumerate(header) if i not in key]
    for row_key, rows in new_by_key.items():
        olds = old_by_key.get(row_key, [])
        for n, row in enumerate(rows):
            if n >= len(olds):
                total += 1
                if len(changes) < limit:
                    changes.append(Change("added", row_key))
                continue
            old = olds[n]
            for i, name in columns:
                j = old_index.get(name)
                before = _cell(old, j) if j is not None else ""
                after = _cell(row, i)
                if before != after:
                    total += 1
                    if len(changes) < limit:
                        changes.append(Change("changed", row_key, name, before, after))
    for row_key, rows in old_by_key.items():
        extra = len(rows) - len(new_by_key.get(row_key, []))
        for _ in range(max(0, extra)):
            total += 1
            if len(changes) < limit:
                changes.append(Change("removed", row_key))
    return TableChanges(tuple(changes), total - len(changes),
                        _sentences(changes, total - len(changes), lang))


def _cell(row: Row, i: int) -> str:
    return row[i] if i < len(row) else ""


def _by_key(rows: Sequence[Row], key: Sequence[int]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        out[" ".join(_cell(row, i) for i in key)].append(row)
    return out


def _sentences(changes: list[Change], more: int, lang: str) -> tuple[str, ...]:
    w = words(lang)
    lines = []
    for change in changes:
        if change.kind == "changed":
            what = w["changed"].format(column=_capital(change.column), key=change.key)
            arrow = w["arrow"].format(old=change.old or "–", new=change.new or "–")
            lines.append(f"{what}{w['colon']}{arrow}")
        else:
            lines.append(_capital(w[change.kind].format(key=change.key)))
    if more:
        lines.append(w["more"].format(n=more))
    return tuple(lines)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def snapshot(data: Dataset, lang: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A table's header and rows as printed in the language: what an edition keeps of it."""
    rows = tuple(tuple(formats.value(row[c], t, lang, "medium")
                       for c, t in zip(data.columns, data.types, strict=True))
                 for row in data.rows)
    return data.columns, rows


def compare_datasets(old: Dataset, new: Dataset, *, lang: str, key: Sequence[str] = (),
                     limit: int = LIMIT) -> TableChanges:
    """The named changes between two loads of one data file (``key``: column names; default
    the first column)."""
    header, new_rows = snapshot(new, lang)
    old_header, old_rows = snapshot(old, lang)
    positions = [header.index(k) for k in key if k in header] or [0]
    return compare_tables(header, old_rows, new_rows, lang=lang, key=positions, limit=limit,
                          old_header=old_header)


def as_dict(changes: TableChanges) -> dict[str, Any]:
    """Plain data for ``diff --json`` and edition records."""
    return {"changes": [{"kind": c.kind, "key": c.key, "column": c.column, "old": c.old,
                         "new": c.new} for c in changes.changes], "more": changes.more}
