"""Readers: source files of every format into the model.

``read_source`` picks the reader by the file's extension (or ``fmt``), reads the file strictly,
and applies the title the caller gives. The readers: ``text`` (plain text, by
the format's own rules) and ``pasted`` (plain text pasted from elsewhere: Markdown, tables,
lists, dates... guessed, each guess a ``Decision``), ``markdown`` (CommonMark with front
matter), ``data`` (YAML and JSON, the model written as data; its shape is
``schema.json_schema()``), ``docx`` (Word documents) and ``page`` (saved web pages), the last
two through one HTML-to-model reader, ``html``.

The Word and web-page readers need optional libraries (the ``docx`` and ``html`` extras); they
are imported only when such a file is read.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import msgspec

from briefing.errors import SourceError, UsageError
from briefing.model import Briefing, bad_character, describe
from briefing.read.clean import MAX_DEPTH, depth, model_problem, tidy
from briefing.read.scratch import Scratch
from briefing.read.source import DEFAULT_MAX_BYTES, SourceText, decode, read_source_bytes
from briefing.read.text import Decision, read_text

#: Formats and the extensions that select them.
FORMATS: dict[str, tuple[str, ...]] = {
    "txt": (".txt", ".text"),
    "md": (".md", ".markdown"),
    "yaml": (".yaml", ".yml"),
    "json": (".json",),
    "docx": (".docx",),
    "html": (".html", ".htm", ".xhtml"),
}

#: Formats read from bytes (they say their own encoding, or are not text at all).
BINARY_FORMATS = frozenset({"docx", "html"})

#: Formats whose reader needs an optional extra: the extra's name, the modules it brings.
EXTRAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "docx": ("docx", ("mammoth", "docx", "lxml")),
    "html": ("html", ("readability", "lxml")),
}


class Reading(msgspec.Struct, frozen=True):
    """What reading a source gives: the briefing, the source, and the reader's guesses."""

    briefing: Briefing
    source: SourceText  # for a .docx, ``folder`` is where its images were unpacked
    decisions: tuple[Decision, ...] = ()
    format: str = "txt"  # the format it was read as (given, or from the extension)


def detect_format(path: str | Path) -> str:
    """The format of a source, from its extension (plain text when unknown)."""
    suffix = Path(str(path)).suffix.lower()
    for fmt, suffixes in FORMATS.items():
        if suffix in suffixes:
            return fmt
    return "txt"


def sniff_format(text: str) -> str:
    """The format of text without a file name (standard input): Markdown when it opens with
    front matter or a ``#`` heading, JSON when it opens with ``{``, HTML when it opens with
    ``<!DOCTYPE html`` or ``<html``, else plain text."""
    head = text.lstrip("\ufeff")
    first = next((line.strip() for line in head.splitlines() if line.strip()), "")
    if head.startswith("---\n") or first.startswith("# "):
        return "md"
    if first.startswith("{"):
        return "json"
    if first.lower().startswith(("<!doctype html", "<html")):
        return "html"
    return "txt"


def _sniff_bytes(raw: bytes, name: str) -> str:
    if raw.startswith(b"PK\x03\x04"):
        return "docx"
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return sniff_format(decode(raw, name))


def require_extra(fmt: str, name: str) -> None:
    """Import the optional libraries a format's reader needs, or say which extra to install."""
    if fmt not in EXTRAS:
        return
    extra, modules = EXTRAS[fmt]
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            kind = "Word documents" if fmt == "docx" else "saved web pages"
            raise SourceError(
                f"{name}: reading {kind} needs the optional '{extra}' extra; install it with "
                f"pip install 'briefing[{extra}]'"
            ) from None


def parse_source(source: SourceText, fmt: str, *, title: str | None = None,
                 literal: bool = False, scratch: Scratch | None = None) -> Reading:
    """Turn a source into a briefing with the reader for ``fmt``."""
    if fmt == "txt":
        if literal:
            return Reading(read_text(source.text, title=title), source)
        # The guessing reader loads the Markdown machinery only for lines that may need it.
        from briefing.read.pasted import read_pasted

        briefing, decisions = read_pasted(source.text, name=source.name, title=title)
        return Reading(briefing, source, tuple(decisions))
    # Each other reader (markdown-it-py, PyYAML, mammoth, lxml...) loads only for its format:
    # a plain-text build starts faster without them.
    if fmt == "md":
        from briefing.read.markdown import read_markdown

        return Reading(read_markdown(source.text, name=source.name, title=title), source)
    if fmt in ("yaml", "json"):
        from briefing.read.data import read_data

        return Reading(read_data(source.text, source.name, fmt, title=title), source)
    if fmt == "docx":
        require_extra(fmt, source.name)
        from briefing.read.docx import read_docx

        briefing, folder = read_docx(source, title=title, scratch=scratch)
        return Reading(briefing, msgspec.structs.replace(source, folder=folder))
    if fmt == "html":
        require_extra(fmt, source.name)
        from briefing.read.page import read_page

        return Reading(read_page(source, title=title), source)
    raise UsageError(f"{source.name}: the {fmt!r} format is not supported")


def parse(source: SourceText, fmt: str, *, title: str | None = None) -> Briefing:
    """Turn a source's text into a briefing with the reader for ``fmt``."""
    return parse_source(source, fmt, title=title).briefing


def read_source(
    path: str | Path,
    *,
    fmt: str | None = None,
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    literal: bool = False,
    scratch: Scratch | None = None,
) -> Reading:
    """Read a source file (``-`` for stdin) into the model (``title``: the caller's, which
    also changes how a plain text's first line is read).

    ``literal`` reads plain text by the format's rules alone (no guessing); ``scratch`` is
    where a reader may unpack what the renderer needs (a .docx's images); without one, such
    things are named in the model but not unpacked (enough for ``briefing check``).
    """
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown source format {fmt!r}; use one of {', '.join(FORMATS)}")
    found = bad_character(title or "")
    if found is not None:
        raise UsageError(f"--title: {describe(found.group())}; remove it")
    source = read_source_bytes(path, max_bytes=max_bytes)
    chosen = fmt or (_sniff_bytes(source.raw, source.name) if str(path) == "-"
                     else detect_format(path))
    if chosen not in BINARY_FORMATS:
        source = msgspec.structs.replace(source, text=decode(source.raw, source.name))
    reading = parse_source(source, chosen, title=title, literal=literal, scratch=scratch)
    briefing = reading.briefing
    if title:
        briefing = msgspec.structs.replace(briefing, title=title)
    problem = model_problem(briefing)
    if problem is not None:  # the net under every reader (a Word document or a web page too)
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
    return msgspec.structs.replace(reading, briefing=briefing, format=chosen)


def read_briefing(
    path: str | Path,
    *,
    fmt: str | None = None,
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    literal: bool = False,
) -> tuple[Briefing, SourceText]:
    """Read a source file (``-`` for stdin) into the model: the briefing and its source."""
    reading = read_source(path, fmt=fmt, title=title, max_bytes=max_bytes, literal=literal)
    return reading.briefing, reading.source
