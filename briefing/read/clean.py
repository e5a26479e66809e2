"""What text a briefing may hold, checked the same way for every format.

- **No invisible characters that break things.** Control characters (C0 except tab, line
  feed and carriage return; DEL; C1), lone surrogates and the noncharacters U+FFFE/U+FFFF
  print as nothing or garbage, make the PDF's XMP and the published feed ill-formed XML and
  e-mail headers invalid. A source holding one is refused, naming the line and column (or
  the field and line of YAML and JSON): it is never dropped silently.
- **Single lines where a line is expected.** Titles, headings, questions, captions, link
  targets and metadata become one line: each run of white space holding a tab or a line
  break is one space (a YAML block scalar, ``title: |``, ends with a line break). Running
  text and code keep their line breaks (carriage returns become line feeds).
- **Nesting a page can show.** Lists and quotes nest at most ``MAX_DEPTH`` levels, whatever
  the format (Markdown counts them on its tokens, YAML and JSON here).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import msgspec

from briefing.model import (
    Block,
    Briefing,
    Chart,
    CodeBlock,
    DataTable,
    ListBlock,
    Quote,
    Span,
    bad_character,
    describe,
    one_line,
)

#: Deepest nesting of lists and block quotes accepted; nothing is ever dropped silently.
MAX_DEPTH = 12

_CR = re.compile(r"\r\n?")


def text_problem(text: str, name: str) -> str | None:
    """Where and what the first refused character of a source's text is (line and column,
    counted in the text as read), or None."""
    found = bad_character(text)
    if found is None:
        return None
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return f"{name}, line {line}, column {column}: {describe(found.group())}; remove it"


def data_problem(data: Any) -> tuple[str, str] | None:
    """The path (``sections[1].blocks[0]``) and description of the first refused character
    in parsed YAML or JSON data (keys included), or None. Walks without recursion: the data
    may be nested deeply."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            found = bad_character(value)
            if found is not None:
                return path, describe(found.group())
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                key_text = str(key)
                found = bad_character(key_text)
                if found is not None:
                    return path or key_text, describe(found.group())
                stack.append((f"{path}.{key_text}" if path else key_text, item))
        elif isinstance(value, list):
            for index in range(len(value) - 1, -1, -1):
                stack.append((f"{path}[{index}]", value[index]))
    return None


#: String fields that hold running text (line breaks kept); every other one is a single line.
_MULTILINE = {(Span, "text"), (CodeBlock, "text"), (DataTable, "spec"), (Chart, "spec")}


def tidy(value: Any) -> Any:
    """The model with its single-line fields on one line and carriage returns gone."""
    if isinstance(value, msgspec.Struct):
        changes: dict[str, Any] = {}
        for name in value.__struct_fields__:
            old = getattr(value, name)
            if isinstance(old, str):
                new: Any = (_CR.sub("\n", old) if (type(value), name) in _MULTILINE
                            else one_line(old))
            else:
                new = tidy(old)
            if new is not old:
                changes[name] = new
        return msgspec.structs.replace(value, **changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(one_line(v) if isinstance(v, str) else tidy(v) for v in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def model_problem(briefing: Briefing) -> tuple[str, str] | None:
    """The field (``sections[0].blocks[2].src``) and description of the first refused
    character anywhere in the model, or None: the net under every reader and option."""
    for path, text in _strings(briefing, ""):
        found = bad_character(text)
        if found is not None:
            return path, describe(found.group())
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, msgspec.Struct):
            for name in reversed(item.__struct_fields__):
                stack.append((f"{where}.{name}" if where else name, getattr(item, name)))
        elif isinstance(item, tuple):
            for index in range(len(item) - 1, -1, -1):
                stack.append((f"{where}[{index}]", item[index]))


def depth(briefing: Briefing) -> int:
    """The deepest nesting of lists and quotes in the briefing (1: a list of paragraphs)."""
    stack: list[tuple[int, Block]] = []
    for section in briefing.sections:
        stack += [(0, b) for b in section.blocks]
        stack += [(0, b) for e in section.entries for b in e.answer]
    stack += [(0, b) for note in briefing.footnotes for b in note.blocks]
    deepest = 0
    while stack:
        level, block = stack.pop()
        if isinstance(block, Quote):
            deepest = max(deepest, level + 1)
            stack += [(level + 1, b) for b in block.blocks]
        elif isinstance(block, ListBlock):
            deepest = max(deepest, level + 1)
            stack += [(level + 1, b) for item in block.items for b in item.blocks]
    return deepest
