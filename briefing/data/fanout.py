"""One briefing per row: names from a template, each with its row.

``fan_out(table, "flood-{{ row.region | slug }}", …)`` evaluates the template once per row in
the expression sandbox (``row`` is the row) and gives ``(name, row)`` pairs in the file's
order. A name is lower-case ASCII letters, digits and single hyphens (``NAME_RULE``), at most
``MAX_NAME`` characters: it names files and web addresses. A name that breaks the rule, or two
rows that make one name, is an error naming the file, the lines and the name. At most
``MAX_ROWS`` rows (briefings) from one file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from briefing.data.expr import Expander
from briefing.data.values import Dataset, Record
from briefing.errors import DataError

MAX_NAME = 100
#: Most briefings one fan-out makes.
MAX_ROWS = 10_000
NAME_RULE = ("lower-case letters a-z, digits and single hyphens, starting and ending with a "
             "letter or digit, at most 100 characters (use | slug)")
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def fan_out(table: Dataset, template: str, *, lang: str, where: str,
            data: Mapping[str, Any] | None = None) -> list[tuple[str, Record]]:
    """``(name, row)`` for each row of ``table``; ``where`` names the template's place
    (``briefings.toml, [[briefing]] 3, name``)."""
    if len(table) > MAX_ROWS:
        raise DataError(f"{where}: {table.file} has {len(table):,} rows; one fan-out makes at "
                        f"most {MAX_ROWS:,} briefings")
    if not table.rows:
        raise DataError(f"{where}: {table.file} has no rows, so no briefing to make")
    seen: dict[str, Record] = {}
    out: list[tuple[str, Record]] = []
    for row in table.rows:
        expander = Expander(data or {}, lang=lang, file=where, row=row)
        try:
            name = expander.expand(template)
        except DataError as exc:
            problem = exc.message.removeprefix(f"{where}, line 1: ")
            raise DataError(f"{where}: {row.place()}: {problem}") from None
        if not (len(name) <= MAX_NAME and _NAME.fullmatch(name)):
            shown = name if len(name) <= 60 else name[:60] + "…"
            raise DataError(f"{where}: {row.place()} makes the name {shown!r}; a name is "
                            f"{NAME_RULE}")
        if name in seen:
            raise DataError(f"{where}: {seen[name].place()} and line {row.origin} both make "
                            f"the name {name!r}; make the template tell them apart")
        seen[name] = row
        out.append((name, row))
    return out
