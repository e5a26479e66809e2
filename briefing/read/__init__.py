"""Readers: source files of every format into the model.

``read_briefing`` picks the reader by the file's extension (or ``fmt``: txt, md, yaml, json),
reads the file strictly, and applies what the caller overrides (title, language). The readers:
``text`` (plain text), ``markdown`` (CommonMark with front matter), ``data`` (YAML and JSON,
the model written as data; its shape is ``schema.json_schema()``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from briefing.errors import SourceError, UsageError
from briefing.model import Briefing, bad_character, describe
from briefing.read.clean import MAX_DEPTH, depth, model_problem, tidy
from briefing.read.source import DEFAULT_MAX_BYTES, SourceText, read_source_text
from briefing.read.text import read_text

#: Formats and the extensions that select them.
FORMATS: dict[str, tuple[str, ...]] = {
    "txt": (".txt", ".text"),
    "md": (".md", ".markdown"),
    "yaml": (".yaml", ".yml"),
    "json": (".json",),
}


def detect_format(path: str | Path) -> str:
    """The format of a source, from its extension (plain text when unknown)."""
    suffix = Path(str(path)).suffix.lower()
    for fmt, suffixes in FORMATS.items():
        if suffix in suffixes:
            return fmt
    return "txt"


def sniff_format(text: str) -> str:
    """The format of text without a file name (standard input): Markdown when it opens with
    front matter or a ``#`` heading, JSON when it opens with ``{``, else plain text."""
    head = text.lstrip("\ufeff")
    first = next((line.strip() for line in head.splitlines() if line.strip()), "")
    if head.startswith("---\n") or first.startswith("# "):
        return "md"
    if first.startswith("{"):
        return "json"
    return "txt"


def parse(source: SourceText, fmt: str, *, title: str | None = None) -> Briefing:
    """Turn a source's text into a briefing with the reader for ``fmt``."""
    if fmt == "txt":
        return read_text(source.text, title=title)
    # The Markdown and YAML readers (markdown-it-py, PyYAML) load only for their formats:
    # a plain-text build starts faster without them.
    if fmt == "md":
        from briefing.read.markdown import read_markdown

        return read_markdown(source.text, name=source.name, title=title)
    if fmt in ("yaml", "json"):
        from briefing.read.data import read_data

        return read_data(source.text, source.name, fmt, title=title)
    raise UsageError(f"{source.name}: the {fmt!r} format is not supported")


def read_briefing(
    path: str | Path,
    *,
    fmt: str | None = None,
    title: str | None = None,
    lang: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Briefing, SourceText]:
    """Read a source file (``-`` for stdin) into the model, with the caller's overrides."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown source format {fmt!r}; use one of {', '.join(FORMATS)}")
    for option, value in (("--title", title), ("--lang", lang)):
        found = bad_character(value or "")
        if found is not None:
            raise UsageError(f"{option}: {describe(found.group())}; remove it")
    source = read_source_text(path, max_bytes=max_bytes)
    chosen = fmt or (sniff_format(source.text) if str(path) == "-" else detect_format(path))
    briefing = parse(source, chosen, title=title)
    if title:
        briefing = dataclasses.replace(briefing, title=title)
    if lang:
        briefing = dataclasses.replace(briefing, meta=dataclasses.replace(briefing.meta, lang=lang))
    problem = model_problem(briefing)
    if problem is not None:  # the net under every reader: never reached by a known path
        field, what = problem
        raise SourceError(f"{source.name}: {field}: {what}; remove it")
    nesting = depth(briefing)
    if nesting > MAX_DEPTH:
        raise SourceError(
            f"{source.name}: lists or quotes nested {nesting} levels deep; at most {MAX_DEPTH} "
            "levels fit a page: flatten the deepest ones"
        )
    briefing = tidy(briefing)
    if not briefing.title.strip():
        raise SourceError(f"{source.name}: the briefing has no title; give one with --title")
    return briefing, source
