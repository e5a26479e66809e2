"""Build options: what a build may be asked for, by whom, and the one place it is decided.

``Request`` declares every option once: its type, range, one-line help, command-line flag,
manifest key and built-in default. Everything else is derived from it: the flags of ``build``,
``check`` and ``watch`` (``cli.py``), the manifest's keys (``jobs/manifest.py``), the record
``check --json`` and the build print, and the fingerprint of a manifest's briefing.

Who asks is a **layer** (``Layer``, highest first): the command line, a manifest's
``[[briefing]]``, the source itself (its front matter), the manifest's ``[defaults]``, the edition being
built, the theme, what was detected in the source, the environment, the clock, the built-in
defaults. A caller brings its layers (``Asked``); the build adds the others and ``resolve``
decides each option once, keeping where its value came from (``Setting.origin``):
``"pdfa": {"value": true, "from": "theme default.toml"}``.

The page sizes are defined here once, for the command line, the manifest and the themes; the
build turns the one it settles on into points (``PAGE_POINTS``) for the renderer.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, TypeVar

import msgspec
from msgspec import UNSET, Meta, UnsetType

from briefing.convert import FieldError, load, struct_fields
from briefing.errors import UsageError
from briefing.model import LANGUAGE_TAG, bad_character, describe
from briefing.pdf.variants import Variant, variant_for


class PageSize(StrEnum):
    """The page sizes a briefing is laid out for (given in any case: "A4", "letter")."""

    A4 = "a4"
    LETTER = "letter"
    A5 = "a5"


#: Each page size in points (width, height): ISO A4 and A5 from millimetres, US Letter.
PAGE_POINTS: dict[PageSize, tuple[float, float]] = {
    PageSize.A4: (595.2755905511812, 841.8897637795277),
    PageSize.LETTER: (612.0, 792.0),
    PageSize.A5: (419.52755905511816, 595.2755905511812),
}

#: Source formats (``--from``), each read by its reader (``read/``).
Format = Literal["txt", "md", "yaml", "json", "docx", "html"]


class Layer(StrEnum):
    """Who asks for an option. The order is the precedence: the first that sets it wins."""

    COMMAND_LINE = "command line"  # build, check, watch flags; library callers (``ask``)
    MANIFEST = "manifest"  # a [[briefing]] table
    FRONT_MATTER = "source"  # the source's own: its front matter, meta: or date line
    #                          (lang, theme, date)
    MANIFEST_DEFAULTS = "manifest defaults"  # the manifest's [defaults]
    EDITION = "edition"  # the date of the edition being built
    THEME = "theme"  # keys a theme file sets (page.size, pdf.pdfa)
    DETECTED = "detected"  # the format from the extension, the language from the text
    ENVIRONMENT = "environment"  # SOURCE_DATE_EPOCH
    TODAY = "today"
    DEFAULT = "built-in default"


_RANK = {layer: rank for rank, layer in enumerate(Layer)}


class Origin(msgspec.Struct, frozen=True):
    """Where a value came from: a layer, and where in it."""

    layer: Layer
    where: str = ""  # "--pdfa", 'briefings.toml [[briefing]] "weekly"', "default.toml"...

    def __str__(self) -> str:
        return f"{self.layer.value} {self.where}".rstrip()


def _opt(description: str, **extra: Any) -> Any:
    return Meta(description=description, extra=extra or None)


MB = 1024 * 1024


class Request(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True,
              omit_defaults=True):
    """What one layer asks for; UNSET: it says nothing. Every field shapes the output.

    A field's ``extra``: ``flag`` (the command line's name, else ``--field-name``), ``default``
    (the built-in default; without it the value must come from a layer), ``defaults: False``
    (not in a manifest's ``[defaults]``), ``manifest: False`` (not a manifest key), ``unit``
    ("MB": the flag counts megabytes), ``metavar``.
    """

    format: Annotated[Format, _opt(
        "Source format. Default: by the extension (.txt, .md, .yaml, .json, .docx, .html); "
        "for -, by the first line.", flag="--from")] | UnsetType = UNSET
    title: Annotated[str, Meta(min_length=1), _opt(
        "Title of the briefing. Default: the source's.", defaults=False,
        metavar="TEXT")] | UnsetType = UNSET
    lang: Annotated[str, Meta(pattern=LANGUAGE_TAG), _opt(
        "Language, e.g. fr or en. Default: the source's, else detected from the text.",
        expected="a language tag such as fr or en-GB", metavar="CODE")] | UnsetType = UNSET
    date: Annotated[dt.date, _opt(
        "Date of the briefing. Default: the source's, else SOURCE_DATE_EPOCH, else today.",
        metavar="YYYY-MM-DD", defaults=False)] | UnsetType = UNSET
    theme: Annotated[str, Meta(min_length=1), _opt(
        "Theme: {themes} (see `briefing themes`), a theme.toml, a folder holding one, or the "
        "name of a theme in --assets. Default: the one the source names, else default.",
        default="default", metavar="THEME")] | UnsetType = UNSET
    assets: Annotated[str, Meta(min_length=1), _opt(
        "A folder of your own fonts, logos and themes, searched first for the files a theme "
        "names (it must exist).", folder=True, metavar="FOLDER")] | UnsetType = UNSET
    page_size: Annotated[PageSize, _opt(
        "Page size. Default: the theme's (A4 for the built-in themes).")] | UnsetType = UNSET
    tags: Annotated[bool, _opt(
        "Tagged PDF for screen readers (PDF/UA), or not. Default: tagged.",
        default=True)] | UnsetType = UNSET
    pdfa: Annotated[bool, _opt(
        "Archival PDF/A-2b, or not. Default: off (unless the theme says pdfa = true).",
        default=False)] | UnsetType = UNSET
    max_pages: Annotated[int, Meta(ge=1, le=100_000), _opt(
        "Longest PDF accepted, in pages. Default: 500.", default=500,
        metavar="N")] | UnsetType = UNSET
    max_bytes: Annotated[int, Meta(ge=1, le=1024 * MB), _opt(
        "Largest source accepted, in MB. Default: 20.", default=20 * MB, flag="--max-size",
        unit="MB", manifest=False, metavar="MB")] | UnsetType = UNSET
    literal: Annotated[bool, _opt(
        "Read a plain text as typed, by the format's own rules: no guessing of Markdown, "
        "tables, lists, dates, heading levels or a repeated title (other formats are not "
        "affected).", default=False)] | UnsetType = UNSET
    data: Annotated[dict[str, str], _opt(
        "A data file for {{ data.NAME }} expressions, tables and charts: NAME=FILE (a CSV, "
        "TSV or JSON file; repeat for several), beside those the source declares.",
        default={}, metavar="NAME=FILE", expected="names and files, such as "
        "{cases = \"cases.csv\"}")] | UnsetType = UNSET
    row: Annotated[dict[str, str], _opt(
        "The row of a fan-out (a manifest's each = \"regions.csv\"): {{ row.COLUMN }} in "
        "the source.", cli=False, manifest=False)] | UnsetType = UNSET


T = TypeVar("T")


class Setting(msgspec.Struct, Generic[T], frozen=True):
    """A decided value and where it came from."""

    value: T
    origin: Origin

    def as_dict(self) -> dict[str, Any]:
        return {"value": msgspec.to_builtins(self.value), "from": str(self.origin)}


class BuildOptions(msgspec.Struct, frozen=True, kw_only=True):
    """Every value that shapes one build, decided once by ``resolve``, with its origin.

    The twin of ``Request`` (a test keeps their names and types equal)."""

    format: Setting[Format]
    title: Setting[str | None]  # None: the source's own
    lang: Setting[str | None]  # None: detected later, from the text
    date: Setting[dt.date]
    theme: Setting[str]
    assets: Setting[str | None]
    page_size: Setting[PageSize]
    tags: Setting[bool]
    pdfa: Setting[bool]
    max_pages: Setting[int]
    max_bytes: Setting[int]
    literal: Setting[bool]
    data: Setting[dict[str, str]]  # data files by name, besides the source's own
    row: Setting[dict[str, str] | None]  # a fan-out's row; None: not a fan-out

    @property
    def variant(self) -> Variant:
        """The kind of PDF: tagged or not, PDF/A or not (``pdf.variants``)."""
        return variant_for(tagged=self.tags.value, pdfa=self.pdfa.value)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Each option with its value and origin, then the PDF variant they make."""
        out = {name: getattr(self, name).as_dict() for name in self.__struct_fields__}
        out["pdf"] = {"value": self.variant.name, "from": "tags + pdfa"}
        return out


class Given(msgspec.Struct, frozen=True):
    """One layer's say."""

    origin: Origin
    request: Request


class Asked(msgspec.Struct, frozen=True):
    """What a caller brings to a build: its layers (command line, manifest, watch)."""

    layers: tuple[Given, ...] = ()

    def get(self, name: str) -> Any | None:
        """The value the highest of these layers sets, or None."""
        found = pick(self.layers, name)
        return None if found is None else found.value

    def canonical(self) -> list[tuple[str, dict[str, Any]]]:
        """The layers as plain data in rank order, for a fingerprint: where in a layer a
        value was written (a manifest's line) is left out, so moving it rebuilds nothing."""
        ranked = sorted(self.layers, key=lambda g: _RANK[g.origin.layer])
        return [(g.origin.layer.value, msgspec.to_builtins(g.request)) for g in ranked]


NOTHING_ASKED = Asked()


def ask(**values: Any) -> Asked:
    """One command-line layer from keyword values (library callers and tests):
    ``ask(page_size="letter", pdfa=True)``."""
    return Asked((Given(Origin(Layer.COMMAND_LINE), request(values)),))


def request(values: Mapping[str, Any], *, where: str = "") -> Request:
    """A ``Request`` from plain values (given in any case: "A4"); a wrong one is a
    ``UsageError`` naming it."""
    try:
        return load(Request, {k: v for k, v in values.items() if v is not None})
    except FieldError as exc:
        raise UsageError(f"{where}{exc}") from None


# --- deciding ---------------------------------------------------------------------------------


def defaults() -> Given:
    """The built-in defaults, as a layer."""
    values = {name: info.extra["default"] for name, (info, _) in struct_fields(Request).items()
              if "default" in info.extra}
    return Given(Origin(Layer.DEFAULT), msgspec.convert(values, Request))


def pick(layers: Iterable[Given], name: str) -> Setting[Any] | None:
    """The value of one option by the rule of ``resolve`` (the highest layer that sets it),
    for what a build needs before it can decide them all (the format and size to read, the
    theme to load)."""
    best: Given | None = None
    for given in layers:
        if getattr(given.request, name) is UNSET:
            continue
        if best is None or _RANK[given.origin.layer] < _RANK[best.origin.layer]:
            best = given
    return None if best is None else Setting(getattr(best.request, name), best.origin)


#: Options that resolve to None when no layer sets them ("the source's own", "none", and a
#: language left to detection).
_OPTIONAL = ("title", "assets", "lang", "row")


def resolve(layers: Iterable[Given]) -> BuildOptions:
    """The one place build options are decided: each takes the value of the highest-ranked
    layer that sets it (ranks: the order of ``Layer``); the built-in defaults always take
    part. ``title``, ``assets`` and ``lang`` resolve to None when nothing sets them; any other
    option that no layer sets is a bug: the format, date and page size always come from
    detection, the clock or the theme."""
    given = [*layers, defaults()]
    settings: dict[str, Setting[Any]] = {}
    for name in Request.__struct_fields__:
        found = pick(given, name)
        if found is None:
            assert name in _OPTIONAL, f"no layer sets {name}"
            found = Setting(None, Origin(Layer.DEFAULT))
        settings[name] = found
    return BuildOptions(**settings)


def check_text(values: Mapping[str, Any], flags: Mapping[str, str]) -> None:
    """Text options hold no character a briefing may not hold (``--title``, ``--lang``)."""
    for name, value in values.items():
        found = bad_character(value) if isinstance(value, str) else None
        if found is not None:
            raise UsageError(f"{flags.get(name, name)}: {describe(found.group())}; remove it")


def flag_of(name: str) -> str:
    """The command line's name of an option."""
    info, _ = struct_fields(Request)[name]
    return str(info.extra.get("flag", "--" + name.replace("_", "-")))


def _pairs(values: Iterable[str], flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, equals, file = str(item).partition("=")
        if not equals or not name.strip() or not file.strip():
            raise UsageError(f"{flag} {item}: give a name and a file, such as "
                             f"{flag} cases=cases.csv")
        out[name.strip()] = file.strip()
    return out


def from_flags(values: Mapping[str, Any]) -> Asked:
    """The command line's layer from the flags given (None: not given), each converted and
    checked; a wrong value is a ``UsageError`` naming its flag."""
    fields = struct_fields(Request)
    given: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or name not in fields:
            continue
        if fields[name][0].extra.get("unit") == "MB":
            value = value * MB
        if typing.get_origin(fields[name][0].base) is dict:  # NAME=FILE, repeated
            if not value:
                continue
            value = _pairs(value, flag_of(name))
        given[name] = value
    check_text(given, {name: flag_of(name) for name in given})
    layers = []
    for name, value in given.items():
        try:
            layer = load(Request, {name: value})
        except FieldError as exc:
            raise UsageError(f"{flag_of(name)}: {exc.message}") from None
        layers.append(Given(Origin(Layer.COMMAND_LINE, flag_of(name)), layer))
    return Asked(tuple(layers))
