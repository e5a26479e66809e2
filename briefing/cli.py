"""The command line: each command parses its options and makes one call into the library.

Heavy modules (reportlab, the readers) are imported inside the commands so that
``briefing --help`` stays instant.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from briefing import __version__
from briefing.errors import BriefingError, UsageError
from briefing.runtime import pace_collector

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("briefing")

#: ``update`` shows a progress line on a terminal from this many builds on.
PROGRESS_FROM = 2
#: The built-in themes, for the help (``briefing --help`` must not read the assets folder);
#: a test keeps it equal to ``theme.builtin_themes()``.
BUILTIN_THEMES = ("campaign", "default", "print")

#: The help of the options of ``build``, ``check`` and ``watch`` that are not build options
#: (those are declared, help included, in ``options.Request``).
HELP = {
    "output": "PDF to write. Default: NAME.pdf in the current folder, NAME being SOURCE's name "
              "without its extension (briefing.pdf for the sample and for -).",
}


if TYPE_CHECKING:  # generic from click 8.2 on; a plain class before
    _IntParam = click.ParamType[int]
else:
    _IntParam = click.ParamType


class AtLeast(_IntParam):
    """A whole number from ``low`` up (the help states the range in words, not ``[x>=1]``)."""

    name = "number"

    def __init__(self, low: int) -> None:
        self.low = low

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a whole number", param, ctx)
        if number < self.low:
            self.fail(f"{number} is less than {self.low}", param, ctx)
        return number


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            message = f"{record.levelname.lower()}: {message}"
        if record.exc_info:  # logged at DEBUG only: -vv shows the traceback of a bug
            message += "\n" + self.formatException(record.exc_info)
        return message


def _setup_logging(verbosity: int) -> None:
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("briefing")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class _Failed(click.ClickException):
    """A ``BriefingError`` as click shows it: ``Error: <message>``, with the error's exit code
    (``_failed`` makes one subclass per code: click's exit code is a class attribute)."""


@functools.cache
def _failure_class(code: int) -> type[_Failed]:
    return type(f"_Failed{code}", (_Failed,), {"exit_code": code})


def _failed(error: BriefingError) -> _Failed:
    return _failure_class(error.exit_code)(error.message)


class _Group(click.Group):
    """The command group: the library's errors (which know nothing of click) become click's,
    so that every command, run by ``main`` or by a test's ``CliRunner``, ends the same way."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefingError as exc:
            raise _failed(exc) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    briefing themes                list the built-in themes
    briefing init ./brand          start a theme of your own
    """
    _setup_logging(-1 if quiet else verbose)
    ctx.ensure_object(dict)


class _WithBuildOptions(click.Command):
    """A command that takes the build options (``build``, ``check``, ``watch``): one flag per
    field of ``options.Request``, generated from it (its help, its choices, its default) the
    first time the command's options are read, so that ``briefing --help`` does not pay for
    it. A flag left out is None: the layers below it decide (``options.resolve``)."""

    _generated = False

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        if not self._generated:
            self._generated = True
            at = 1 + max((i for i, p in enumerate(self.params)
                          if p.name in ("source", "target", "output")), default=-1)
            self.params[at:at] = _build_options()
        return super().get_params(ctx)


def _build_options() -> list[click.Option]:
    import typing

    from briefing.convert import struct_fields
    from briefing.options import Request, flag_of

    out: list[click.Option] = []
    for name, (info, _) in struct_fields(Request).items():
        extra = info.extra
        if extra.get("cli") is False:
            continue
        flag = flag_of(name)
        help_text = next((m.description for m in info.meta if m.description), "")
        kwargs: dict[str, Any] = {"default": None,
                                  "help": help_text.replace("{themes}", ", ".join(BUILTIN_THEMES))}
        decls = [flag, name]
        if info.base is bool:
            decls = [f"{flag}/--no-{flag.removeprefix('--')}", name]
        elif typing.get_origin(info.base) is typing.Literal:
            kwargs["type"] = click.Choice(typing.get_args(info.base), case_sensitive=False)
        elif isinstance(info.base, type) and issubclass(info.base, StrEnum):
            kwargs["type"] = click.Choice([m.value for m in info.base], case_sensitive=False)
        elif info.base is int:
            kwargs["type"] = click.INT
        elif typing.get_origin(info.base) is dict:
            kwargs["multiple"] = True
        elif extra.get("folder"):
            kwargs["type"] = click.Path(file_okay=False)
        if "metavar" in extra:
            kwargs["metavar"] = extra["metavar"]
        out.append(click.Option(decls, **kwargs))
    return out


def _asked(values: dict[str, Any]) -> Any:
    """The command line's layer of build options (``options.from_flags``)."""
    from briefing.convert import struct_fields
    from briefing.options import Request, from_flags

    return from_flags({name: values.pop(name) for name in list(values)
                       if name in struct_fields(Request)})


def _sample_or(source: str | None) -> str:
    if source is not None:
        return source
    from briefing.assets import sample_source

    return str(sample_source())


@cli.command(cls=_WithBuildOptions,
             short_help="Build a PDF from SOURCE (default: the bundled sample).")
@click.argument("source", required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="PDF",
              help=HELP["output"])
@click.option("--strict", is_flag=True, help="Treat warnings as errors (nothing is written).")
@click.option("--open", "open_", is_flag=True,
              help="Open the PDF when it is built (says so when it cannot).")
@click.option("--preview", type=click.Path(path_type=Path), metavar="PNG",
              help="Also write page 1 as a PNG image here.")
def build(source: str | None, output: Path | None, strict: bool, open_: bool,
          preview: Path | None, **options: Any) -> None:
    """Build a PDF briefing from SOURCE (default: the bundled sample).

    SOURCE is a .txt, .md, .yaml, .json, .docx or .html file, or - for standard input.
    """
    from briefing.build import build_file

    asked = _asked(options)
    if output is None:
        output = Path("briefing.pdf") if source in (None, "-") else Path(Path(str(source)).stem + ".pdf")
    if preview is not None:
        from briefing.preview import check_preview_path

        check_preview_path(preview)  # before building: a failed preview must not follow a PDF
    others = [("--preview", preview)] if preview is not None else []
    result = build_file(_sample_or(source), output, asked, strict=strict, others=others)
    for warning in result.warnings:
        log.warning(warning)
    if log.getEffectiveLevel() <= logging.WARNING:
        click.echo(f"wrote {output} ({result.pages} page{'s' if result.pages != 1 else ''})",
                   err=True)
    if preview is not None:
        from briefing.preview import write_preview

        write_preview(result.pdf, preview)
    if open_:
        _open(output)


def _check_pdf_name(output: Path, option: str = "-o") -> None:
    from briefing.paths import pdf_name_problem

    problem = pdf_name_problem(output)
    if problem is not None:
        raise UsageError(f"{option} {output}: {problem}")


def _open(path: Path) -> None:
    """Open a built file in the system's viewer, or say why it cannot be (a warning: the file
    itself is built)."""
    import shutil
    import subprocess

    if sys.platform == "win32":
        click.launch(str(path))
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    found = shutil.which(opener)
    if found is None:
        log.warning("%s: not opened: there is no %s here to open files with (a machine "
                    "without a desktop?); open it yourself", path, opener)
        return
    process = subprocess.Popen([found, str(path)], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        code = process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return  # still opening (a viewer that stays in the foreground): it works
    if code != 0:
        log.warning("%s: not opened: %s found no program for it (exit code %d); open it "
                    "yourself", path, opener, code)


@cli.command(cls=_WithBuildOptions, short_help="Show how SOURCE is understood; builds nothing.")
@click.argument("source", required=False)
@click.option("--json", "as_json", is_flag=True,
              help="Print the model and the options decided (with --layout: the layout "
                   "report), as JSON, for programs.")
@click.option("--layout", is_flag=True,
              help="Build SOURCE (writing nothing) and report its layout page by page: "
                   "characters per full line, loose lines, hyphen runs, fragments, gaps at "
                   "the page foot, images' resolution, the theme's contrast; exit code 3 "
                   "when something breaks a rule.")
def check(source: str | None, as_json: bool, layout: bool, **options: Any) -> None:
    """Show how SOURCE is understood (sections, FAQ, what was guessed about a pasted text,
    line by line) and the options a build would use, with where each comes from; builds
    nothing. What would stop a build (a missing image...) is said as the build says it.

    With --layout, builds SOURCE as `build` would, without writing the PDF, and reports what
    a designer checks on each page, then a verdict: exit code 0 when nothing breaks a rule,
    3 when something does.
    """
    if layout:
        from briefing.layout_report import FINDINGS_EXIT, check_layout

        report, result = check_layout(_sample_or(source), _asked(options))
        for warning in result.warnings:
            log.warning(warning)
        click.echo(report.to_json() if as_json else report.describe())
        if not report.clean:
            click.get_current_context().exit(FINDINGS_EXIT)
        return
    from briefing.build import inspect
    from briefing.summary import describe, summary_json

    seen = inspect(_sample_or(source), _asked(options))
    typeset, decided = seen.typeset, seen.options.as_dict()
    click.echo(summary_json(typeset.briefing, typeset.decisions, decided) if as_json
               else describe(typeset.briefing, typeset.source.name, typeset.decisions, decided))
    if seen.problem is not None:  # what would stop a build, said as the build would say it
        raise seen.problem


@cli.command(short_help="Print the JSON Schema of YAML/JSON sources.")
def schema() -> None:
    """Print the JSON Schema of the YAML/JSON source format."""
    import json

    from briefing.read.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@cli.command(short_help="List the themes; --reference prints every theme key.")
@click.option("--assets", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Also list the themes of this folder of your own (its .toml files, its "
                   "themes/ folder, its folders holding a theme.toml), by the name --theme "
                   "takes with --assets.")
@click.option("--reference", is_flag=True,
              help="Print the theme reference instead: every key, its type, default and "
                   "meaning (docs/themes.md).")
def themes(assets: Path | None, reference: bool) -> None:
    """List the built-in themes, one line each, with a description."""
    if reference:
        from briefing.assets import theme_reference

        click.echo(theme_reference().read_text(encoding="utf-8"), nl=False)
        return
    from briefing.theme import theme_list

    rows = theme_list(assets)
    width = max((len(name) for name, _ in rows), default=0)
    for name, description in rows:
        click.echo(f"{name:<{width}}  {description}".rstrip())


@cli.command(short_help="Print the shell completion script for SHELL.")
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

# -- jobs: manifests, incremental updates, schedules, watching ---------------------------------


def _jobs_log(quiet: bool, *, timestamps: bool = False) -> None:
    """Show the jobs' log (one line per briefing, summaries) unless --quiet."""
    jobs_log = logging.getLogger("briefing.jobs")
    jobs_log.setLevel(logging.ERROR if quiet else min(logging.INFO, log.getEffectiveLevel()))
    if timestamps:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
        jobs_log.handlers[:] = [handler]
        jobs_log.propagate = False


def _quiet() -> bool:
    return log.getEffectiveLevel() > logging.WARNING


def _self_argv() -> list[str]:
    """How cron or systemd should call this program, one argument per item."""
    import shutil

    found = shutil.which("briefing")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "briefing"]


def _self_command() -> str:
    """The same, as a shell command (for cron)."""
    import shlex

    return shlex.join(_self_argv())


manifest_argument = click.argument(
    "manifest", required=False, type=click.Path(path_type=Path)
)
jobs_option = click.option(
    "-j", "--jobs", type=AtLeast(1), metavar="N",
    help="Builds at a time. Default: the number of CPU cores.",
)


@cli.command(short_help="Write a starter manifest (with its example) or theme to edit.")
@click.argument("path", required=False)
@click.option("--manifest", "manifest_", is_flag=True,
              help="Write a manifest: PATH is its folder (made when missing), or a file name "
                   "ending in .toml. Default: ./briefings.toml.")
@click.option("--force", is_flag=True, help="Replace the starter files (never your texts).")
def init(path: str | None, manifest_: bool, force: bool) -> None:
    """Write a starter to edit: a manifest and the example it builds, or a theme.

    \b
    briefing init                 ./briefings.toml and the example.txt it lists:
                                  then `briefing update` builds example.pdf
    briefing init --manifest DIR  the same in DIR (made when missing)
    briefing init NAME.toml       a manifest named NAME.toml
    briefing init DIR             a theme of your own: DIR/theme.toml, fonts/, logos/
    """
    quiet = _quiet()

    def say(text: str) -> None:
        if not quiet:
            click.echo(text, err=True)

    if path is not None and not manifest_ and not path.endswith(".toml"):
        from briefing.starter import build_hint
        from briefing.starter import write_starter as write_theme_starter

        for written in write_theme_starter(Path(path), force=force, hint=build_hint(path)):
            say(f"wrote {written}")
        say(f"build with: {build_hint(path)}")
        return
    from briefing.jobs.manifest import DEFAULT_NAME, write_starter

    target = Path(DEFAULT_NAME) if path is None else Path(path)
    if path is not None and not path.endswith(".toml"):
        target = target / DEFAULT_NAME  # --manifest DIR: a folder, made when missing
    for written in write_starter(target, overwrite=force):
        say(f"wrote {written}")
    # How `update` finds it: ./briefings.toml by itself, else by its folder or its name.
    where = ("" if target == Path(DEFAULT_NAME) else f" {target.parent}"
             if target.name == DEFAULT_NAME else f" {target}")
    say(f"list your briefings in {target.name}, then run: briefing update{where}")


@cli.command(short_help="Rebuild the briefings of a manifest that changed.")
@manifest_argument
@click.option("--only", "names", multiple=True, metavar="NAME",
              help="Only this briefing (repeatable).")
@click.option("--force", is_flag=True, help="Rebuild every briefing, stale or not.")
@click.option("-n", "--dry-run", is_flag=True, help="List what would be rebuilt, and why.")
@jobs_option
@click.option("--archive", type=click.Path(file_okay=False, path_type=Path),
              help="Record numbered editions in this folder (as editions = \"DIR\" in the "
                   "manifest would).")
@click.option("--wait", is_flag=True, help="Wait for another run on the manifest to finish.")
@click.option("--cluster", metavar="ADDRESS",
              help="Build on a Dask cluster: its scheduler's address (tcp://HOST:8786), or "
                   "local:N for N worker processes on this machine. Default: "
                   "$BRIEFING_CLUSTER, else the manifest's [cluster] address, else here "
                   "(--jobs is then the workers' business). Needs pip install "
                   "'briefing[cluster]'.")
def update(manifest: Path | None, names: tuple[str, ...], force: bool, dry_run: bool,
           jobs: int | None, archive: Path | None, wait: bool, cluster: str | None) -> None:
    """Rebuild the briefings of MANIFEST (default: ./briefings.toml) whose inputs changed.

    A briefing is rebuilt when its source, theme, fonts, logos, options or briefing's version
    changed. PDFs are replaced atomically; a failed build keeps the previous PDF. With
    --cluster, the builds run on a cluster's workers (no shared folder needed); this
    process still writes every PDF, record and edition.
    """
    import contextlib

    from briefing.jobs.manifest import load_manifest
    from briefing.jobs.update import Outcome, Planned, foreseen_failure, plan, verdict
    from briefing.jobs.update import update as run_update

    loaded = load_manifest(manifest)
    if archive is not None:
        loaded = loaded.archived_in(archive)
    if dry_run:
        for item in plan(loaded, names, force=force):
            what = f"would build ({item.reason})" if item.reason else "up to date"
            error = item.error or (foreseen_failure(item.entry) if item.reason else None)
            if error:
                what = f"cannot be built: {error}"
            click.echo(f"{item.entry.name}: {what}")
        return
    quiet = _quiet()
    _jobs_log(quiet)
    from briefing.jobs.progress import Progress

    progress: Progress | None = None
    handlers = logging.getLogger("briefing").handlers

    building: set[str] = set()

    def on_plan(planned: list[Planned]) -> None:
        nonlocal progress
        building.update(item.entry.name for item in planned if item.reason and not item.error)
        # A progress line for many builds, on a terminal only: logs get a line per briefing.
        if len(building) >= PROGRESS_FROM and not quiet and sys.stderr.isatty():
            logging.getLogger("briefing.jobs").setLevel(logging.WARNING)  # the line says it
            progress = Progress(len(building), sys.stderr)
            for handler in handlers:
                handler.addFilter(progress.filter)
            progress.draw()

    def on_outcome(outcome: Outcome) -> None:
        if outcome.status == "failed" and outcome.detail:
            log.debug("%s", outcome.detail)
        if progress is not None and outcome.name in building:
            progress.advance(outcome.name, failed=outcome.status == "failed")

    address = cluster or os.environ.get("BRIEFING_CLUSTER", "").strip() or loaded.cluster
    connection: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    if address:
        from briefing.jobs.cluster import Cluster  # Dask: only with --cluster

        connection = Cluster(address)
    try:
        with connection as connected:
            summary = run_update(loaded, names, force=force, jobs=jobs, wait=wait,
                                 on_plan=on_plan, on_outcome=on_outcome,
                                 runner=connected.run if connected is not None else None)
    finally:
        if progress is not None:
            progress.clear()
            for handler in handlers:
                handler.removeFilter(progress.filter)
    if progress is not None:  # failures were said as they came (warnings and errors show)
        click.echo(summary.describe(), err=True)
    message = verdict(summary, {entry.name: entry.output for entry in loaded.entries})
    if message is not None:
        raise BriefingError(message)


@cli.command(short_help="Rebuild each briefing of a manifest on its schedule.")
@manifest_argument
@click.option("--once", is_flag=True, help="Run what is due now, then exit (for cron, tests).")
@click.option("--print-cron", is_flag=True, help="Print crontab lines instead of running.")
@click.option("--print-systemd", is_flag=True,
              help="Print a systemd service and timer instead of running.")
@jobs_option
def schedule(manifest: Path | None, once: bool, print_cron: bool, print_systemd: bool,
             jobs: int | None) -> None:
    """Rebuild each briefing of MANIFEST (default: ./briefings.toml) on its own cron
    `schedule`, in the foreground.

    Logs each run and the next run time; a failing build is retried at its next time. Stop
    it with Ctrl-C or SIGTERM: it finishes the builds in progress. The manifest is re-read
    when it changes.
    """
    from briefing.jobs.manifest import load_manifest
    from briefing.jobs.schedule import Scheduler, cron_lines, scheduler_lock, systemd_units
    from briefing.jobs.update import verdict

    loaded = load_manifest(manifest)
    if print_cron:
        click.echo(cron_lines(loaded, _self_command()), nl=False)
        return
    if print_systemd:
        units = systemd_units(loaded, _self_argv())
        names = list(units)
        click.echo(f"# Save these two files in ~/.config/systemd/user/ (or /etc/systemd/system/),\n"
                   f"# then: systemctl --user daemon-reload && "
                   f"systemctl --user enable --now {names[1]}\n")
        for name, text in units.items():
            click.echo(f"# --- {name} ---\n{text}")
        return
    _jobs_log(_quiet(), timestamps=not once)
    with scheduler_lock(loaded):
        scheduler = Scheduler(loaded.path, jobs=jobs)
        if once:
            summary = scheduler.run_due()
            if summary is None:
                logging.getLogger("briefing.jobs").info("nothing is due")
            else:
                message = verdict(summary, {e.name: e.output for e in loaded.entries})
                if message is not None:
                    raise BriefingError(message)
            return
        scheduler.run_forever()


@cli.command(cls=_WithBuildOptions, short_help="Rebuild a source or a manifest on every save.")
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="PDF",
              help="PDF to write, for a source. Default: the source's name with .pdf, beside "
                   "it. (A manifest says where each PDF goes.)")
@click.option("--debounce", type=AtLeast(10), default=200, metavar="MS",
              help="Quiet time after a save before building, in milliseconds. Default: 200.")
@jobs_option
def watch(target: Path, output: Path | None, debounce: int, jobs: int | None,
          **options: Any) -> None:
    """Rebuild on every save of TARGET (a source or a briefings.toml), its theme or assets.

    A source is built with the options given, as ``build`` would; a manifest's briefings with
    the manifest's own. Prints one line per build; a failed build keeps the last good PDF.
    Stop with Ctrl-C.
    """
    from briefing.jobs.watch import watch_manifest, watch_source

    asked = _asked(options)
    manifest = target.is_dir() or target.suffix == ".toml"
    pdf = output or target.with_suffix(".pdf")
    if manifest and asked.layers:
        raise UsageError(f"{asked.layers[0].origin.where}: {target.name} is a manifest; set "
                         "its briefings' options in it")
    if not manifest:
        _check_pdf_name(pdf)
    _jobs_log(_quiet(), timestamps=True)
    try:
        if manifest:
            watch_manifest(target, jobs=jobs, debounce_ms=debounce)
        else:
            watch_source(target, pdf, asked, debounce_ms=debounce)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


# -- editions: what changed, the editions folder, publishing -----------------------------------

editions_dir_option = click.option(
    "--dir", "editions_dir", type=click.Path(file_okay=False, path_type=Path),
    help="The editions folder (default: that of ./briefings.toml, else ./editions).",
)


def _editions_dir(given: Path | None) -> Path:
    """The editions folder: given, or the manifest's in this folder, or ./editions."""
    if given is not None:
        return given
    from briefing.jobs.manifest import DEFAULT_NAME, load_manifest

    if Path(DEFAULT_NAME).is_file():
        loaded = load_manifest(DEFAULT_NAME)
        if loaded.editions is not None:
            return loaded.editions
    return Path("editions")


@cli.command(short_help="Show what changed from OLD to NEW, section by section.")
@click.argument("old")
@click.argument("new")
@editions_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON, for programs.")
def diff(old: str, new: str, editions_dir: Path | None, as_json: bool) -> None:
    """Show what changed from OLD to NEW, by section, words added and removed.

    OLD and NEW are source files, or recorded editions written NAME@N (NAME@latest).
    """
    from briefing.editions.diff import compare
    from briefing.editions.refs import load_model
    from briefing.editions.store import EditionStore

    store = EditionStore(_editions_dir(editions_dir)) if "@" in old + new else None
    if store is not None and not store.root.is_dir():
        name = next(ref.split("@")[0] for ref in (old, new) if "@" in ref)
        raise BriefingError(_no_edition(name, store.root, given=editions_dir is not None))
    changes = compare(load_model(old, store), load_model(new, store))
    click.echo(changes.to_json() if as_json else changes.describe())


@cli.command(short_help="List the editions of briefing NAME.")
@click.argument("name")
@editions_dir_option
def editions(name: str, editions_dir: Path | None) -> None:
    """List the editions of briefing NAME: number, date, pages, what changed."""
    from briefing.editions.store import EditionStore, describe

    folder = _editions_dir(editions_dir)
    found = EditionStore(folder).list(name)
    if not found:
        raise BriefingError(_no_edition(name, folder, given=editions_dir is not None))
    click.echo(describe(found))


def _no_edition(name: str, folder: Path, *, given: bool) -> str:
    """Why NAME has no edition in ``folder``, and how to point at the right folder."""
    from briefing.editions.store import EditionStore

    if not folder.is_dir():
        what = f"{name}: no edition: the editions folder {folder} does not exist"
    else:
        others = EditionStore(folder).names()
        held = f" (it holds editions of {', '.join(others)})" if others else ""
        what = f"{name}: no edition in {folder}{held}"
    default = "" if given else " (the default: the editions folder of ./briefings.toml, else " \
                               "./editions)"
    return (f"{what}{default}; give the folder that `update --archive` or the manifest's "
            "editions = names with --dir FOLDER")


@cli.command(short_help="Publish the editions as a static web folder.")
@click.argument("output", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--dir", "editions_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The editions folder (default: the manifest's).")
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path),
              help="Manifest whose [publish] table to use (default: ./briefings.toml).")
@click.option("--title", help="Title of the page and feed (default: the manifest's, or Briefings).")
@click.option("--base-url", help="Public URL of OUTPUT, for the feed's links.")
@click.option("--theme", help="Theme whose colours the page takes (default: default).")
@click.option("--name", "names", multiple=True, help="Publish only this briefing (repeatable).")
def publish(output: Path | None, editions_dir: Path | None, manifest_path: Path | None,
            title: str | None, base_url: str | None, theme: str | None,
            names: tuple[str, ...]) -> None:
    """Publish the editions into OUTPUT, a folder for any static web server.

    Without OUTPUT and --dir, the manifest's editions folder and [publish] table are used.
    The folder holds the latest PDF of each briefing under a stable name, past editions under
    dated names, a thumbnail of page 1, index.html and an Atom feed (feed.xml).
    """
    from briefing.editions.publish import publish as publish_folder
    from briefing.editions.store import EditionStore
    from briefing.jobs.site import site_request
    from briefing.theme import load_theme

    asked = site_request(output, editions_dir, manifest=manifest_path, title=title,
                         base_url=base_url, theme=theme)
    site = publish_folder(EditionStore(asked.editions), asked.options, load_theme(asked.theme),
                          list(names) or None)
    if not _quiet():
        click.echo(f"published {site.index}", err=True)
    if site.skipped:
        raise BriefingError(f"published, but without what cannot be read: "
                            f"{'; '.join(site.skipped.values())}")


def _terminated(signum: int, _frame: object) -> None:
    # Unwind like an interrupt so that a PDF being written is cleaned up, never left half-done.
    raise KeyboardInterrupt


def _verbosity(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if param.name == "quiet" and value:
        _setup_logging(-1)
    elif param.name == "verbose" and value:
        _setup_logging(value)


# -q and -v also after the command's name (``briefing build -q``), as people type them.
for _command in cli.commands.values():
    _command.params += [
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, is_eager=True,
                     callback=_verbosity, help="Print errors only."),
        click.Option(["-v", "--verbose"], count=True, expose_value=False, is_eager=True,
                     callback=_verbosity, help="Say more (repeat for debug output)."),
    ]


def main() -> None:
    """Entry point of the ``briefing`` command: runs it and maps what ends it to an exit code
    (``errors.py`` lists them)."""
    pace_collector()
    signal.signal(signal.SIGTERM, _terminated)
    try:
        code = cli.main(prog_name="briefing", standalone_mode=False)
    except click.ClickException as exc:  # a bad command line, or a BriefingError (_Failed)
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):  # click turns Ctrl-C into Abort
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BriefingError as exc:  # raised outside a command
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # the reader of our output went away (``briefing … | head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as exc:  # a bug of ours: one line for the user, the details with -vv
        log.debug("unexpected error", exc_info=True)
        # One line, without object addresses (they say nothing to a reader, and differ per run).
        reason = re.sub(r"\s*<[^<>]* at 0x[0-9a-fA-F]+>|\s*@?0x[0-9a-fA-F]+", "", str(exc))
        reason = " ".join(reason.split())[:200]
        click.echo(f"Error: unexpected error, a bug of briefing ({reason}); please report "
                   "it, with the output of the same command run with -vv", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
