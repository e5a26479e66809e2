"""The command line: each command parses its options and makes one call into the library.

Heavy modules (reportlab, the readers) are imported inside the commands so that
``briefing --help`` stays instant.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing import __version__
from briefing.errors import BriefingError, UsageError

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("briefing")

SOURCE_FORMATS = ("txt", "md", "yaml", "json")
PAGE_SIZES = ("a4", "letter", "a5")


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"{record.levelname.lower()}: {message}"
        return message


def _setup_logging(verbosity: int) -> None:
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("briefing")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="briefing")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", count=True, help="Say more (repeat for debug output).")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: int) -> None:
    """Turn an article-like text into a printable, designed and accessible PDF briefing.

    \b
    briefing build                 build the bundled sample into ./briefing.pdf
    briefing build article.md      build a briefing from a source of your own
    briefing check article.txt     show how a source is understood
    """
    _setup_logging(-1 if quiet else verbose)
    ctx.ensure_object(dict)


def source_options(func: F) -> F:
    """Options shared by commands that read a source."""
    for option in reversed([
        click.option("--from", "fmt", type=click.Choice(SOURCE_FORMATS),
                     help="Source format (default: by extension)."),
        click.option("--title", help="Title of the briefing (default: from the source)."),
        click.option("--lang", help="Language, e.g. fr or en (default: from the source or detected)."),
        click.option("--max-size", type=click.IntRange(min=1), default=20, show_default=True,
                     help="Largest source accepted, in MB."),
    ]):
        func = option(func)
    return func


def _sample_or(source: str | None) -> str:
    if source is not None:
        return source
    from briefing.assets import sample_source

    return str(sample_source())


@cli.command()
@click.argument("source", required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="PDF to write (default: briefing.pdf for the sample, else SOURCE's name with .pdf).")
@source_options
@click.option("--page-size", type=click.Choice(PAGE_SIZES, case_sensitive=False),
              help="Page size (default: the theme's, A4).")
@click.option("--theme", help="Built-in theme name or path to a theme.toml.")
@click.option("--assets", type=click.Path(file_okay=False, path_type=Path),
              help="A folder of your own fonts, logos and themes.")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Date of the briefing.")
@click.option("--tags/--no-tags", default=True, show_default=True,
              help="Tagged PDF for screen readers.")
@click.option("--pdfa", is_flag=True, help="Archival PDF/A-2b.")
@click.option("--max-pages", type=click.IntRange(min=1), default=500, show_default=True,
              help="Longest PDF accepted.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (nothing is written).")
@click.option("--open", "open_", is_flag=True, help="Open the PDF when it is built.")
@click.option("--preview", type=click.Path(path_type=Path),
              help="Also write page 1 as a PNG image here.")
def build(source: str | None, output: Path | None, fmt: str | None, title: str | None,
          lang: str | None, max_size: int, page_size: str | None, theme: str | None,
          assets: Path | None, date_: str | None, tags: bool, pdfa: bool, max_pages: int,
          strict: bool, open_: bool, preview: Path | None) -> None:
    """Build a PDF briefing from SOURCE (default: the bundled sample).

    SOURCE is a .txt, .md, .yaml or .json file, or - for standard input.
    """
    import datetime as dt

    from briefing.build import BuildOptions, build_file

    if output is None:
        output = Path("briefing.pdf") if source in (None, "-") else Path(Path(str(source)).stem + ".pdf")
    day = None
    if date_:
        try:
            day = dt.date.fromisoformat(date_)
        except ValueError:
            raise UsageError(f"--date: not a date (YYYY-MM-DD): {date_!r}") from None
    options = BuildOptions(
        fmt=fmt, title=title, lang=lang, page_size=page_size, theme=theme, assets=assets,
        tags=tags, pdfa=pdfa, max_bytes=max_size * 1024 * 1024, max_pages=max_pages, date=day,
    )
    result = build_file(_sample_or(source), output, options, strict=strict)
    for warning in result.warnings:
        log.warning(warning)
    if log.getEffectiveLevel() <= logging.WARNING:
        click.echo(f"wrote {output} ({result.pages} page{'s' if result.pages != 1 else ''})",
                   err=True)
    if preview is not None:
        from briefing.preview import write_preview

        write_preview(result.pdf, preview)
    if open_:
        click.launch(str(output))


@cli.command()
@click.argument("source", required=False)
@source_options
@click.option("--json", "as_json", is_flag=True, help="Print the model as JSON, for programs.")
def check(source: str | None, fmt: str | None, title: str | None, lang: str | None,
          max_size: int, as_json: bool) -> None:
    """Show how SOURCE is understood (sections, FAQ); builds nothing."""
    from briefing.read import read_briefing
    from briefing.summary import describe, summary_json
    from briefing.typography import typeset

    briefing, text = read_briefing(_sample_or(source), fmt=fmt, title=title, lang=lang,
                                   max_bytes=max_size * 1024 * 1024)
    briefing = typeset(briefing)
    click.echo(summary_json(briefing) if as_json else describe(briefing, text.name))


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    bash: eval "$(briefing completion bash)"   (add it to ~/.bashrc)
    zsh:  eval "$(briefing completion zsh)"    (add it to ~/.zshrc)
    fish: briefing completion fish > ~/.config/fish/completions/briefing.fish
    """
    from click.shell_completion import get_completion_class

    completion_class = get_completion_class(shell)
    assert completion_class is not None
    click.echo(completion_class(cli, {}, "briefing", "_BRIEFING_COMPLETE").source())


def _terminated(signum: int, _frame: object) -> None:
    # Unwind like an interrupt so that a PDF being written is cleaned up, never left half-done.
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the ``briefing`` command."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(prog_name="briefing")
    except BriefingError as exc:  # raised outside click's own handling (e.g. in main itself)
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
