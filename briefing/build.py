"""How a briefing is made, top to bottom: read → typeset → theme → render → write.

``build`` is the one function to read to see the whole pipeline: ``prepare`` (read, typeset,
theme) then ``finish`` (render). The CLI and the jobs call it and nothing deeper; editions call
the two halves, to compare the typeset model with the last edition before rendering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefing.assets import assets_dir
from briefing.clock import build_date, source_date_epoch
from briefing.errors import BriefingError, RenderError, SourceError, UsageError
from briefing.model import Briefing
from briefing.output import check_writable, write_atomic
from briefing.paths import Scope, check_outputs, pdf_name_problem
from briefing.read import read_source
from briefing.read.named import check_named_files
from briefing.read.scratch import Scratch
from briefing.read.source import DEFAULT_MAX_BYTES, SourceText
from briefing.read.text import Decision
from briefing.render import RenderOptions, RenderResult, render
from briefing.theme import Theme, load_theme
from briefing.typography import typeset
from briefing.typography.languages import has_language_data, is_language_tag, known_languages

log = logging.getLogger("briefing.build")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Everything a caller may set for one build. Every field shapes the output."""

    fmt: str | None = None  # source format; None: by extension
    title: str | None = None  # overrides the source's title
    lang: str | None = None  # overrides the source's (or detected) language
    page_size: str | None = None  # "a4", "letter", "a5"; None: the theme's
    theme: str | None = None  # built-in theme name or path to a theme.toml; None: source's or default
    assets: Path | None = None  # an extra assets folder searched before the bundled one
    tags: bool = True  # tagged PDF (PDF/UA structure)
    pdfa: bool = False  # PDF/A-2b
    max_bytes: int = DEFAULT_MAX_BYTES  # largest source accepted
    max_pages: int = 500  # longest PDF accepted
    date: dt.date | None = None  # overrides the briefing's date
    literal: bool = False  # plain text read by the format's rules alone, nothing guessed


@dataclass(frozen=True, slots=True)
class Marks:
    """What a new edition adds to the page: the "Updated" notice and the blocks to mark."""

    notice: str | None = None
    changed: frozenset[str] = frozenset()
    date: dt.date | None = None  # the edition's date, printed when the source has none


@dataclass(slots=True)
class BuildResult:
    """What a build made."""

    pdf: bytes
    pages: int
    briefing: Briefing
    source: SourceText
    theme: Theme
    warnings: list[str] = field(default_factory=list)
    images: tuple[Path, ...] = ()  # the source's image files: they shape the output too
    decisions: tuple[Decision, ...] = ()  # how a pasted text was understood (check lists them)

    def files(self) -> tuple[Path, ...]:
        """Every file besides the source that this build read: theme, fonts, logos, images."""
        return (*self.theme.files(), *self.images)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A briefing read, typeset and given its theme: everything but the rendering."""

    briefing: Briefing
    text: SourceText
    theme: Theme
    warnings: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()  # how a pasted text was understood
    scratch: Scratch = field(default_factory=Scratch)  # a .docx's images, until ``finish``


def build(source: str | Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build one briefing from a source file and return the PDF's bytes."""
    return finish(prepare(source, options), options)


def prepare(source: str | Path, options: BuildOptions = BuildOptions()) -> Prepared:
    """Read the source, typeset the model and load its theme.

    Editions stop here to compare the model with the last edition; ``finish`` renders it
    (and removes the private folder a .docx's images were unpacked into).
    """
    source_date_epoch()  # a malformed value is a clear error here, not one inside reportlab
    scratch = Scratch()
    clock = _Stages()
    try:
        with collected_warnings("briefing.read") as read_warnings:
            reading = read_source(
                source, fmt=options.fmt, title=options.title, lang=options.lang,
                max_bytes=options.max_bytes, literal=options.literal, scratch=scratch,
            )
        briefing, text = reading.briefing, reading.source
        clock.done("read")
        if options.date is not None:
            briefing = dataclasses.replace(
                briefing, meta=dataclasses.replace(briefing.meta, date=options.date)
            )
        lang_warnings = _check_language(briefing.meta.lang, text.name)
        given = briefing.meta.lang
        briefing = typeset(briefing)
        clock.done("typeset")
        check_named_files(briefing, text)
        theme = _theme(briefing, text, options)
        clock.done("theme")
    except BaseException:
        scratch.close()
        raise
    if log.isEnabledFor(logging.INFO):
        origin = ("--lang" if options.lang else "said by the source" if given
                  else "detected from the text")
        log.info("%s: language %s (%s); theme %s (%s)", text.name, briefing.meta.lang, origin,
                 theme.name, theme.sources[0] if theme.sources else "built in")
        log.debug("%s: %s", text.name, clock.describe())
    return Prepared(briefing, text, theme, (*read_warnings, *lang_warnings),
                    reading.decisions, scratch)


def finish(prepared: Prepared, options: BuildOptions = BuildOptions(),
           marks: Marks = Marks()) -> BuildResult:
    """Render a prepared briefing, with what a new edition adds (``marks``)."""
    briefing = prepared.briefing
    clock = _Stages()
    with prepared.scratch, _naming(prepared.text.name):
        result: RenderResult = render(
            briefing,
            prepared.theme,
            RenderOptions(
                page_size=options.page_size,
                tags=options.tags,
                pdfa=options.pdfa,
                base_dir=prepared.text.folder,
                date=briefing.meta.date or marks.date or build_date(),
                max_pages=options.max_pages,
                notice=marks.notice,
                changed=marks.changed,
            ),
        )
        # Images unpacked from the source are part of its bytes, not files beside it.
        images = tuple(path for path in result.images if not prepared.scratch.owns(path))
    clock.done("render")
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s: %s, %d page%s", prepared.text.name, clock.describe(), result.pages,
                  "" if result.pages == 1 else "s")
        log.debug("%s: fonts embedded: %s", prepared.text.name,
                  ", ".join(embedded_fonts(result.pdf)) or "none")
    # Every warning names the source it is about (the renderer knows sections, not files).
    name = prepared.text.name
    warnings = [w if w.startswith(f"{name}:") or w.startswith(f"{name},") else f"{name}: {w}"
                for w in (*prepared.warnings, *result.warnings)]
    return BuildResult(result.pdf, result.pages, briefing, prepared.text, prepared.theme,
                       warnings, images, prepared.decisions)


def _theme(briefing: Briefing, text: SourceText, options: BuildOptions) -> Theme:
    """The theme: the caller's (command line, manifest), else the one the source asks for,
    which reaches only files in the source's folder, the --assets folder and the bundled
    assets (``briefing.paths``)."""
    if options.theme or not briefing.meta.theme:
        return load_theme(options.theme, extra_assets=options.assets)
    scope = Scope.of(text.folder, options.assets, assets_dir())
    return load_theme(briefing.meta.theme, extra_assets=options.assets, scope=scope,
                      relative_to=text.folder, where=f"{text.name}: front matter")


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

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.times: list[tuple[str, float]] = []

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
    source: str | Path, output: Path, options: BuildOptions = BuildOptions(), *,
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
    result = build(source, options)
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
