"""The manifest, ``briefings.toml``: many briefings, their options, outputs and schedules.

``[defaults]`` gives options every briefing inherits; each ``[[briefing]]`` table names one
briefing. Paths are relative to the manifest's folder (``output`` is relative to
``output_dir``). Every mistake is reported at once, one line each, naming the file, the line,
the table and the key: ``briefings.toml, line 14, [[briefing]] "weekly": key "schedul":
unknown key; did you mean "schedule"?``. tomllib gives no positions, so lines are found by
scanning the raw text for the N-th ``[[briefing]]`` header and the key after it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tomllib
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import msgspec

from briefing.assets import example
from briefing.convert import FieldError, load, struct_fields
from briefing.editions.notify import (
    EVENTS,
    SECURITY,
    EmailSettings,
    NotifySettings,
    WebhookSettings,
    is_loopback,
)
from briefing.editions.publish import PublishOptions, check_base_url
from briefing.errors import BriefingError, ManifestError, UsageError
from briefing.jobs.cron import CronSyntaxError, parse_cron
from briefing.options import Asked, Given, Layer, Origin, Request
from briefing.paths import (
    FILE_NAME_RULE,
    LIMITS,
    Files,
    is_file_name,
    pdf_name_problem,
    read_bytes,
    real,
    same_file,
)
from briefing.theme import builtin_themes, toml_problem

DEFAULT_NAME = "briefings.toml"
STATE_DIR = ".briefing"
#: Seconds a build may take when the manifest does not say (``timeout``): a runaway build
#: must not hold the manifest's lock for ever.
DEFAULT_TIMEOUT = 300.0
#: The longest timeout accepted, in seconds (a day).
MAX_SECONDS = 86400.0

#: Build options a ``[[briefing]]`` may set, and those ``[defaults]`` may give to all: the
#: fields of ``options.Request`` (one declaration for the command line and the manifest).
OPTION_KEYS = tuple(name for name, (info, _) in struct_fields(Request).items()
                    if info.extra.get("manifest", True))
_DEFAULT_OPTIONS = tuple(name for name in OPTION_KEYS
                         if struct_fields(Request)[name][0].extra.get("defaults", True))
#: Keys of how and when a briefing is built, not of what it looks like.
_JOB_KEYS = ("output_dir", "timeout", "schedule", "retries", "skip_unchanged", "notify")
DEFAULT_KEYS = frozenset(_DEFAULT_OPTIONS + _JOB_KEYS)
BRIEFING_KEYS = frozenset((*OPTION_KEYS, *_JOB_KEYS, "name", "source", "output", "correction",
                           "each"))
#: The template a briefing made per row (``each``) is named by, for messages.
EACH_NAME = 'name = "flood-{{ row.region | slug }}"'
#: Top-level keys besides the tables of briefings.
_TOP_KEYS = ("defaults", "briefing", "editions", "publish", "cluster")
_PUBLISH_KEYS = ("folder", "title", "base_url", "theme")
_CLUSTER_KEYS = ("address",)

@dataclass(frozen=True, slots=True)
class Entry:
    """One briefing of a manifest, with everything resolved."""

    name: str  # unique; names the state file and archived editions
    source: Path  # absolute
    output: Path  # absolute
    asked: Asked  # its build options: the [[briefing]] table's, then [defaults]
    schedule: str | None = None  # cron expression, as written
    timeout: float | None = DEFAULT_TIMEOUT  # seconds a build may take
    line: int = 0  # line of its [[briefing]] header, for messages
    retries: int = 0  # further attempts after a failed build, with backoff
    skip_unchanged: bool = True  # a build whose model did not change tells no one
    correction: bool = False  # publish a model change as a silent correction
    notify: NotifySettings | None = None  # who is told, and how
    problem: str | None = None  # why it cannot be built (its source is missing): it fails alone
    each: str | None = None  # made per row of this data file (``each``), as written
    row_line: int = 0  # the line of its row in that file


@dataclass(frozen=True, slots=True)
class Manifest:
    """A parsed manifest."""

    path: Path  # absolute
    entries: tuple[Entry, ...] = field(default=())
    editions: Path | None = None  # the editions folder (top-level ``editions = "..."``)
    publish: PublishOptions | None = None  # the ``[publish]`` table
    publish_theme: str | None = None  # theme whose colours the published page takes
    cluster: str | None = None  # ``[cluster] address``: where ``update`` builds (a scheduler)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def archived_in(self, archive: Path) -> Manifest:
        """The manifest with its editions kept in ``archive`` (``update --archive``): one
        archive, not two, so a manifest that names another one is a usage error."""
        folder = archive.resolve()
        if self.editions is not None and self.editions != folder:
            raise UsageError(f"--archive: {self.path.name} keeps every edition in "
                             f"{self.editions}; one archive, not two")
        return replace(self, editions=folder)

    @property
    def state_dir(self) -> Path:
        """Hidden folder beside the manifest holding fingerprints and schedule state."""
        return self.folder / STATE_DIR

    @property
    def lock_path(self) -> Path:
        return self.folder / f".{self.path.name}.lock"

    def select(self, names: Iterable[str] = ()) -> list[Entry]:
        """The entries named (all when none are), in manifest order."""
        wanted = list(names)
        if not wanted:
            return list(self.entries)
        known = {entry.name for entry in self.entries}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ManifestError(
                f"{self.path.name}: no briefing named {', '.join(map(repr, unknown))}; "
                f"it has {', '.join(sorted(known)) or 'none'}"
            )
        return [entry for entry in self.entries if entry.name in wanted]


def find_manifest(path: str | Path | None) -> Path:
    """The manifest to use: ``path`` (a file, or a folder holding ``briefings.toml``)."""
    candidate = Path(path) if path is not None else Path(DEFAULT_NAME)
    if candidate.is_dir():
        candidate = candidate / DEFAULT_NAME
    if not os.path.exists(candidate):
        raise ManifestError(
            f"{candidate}: no such manifest; create one with `briefing init --manifest`"
        )
    return candidate


def load_manifest(path: str | Path | None = None) -> Manifest:
    """Read and check a manifest; raise ``ManifestError`` listing every mistake."""
    shown = find_manifest(path)
    raw = read_bytes(shown, limit=LIMITS["manifest"], what="manifest", error=ManifestError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{shown}: not valid UTF-8 at byte {exc.start}") from None
    return parse_manifest(text, shown)


def parse_manifest(text: str, path: Path) -> Manifest:
    """Parse a manifest's text; ``path`` names it in messages and anchors relative paths."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = toml_problem(exc)
        where = f", line {line}" if line else ""
        raise ManifestError(f"{path}{where}: not valid TOML: {message}") from None
    return _Checker(text, path).check(data)


class _Checker:
    defaults: Given

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        self.folder = path.resolve().parent
        self.errors: list[str] = []
        self.tables = _locate_tables(text)

    def error(self, table: tuple[str, int], label: str, key: str | None, message: str) -> None:
        self.errors.append(self.where(table, label, key) + message)

    def where(self, table: tuple[str, int], label: str, key: str | None) -> str:
        """``briefings.toml, line 14, [[briefing]] "weekly", key "source": ``"""
        line = self.tables.get(table, _Table(0)).line_of(key)
        at = f", line {line}" if line else ""
        what = f', key "{key}"' if key else ""
        return f"{self.path}{at}, {label}{what}: "

    def check(self, data: Mapping[str, Any]) -> Manifest:
        for key in data:
            if key not in _TOP_KEYS:
                hint = _hint(key, _TOP_KEYS)
                self.error(("", 0), "top level", key, f"unknown table or key{hint}")
        editions = None
        if "editions" in data:
            try:
                editions = _path(data["editions"], self.folder)
            except ValueError as exc:
                self.error(("", 0), "top level", "editions", str(exc))
        publish, publish_theme = self._publish(data.get("publish"), editions)
        defaults = data.get("defaults", {})
        if not isinstance(defaults, dict):
            self.error(("", 0), "top level", "defaults", "must be a [defaults] table")
            defaults = {}
        tables = data.get("briefing", [])
        if not isinstance(tables, list):
            self.error(("", 0), "top level", "briefing", "write each briefing as [[briefing]]")
            tables = []
        if not tables and not self.errors:
            self.errors.append(f"{self.path}: no [[briefing]] tables; add one per briefing")
        self._keys(defaults, DEFAULT_KEYS, ("defaults", 0), "[defaults]")
        checked_defaults = self._values(defaults, ("defaults", 0), "[defaults]")
        self.defaults = Given(Origin(Layer.MANIFEST_DEFAULTS, f"{self.path.name} [defaults]"),
                              self._request(defaults, ("defaults", 0), "[defaults]"))
        entries: list[Entry] = []
        seen: dict[str, int] = {}
        made: list[tuple[int, Entry]] = []
        for index, table in enumerate(tables):
            if isinstance(table, dict) and "each" in table:  # one briefing per row
                made += [(index, e) for e in self._each(table, index, checked_defaults)]
                continue
            entry = self._briefing(table, index, checked_defaults)
            if entry is not None:
                made.append((index, entry))
        for index, entry in made:
            if entry.name in seen:
                self.error(
                    ("briefing", index),
                    f'[[briefing]] "{entry.name}"',
                    "name",
                    f"the name is already used by the briefing at line {seen[entry.name]}; "
                    "give each briefing its own name",
                )
                continue
            seen[entry.name] = entry.line
            entries.append(entry)
        self._outputs(entries, editions, publish)
        cluster = self._cluster(data.get("cluster"))
        if self.errors:
            raise ManifestError("\n".join(self.errors))
        return Manifest(self.path.resolve(), tuple(entries), editions, publish, publish_theme,
                        cluster)

    def _cluster(self, table: Any) -> str | None:
        """``[cluster] address = "tcp://scheduler:8786"`` (or ``"local:4"``)."""
        if table is None:
            return None
        if not isinstance(table, dict):
            self.error(("", 0), "top level", "cluster", "must be a [cluster] table")
            return None
        self._keys(table, frozenset(_CLUSTER_KEYS), ("cluster", 0), "[cluster]")
        try:
            return _string(table["address"]) if "address" in table else None
        except ValueError as exc:
            self.error(("cluster", 0), "[cluster]", "address", str(exc))
            return None

    def _outputs(self, entries: list[Entry], editions: Path | None,
                 publish: PublishOptions | None) -> None:
        """No output is an input (a source, a theme, the manifest), a file the tool keeps
        (state, editions), or the output of another briefing, however the paths are written
        (``briefing.paths``)."""
        inputs = Files([("the manifest itself", self.path),
                        ("the manifest's lock", self.folder / f".{self.path.name}.lock")])
        for entry in entries:
            inputs.add(f'the source of "{entry.name}"', entry.source)
            theme = entry.asked.get("theme")
            if isinstance(theme, str) and theme.endswith(".toml"):
                inputs.add(f'the theme of "{entry.name}"', Path(theme))
        kept = [("the state folder", real(self.folder / STATE_DIR))]
        if editions is not None:
            kept.append(("the editions folder", real(editions)))
        if publish is not None:
            kept.append(("the [publish] folder", real(publish.folder)))
            if editions is not None and same_file(publish.folder, editions):
                self.error(("publish", 0), "[publish]", "folder",
                           "is the editions folder; give the published site its own folder")
            names = ("index.html", "feed.xml", "style.css",
                     *(f"{e.name}.{ext}" for e in entries for ext in ("pdf", "png")))
            for name in names:
                clash = inputs.find(publish.folder / name)
                if clash is not None:
                    self.error(("publish", 0), "[publish]", "folder",
                               f"publishing would overwrite {clash} ({name}); give the "
                               "published site a folder of its own")
        written = Files()
        for index, entry in enumerate(entries):
            where, label = ("briefing", index), f'[[briefing]] "{entry.name}"'
            clash = inputs.find(entry.output)
            if clash is not None:
                self.error(where, label, "output",
                           f"{entry.output} is {clash}; give the PDF another name")
                continue
            resolved = real(entry.output)
            inside = next((what for what, folder in kept if resolved.is_relative_to(folder)),
                          None)
            if inside is not None:
                self.error(where, label, "output",
                           f"{entry.output} is inside {inside}, which briefing manages; "
                           "write the PDF elsewhere")
                continue
            other = written.find(resolved)
            if other is not None:
                self.error(where, label, "output", f'the same PDF is written by "{other}"')
                continue
            problem = pdf_name_problem(entry.output)
            if problem is not None:
                self.error(where, label, "output", f"{entry.output}: {problem}")
                continue
            written.add(entry.name, resolved)

    def _publish(self, table: Any, editions: Path | None) -> tuple[PublishOptions | None, str | None]:
        if table is None:
            return None, None
        where, label = ("publish", 0), "[publish]"
        if not isinstance(table, dict):
            self.error(("", 0), "top level", "publish", "must be a [publish] table")
            return None, None
        self._keys(table, frozenset(_PUBLISH_KEYS), where, label)
        if editions is None:
            self.error(where, label, None, 'publishing needs an editions folder: add '
                       'editions = "editions" at the top of the manifest')
        if "folder" not in table:
            self.error(where, label, None, 'missing key "folder" (where the site is written)')
            return None, None
        try:
            folder = _path(table["folder"], self.folder)
            title = _string(table.get("title", "Briefings"))
            base_url = check_base_url(str(table.get("base_url", "")))
            theme = _theme(table["theme"], self.folder) if "theme" in table else None
        except ValueError as exc:
            self.error(where, label, None, str(exc))
            return None, None
        return PublishOptions(folder, title=title, base_url=base_url), theme

    def _keys(
        self, table: Mapping[str, Any], allowed: frozenset[str], where: tuple[str, int], label: str
    ) -> None:
        for key in table:
            if key not in allowed:
                extra = ""
                if where[0] == "defaults" and key in BRIEFING_KEYS:
                    extra = "; set it in each [[briefing]]"
                self.error(where, label, key, f"unknown key{_hint(key, allowed)}{extra}")

    def _values(
        self, table: Mapping[str, Any], where: tuple[str, int], label: str
    ) -> dict[str, Any]:
        """Check the option values of a table; return them converted (paths resolved)."""
        out: dict[str, Any] = {}
        for key, value in table.items():
            check = _CHECKS.get(key)
            if check is None:
                continue
            try:
                out[key] = check(value, self.folder)
            except ValueError as exc:
                self.error(where, label, key, str(exc))
        return out

    def _request(self, table: Mapping[str, Any], where: tuple[str, int], label: str) -> Request:
        """The build options of a table, each checked alone (every mistake is reported);
        theme and assets paths are relative to the manifest's folder."""
        good: dict[str, Any] = {}
        for key, value in table.items():
            if key not in OPTION_KEYS:
                continue
            try:
                if isinstance(value, str):
                    value = _string(value)
                if key == "theme":
                    value = _theme(value, self.folder)
                elif key == "assets":
                    value = str(_folder(value, self.folder))
                elif key == "date":
                    value = _date(value, self.folder)
                elif key == "data":
                    value = _data(value, self.folder)
                good[key] = load(Request, {key: value})
            except ValueError as exc:
                self.error(where, label, key, exc.message if isinstance(exc, FieldError)
                           else str(exc))
        return Request(**{k: getattr(r, k) for k, r in good.items()})

    def _each(self, table: dict[str, Any], index: int,
              defaults: Mapping[str, Any]) -> list[Entry]:
        """``each = "regions.csv"``: one briefing per row of the file, named by the template
        of ``name``, its row given to the source as ``row``."""
        where, label = ("briefing", index), f"[[briefing]] #{index + 1}"
        template = table.get("name")
        if not isinstance(template, str) or "{{" not in template:
            self.error(where, label, "name", "a briefing made per row is named by a template "
                       f"of its row, such as {EACH_NAME}")
            return []
        if "output" in table:
            self.error(where, label, "output", "each briefing made per row is written to "
                       "NAME.pdf in output_dir; remove output")
            return []
        lang = _lang(table, defaults, self.defaults)
        try:
            shown = _string(table["each"])
            rows = _rows(_path(shown, self.folder), shown, lang)
        except ValueError as exc:
            self.error(where, label, "each", str(exc))
            return []
        except BriefingError as exc:
            self.error(where, label, "each", exc.message.replace(
                "check the name in the source", "check the path (relative to the manifest)"))
            return []
        try:
            # The data extra is there (``_rows`` said so otherwise): its expressions.
            from briefing.data.fanout import fan_out
            from briefing.data.load import cell_text

            pairs = fan_out(rows, template, lang=lang, where=self.where(
                where, label, "name").removesuffix(": "))
        except ValueError as exc:
            self.error(where, label, "each", str(exc))
            return []
        except BriefingError as exc:
            self.errors.append(exc.message)
            return []
        out: list[Entry] = []
        for name, row in pairs:
            before = len(self.errors)
            entry = self._briefing({**table, "name": name}, index, defaults,
                                   row={c: cell_text(v) for c, v in row.items()})
            if len(self.errors) > before:  # the same mistake for every row: say it once
                break
            if entry is not None:
                out.append(replace(entry, each=shown, row_line=int(row.origin or 0)))
        return out

    def _briefing(self, table: Any, index: int, defaults: Mapping[str, Any],
                  row: dict[str, str] | None = None) -> Entry | None:
        where = ("briefing", index)
        name = table.get("name") if isinstance(table, dict) else None
        label = f'[[briefing]] "{name}"' if isinstance(name, str) else f"[[briefing]] #{index + 1}"
        if not isinstance(table, dict):
            self.error(where, label, None, "must be a table")
            return None
        self._keys(table, BRIEFING_KEYS, where, label)
        values = {**defaults, **self._values(table, where, label)}
        own = self._request(table, where, label)
        if row is not None:
            own = msgspec.structs.replace(own, row=row)
        if "source" not in table:
            self.error(where, label, None, 'missing key "source" (the text to build)')
        if "name" in table and not (isinstance(name, str) and is_file_name(name)):
            self.error(where, label, "name", FILE_NAME_RULE)
            return None
        if "source" not in values:
            return None
        source: Path = values["source"]
        # A missing source fails this briefing alone, when it is built (the others are built).
        problem = None
        if not source.is_file():
            what = "is a folder, not a file" if source.is_dir() else "no such file"
            problem = (self.where(where, label, "source") + f"{source}: {what}; write the "
                       f"source there, or correct the path")
        entry_name = name if isinstance(name, str) else source.stem
        if not is_file_name(entry_name):
            self.error(where, label, "source", 'the file name is not usable as a name; add "name"')
            return None
        output_dir: Path = values.get("output_dir", self.folder)
        output = values.get("output", Path(f"{entry_name}.pdf"))
        output = output if output.is_absolute() else output_dir / output
        layer = Given(Origin(Layer.MANIFEST, f'{self.path.name} [[briefing]] "{entry_name}"'),
                      own)
        return Entry(
            name=entry_name,
            source=source,
            output=output,
            asked=Asked(tuple(g for g in (layer, self.defaults) if g.request != Request())),
            schedule=values.get("schedule"),
            timeout=values.get("timeout", DEFAULT_TIMEOUT),
            line=self.tables.get(where, _Table(0)).line,
            retries=values.get("retries", 0),
            skip_unchanged=values.get("skip_unchanged", True),
            correction=values.get("correction", False),
            notify=values.get("notify"),
            problem=problem,
        )


# -- value checks: each returns the converted value or raises ValueError with the message -----


def _string(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty string, got {value!r}")
    control = next((c for c in value if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F), None)
    if control in ("\n", "\r", "\t"):
        raise ValueError("expected one line of text (it goes into file names, logs, crontab "
                         f"lines and e-mail headers), got {value!r}")
    if control is not None:
        raise ValueError(f"control character U+{ord(control):04X} in {value!r}; remove it")
    return value


def _data(value: Any, folder: Path) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise ValueError('expected names and files, such as data = {cases = "cases.csv"}')
    return {str(name): str(_path(file, folder)) for name, file in value.items()}


def _lang(table: Mapping[str, Any], defaults: Mapping[str, Any], given: Given) -> str:
    """The language a fan-out's file is read in: the briefing's, else [defaults]', else
    English."""
    lang = table.get("lang") or defaults.get("lang") or given.request.lang
    return lang if isinstance(lang, str) else "en"


def _rows(path: Path, shown: str, lang: str) -> Any:
    """The rows of a fan-out's file (the data extra is needed, and loaded, only then)."""
    from briefing.data import require

    require(shown)
    from briefing.data.load import read_data
    from briefing.data.values import Dataset, Problem, dataset_of

    data = read_data(path, name="each", lang=lang, shown=shown)
    try:
        table = data if isinstance(data, Dataset) else dataset_of(data, "each", shown)
    except Problem as exc:
        raise ValueError(f"{shown}: {exc}") from None
    return table


def _path(value: Any, folder: Path) -> Path:
    path = Path(_string(value)).expanduser()
    return path if path.is_absolute() else folder / path


def _theme(value: Any, folder: Path) -> str:
    text = _string(value)
    if ("/" in text or "\\" in text or text.endswith(".toml")
            or (text not in builtin_themes() and (folder / text).is_dir())):
        return str(_path(text, folder))  # a theme file or folder; else a theme's name
    return text


def _folder(value: Any, folder: Path) -> Path:
    path = _path(value, folder)
    if not path.is_dir():
        raise ValueError(f"{path}: no such folder; create it, or correct the path")
    return path


def _output_folder(value: Any, folder: Path) -> Path:
    """Where PDFs go: created, with its parents, when a PDF is written into it."""
    path = _path(value, folder)
    if os.path.exists(path) and not path.is_dir():
        raise ValueError(f"{path}: is a file, not a folder; give the folder the PDFs go into")
    return path


def _bool(value: Any, folder: Path) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _positive_int(value: Any, folder: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"expected a positive whole number, got {value!r}")
    return value


def _seconds(value: Any, folder: Path) -> float:
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not 0 < value <= MAX_SECONDS):  # also refuses inf and nan
        raise ValueError(f"expected a number of seconds above 0 and at most {MAX_SECONDS:g} "
                         f"(a day), got {value!r}")
    return float(value)


def _date(value: Any, folder: Path) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"expected a date such as 2025-03-01 (no quotes), got {value!r}")
    return value


def _schedule(value: Any, folder: Path) -> str:
    text = _string(value)
    try:
        parse_cron(text)
    except CronSyntaxError as exc:
        raise ValueError(f"bad cron expression {text!r}: {exc}") from None
    return text


def _count(value: Any, folder: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number, 0 or more, got {value!r}")
    return value


def _table(value: Any, allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what}: expected a table, got {value!r}")
    for key in value:
        if key in ("password", "token"):
            raise ValueError(f"{what}: never write a {key} in the manifest; name the "
                             f"environment variable holding it with {key}_env")
        if key not in allowed:
            raise ValueError(f"{what}: unknown key {key!r}{_hint(key, allowed)}")
    return value


def _notify(value: Any, folder: Path) -> NotifySettings:
    """``notify = { on = [...], email = {...}, webhook = {...}, retries = 3, backoff = 2 }``."""
    table = _table(value, ("on", "email", "webhook", "retries", "backoff"), "notify")
    on = table.get("on", ["change", "failure"])
    if isinstance(on, str):
        on = [on]
    if not isinstance(on, list) or not all(isinstance(e, str) and e in EVENTS for e in on):
        raise ValueError(f"notify.on: a list of {', '.join(EVENTS)}; got {on!r}")
    email = None
    if "email" in table:
        m = _table(table["email"], ("host", "port", "security", "username", "password_env",
                                    "from", "to", "timeout", "cafile"), "notify.email")
        to = m.get("to")
        if isinstance(to, str):
            to = [to]
        if not m.get("host") or not m.get("from") or not to:
            raise ValueError("notify.email: needs host, from and to")
        security = str(m.get("security", "starttls"))
        if security not in SECURITY:
            raise ValueError(f"notify.email.security: one of {', '.join(SECURITY)}")
        if (security == "none" and ("username" in m or "password_env" in m)
                and not is_loopback(str(m["host"]))):
            raise ValueError(
                'notify.email: security = "none" would send the password in clear to '
                f'{m["host"]}; use security = "starttls" (port 587) or "tls" (port 465), or '
                "a relay on this machine (localhost) without TLS")
        email = EmailSettings(
            host=_string(m["host"]), sender=_string(m["from"]),
            to=tuple(_string(t) for t in to),
            port=_positive_int(m.get("port", 465 if security == "tls" else 587), folder),
            security=security,
            username=_string(m["username"]) if "username" in m else None,
            password_env=_string(m["password_env"]) if "password_env" in m else None,
            timeout=_seconds(m.get("timeout", 20), folder),
            cafile=str(_path(m["cafile"], folder)) if "cafile" in m else None,
        )
    webhook = None
    if "webhook" in table:
        w = _table(table["webhook"], ("url", "token_env", "timeout"), "notify.webhook")
        url = _string(w.get("url"))
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"notify.webhook.url: an http or https URL, got {url!r}")
        if ("token_env" in w and parts.scheme.lower() == "http"
                and not is_loopback(parts.hostname)):
            raise ValueError("notify.webhook.url: a token is only sent over https (or to "
                             f"localhost), got {url!r}")
        webhook = WebhookSettings(
            url, _string(w["token_env"]) if "token_env" in w else None,
            timeout=_seconds(w.get("timeout", 20), folder))
    backoff = table.get("backoff", 2.0)
    if (isinstance(backoff, bool) or not isinstance(backoff, int | float)
            or not 0 <= backoff <= MAX_SECONDS):
        raise ValueError(f"notify.backoff: seconds, 0 or more; got {backoff!r}")
    return NotifySettings(frozenset(on), email, webhook,
                          _count(table.get("retries", 3), folder), float(backoff))


_CHECKS: dict[str, Callable[[Any, Path], Any]] = {
    "name": lambda value, folder: _string(value),
    "source": _path,
    "output": lambda value, folder: Path(_string(value)).expanduser(),
    "output_dir": _output_folder,
    "timeout": _seconds,
    "schedule": _schedule,
    "retries": _count,
    "skip_unchanged": _bool,
    "correction": _bool,
    "notify": _notify,
}


def _hint(key: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    return f'; did you mean "{close[0]}"?' if close else ""


# -- where things are in the raw text ----------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_\"'. -]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")


@dataclass(slots=True)
class _Table:
    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str | None) -> int:
        return self.keys.get(key, self.line) if key else self.line


def _locate_tables(text: str) -> dict[tuple[str, int], _Table]:
    """Lines of tables and their keys: ``("", 0)`` top level, ``("defaults", 0)``,
    ``("cluster", 0)``, ``("briefing", n)`` for the n-th ``[[briefing]]``."""
    tables: dict[tuple[str, int], _Table] = {("", 0): _Table(0)}
    current: _Table | None = tables[("", 0)]
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(2).strip().strip("\"'")
            if header.group(1) == "[[" and name == "briefing":
                current = tables[("briefing", count)] = _Table(number)
                count += 1
            elif header.group(1) == "[" and name in ("defaults", "cluster"):
                current = tables[(name, 0)] = _Table(number)
            else:
                tables[("", 0)].keys.setdefault(name.split(".")[0], number)
                current = None
            continue
        key = _KEY.match(line)
        if key and current is not None:
            current.keys.setdefault(next(g for g in key.groups() if g), number)
    return tables


STARTER = """\
# briefings.toml: the briefings this folder publishes.
# Build the stale ones with `briefing update`, run the schedules with `briefing schedule`,
# rebuild on every save with `briefing watch briefings.toml`.
# Paths are relative to this file's folder.

[defaults]
# theme = "default"          # a built-in theme, a theme.toml or a folder holding one
# assets = "assets"          # an extra folder of fonts and logos, searched first
output_dir = "."             # where the PDFs go (created when missing)
# lang = "en"                # the language, when the sources do not say
# page_size = "a4"           # a4, letter or a5; default: the theme's
# pdfa = false               # PDF/A-2b
# literal = false            # true: a .txt is read as typed (no guessing of Markdown, tables...)
# timeout = 300              # seconds a build may take before it fails (default 300)

[[briefing]]
name = "example"             # letters, digits, '.', '_', '-'; names the PDF and its state
source = "example.txt"       # the text to build (`briefing init` wrote an example)
# output = "example.pdf"     # default: NAME.pdf in output_dir
# title = "A better title"   # overrides the source's
# schedule = "0 7 * * mon"   # cron: minute hour day-of-month month day-of-week

# [[briefing]]
# name = "nightly"
# source = "news/nightly.md"
# schedule = "@daily"
"""


#: The source the starter lists, written beside it so that `briefing update` works at once.
STARTER_SOURCE = "example.txt"


def write_starter(path: Path, *, overwrite: bool = False) -> list[Path]:
    """Write the commented starter manifest to ``path``, and the example source it lists
    beside it (unless there is one: a text of one's own is never replaced); the files
    written. The folder is created when missing."""
    if path.exists() and not overwrite:
        raise ManifestError(f"{path}: already exists; edit it, or pass --force to replace it")
    source = path.parent / STARTER_SOURCE
    written = [path]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(STARTER, encoding="utf-8")
        if not os.path.lexists(source):
            source.write_bytes(example(STARTER_SOURCE).read_bytes())
            written.append(source)
    except OSError as exc:
        raise ManifestError(f"{exc.filename or path}: cannot be written "
                            f"({exc.strerror or exc}); choose another folder") from None
    return written
