"""How a briefing is made, top to bottom: read → typeset → theme → options → render → write.

``build`` is the one function to read to see the whole pipeline: ``read_and_typeset`` (read
the source with what the caller asked, settle its language, set its text) then ``finish``
(load the theme, decide every option once with ``options.resolve``, render). The CLI and the
jobs call these and nothing deeper: ``check`` stops after deciding (``inspect``), editions
compare the typeset model with the last edition before finishing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

from briefing.assets import assets_dir
from briefing.clock import build_date, source_date_epoch
from briefing.data.hide import EXPRESSION
from briefing.errors import BriefingError, RenderError, SourceError, UsageError
from briefing.fill import Filled, Source, fill, uses_data
from briefing.model import Briefing, texts
from briefing.options import (
    NOTHING_ASKED,
    PAGE_POINTS,
    Asked,
    BuildOptions,
    Given,
    Layer,
    Origin,
    Request,
    pick,
    resolve,
)
from briefing.output import check_writable, write_atomic
from briefing.paths import Scope, check_outputs, pdf_name_problem
from briefing.read import read_source
from briefing.read.named import check_named_files
from briefing.read.scratch import Scratch
from briefing.read.source import DEFAULT_MAX_BYTES, SourceText
from briefing.read.text import Decision
from briefing.render import RenderOptions, RenderResult, render
from briefing.render.record import LayoutRecord
from briefing.theme import Theme, load_theme
from briefing.typography import detect_language, typeset
from briefing.typography.languages import has_language_data, is_language_tag, known_languages

log = logging.getLogger("briefing.build")


class Marks(msgspec.Struct, frozen=True):
    """What a new edition adds to the page: the "Updated" notice and the blocks to mark."""

    notice: str | None = None
    changed: frozenset[str] = frozenset()
    date: dt.date | None = None  # the edition's date, printed when the source has none
    edition: int | None = None  # its number (names the date's origin)


NO_MARKS = Marks()


class BuildResult(msgspec.Struct):
    """What a build made, and how it was decided (``options``: each value and its origin)."""

    pdf: bytes
    pages: int
    briefing: Briefing
    source: SourceText
    theme: Theme
    options: BuildOptions
    warnings: list[str] = msgspec.field(default_factory=list)
    images: tuple[Path, ...] = ()  # the source's image files: they shape the output too
    decisions: tuple[Decision, ...] = ()  # how a pasted text was understood (check lists them)
    data_files: tuple[Path, ...] = ()  # the data files read
    layout: LayoutRecord | None = None  # the layout's measurements (``check --layout``)

    def files(self) -> tuple[Path, ...]:
        """Every file besides the source that this build read: theme, fonts, logos, images,
        data files."""
        return (*self.theme.files(), *self.images, *self.data_files)


class Typeset(msgspec.Struct, frozen=True):
    """A source read and typeset: everything but the theme and the rendering."""

    briefing: Briefing  # its language settled, its text set
    source: SourceText
    layers: tuple[Given, ...]  # what was asked, what the source says, what was detected
    warnings: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()  # how a pasted text was understood
    scratch: Scratch = msgspec.field(default_factory=Scratch)  # a .docx's images, until ``finish``
    times: tuple[tuple[str, float], ...] = ()  # how long reading and typesetting took (-vv)
    data_files: tuple[Path, ...] = ()  # the data files read (they shape the output too)


class Inspection(msgspec.Struct, frozen=True):
    """What ``build`` would use, without rendering: for ``briefing check``."""

    typeset: Typeset
    theme: Theme
    options: BuildOptions
    problem: BriefingError | None = None  # what would stop the build (a missing image...)


def build(source: str | Path, asked: Asked = NOTHING_ASKED, *,
          layout: bool = False) -> BuildResult:
    """How a briefing is made: read and typeset, then theme, options and render (with
    ``layout``, measuring the layout as it is made, for ``briefing check --layout``)."""
    return finish(read_and_typeset(source, asked), layout=layout)


def read_and_typeset(source: str | Path, asked: Asked = NOTHING_ASKED) -> Typeset:
    """The one head of the pipeline (``build``, ``check``, ``diff``, editions): read the
    source with the format and size asked, apply the title, language and date asked for,
    and set the text by its language's rules."""
    source_date_epoch()  # a malformed value is a clear error here, not one inside reportlab
    layers = list(asked.layers)

    def value(name: str, default: object = None) -> object:
        found = pick(layers, name)
        return default if found is None else found.value

    scratch = Scratch()
    clock = _Stages()
    try:
        with collected_warnings("briefing.read") as read_warnings:
            reading = read_source(
                source, fmt=value("format"), title=value("title"),  # type: ignore[arg-type]
                max_bytes=value("max_bytes", DEFAULT_MAX_BYTES),  # type: ignore[arg-type]
                literal=bool(value("literal", False)), scratch=scratch,
            )
        briefing, text = reading.briefing, reading.source
        clock.done("read")
        layers.append(from_meta(briefing, Path(text.name).name))
        layers.append(Given(Origin(Layer.DETECTED, _how_detected(source)),
                            Request(format=reading.format)))  # type: ignore[arg-type]
        lang, date = pick(layers, "lang"), pick(layers, "date")
        meta = briefing.meta
        if lang is not None and lang.value != meta.lang:
            meta = msgspec.structs.replace(meta, lang=lang.value)
        if date is not None and date.value != meta.date:
            meta = msgspec.structs.replace(meta, date=date.value)
        briefing = msgspec.structs.replace(briefing, meta=meta)
        lang_warnings = _check_language(briefing.meta.lang, text.name)
        briefing, filled = _fill(briefing, text, value)
        if filled.used:
            clock.done("data")
        briefing = typeset(briefing)
        clock.done("typeset")
        if lang is None:
            layers.append(Given(Origin(Layer.DETECTED, "from the text"),
                                Request(lang=briefing.meta.lang or "en")))
    except BaseException:
        scratch.close()
        raise
    return Typeset(briefing, text, tuple(layers), (*read_warnings, *lang_warnings),
                   reading.decisions, scratch, tuple(clock.times), filled.files)


def _fill(briefing: Briefing, text: SourceText,
          value: Callable[[str, object], object]) -> tuple[Briefing, Filled]:
    """The data stage (``briefing.fill``): figures, tables and charts from the data, in the
    briefing's language (detected first when nothing gives it: numbers are written in it)."""
    files: Any = value("data", {})
    row: Any = value("row", None)
    if uses_data(briefing, files, row) and briefing.meta.lang is None:
        lang = detect_language(EXPRESSION.sub(" ", t) for t in texts(briefing, verbatim=False))
        briefing = msgspec.structs.replace(
            briefing, meta=msgspec.structs.replace(briefing.meta, lang=lang))
    assets: Any = value("assets", None)
    filled = fill(briefing, Source(text.name, text.folder, text.text),
                  lang=briefing.meta.lang or "en", files=files, row=row,
                  assets=Path(assets) if assets else None)
    return filled.briefing, filled


def from_meta(briefing: Briefing, name: str) -> Given:
    """What a source says of its own options: its language, theme and date."""
    meta = briefing.meta
    values = {"lang": meta.lang, "theme": meta.theme, "date": meta.date}
    return Given(Origin(Layer.FRONT_MATTER, name),
                 msgspec.convert({k: v for k, v in values.items() if v is not None}, Request,
                                 builtin_types=(dt.date,)))


def _how_detected(source: str | Path) -> str:
    if str(source) == "-":
        return "from standard input"
    suffix = Path(str(source)).suffix
    return f"{suffix} extension" if suffix else "no extension"


def finish(typeset: Typeset, marks: Marks = NO_MARKS, *, layout: bool = False) -> BuildResult:
    """Load the theme, decide every option once (``options.resolve``), render."""
    name = typeset.source.name
    clock = _Stages(typeset.times)
    with typeset.scratch, _naming(name):
        # What would stop the layout (a missing image...), said with the line naming it.
        check_named_files(typeset.briefing, typeset.source)
        theme, options = _decide(typeset, marks)
        clock.done("theme")
        log.debug("%s: %s", name, clock.describe())
        clock = _Stages()
        result: RenderResult = render(typeset.briefing, theme,
                                      render_options(options, typeset, marks, layout=layout))
        # Images unpacked from the source are part of its bytes, not files beside it.
        images = tuple(path for path in result.images if not typeset.scratch.owns(path))
    clock.done("render")
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s: %s, %d page%s", name, clock.describe(), result.pages,
                  "" if result.pages == 1 else "s")
        log.debug("%s: fonts embedded: %s", name, ", ".join(embedded_fonts(result.pdf)) or "none")
    # Every warning names the source it is about (the renderer knows sections, not files).
    warnings = [w if w.startswith(f"{name}:") or w.startswith(f"{name},") else f"{name}: {w}"
                for w in (*typeset.warnings, *result.warnings)]
    return BuildResult(result.pdf, result.pages, typeset.briefing, typeset.source, theme,
                       options, warnings, images, typeset.decisions, typeset.data_files,
                       result.layout)


def inspect(source: str | Path, asked: Asked = NOTHING_ASKED) -> Inspection:
    """What ``build`` would use (the typeset model, the theme, every option decided), without
    rendering: ``briefing check``."""
    typeset = read_and_typeset(source, asked)
    problem = None
    with typeset.scratch:
        theme, options = _decide(typeset, NO_MARKS)
        try:
            check_named_files(typeset.briefing, typeset.source)
        except BriefingError as exc:
            problem = exc
    return Inspection(typeset, theme, options, problem)


def _decide(typeset: Typeset, marks: Marks) -> tuple[Theme, BuildOptions]:
    layers = [*typeset.layers]
    theme = _theme(typeset, layers)
    layers += theme.option_layers()
    if marks.date is not None:
        where = f"edition {marks.edition}" if marks.edition is not None else ""
        layers.append(Given(Origin(Layer.EDITION, where), Request(date=marks.date)))
    epoch = source_date_epoch()
    today = Origin(Layer.ENVIRONMENT, "SOURCE_DATE_EPOCH") if epoch is not None \
        else Origin(Layer.TODAY)
    layers.append(Given(today, Request(date=build_date())))
    options = resolve(layers)
    if log.isEnabledFor(logging.INFO):
        lang = options.lang.origin
        said = {Layer.COMMAND_LINE: lang.where, Layer.DETECTED: "detected from the text",
                Layer.FRONT_MATTER: "said by the source"}.get(lang.layer, str(lang))
        log.info("%s: language %s (%s); theme %s (%s)", typeset.source.name, options.lang.value,
                 said, theme.name, theme.sources[0] if theme.sources else "built in")
    return theme, options


def render_options(options: BuildOptions, typeset: Typeset, marks: Marks, *,
                   layout: bool = False) -> RenderOptions:
    """The one mapping from decided options to what the renderer is given (``layout``: the
    layout measured too, for ``briefing check --layout``)."""
    return RenderOptions(
        page=PAGE_POINTS[options.page_size.value],
        variant=options.variant,
        base_dir=typeset.source.folder,
        date=options.date.value,
        max_pages=options.max_pages.value,
        digits=options.digits.value,
        notice=marks.notice,
        changed=marks.changed,
        layout=layout,
    )


def _theme(typeset: Typeset, layers: list[Given]) -> Theme:
    """The theme: the caller's (command line, manifest), else the one the source asks for,
    which reaches only files in the source's folder, the --assets folder and the bundled
    assets (``briefing.paths``)."""
    asked = pick(layers, "theme")
    found = pick(layers, "assets")
    assets = Path(found.value) if found is not None else None
    if asked is None or asked.origin.layer is not Layer.FRONT_MATTER:
        return load_theme(asked.value if asked is not None else None, extra_assets=assets)
    text = typeset.source
    scope = Scope.of(text.folder, assets, assets_dir())
    return load_theme(asked.value, extra_assets=assets, scope=scope, relative_to=text.folder,
                      where=f"{text.name}: front matter")


@contextmanager
def _naming(name: str) -> Iterator[None]:
    """A layout error names the source it is about (the renderer knows sections, not files)."""
    try:
        yield
    except RenderError as exc:
        if exc.message.startswith((f"{name}:", f"{name},")):
            raise
        raise RenderError(f"{name}: {exc.message}") from None


class _Stages:
    """How long each stage of a build took, for ``-vv``."""

    def __init__(self, before: tuple[tuple[str, float], ...] = ()) -> None:
        self.last = time.perf_counter()
        self.times: list[tuple[str, float]] = list(before)

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        self.times.append((stage, now - self.last))
        self.last = now

    def describe(self) -> str:
        return ", ".join(f"{stage} {seconds * 1000:.0f} ms" for stage, seconds in self.times)


def embedded_fonts(pdf: bytes) -> list[str]:
    """The names of the fonts a PDF embeds (its subsets' base names, without the tag)."""
    names = re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/<>\[\]()]+)", pdf)
    return sorted({name.decode("ascii", "replace") for name in names})


def read_by(result: BuildResult) -> list[tuple[str, Path]]:
    """The files a build read, labelled for ``paths.check_outputs``."""
    return [(f"a file read by the build ({path.name})", path) for path in result.files()]


@contextmanager
def collected_warnings(logger_name: str) -> Iterator[list[str]]:
    """The warnings a stage logs, collected into the build's result instead of printed, so
    that ``--strict`` sees them and the caller reports each once."""
    found: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage())

    logger = logging.getLogger(logger_name)
    handler = _Collect(logging.WARNING)
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)  # even under -q, which silences warnings when printed
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)


def _check_language(code: str | None, name: str) -> list[str]:
    """A language tag that is not one is an error; one without typography data, a warning."""
    if code is None:
        return []
    if not is_language_tag(code):
        raise SourceError(f"{name}: language {code!r} is not a language tag such as fr or en-GB")
    if not has_language_data(code):
        known = ", ".join(known_languages())
        return [f"no typography rules or labels for language {code!r} (there are for {known}): "
                f"English ones are used; the PDF still says /Lang {code}"]
    return []


def build_file(
    source: str | Path, output: Path, asked: Asked = NOTHING_ASKED, *,
    strict: bool = False, others: Sequence[tuple[str, Path]] = (),
) -> BuildResult:
    """Build one briefing and write it atomically to ``output``.

    With ``strict``, any warning fails the build and nothing is written. ``others``: the
    caller's other outputs, ``(option, path)`` pairs such as ``("--preview", png)``: none
    of them may be an input or the same file as another (``briefing.paths``).
    """
    check_writable(output)
    outputs = [("-o", output), *others]
    sources = [("the source itself", Path(source))] if str(source) != "-" else []
    check_outputs(outputs, sources, error=UsageError)
    problem = pdf_name_problem(output)
    if problem is not None:
        raise UsageError(f"-o {output}: {problem}")
    result = build(source, asked)
    # Now that the theme, fonts and images are known: none of them is overwritten either.
    check_outputs(outputs, read_by(result), error=UsageError)
    if strict and result.warnings:
        first = result.warnings[0]
        where = "" if first.startswith(result.source.name) else f"{result.source.name}: "
        more = len(result.warnings) - 1
        also = f" (and {more} more warning{'s' if more > 1 else ''})" if more else ""
        raise BriefingError(f"{where}{first}{also}; --strict: nothing was written")
    write_atomic(output, result.pdf)
    return result
