"""The data stage: a briefing's data read, its figures written in, its tables and charts made.

Between reading and typography (``build.read_and_typeset``), once the language is settled:

1. Expressions a reader hid from its markup parser (``data.hide``) are given back as written,
   everywhere (text, code, link targets, specs).
2. When the briefing uses data (it declares ``data``, the caller gives data files or a
   fan-out's ``row``, or it holds a table or chart block), the data files are read: those the
   source names under the path policy of images (a relative path without ``..`` inside the
   source's folder or the assets), those the caller names (the command line's ``--data``, a
   manifest's ``data``) as given. Jinja2 and Babel (the ``data`` extra) are imported then,
   and only then.
3. Each ``{{ … }}`` in the text a reader reads (title, subtitle, author, organisation, lead,
   headings, paragraphs, list items, cells, questions, captions, notes) is evaluated in the
   sandbox (``data.expr``) and replaced by its value as plain text: code spans, code blocks,
   link targets and file names keep their braces. An error names the file, the line and the
   expression.
4. Each table block (``DataTable``) gets its header, cells and alignment, each chart
   (``Chart``) its points and the alt text written from them (``data.table``,
   ``data.chart``).

Without data, a source's ``{{`` is text like any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import msgspec

from briefing.data.hide import EXPRESSION, reveal, reveal_link
from briefing.errors import BriefingError, DataError, SourceError
from briefing.model import (
    Block,
    Briefing,
    Chart,
    ChartSeries,
    DataTable,
    FaqEntry,
    Footnote,
    Inline,
    Paragraph,
    Parts,
    Section,
    Span,
    lens,
)
from briefing.paths import Scope

#: What a data file's name may be: it is written in expressions (``data.cases``).
DATA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
#: The kinds of file data may come from.
DATA_SUFFIXES = (".csv", ".tsv", ".json")


class Filled(msgspec.Struct, frozen=True):
    """A briefing with its data written in, and what was read for it."""

    briefing: Briefing
    files: tuple[Path, ...] = ()  # the data files read: they shape the output too
    used: bool = False  # whether the briefing uses data at all


class Source(msgspec.Struct, frozen=True):
    """Where the briefing was read from, for paths and messages."""

    name: str  # the source as messages name it
    folder: Path  # data files the source names are looked up here
    text: str  # the source's text: lines of expressions and blocks are found in it


def uses_data(briefing: Briefing, files: Mapping[str, str], row: Mapping[str, str] | None) -> bool:
    """Whether the briefing needs the data stage: it names data, is given some or a row, or
    holds a table or chart from data."""
    return bool(briefing.data or files or row is not None or any(_data_blocks(briefing)))


def fill(briefing: Briefing, source: Source, *, lang: str, files: Mapping[str, str] = {},
         row: Mapping[str, str] | None = None, assets: Path | None = None) -> Filled:
    """The briefing with its hidden expressions given back and, when it uses data, its
    figures, tables and charts made from the data (see the module's docstring)."""
    hidden = "{{" in source.text  # a reader may have hidden expressions: give them back
    if not uses_data(briefing, files, row):
        return Filled(_map(briefing, reveal, reveal, reveal, link=reveal_link) if hidden
                      else briefing)
    from briefing import data as library

    library.require(source.name)
    loaded, paths = _load(briefing, source, lang=lang, files=files, assets=assets)
    expander = _Evaluator(source, loaded, lang=lang, row=row)

    def text(value: str) -> str:
        return expander.text(reveal(value))

    # One pass: expressions given back and evaluated, tables and charts made.
    briefing = _map(briefing, text, reveal, reveal, link=reveal_link, block=expander.block)
    return Filled(briefing, paths, used=True)


def _load(briefing: Briefing, source: Source, *, lang: str, files: Mapping[str, str],
          assets: Path | None) -> tuple[dict[str, Any], tuple[Path, ...]]:
    from briefing.data.load import MAX_BYTES, read_data

    scope = Scope.of(source.folder, assets)
    found: dict[str, tuple[Path, str]] = {}
    for name, ref in briefing.data.items():
        line = _line(source.text, ref)
        where = f"{source.name}, line {line}" if line else source.name
        try:
            path = scope.reach(ref, what="data file", relative_to=source.folder,
                               error=SourceError, suffixes=DATA_SUFFIXES)
        except BriefingError as exc:
            raise SourceError(f"{where}: data: {name}: {exc.message}; put the file beside "
                              f"{Path(source.name).name}, or correct its name") from None
        found[name] = (path, ref)
    for name, given in files.items():  # the caller's: the user's own choice of path
        if not DATA_NAME.fullmatch(name) or not given.strip():
            raise DataError(f"data {name}={given}: give a name (a letter, then letters, "
                            "digits or _) and a file, such as cases=cases.csv")
        found[name] = (Path(given), given)
    loaded: dict[str, Any] = {}
    for name, (path, shown) in found.items():
        loaded[name] = read_data(path, name=name, lang=lang, shown=shown, limit=MAX_BYTES)
    return loaded, tuple(path for path, _ in found.values())


class _Evaluator:
    """Expressions and blocks of one briefing, evaluated with its data."""

    def __init__(self, source: Source, data: Mapping[str, Any], *, lang: str,
                 row: Mapping[str, str] | None) -> None:
        from briefing.data.expr import Expander
        from briefing.data.load import row_record

        self.source = source
        self.data = data
        self.lang = lang
        record = row_record(row, lang=lang, file="row") if row is not None else None
        self.expander = Expander(data, lang=lang, file=source.name, row=record)
        self._values: dict[str, str] = {}

    def text(self, text: str) -> str:
        """A text with each expression replaced by its value."""
        if "{{" not in text:
            return text
        out: list[str] = []
        position = 0
        for match in EXPRESSION.finditer(text):
            out += [text[position:match.start()], self._value(match.group(0))]
            position = match.end()
        rest = text[position:]
        if "{{" in rest:
            opened = rest[rest.index("{{"):].split("\n")[0][:40]
            line = _line(self.source.text, opened)
            where = f"{self.source.name}, line {line}" if line else self.source.name
            raise DataError(f"{where}: '{{{{' is not closed by '}}}}' on its line; close the "
                            "expression, or write the braces another way")
        out.append(rest)
        return "".join(out)

    def _value(self, written: str) -> str:
        if written not in self._values:
            from briefing.data.expr import find_expressions

            line = _line(self.source.text, written) or 1
            (expression,) = find_expressions(written, file=self.source.name, line=line)
            self._values[written] = self.expander.evaluate(expression.source, line=line)
        return self._values[written]

    def block(self, block: Block) -> Block | None:
        """A table or chart block made from the data; None for other blocks."""
        if isinstance(block, DataTable):
            return self.table(block)
        if isinstance(block, Chart):
            return self.chart(block)
        return None

    def _where(self, spec: str, what: str) -> tuple[str, int]:
        first = next((line for line in spec.splitlines() if line.strip()), spec)
        line = _line(self.source.text, first) or 0
        at = f", line {line}" if line else ""
        return f"{self.source.name}{at} ({what})", line or 1

    def table(self, block: DataTable) -> DataTable:
        from briefing.data.spec import read_block
        from briefing.data.table import build_table, table_spec

        where, line = self._where(block.spec, "table")
        spec = table_spec(read_block(block.spec, where=where, line=line), where=where)
        made = build_table(spec, self.data, lang=self.lang, where=where)
        return DataTable(block.spec, tuple(_cell(h) for h in made.header),
                         tuple(tuple(_cell(c) for c in row) for row in made.rows),
                         tuple(_align(a) for a in made.align), made.total)

    def chart(self, block: Chart) -> Chart:
        from briefing.data.chart import alt_text, chart_data, chart_spec
        from briefing.data.spec import read_block

        where, line = self._where(block.spec, "chart")
        mapping = read_block(block.spec, where=where, line=line)
        if isinstance(mapping.get("title"), str):
            mapping["title"] = self.text(mapping["title"])
        chart = chart_data(chart_spec(mapping, where=where), self.data, lang=self.lang,
                           where=where)
        series = tuple(ChartSeries(s.label, tuple(None if v is None else float(v)
                                                  for v in s.values), s.texts)
                       for s in chart.series)
        kind: Any = chart.type
        return Chart(block.spec, kind, chart.title, chart.x_label, chart.categories, series,
                     alt_text(chart), chart.format == "percent")


def _cell(text: str) -> Inline:
    return (Span(text),) if text else ()


def _align(value: str) -> Any:
    return value if value in ("left", "center", "right") else ""


def _line(text: str, needle: str) -> int | None:
    """The line of ``text`` where ``needle`` first appears."""
    at = text.find(needle) if needle else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _data_blocks(briefing: Briefing) -> Iterator[Block]:
    def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
        for block in blocks:
            if isinstance(block, DataTable | Chart):
                yield block
            parts, _ = lens(block)
            for _, inner in parts.children:
                yield from walk(inner)

    yield from walk(tuple(briefing.lead))
    for section in briefing.sections:
        yield from walk(section.blocks)
        for entry in section.entries:
            yield from walk(entry.answer)
    for note in briefing.footnotes:
        yield from walk(note.blocks)


# --- one pass over every text of the model ------------------------------------------------


Text = Callable[[str], str]


def _map(briefing: Briefing, text: Text, code: Text, other: Text, *, link: Text,
         block: Callable[[Block], Block | None] | None = None) -> Briefing:
    """The briefing with its prose and spans' text through ``text``, code spans and code
    blocks through ``code``, link targets, file names, specs and metadata that is not prose
    through ``other`` (link targets through ``link``); ``block`` may replace a block (tables and charts from data)."""

    def spans(run: Inline) -> Inline:
        return tuple(msgspec.structs.replace(
            s, text=(code if s.code else text)(s.text),
            href=None if s.href is None else link(s.href)) for s in run)

    def blocks(items: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for item in items:
            parts, rebuild = lens(item)
            made = rebuild(Parts(
                prose=tuple((rel, text(t)) for rel, t in parts.prose),
                inlines=tuple((rel, spans(run)) for rel, run in parts.inlines),
                verbatim=tuple((rel, code(t)) for rel, t in parts.verbatim),
                refs=tuple((rel, other(t)) for rel, t in parts.refs),
                children=tuple((rel, blocks(inner)) for rel, inner in parts.children),
            ))
            replaced = block(made) if block is not None else None
            out.append(made if replaced is None else replaced)
        return tuple(out)

    def opt(value: str | None, through: Text) -> str | None:
        return None if value is None else through(value)

    meta = briefing.meta
    meta = msgspec.structs.replace(
        meta, subtitle=opt(meta.subtitle, text), author=opt(meta.author, text),
        organisation=opt(meta.organisation, text), source=opt(meta.source, other),
        theme=opt(meta.theme, other), logo=opt(meta.logo, other),
        tags=tuple(text(t) for t in meta.tags))
    return Briefing(
        title=text(briefing.title),
        lead=tuple(Paragraph(spans(p.spans)) for p in briefing.lead),
        sections=tuple(Section(s.kind, opt(s.heading, text), blocks(s.blocks),
                               tuple(FaqEntry(text(e.question), blocks(e.answer))
                                     for e in s.entries))
                       for s in briefing.sections),
        footnotes=tuple(Footnote(n.label, blocks(n.blocks)) for n in briefing.footnotes),
        meta=meta,
        data={name: other(ref) for name, ref in briefing.data.items()},
    )
