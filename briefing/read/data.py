"""The YAML and JSON reader: the model itself, written as data (the shape of
``Briefing.as_dict()``, with the shorthands the model declares, such as a plain string for a
paragraph; ``fields.load_briefing`` reads it). ``briefing schema`` prints that shape as a JSON
Schema (see ``schema.py``).

Every error names the file, the line and the field::

    brief.yaml, line 12: sections[1].entries[0].question: missing

YAML is read as ``fields.load_yaml`` says (safe, YAML 1.2 booleans, no duplicate keys, no
aliases).
"""

from __future__ import annotations

from briefing.convert import FieldError
from briefing.errors import SourceError
from briefing.model import Briefing
from briefing.read.fields import Lines, line_of, load_briefing, load_json, load_yaml


def read_data(text: str, name: str, fmt: str, *, title: str | None = None) -> Briefing:
    """Read a briefing written as YAML (``fmt="yaml"``) or JSON (``fmt="json"``)."""
    try:
        data, lines = load_json(text, name) if fmt == "json" else load_yaml(text, name)
        if not isinstance(data, dict):
            raise SourceError(
                f"{name}, line 1: expected a mapping of the briefing's fields "
                "(title, lead, sections, meta...) at the top level"
            )
        if title and not data.get("title"):
            data = {**data, "title": title}
        try:
            return load_briefing(data)
        except FieldError as exc:
            raise _field_error(exc, lines, name) from None
    except RecursionError:
        raise SourceError(f"{name}: the data is nested too deeply") from None


def _field_error(exc: FieldError, lines: Lines, name: str) -> SourceError:
    line = line_of(lines, exc.path) if exc.path else None
    where = f"{name}, line {line}" if line else name
    return SourceError(f"{where}: {exc}")
