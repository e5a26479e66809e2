"""Themes: TOML files in ``assets/themes/`` (or the user's own), checked before any rendering.

A theme may ``extends = "default"`` (or a path) and change only a few keys; tables merge key by
key. Every unknown key and wrong value is reported at once, naming the file and the key (with
a "did you mean" for a misspelt one), and a bad value once, where it is written.

A theme is named by a built-in name, a ``.toml`` path, a folder holding ``theme.toml`` (what
``briefing init`` writes), or the name of a theme in the ``--assets`` folder. Paths inside a
theme are looked up in the ``--assets`` folder first (so that it can replace a file of a
built-in theme, such as ``logos/briefing.svg``), then in the theme's own assets folder (the
folder that holds it, or the parent of its ``themes/`` folder), then in the bundled assets.

**The key table is the sections declared here**: each TOML table is a class whose fields carry
their type, default, allowed range and one-line description. The loader fills the typed
sections from them (``convert.load_fields``: every bad key at once), the renderer reads them
(``theme.qr.size``: no default is written at a call site), ``docs/themes.md``'s key reference
is generated from them (``python scripts/theme_reference.py``; a test fails when it is stale)
and the ``init`` starter is checked against them. A new key is one field here, plus the code
that uses it.
"""

# No ``from __future__ import annotations``: the sections' annotations are read when a theme
# is loaded, and evaluating them from strings would cost a cold build several milliseconds.
import os
import re
import string
import tomllib
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from msgspec import Meta, Struct

from briefing.assets import asset, assets_dir
from briefing.convert import FieldError, FieldRow, field_rows, load_fields, struct_fields
from briefing.errors import ThemeError
from briefing.files import file_state
from briefing.options import Given, Layer, Origin, PageSize, Request
from briefing.paths import (
    LIMITS,
    Scope,
    check_file,
    is_regular,
    read_bytes,
    real,
    reference_problem,
)

DEFAULT_THEME = "default"
#: The file a theme folder holds (what ``briefing init FOLDER`` writes).
THEME_FILE = "theme.toml"
FONT_ROLES = ("body", "heading", "mono")
#: The scripts a theme may give a font of their own, by table name ([fonts.arabic]) and ISO
#: 15924 code; the bundled Noto fonts when it gives none (``render.fonts.SCRIPT_FONTS``).
SCRIPT_ROLES = {"arabic": "Arab", "hebrew": "Hebr", "devanagari": "Deva"}
WEIGHTS = ("regular", "bold", "italic", "bold_italic")
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")

#: The style roles the renderer asks for; every theme defines them (directly or by extends).
STYLE_ROLES = (
    "title", "kicker", "lead", "body", "h2", "h3", "advice_heading", "advice_body",
    "faq_question", "faq_answer", "quote", "code", "table", "table_header", "caption",
    "footnote", "notice", "footer",
)
#: Style roles a theme may leave out, and how they are made from another role when it does.
OPTIONAL_STYLE_ROLES = ("subtitle",)
#: What ``{name}`` may stand for in header and footer texts.
TEXT_FIELDS = ("organisation", "author", "source", "title", "date", "kicker", "page", "number",
               "pages")
#: What ``{name}`` may stand for in the masthead's kicker.
KICKER_FIELDS = ("kicker", "date")

# --- the key table: one class per TOML table ------------------------------------------------------


def _mm(low: float, high: float, doc: str) -> Any:
    return Meta(ge=low, le=high, description=doc, extra={"unit": "mm"})


def _pt(low: float, high: float, doc: str) -> Any:
    return Meta(ge=low, le=high, description=doc, extra={"unit": "pt"})


def _doc(doc: str, **extra: Any) -> Any:
    return Meta(description=doc, extra=extra or None)


#: A colour: a ``[colors]`` name or ``"#RRGGBB"``; stored resolved, as ``"#RRGGBB"``.
Colour = Annotated[str, Meta(extra={"kind": "colour"})]
#: A template of the running header and footer, with ``{fields}`` of ``TEXT_FIELDS``.
Template = Annotated[str, Meta(extra={"kind": "template", "fields": TEXT_FIELDS})]
KickerTemplate = Annotated[str, Meta(extra={"kind": "template", "fields": KICKER_FIELDS})]
#: A file (a font, a logo): looked up beside the theme, then in the assets.
File = Annotated[str, Meta(min_length=1, extra={"kind": "file"})]


class _Section(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A table of a theme file."""


class Page(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[page]"""

    size: Annotated[PageSize, _doc("`A4`, `Letter` or `A5`")] = PageSize.A4
    margin_top: Annotated[float, _mm(0, 100, "page 1's top margin is taken by a masthead "
                                             "band")] = 16
    margin_bottom: Annotated[float, _mm(0, 100, "above the footer")] = 18
    margin_left: Annotated[float, _mm(0, 100, "")] = 18
    margin_right: Annotated[float, _mm(0, 100, "")] = 18
    measure: Annotated[float, _mm(0, 400, "the widest the text column may be: on a wider page "
                                          "the margins grow, the column centred (0: no "
                                          "limit)")] = 0
    cover: Annotated[bool, _doc("a cover page: a tall title band and the lead on page 1, "
                                "the text from page 2")] = False


class Colors(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[colors]: the names the renderer asks for. Any other name is yours, usable wherever a
    colour is asked for."""

    primary: Annotated[Colour, _doc("masthead band, headings")]
    accent: Annotated[Colour, _doc("callout rule, change bars, bullets (unless `marker`)")]
    text: Annotated[Colour, _doc("running text")]
    muted: Annotated[Colour, _doc("footer and captions")]
    callout_background: Annotated[Colour, _doc("fill of the advice box")]
    band_text: Annotated[Colour, _doc("title on the band")]
    rule: Annotated[Colour, _doc("hairlines")]
    link: Annotated[Colour, _doc("links")]
    marker: Annotated[Colour | None, _doc("list numbers and bullets (default: `accent`)")] = None
    band_accent: Annotated[Colour | None, _doc("a name the built-in themes give the kicker's "
                                            "colour on the band")] = None


class Family(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[fonts.body], [fonts.heading], [fonts.mono]: a TrueType file per weight. A weight left
    out is set in the nearest given one (bold italic in the bold, else the italic; bold and
    italic in the regular), and a build whose text asks for it says so in a warning."""

    regular: Annotated[File, _doc("TrueType file")]
    bold: Annotated[File | None, _doc("")] = None
    italic: Annotated[File | None, _doc("")] = None
    bold_italic: Annotated[File | None, _doc("")] = None


class ScriptFamily(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[fonts.arabic] (Arabic, Persian, Urdu), [fonts.hebrew], [fonts.devanagari] (Hindi,
    Marathi): the font of a script, shaped by HarfBuzz. Without the table, the bundled Noto
    Naskh Arabic, Noto Sans Hebrew or Noto Sans Devanagari."""

    regular: Annotated[File, _doc("TrueType file of the script (without this table: the "
                                  "bundled Noto font of the script)")]
    bold: Annotated[File | None, _doc("default: the regular")] = None


class Fonts(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[fonts]"""

    body: Family
    heading: Family
    mono: Family
    fallback: Annotated[tuple[File, ...], _doc(
        "fonts for characters the main faces lack, tried in order")] = ()
    arabic: ScriptFamily | None = None
    hebrew: ScriptFamily | None = None
    devanagari: ScriptFamily | None = None


class LogoSpec(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[logo]"""

    file: Annotated[File, _doc("SVG, PNG or JPEG; no `[logo]`: no logo")]
    alt: Annotated[str, _doc("what a screen reader says (default: the theme's name)")] = ""
    height: Annotated[float, _mm(3, 80, "")] = 14
    position: Annotated[Literal["left", "right"], _doc("side of the masthead")] = "left"


class PartnerLogoSpec(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[partner_logo]: a second logo, on the other side."""

    file: Annotated[File, _doc("SVG, PNG or JPEG")]
    alt: Annotated[str, _doc("what a screen reader says (default: partner)")] = ""
    height: Annotated[float, _mm(3, 80, "")] = 14


class Masthead(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[masthead]"""

    band: Annotated[bool, _doc("a band in `primary` across the page; false: the title on "
                               "white")] = True
    bleed: Annotated[bool, _doc("the band runs off the page's edges, for a print shop that "
                                "trims; false keeps it inside the area office printers "
                                "print")] = False
    kicker: Annotated[KickerTemplate, _doc(
        "the small line above the title; fields `{kicker}` `{date}`")] = "{kicker}"
    padding: Annotated[float, _mm(0, 50, "above and below the masthead's content")] = 9
    rule_width: Annotated[float, _pt(0, 20, "a stripe under the band, or a rule under the "
                                            "title")] = 0
    rule_color: Annotated[Colour, _doc("its colour")] = "accent"


class Header(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[header]: the running header of pages 2 and later."""

    text: Annotated[Template, _doc("`\"\"`: none")] = "{title}"
    rule: Annotated[bool, _doc("a hairline under it")] = True


class Footer(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[footer]"""

    left: Annotated[Template, _doc("empty result: `{kicker} · {title}`")] = \
        "{organisation} · {source}"
    right: Annotated[Template, _doc("`{page}` is the language's \"Page 1 / 2\"")] = "{page}"
    rule: Annotated[bool, _doc("a hairline above the footer")] = True


class Callout(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[callout]: the advice box."""

    rule_width: Annotated[float, _pt(0, 20, "the rule on the left of the box")] = 3
    rule_color: Annotated[Colour, _doc("its colour")] = "accent"
    padding: Annotated[float, _pt(0, 50, "inside the box")] = 8
    fill: Annotated[bool, _doc("fill with `callout_background` (false saves ink)")] = True
    border: Annotated[bool, _doc("a hairline box in the `rule` colour")] = False


class Faq(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[faq]"""

    rule: Annotated[bool, _doc("hairlines between question-and-answer pairs")] = False


class Qr(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[qr]: a QR code to the source, when the source is an http(s) address."""

    enabled: Annotated[bool, _doc("print it")] = False
    position: Annotated[Literal["masthead", "footer"], _doc(
        "`masthead` (right of the title, on a white tile) or `footer` (page 1's bottom "
        "right: in the margin beside the footer when it fits there, else above it; the "
        "folio stays put)")] = "masthead"
    size: Annotated[float, _mm(10, 40, "quiet zone included")] = 18


class Changes(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[changes]: what a new edition shows."""

    bar: Annotated[bool, _doc("a bar beside the blocks that changed since the last "
                              "edition")] = True


class Pdf(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[pdf]"""

    pdfa: Annotated[bool, _doc("archival PDF/A-2b (the command line's `--pdfa`/`--no-pdfa` "
                               "wins)")] = False


class StyleSpec(_Section, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """[styles.<role>]: a text style."""

    font: Annotated[Literal["body", "heading", "mono"], _doc("the font family")] = "body"
    weight: Annotated[Literal["regular", "bold", "italic", "bold_italic"], _doc("")] = "regular"
    size: Annotated[float, _pt(3, 144, "")]
    leading: Annotated[float, _pt(3, 200, "the distance between baselines")]
    color: Annotated[Colour, _doc("")] = "text"
    space_before: Annotated[float, _pt(0, 144, "")] = 0
    space_after: Annotated[float, _pt(0, 144, "")] = 0
    align: Annotated[Literal["left", "right", "center", "justify"], _doc(
        "justified text is hyphenated")] = "left"
    tracking: Annotated[float, _pt(-2, 20, "letter spacing")] = 0
    upper: Annotated[bool, _doc("set in capitals")] = False


#: The tables of a theme file with a class of their own, in the order of the reference.
SECTIONS: dict[str, type[_Section]] = {
    "page": Page, "colors": Colors, "fonts": Fonts, "logo": LogoSpec,
    "partner_logo": PartnerLogoSpec, "masthead": Masthead, "header": Header, "footer": Footer,
    "callout": Callout, "faq": Faq, "qr": Qr, "changes": Changes, "pdf": Pdf,
}
#: Keys at the top of a theme file.
TOP_KEYS = ("extends", "name", "description", *SECTIONS, "styles")

# --- the resolved theme -------------------------------------------------------------------------


class FontFamily(Struct, frozen=True):
    """A font family: a file per weight.

    A weight the theme does not give is set in the nearest face it does (bold italic in the
    bold, else the italic; bold and italic in the regular), and is listed in ``missing``: a
    build that needs it says so in a warning.
    """

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    missing: tuple[str, ...] = ()  # weights not given by the theme


class Style(Struct, frozen=True):
    """A text style, asked for by role."""

    font: str
    weight: str
    size: float
    leading: float
    color: str  # resolved "#RRGGBB"
    space_before: float = 0.0
    space_after: float = 0.0
    align: str = "left"
    tracking: float = 0.0
    upper: bool = False


class Logo(Struct, frozen=True):
    """A logo image with its accessible name."""

    file: Path
    alt: str
    height: float  # mm
    position: str = "left"


class Theme(Struct, frozen=True, kw_only=True):
    """A resolved, checked theme: typed sections (colours resolved to ``#RRGGBB``, files to
    paths), read by the renderer as they are."""

    name: str
    description: str
    page: Page
    colors: dict[str, str]  # every [colors] name, your own included → "#RRGGBB"
    fonts: dict[str, FontFamily]  # body, heading, mono
    fallback_fonts: tuple[Path, ...]
    styles: dict[str, Style]  # every role of STYLE_ROLES, and subtitle
    logo: Logo | None
    partner_logo: Logo | None
    masthead: Masthead
    header: Header
    footer: Footer
    callout: Callout
    faq: Faq
    qr: Qr
    changes: Changes
    pdf: Pdf
    sources: tuple[Path, ...] = ()  # the TOML files, own first then extended
    script_fonts: dict[str, FontFamily] = {}  # ISO 15924 code ("Arab") → the theme's own
    set_by: tuple[tuple[str, Path], ...] = ()  # dotted key → the file that set it

    #: Fields that are not TOML tables of their own.
    resolved: ClassVar[tuple[str, ...]] = ("colors", "fonts", "styles", "logo", "partner_logo")

    @property
    def margins(self) -> tuple[float, float, float, float]:
        """Top, right, bottom, left, in mm."""
        p = self.page
        return (p.margin_top, p.margin_right, p.margin_bottom, p.margin_left)

    def style(self, role: str) -> Style:
        """The style for a role."""
        return self.styles[role]

    def origin(self, key: str) -> Path | None:
        """The file of the ``extends`` chain that set a dotted key (``page.size``), if any."""
        return next((path for name, path in self.set_by if name == key), None)

    def option_layers(self) -> tuple[Given, ...]:
        """What the theme asks of a build (``options``): its page size and PDF/A, each from
        the file of the ``extends`` chain that set it, else the key table's default."""
        def origin(key: str) -> Origin:
            file = self.origin(key)
            return Origin(Layer.THEME, file.name) if file else Origin(Layer.DEFAULT)

        return (Given(origin("page.size"), Request(page_size=self.page.size)),
                Given(origin("pdf.pdfa"), Request(pdfa=self.pdf.pdfa)))

    def files(self) -> list[Path]:
        """Every file this theme depends on: its TOML files, fonts and logos."""
        out: list[Path] = list(self.sources)
        for family in self.fonts.values():
            out += [family.regular, family.bold, family.italic, family.bold_italic]
        out += self.fallback_fonts
        for family in self.script_fonts.values():
            out += [family.regular, family.bold]
        for logo in (self.logo, self.partner_logo):
            if logo:
                out.append(logo.file)
        return sorted(set(out))


def builtin_themes() -> dict[str, Path]:
    """Built-in theme names and their files."""
    return {p.stem: p for p in sorted(asset("themes").glob("*.toml"))}


def theme_list(extra_assets: Path | None = None) -> list[tuple[str, str]]:
    """(name, description) of the built-in themes, then of the themes of an assets folder
    (by the name ``--theme`` takes with ``--assets``, their file after the description)."""
    rows = []
    for name, path in sorted(builtin_themes().items(), key=lambda item: item[0] != DEFAULT_THEME):
        try:
            rows.append((name, str(_load_toml(path).get("description", ""))))
        except ThemeError as exc:
            rows.append((name, f"(cannot be read: {exc.message})"))
    if extra_assets is not None:
        for path, data in _own_themes(extra_assets):
            name = _own_name(path, data)
            description = str(data.get("description", ""))
            rows.append((name, f"{description} ({path})".lstrip()))
    return rows


#: Keys that make a TOML file a theme (a manifest beside it has none of them).
_THEME_MARKS = ("extends", "colors", "fonts", "styles", "page", "logo")


def _own_themes(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The theme files of an assets folder: its ``*.toml``, ``themes/*.toml`` and
    ``*/theme.toml`` files that read as themes."""
    found = []
    for path in sorted({*folder.glob("*.toml"), *folder.glob("themes/*.toml"),
                        *folder.glob("*/theme.toml")}):
        try:
            data = _load_toml(path)
        except ThemeError as exc:  # listed, with why it cannot be used
            data = {"description": f"(cannot be read: {exc.message})"}
            if path.name != THEME_FILE and path.parent.name != "themes":
                continue  # any .toml file of the folder: perhaps not a theme at all
        else:
            if not any(key in data for key in _THEME_MARKS):
                continue
        found.append((path, data))
    return found


def _own_name(path: Path, data: Mapping[str, Any]) -> str:
    """The name a theme of an assets folder is called by: its ``name``, else its file's
    (a ``theme.toml``: its folder's)."""
    declared = data.get("name")
    if isinstance(declared, str) and declared:
        return declared
    return path.parent.name if path.name == "theme.toml" else path.stem


def find_own_theme(name: str, folder: Path) -> Path | None:
    """The theme called ``name`` in an assets folder: ``themes/NAME.toml``, ``NAME.toml``,
    ``NAME/theme.toml``, or a theme file there whose ``name`` is NAME."""
    for candidate in (folder / "themes" / f"{name}.toml", folder / f"{name}.toml",
                      folder / name / "theme.toml"):
        if is_regular(candidate):
            return candidate
    return next((path for path, data in _own_themes(folder) if _own_name(path, data) == name),
                None)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _load_toml(path: Path) -> dict[str, Any]:
    raw = read_bytes(path, limit=LIMITS["theme"], what="theme", error=ThemeError)
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        line, problem = toml_problem(exc)
        where = f"{path}, line {line}" if line else str(path)
        raise ThemeError(f"{where}: not valid TOML: {problem}") from None
    except UnicodeDecodeError as exc:
        raise ThemeError(f"{path}: not valid UTF-8 at byte {exc.start}; save it as UTF-8") from None


def toml_problem(exc: tomllib.TOMLDecodeError) -> tuple[int | None, str]:
    """The line of a TOML syntax error and what is wrong, with tables written as in TOML
    (``[styles.title]``, not Python's ``('styles', 'title')``)."""
    message = str(exc)
    match = re.search(r"\(at line (\d+), column \d+\)", message)
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    message = re.sub(r"\(((?:'[^']*',? ?)+)\)",
                     lambda m: "[" + ".".join(re.findall(r"'([^']*)'", m.group(1))) + "]", message)
    message = message[:1].lower() + message[1:]
    return (int(match.group(1)) if match else None), message


def _theme_path(ref: str, relative_to: Path | None, scope: Scope | None = None,
                where: str = "", extra_assets: Path | None = None) -> Path:
    """The file of a theme reference: a built-in name, a path relative to the file that
    names it (a ``.toml`` file, or a folder holding ``theme.toml``), or the name of a theme
    in ``extra_assets``. Under a ``scope`` (a theme a source asks for), the path must stay
    inside it."""
    if ref in builtin_themes() and not ref.endswith(".toml"):
        return builtin_themes()[ref]
    if scope is not None and ref.endswith(".toml"):
        return scope.reach(ref, what="theme", where=where, relative_to=relative_to,
                           error=ThemeError)
    candidate = Path(ref).expanduser() if scope is None else Path(ref)
    if not candidate.is_absolute() and relative_to is not None:
        candidate = relative_to / candidate
    if scope is None and candidate.is_dir():
        if is_regular(candidate / THEME_FILE):
            return candidate / THEME_FILE
        raise ThemeError(f"{candidate}: a folder without a {THEME_FILE}; give a theme file, "
                         f"or start one there with `briefing init {ref}`")
    if candidate.suffix != ".toml" and (scope is not None or not candidate.exists()):
        own = find_own_theme(ref, extra_assets) if extra_assets is not None else None
        if own is not None:
            return own
        names = ", ".join(builtin_themes())
        prefix = f"{where}: " if where else ""
        mine = "" if extra_assets is None else f" nor a theme of {extra_assets}"
        raise ThemeError(f"{prefix}unknown theme {ref!r}{mine}; built-in themes: {names}; "
                         "or give a theme file (.toml), a folder holding a theme.toml, or "
                         "--assets FOLDER with the themes of your own (`briefing themes "
                         "--assets FOLDER` lists them)")
    return candidate


def _asset_root(theme_file: Path) -> Path:
    folder = theme_file.resolve().parent
    return folder.parent if folder.name == "themes" else folder


FileStamp = tuple[str, int, int]
_Key = tuple[str | None, Path | None, Path, Scope | None, Path | None]
#: Loaded themes by (reference, extra assets, working folder, scope, folder of the file naming
#: it), with the state of their files.
_loaded: dict[_Key, tuple[Theme, tuple[FileStamp, ...]]] = {}


def _stamps(paths: list[Path]) -> tuple[FileStamp, ...]:
    return tuple((str(path), *file_state(path)) for path in paths)


def load_theme(ref: str | None = None, *, extra_assets: Path | None = None,
               scope: Scope | None = None, relative_to: Path | None = None,
               where: str = "") -> Theme:
    """Load, merge and check a theme by built-in name or path.

    A theme given on the command line or in a manifest is the user's own: its paths may point
    anywhere. A theme a *source* asks for (its front matter's ``theme:``) is loaded under the
    source's ``scope`` (``briefing.paths``): the theme file, what it extends and every file it
    names must lie inside it, and its path is relative to ``relative_to`` (the source's
    folder). ``where`` names the asker in messages.

    Cached per process, and loaded again when one of its files (TOML, fonts, logos) changed:
    ``watch`` and ``schedule`` build many times in one process.
    """
    if extra_assets is not None and not extra_assets.is_dir():
        raise ThemeError(f"{extra_assets}: no such folder (--assets); give the folder that "
                         "holds your fonts, logos and themes")
    key = (ref, extra_assets, Path.cwd(), scope, relative_to)
    hit = _loaded.get(key)
    if hit is not None and _stamps(hit[0].files()) == hit[1]:
        return hit[0]
    theme = _load_theme(ref, extra_assets, scope, relative_to or Path.cwd(), where)
    _loaded[key] = (theme, _stamps(theme.files()))
    return theme


def _load_theme(ref: str | None, extra_assets: Path | None, scope: Scope | None,
                relative_to: Path, where: str) -> Theme:
    chain: list[tuple[Path, dict[str, Any]]] = []
    path = _theme_path(ref or DEFAULT_THEME, relative_to, scope, where, extra_assets)
    seen: set[Path] = set()
    while True:
        resolved = path.resolve()
        if resolved in seen:
            raise ThemeError(f"{path}: 'extends' loops back to this file")
        seen.add(resolved)
        data = _load_toml(path)
        chain.append((path, data))
        parent = data.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str):
            raise ThemeError(f"{path}: extends: expected a theme name or path")
        path = _theme_path(parent, path.parent, scope, f"{path}: extends", extra_assets)

    merged: dict[str, Any] = {}
    set_by: dict[str, Path] = {}
    for file, data in reversed(chain):
        merged = _merge(merged, data)
        set_by.update(dict.fromkeys(_leaves(data), file.resolve()))
    merged.pop("extends", None)
    # Relative paths are looked up beside the theme that wrote them, then the user's assets,
    # then the bundled ones.
    roots = [_asset_root(f) for f, _ in chain]
    if extra_assets is not None:
        roots.insert(0, extra_assets)
    roots.append(assets_dir())
    own = chain[0][0]
    try:
        return _resolve(merged, own, roots, tuple(f.resolve() for f, _ in chain),
                        tuple(sorted(set_by.items())), scope)
    except ThemeError:
        # Name the file of the chain each wrong key is in, when the problem is in one.
        errors = [f"{file}: {e}" for file, data in chain for e in _check_file(data)]
        if errors:
            raise ThemeError("; ".join(errors)) from None
        raise


def _leaves(data: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """The dotted keys a theme file sets (``page.size``, ``styles.body.size``)."""
    for key, value in data.items():
        if isinstance(value, Mapping):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


def _check_file(data: Mapping[str, Any]) -> list[str]:
    """What is wrong in one file of the chain, key by key (whether the merged theme has
    every key it needs is checked once merged): unknown keys, wrong types, values out of
    range."""
    errors: list[str] = []
    for key, value in data.items():
        if key not in TOP_KEYS:
            errors.append(f"{key}: unknown key{_hint(key, list(TOP_KEYS))}")
        elif key in ("extends", "name", "description"):
            if not isinstance(value, str):
                errors.append(f"{key}: expected text, got {value!r}")
        elif not isinstance(value, Mapping):
            errors.append(f"{key}: expected a table")
        elif key == "styles":
            for role, spec in value.items():
                if role not in (*STYLE_ROLES, *OPTIONAL_STYLE_ROLES):
                    errors.append(f"styles.{role}: unknown style role; the roles are "
                                  f"{', '.join((*STYLE_ROLES, *OPTIONAL_STYLE_ROLES))}")
                elif not isinstance(spec, Mapping):
                    errors.append(f"styles.{role}: expected a table")
                else:
                    errors += [str(e) for e in _key_errors(StyleSpec, spec, f"styles.{role}.")]
        elif key == "colors":
            for name, colour in value.items():
                if not isinstance(colour, str) or not COLOR_RE.match(colour):
                    errors.append(f"colors.{name}: expected a colour like '#1F3A5F', "
                                  f"got {colour!r}")
        else:
            errors += [str(e) for e in _key_errors(SECTIONS[key], value, f"{key}.")]
    return errors


def _key_errors(cls: type[_Section], data: Mapping[str, Any], prefix: str) -> list[FieldError]:
    """Each key of a table converted alone: its problems, whatever the other keys."""
    out: list[FieldError] = []
    fields = struct_fields(cls)
    for key, value in data.items():
        if key in fields and _is_section(fields[key][0].base):
            if not isinstance(value, Mapping):
                out.append(FieldError(f"{prefix}{key}", "expected a table"))
            else:
                out += _key_errors(fields[key][0].base, value, f"{prefix}{key}.")
            continue
        _, problems = load_fields(cls, {key: value}, prefix=prefix)
        problems = [p for p in problems if p.message != "missing"]
        out += problems
        info = fields[key][0] if key in fields else None
        if not problems and info is not None and info.extra.get("kind") == "template":
            out += [FieldError("", m) for m in _template_problems(
                str(value), f"{prefix}{key}", info.extra["fields"])]
    return out


def _is_section(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, _Section)


def _find(ref: str, roots: list[Path], own: Path, key: str, scope: Scope | None = None) -> Path:
    """The file a theme names (a font, a logo): absolute, or looked up in ``roots``; under a
    ``scope``, relative and inside it. Only regular files."""
    if scope is not None:
        problem = reference_problem(ref)
        if problem is not None:
            raise ThemeError(f"{own}: {key}: {ref!r} {problem}")
    candidate = Path(ref).expanduser()
    found: list[Path] = []
    if candidate.is_absolute():
        found = [candidate] if os.path.lexists(candidate) else []
    else:
        found = [root / candidate for root in roots if os.path.lexists(root / candidate)]
    special: Path | None = None
    for path in found:
        if scope is not None and not scope.contains(path):
            raise ThemeError(f"{own}: {key}: {ref!r} leads outside the source's folder and the "
                             "assets (a link?)")
        if is_regular(path):
            return real(path) if not candidate.is_absolute() else candidate
        if special is None and os.path.exists(path):
            special = path  # a folder, a FIFO, a device: said below, if nothing else is found
    if special is not None:
        check_file(special, what="font or image", error=ThemeError, shown=f"{own}: {key}: {ref}")
    raise ThemeError(f"{own}: {key}: file not found: {ref}")


def _resolve(data: dict[str, Any], own: Path, roots: list[Path], sources: tuple[Path, ...],
             set_by: tuple[tuple[str, Path], ...], scope: Scope | None = None) -> Theme:
    errors: list[str] = []
    colors = {str(k): str(v) for k, v in data.get("colors", {}).items()}
    errors += [f"colors.{name}: expected a colour like '#1F3A5F', got {value!r}"
               for name, value in data.get("colors", {}).items()
               if not isinstance(value, str) or not COLOR_RE.match(value)]
    errors += [f"colors.{name}: missing" for name, (info, _) in struct_fields(Colors).items()
               if info.base is str and not info.optional and name not in colors]
    errors += _unused_colors(data, colors)

    def section(name: str, cls: type[_Section]) -> Any:
        found, problems = load_fields(cls, data.get(name, {}), prefix=f"{name}.")
        errors.extend(str(p) for p in problems)
        return None if found is None else _resolve_kinds(found, f"{name}.", colors, errors)

    page = section("page", Page)
    masthead = section("masthead", Masthead)
    header = section("header", Header)
    footer = section("footer", Footer)
    callout = section("callout", Callout)
    faq = section("faq", Faq)
    qr = section("qr", Qr)
    changes = section("changes", Changes)
    pdf = section("pdf", Pdf)

    fonts: dict[str, FontFamily] = {}
    fallback: list[Path] = []
    script_fonts: dict[str, FontFamily] = {}
    font_spec = section("fonts", Fonts) if "fonts" in data else None
    if font_spec is None and "fonts" not in data:
        errors += [f"fonts.{role}.regular: missing" for role in FONT_ROLES]
    if font_spec is not None:
        for role in FONT_ROLES:
            family: Family = getattr(font_spec, role)
            given = {w: getattr(family, w) for w in WEIGHTS if getattr(family, w) is not None}
            near = {"bold": ("regular",), "italic": ("regular",),
                    "bold_italic": ("bold", "italic", "regular")}
            for weight, nearest in near.items():
                if weight not in given:
                    given[weight] = next(given[w] for w in nearest if w in given)
            try:
                files = {w: _find(given[w], roots, own, f"fonts.{role}.{w}", scope)
                         for w in WEIGHTS}
            except ThemeError as exc:
                errors.append(str(exc).removeprefix(f"{own}: "))
                continue
            fonts[role] = FontFamily(**files, missing=tuple(
                w for w in WEIGHTS if getattr(family, w) is None))
        for role, code in SCRIPT_ROLES.items():
            script_spec: ScriptFamily | None = getattr(font_spec, role)
            if script_spec is None:
                continue
            chosen = {"regular": script_spec.regular,
                      "bold": script_spec.bold or script_spec.regular}
            try:
                found = {w: _find(ref, roots, own, f"fonts.{role}.{w}", scope)
                         for w, ref in chosen.items()}
            except ThemeError as exc:
                errors.append(str(exc).removeprefix(f"{own}: "))
                continue
            script_fonts[code] = FontFamily(found["regular"], found["bold"], found["regular"],
                                            found["bold"])
        for i, ref in enumerate(font_spec.fallback):
            try:
                fallback.append(_find(ref, roots, own, f"fonts.fallback[{i}]", scope))
            except ThemeError as exc:
                errors.append(str(exc).removeprefix(f"{own}: "))

    styles: dict[str, Style] = {}
    given_styles = data.get("styles", {})
    for role in (*STYLE_ROLES, *OPTIONAL_STYLE_ROLES):
        spec = given_styles.get(role)
        if spec is None:
            if role in STYLE_ROLES:
                errors.append(f"styles.{role}: missing")
            continue
        found = section_of(StyleSpec, spec, f"styles.{role}.", colors, errors)
        if found is not None:
            styles[role] = Style(**msgspec.structs.asdict(found))
    if "subtitle" not in styles and "title" in styles:
        styles["subtitle"] = _subtitle_style(styles["title"])

    logos: list[Logo | None] = []
    for key, cls in (("logo", LogoSpec), ("partner_logo", PartnerLogoSpec)):
        spec = data.get(key)
        if not spec or not spec.get("file"):
            logos.append(None)
            continue
        found = section_of(cls, spec, f"{key}.", colors, errors)
        if found is None:
            logos.append(None)
            continue
        try:
            file = _find(found.file, roots, own, f"{key}.file", scope)
        except ThemeError as exc:
            errors.append(str(exc).removeprefix(f"{own}: "))
            logos.append(None)
            continue
        logos.append(Logo(file, found.alt, found.height, getattr(found, "position", "left")))

    if errors:
        raise ThemeError(f"{own}: " + "; ".join(errors))
    return Theme(
        name=str(data.get("name", own.stem)), description=str(data.get("description", "")),
        page=page, colors=colors, fonts=fonts, fallback_fonts=tuple(fallback), styles=styles,
        logo=logos[0], partner_logo=logos[1], masthead=masthead, header=header, footer=footer,
        callout=callout, faq=faq, qr=qr, changes=changes, pdf=pdf, sources=sources,
        set_by=set_by, script_fonts=script_fonts,
    )


#: The colours the renderer asks for by name; a theme may add its own for styles to use.
KNOWN_COLORS = tuple(struct_fields(Colors))


def _unused_colors(data: Mapping[str, Any], colors: Mapping[str, str]) -> list[str]:
    """A colour of one's own that nothing uses and whose name is close to one the renderer
    asks for is a misspelling (``primry``): say so, with the name meant."""
    used = {spec.get("color") for spec in data.get("styles", {}).values()
            if isinstance(spec, Mapping)}
    used |= {data.get(table, {}).get("rule_color") for table in ("masthead", "callout")}
    errors = []
    for name in colors:
        if name in KNOWN_COLORS or name in used:
            continue
        import difflib  # only for a colour of one's own that nothing uses

        close = difflib.get_close_matches(name, KNOWN_COLORS, n=1, cutoff=0.75)
        if close:
            errors.append(f'colors.{name}: no style uses it; did you mean "{close[0]}"? (a '
                          "colour of your own is used by naming it in a style's color)")
    return errors


def _hint(key: str, known: list[str]) -> str:
    import difflib  # only for a mistake: a cold build does not pay for it

    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f'; did you mean "{close[0]}"?' if close else ""


def section_of(cls: type[_Section], data: Mapping[str, Any], prefix: str,
               colors: Mapping[str, str], errors: list[str]) -> Any:
    """A table converted to its class, its colours and templates resolved; None (and the
    problems in ``errors``) when it cannot be."""
    found, problems = load_fields(cls, data, prefix=prefix)
    errors.extend(str(p) for p in problems)
    return None if found is None else _resolve_kinds(found, prefix, colors, errors)


def _resolve_kinds(found: Any, prefix: str, colors: Mapping[str, str],
                   errors: list[str]) -> Any:
    """Colours resolved to ``#RRGGBB`` (a ``[colors]`` name or a colour), templates checked
    for their ``{fields}``."""
    changes: dict[str, Any] = {}
    for name, (info, _) in struct_fields(type(found)).items():  # type: ignore[arg-type]
        value = getattr(found, name)
        kind = info.extra.get("kind")
        if kind == "colour" and isinstance(value, str):
            resolved = colors.get(value, value)
            if COLOR_RE.match(resolved):
                changes[name] = resolved
            elif value not in colors:  # a bad colour of [colors] is said once, there
                errors.append(f"{prefix}{name}: expected a colour name or '#RRGGBB', "
                              f"got {value!r}{_hint(value, list(colors))}")
        elif kind == "template" and isinstance(value, str):
            errors += _template_problems(value, f"{prefix}{name}", info.extra["fields"])
    return msgspec.structs.replace(found, **changes) if changes else found


def _template_problems(text: str, where: str, allowed: tuple[str, ...]) -> list[str]:
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text)
                  if f is not None]
    except ValueError as exc:
        return [f"{where}: {exc}"]
    errors = [f"{where}: unknown field {{{n}}}; use {', '.join(allowed)}"
              for n, _, _ in fields if n not in allowed]
    # A field is replaced by its text, as is: "{kicker:>999999999}" would ask for a gigabyte
    # of spaces.
    errors += [f"{where}: {{{n}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
               f": format specifications are not supported; write {{{n}}}"
               for n, spec, conv in fields if n in allowed and (spec or conv)]
    return errors


def _subtitle_style(title: Style) -> Style:
    """The subtitle of a theme that does not style it: the title's font and colour, in the
    regular weight at about three fifths of its size."""
    size = round(title.size * 0.6, 1)
    return Style(font=title.font, weight="regular", size=size, leading=round(size * 1.3, 1),
                 color=title.color, align=title.align)


# --- the key reference ---------------------------------------------------------------------------


def key_rows() -> list[FieldRow]:
    """Every key of a theme file, in the reference's order: the top keys, each table's,
    and a style's (``styles.<role>.…``)."""
    rows = [
        FieldRow("extends", "text", "", "", "a built-in theme name or a path (relative to this "
                 "file); tables merge key by key"),
        FieldRow("name", "text", "", "the file's name", "shown by `briefing themes`"),
        FieldRow("description", "text", "", "", "one line for `briefing themes`"),
    ]
    for name, cls in SECTIONS.items():
        rows += field_rows(cls, f"{name}.", describe=_describe)
        if name == "colors":
            rows.append(FieldRow("colors.<any>", "colour", "", None, "your own names, usable "
                                 "wherever a colour is asked for"))
    rows += field_rows(StyleSpec, "styles.<role>.", describe=_describe)
    return rows


def _describe(info: Any) -> str:
    from briefing.convert import type_name

    kind = info.extra.get("kind")
    if typing.get_origin(info.base) is tuple:
        return "list of paths"
    if kind == "colour":
        return "colour"
    if kind == "template":
        return "text with fields"
    if kind == "file":
        return "list of paths" if info.base is not str else "path"
    if isinstance(info.base, type) and issubclass(info.base, PageSize):
        return "one of A4, Letter, A5"
    return type_name(info)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—" if value is None else '`""`'
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, tuple):
        return "`[]`" if not value else ", ".join(f"`{v}`" for v in value)
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    return f"`{value}`"


def key_reference() -> str:
    """The Markdown table of every key: type, range, the built-in default (a theme without
    ``extends``) and what ``extends = "default"`` gives (``assets/themes/default.toml``)."""
    default = _load_toml(builtin_themes()[DEFAULT_THEME])
    lines = ["| key | type | built-in default | in `default.toml` | meaning |",
             "| --- | --- | --- | --- | --- |"]
    for row in key_rows():
        from briefing.convert import REQUIRED

        builtin = "required" if row.default == REQUIRED else _shown(row.default)
        if row.key == "name":
            builtin = "the file's name"
        if row.key == "extends":
            builtin = "—"
        node: Any = default
        for part in row.key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if row.key.startswith("styles.<role>.") or row.key == "colors.<any>":
            in_default = ""
        elif row.key.startswith("fonts.") and row.key.count(".") == 2:
            in_default = "a Noto face" if node is not None else "—"
        else:
            in_default = "—" if node is None else _shown(
                tuple(node) if isinstance(node, list) else node)
        unit = f", {row.range}" if row.range else ""
        kind = row.type.replace(" (mm)", "").replace(" (pt)", "")
        unit_name = " mm" if "(mm)" in row.type else " pt" if "(pt)" in row.type else ""
        meaning = row.doc
        if row.range:
            meaning = f"{unit_name.strip()}, {row.range}" + (f"; {meaning}" if meaning else "")
        del unit
        lines.append(f"| `{row.key}` | {kind} | {builtin} | {in_default} | {meaning} |")
    return "\n".join(lines) + "\n"
