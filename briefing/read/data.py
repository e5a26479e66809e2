"""The YAML and JSON reader: the model itself, written as data (the shape of
``Briefing.as_dict()``, with the shortcuts ``Briefing.from_dict`` accepts, such as a plain string
for a paragraph). ``briefing schema`` prints that shape as a JSON Schema (see ``schema.py``).

Every error names the file, the line and the field::

    brief.yaml, line 12: sections[1].entries[0].question: missing

YAML is read with the safe loader, YAML 1.2 booleans (only ``true``/``false``: an answer "No"
stays text), no duplicate keys and no aliases (``&anchor``/``*alias``), which a briefing does not
need and which could make a small file expand enormously.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from typing import Any, TypeAlias

import yaml

from briefing.errors import SourceError
from briefing.model import Briefing
from briefing.read.clean import data_problem

#: json's own string scanner (returns the string and the index after it).
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

#: A field's path in the data: keys and list indexes.
Path: TypeAlias = tuple[str | int, ...]
#: The line (1-based) where each path's value starts.
Lines: TypeAlias = dict[Path, int]


class _Loader(yaml.SafeLoader):
    """The safe loader with YAML 1.2 booleans, and dates left as text.

    PyYAML turns ``2026-13-45`` into a ValueError deep in its constructor; as text, a date is
    checked by the model, whose error names the field and the line.
    """


_DROPPED_TAGS = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str, name: str, *, first_line: int = 1) -> tuple[Any, Lines]:
    """Parse YAML text; return the data and the line of every field.

    ``first_line`` is the file's line number of the text's first line (front matter starts on
    line 2 of a Markdown file).
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: Lines = {}
        _node_lines(node, (), lines, set(), name, first_line)
        data = loader.construct_document(node)
        _check_text(data, lines, name)
        return data, lines
    except RecursionError:
        raise SourceError(f"{name}: the data is nested too deeply") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}, line {mark.line + first_line}" if mark else name
        problem = exc.problem or exc.context or "not valid YAML"
        raise SourceError(f"{where}: {problem} (not valid YAML)") from None
    except yaml.YAMLError as exc:
        raise SourceError(f"{name}: not valid YAML ({exc})") from None
    finally:
        loader.dispose()


def _node_lines(
    node: yaml.Node, path: Path, lines: Lines, seen: set[int], name: str, first_line: int
) -> None:
    line = node.start_mark.line + first_line
    if id(node) in seen:
        raise SourceError(
            f"{name}, line {line}: aliases (*name) are not supported; repeat the text"
        )
    seen.add(id(node))
    lines.setdefault(path, line)
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + first_line
            if key in keys:
                raise SourceError(f"{name}, line {key_line}: {_show((*path, key))}: appears twice")
            keys.add(key)
            lines[(*path, key)] = key_line
            _node_lines(value_node, (*path, key), lines, seen, name, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, (*path, index), lines, seen, name, first_line)


def _show(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parse_path(text: str) -> Path:
    return tuple(
        int(index) if index else key for key, index in _PATH_PART.findall(text)
    )


def line_of(lines: Lines, path: str) -> int | None:
    """The line of a field given as ``sections[1].entries[0].question``, or of its nearest
    parent present in the data (a missing field is reported on its parent's line)."""
    parts = _parse_path(path)
    for end in range(len(parts), -1, -1):
        if parts[:end] in lines:
            return lines[parts[:end]]
    return None


def json_lines(text: str) -> Lines:
    """The line of every field of a JSON text already known to be valid."""
    newlines = [i for i, c in enumerate(text) if c == "\n"]
    lines: Lines = {}

    def line_at(i: int) -> int:
        return bisect.bisect_left(newlines, i) + 1

    def skip(i: int) -> int:
        while i < len(text) and text[i] in " \t\n\r":
            i += 1
        return i

    def value(i: int, path: Path) -> int:
        i = skip(i)
        lines.setdefault(path, line_at(i))
        char = text[i]
        if char == '"':
            end: int = _scanstring(text, i + 1)[1]
            return end
        if char in "{[":
            closing, index = ("}" if char == "{" else "]"), 0
            i = skip(i + 1)
            while text[i] != closing:
                if char == "{":
                    key, after = _scanstring(text, i + 1)
                    lines[(*path, key)] = line_at(i)
                    i = skip(value(skip(after) + 1, (*path, key)))  # after the ':'
                else:
                    i = skip(value(i, (*path, index)))
                    index += 1
                if text[i] == ",":
                    i = skip(i + 1)
            return i + 1
        while i < len(text) and text[i] not in ",]} \t\n\r":
            i += 1
        return i

    value(0, ())
    return lines


def load_json(text: str, name: str) -> tuple[Any, Lines]:
    """Parse JSON text; return the data and the line of every field."""
    try:
        data = json.loads(text)
        lines = json_lines(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{name}, line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise SourceError(f"{name}: the data is nested too deeply") from None
    _check_text(data, lines, name)
    return data, lines


def _check_text(data: Any, lines: Lines, name: str) -> None:
    """Refuse control characters and lone surrogates that escapes (``\\u0007``, ``"\\x01"``)
    put in the data, naming the field and its line (``clean.py``)."""
    problem = data_problem(data)
    if problem is not None:
        path, what = problem
        line = line_of(lines, path)
        where = f"{name}, line {line}" if line else name
        raise SourceError(f"{where}: {path}: {what}; remove it")


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
            return Briefing.from_dict(data)
        except ValueError as exc:
            raise _field_error(str(exc), lines, name) from None
    except RecursionError:
        raise SourceError(f"{name}: the data is nested too deeply") from None


def _field_error(message: str, lines: Lines, name: str) -> SourceError:
    path, _, problem = message.partition(": ")
    line = line_of(lines, path) if problem else None
    where = f"{name}, line {line}" if line else name
    return SourceError(f"{where}: {message}")
