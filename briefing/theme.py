"""Themes: TOML files in ``assets/themes/`` (or the user's own), checked before any rendering.

A theme may ``extends = "default"`` (or a path) and change only a few keys; tables merge key by
key. Every unknown key and wrong type is reported at once, naming the file and the key (with a
"did you mean" for a misspelt one), and a bad value once, where it is written.

A theme is named by a built-in name, a ``.toml`` path, a folder holding ``theme.toml`` (what
``briefing init`` writes), or the name of a theme in the ``--assets`` folder. Paths inside a
theme are looked up in the ``--assets`` folder first (so that it can replace a file of a
built-in theme, such as ``logos/briefing.svg``), then in the theme's own assets folder (the
folder that holds it, or the parent of its ``themes/`` folder), then in the bundled assets.
"""

from __future__ import annotations

import math
import os
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.assets import asset, assets_dir
from briefing.errors import ThemeError
from briefing.files import file_state
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
PAGE_SIZES = ("A4", "Letter", "A5")
FONT_ROLES = ("body", "heading", "mono")
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

@dataclass(frozen=True, slots=True)
class Number:
    """A number key's bounds: finite, from ``low`` to ``high`` (in ``unit``)."""

    low: float
    high: float
    unit: str = ""

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not such a number, or None."""
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or not self.low <= value <= self.high):
            unit = f" {self.unit}" if self.unit else ""
            return f"expected a number from {self.low:g} to {self.high:g}{unit}, got {value!r}"
        return None


MM, PT = "mm", "pt"
# The schema: key -> type, a Number with its range, or a nested schema for tables. "*" matches
# any key of a table. Every number has its bounds here, beside its key.
_STYLE_SCHEMA: dict[str, Any] = {
    "font": str, "weight": str, "size": Number(3, 144, PT), "leading": Number(3, 200, PT),
    "color": str, "space_before": Number(0, 144, PT), "space_after": Number(0, 144, PT),
    "align": str, "tracking": Number(-2, 20, PT), "upper": bool,
}
_FAMILY_SCHEMA: dict[str, Any] = {w: str for w in WEIGHTS}
_MARGIN = Number(0, 100, MM)
_LOGO_HEIGHT = Number(3, 80, MM)
SCHEMA: dict[str, Any] = {
    "name": str,
    "description": str,
    "extends": str,
    "page": {
        "size": str, "margin_top": _MARGIN, "margin_bottom": _MARGIN, "margin_left": _MARGIN,
        "margin_right": _MARGIN, "cover": bool,
    },
    "colors": {"*": str},
    "fonts": {"fallback": list, "body": _FAMILY_SCHEMA, "heading": _FAMILY_SCHEMA,
              "mono": _FAMILY_SCHEMA},
    "logo": {"file": str, "alt": str, "height": _LOGO_HEIGHT, "position": str},
    "partner_logo": {"file": str, "alt": str, "height": _LOGO_HEIGHT},
    "masthead": {"band": bool, "kicker": str, "padding": Number(0, 50, MM),
                 "rule_width": Number(0, 20, PT), "rule_color": str},
    "header": {"text": str, "rule": bool},
    "footer": {"left": str, "right": str, "rule": bool},
    "callout": {"rule_width": Number(0, 20, PT), "rule_color": str,
                "padding": Number(0, 50, PT), "fill": bool, "border": bool},
    "faq": {"rule": bool},
    "qr": {"enabled": bool, "position": str, "size": Number(10, 40, MM), "label": str},
    "changes": {"bar": bool},
    "pdf": {"pdfa": bool},
    "styles": {"*": _STYLE_SCHEMA},
}
#: What ``{name}`` may stand for in header and footer texts.
TEXT_FIELDS = ("organisation", "author", "source", "title", "date", "kicker", "page", "number",
               "pages")
QR_POSITIONS = ("masthead", "footer")
REQUIRED_COLORS = ("primary", "accent", "text", "muted", "callout_background", "band_text",
                   "rule", "link")


@dataclass(frozen=True, slots=True)
class FontFamily:
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


@dataclass(frozen=True, slots=True)
class Style:
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


@dataclass(frozen=True, slots=True)
class Logo:
    """A logo image with its accessible name."""

    file: Path
    alt: str
    height: float  # mm
    position: str = "left"


@dataclass(frozen=True, slots=True)
class Theme:
    """A resolved, checked theme."""

    name: str
    description: str
    page_size: str
    margins: tuple[float, float, float, float]  # top, right, bottom, left in mm
    colors: dict[str, str]
    fonts: dict[str, FontFamily]
    fallback_fonts: tuple[Path, ...]
    styles: dict[str, Style]
    logo: Logo | None
    partner_logo: Logo | None
    options: dict[str, dict[str, Any]]  # masthead, footer, callout, faq, qr, changes, page
    sources: tuple[Path, ...] = field(default=())  # the TOML files, own first then extended

    def style(self, role: str) -> Style:
        """The style for a role."""
        return self.styles[role]

    def option(self, table: str, key: str, default: Any = None) -> Any:
        """A value of a layout table such as ``masthead`` or ``footer``."""
        return self.options.get(table, {}).get(key, default)

    def files(self) -> list[Path]:
        """Every file this theme depends on: its TOML files, fonts and logos."""
        out: list[Path] = list(self.sources)
        for family in self.fonts.values():
            out += [family.regular, family.bold, family.italic, family.bold_italic]
        out += self.fallback_fonts
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


def _check(data: Mapping[str, Any], schema: Mapping[str, Any], prefix: str, errors: list[str]) -> None:
    for key, value in data.items():
        spec = schema.get(key, schema.get("*"))
        where = f"{prefix}{key}"
        if spec is None:
            errors.append(f"{where}: unknown key{_hint(key, [k for k in schema if k != '*'])}")
        elif isinstance(spec, dict):
            if not isinstance(value, Mapping):
                errors.append(f"{where}: expected a table")
            else:
                _check(value, spec, f"{where}.", errors)
        elif isinstance(spec, Number):
            problem = spec.problem(value)
            if problem is not None:
                errors.append(f"{where}: {problem}")
        elif not isinstance(value, spec):
            errors.append(f"{where}: expected {_type_name(spec)}, got {value!r}")


def _hint(key: str, known: list[str]) -> str:
    import difflib  # only for a mistake: a cold build does not pay for it

    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f'; did you mean "{close[0]}"?' if close else ""


def _type_name(spec: type) -> str:
    return {str: "text", bool: "true or false", list: "a list"}.get(spec, spec.__name__)


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

    errors: list[str] = []
    for file, data in chain:
        file_errors: list[str] = []
        _check(data, SCHEMA, "", file_errors)
        errors += [f"{file}: {e}" for e in file_errors]
    if errors:
        raise ThemeError("; ".join(errors))

    merged: dict[str, Any] = {}
    for _, data in reversed(chain):
        merged = _merge(merged, data)
    merged.pop("extends", None)
    # Relative paths are looked up beside the theme that wrote them, then the user's assets,
    # then the bundled ones.
    roots = [_asset_root(f) for f, _ in chain]
    if extra_assets is not None:
        roots.insert(0, extra_assets)
    roots.append(assets_dir())
    own = chain[0][0]
    return _resolve(merged, own, roots, tuple(f.resolve() for f, _ in chain), scope)


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
             scope: Scope | None = None) -> Theme:
    errors: list[str] = []
    page = data.get("page", {})
    size = str(page.get("size", "A4"))
    sizes = {s.lower(): s for s in PAGE_SIZES}
    if size.lower() not in sizes:
        errors.append(f"page.size: expected one of {', '.join(PAGE_SIZES)}, got {size!r}")
    colors = dict(data.get("colors", {}))
    for name, value in colors.items():
        if not COLOR_RE.match(value):
            errors.append(f"colors.{name}: expected a colour like '#1F3A5F', got {value!r}")
    errors += [f"colors.{c}: missing" for c in REQUIRED_COLORS if c not in colors]
    errors += _unused_colors(data, colors)

    fonts: dict[str, FontFamily] = {}
    font_data = data.get("fonts", {})
    for role in FONT_ROLES:
        family = font_data.get(role)
        if not family or "regular" not in family:
            errors.append(f"fonts.{role}.regular: missing")
            continue
        near = {"bold": ("regular",), "italic": ("regular",),
                "bold_italic": ("bold", "italic", "regular")}
        given = {w: family[w] for w in WEIGHTS if w in family}
        for weight, nearest in near.items():
            if weight not in family:
                given[weight] = next(given[w] for w in nearest if w in family)
        try:
            files = {w: _find(given[w], roots, own, f"fonts.{role}.{w}", scope) for w in WEIGHTS}
        except ThemeError as exc:
            errors.append(str(exc).removeprefix(f"{own}: "))
            continue
        fonts[role] = FontFamily(**files, missing=tuple(w for w in WEIGHTS if w not in family))
    fallback: list[Path] = []
    for i, ref in enumerate(font_data.get("fallback", [])):
        try:
            fallback.append(_find(str(ref), roots, own, f"fonts.fallback[{i}]", scope))
        except ThemeError as exc:
            errors.append(str(exc).removeprefix(f"{own}: "))

    styles: dict[str, Style] = {}
    for role in STYLE_ROLES:
        spec = data.get("styles", {}).get(role)
        if spec is None:
            errors.append(f"styles.{role}: missing")
            continue
        try:
            styles[role] = _style(role, spec, colors)
        except ValueError as exc:
            errors.append(str(exc))
    subtitle = data.get("styles", {}).get("subtitle")
    if subtitle is not None:
        try:
            styles["subtitle"] = _style("subtitle", subtitle, colors)
        except ValueError as exc:
            errors.append(str(exc))
    elif "title" in styles:
        styles["subtitle"] = _subtitle_style(styles["title"])

    logos: list[Logo | None] = []
    for key in ("logo", "partner_logo"):
        spec = data.get(key)
        if not spec or not spec.get("file"):
            logos.append(None)
            continue
        try:
            file = _find(spec["file"], roots, own, f"{key}.file", scope)
        except ThemeError as exc:
            errors.append(str(exc).removeprefix(f"{own}: "))
            logos.append(None)
            continue
        position = spec.get("position", "left")
        if position not in ("left", "right"):
            errors.append(f"{key}.position: expected left or right, got {position!r}")
        logos.append(Logo(file, spec.get("alt", ""), float(spec.get("height", 14)), position))

    errors += _check_options(data, colors)
    if errors:
        raise ThemeError(f"{own}: " + "; ".join(errors))
    options = {k: dict(v) for k, v in data.items() if isinstance(v, Mapping)
               and k not in ("colors", "fonts", "styles", "logo", "partner_logo")}
    return Theme(
        name=str(data.get("name", own.stem)),
        description=str(data.get("description", "")),
        page_size=sizes[size.lower()],
        margins=(
            float(page.get("margin_top", 16)), float(page.get("margin_right", 18)),
            float(page.get("margin_bottom", 18)), float(page.get("margin_left", 18)),
        ),
        colors=colors,
        fonts=fonts,
        fallback_fonts=tuple(fallback),
        styles=styles,
        logo=logos[0],
        partner_logo=logos[1],
        options=options,
        sources=sources,
    )


def _check_options(data: Mapping[str, Any], colors: Mapping[str, str]) -> list[str]:
    """Values of the layout tables that a type alone does not check."""
    errors: list[str] = []
    for table, key in (("masthead", "kicker"), ("header", "text"), ("footer", "left"),
                       ("footer", "right"), ("qr", "label")):
        text = data.get(table, {}).get(key)
        if text is None:
            continue
        try:
            fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text)
                      if f is not None]
        except ValueError as exc:
            errors.append(f"{table}.{key}: {exc}")
            continue
        allowed = TEXT_FIELDS if table != "masthead" else ("kicker", "date")
        errors += [f"{table}.{key}: unknown field {{{n}}}; use {', '.join(allowed)}"
                   for n, _, _ in fields if n not in allowed]
        # A field is replaced by its text, as is: "{kicker:>999999999}" would ask for a
        # gigabyte of spaces.
        errors += [f"{table}.{key}: {{{n}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                   f": format specifications are not supported; write {{{n}}}"
                   for n, spec, conv in fields if n in allowed and (spec or conv)]
    qr = data.get("qr", {})
    if qr.get("position", "masthead") not in QR_POSITIONS:
        errors.append(f"qr.position: expected {' or '.join(QR_POSITIONS)}, got {qr['position']!r}")
    for table in ("masthead", "callout"):
        color = data.get(table, {}).get("rule_color")
        if color is not None and color not in colors and not COLOR_RE.match(color):
            errors.append(f"{table}.rule_color: expected a colour name or '#RRGGBB', got "
                          f"{color!r}{_hint(str(color), list(colors))}")
    return errors


#: The colours the renderer asks for by name; a theme may add its own for styles to use.
KNOWN_COLORS = (*REQUIRED_COLORS, "marker", "band_accent")


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


def _subtitle_style(title: Style) -> Style:
    """The subtitle of a theme that does not style it: the title's font and colour, in the
    regular weight at about three fifths of its size."""
    size = round(title.size * 0.6, 1)
    return Style(font=title.font, weight="regular", size=size, leading=round(size * 1.3, 1),
                 color=title.color, align=title.align)


def _style(role: str, spec: Mapping[str, Any], colors: Mapping[str, str]) -> Style:
    where = f"styles.{role}"
    font = spec.get("font", "body")
    if font not in FONT_ROLES:
        raise ValueError(f"{where}.font: expected one of {', '.join(FONT_ROLES)}, got {font!r}")
    weight = spec.get("weight", "regular")
    if weight not in WEIGHTS:
        raise ValueError(f"{where}.weight: expected one of {', '.join(WEIGHTS)}, got {weight!r}")
    align = spec.get("align", "left")
    if align not in ("left", "right", "center", "justify"):
        raise ValueError(f"{where}.align: expected left, right, center or justify, got {align!r}")
    color = spec.get("color", "text")
    resolved = colors.get(color, color)
    if not COLOR_RE.match(resolved) and color not in colors:  # a bad colour is said once
        raise ValueError(f"{where}.color: expected a colour name or '#RRGGBB', got {color!r}"
                         f"{_hint(str(color), list(colors))}")
    for key in ("size", "leading"):
        if key not in spec:
            raise ValueError(f"{where}.{key}: missing")
    return Style(
        font=font, weight=weight, size=float(spec["size"]), leading=float(spec["leading"]),
        color=resolved, space_before=float(spec.get("space_before", 0)),
        space_after=float(spec.get("space_after", 0)), align=align,
        tracking=float(spec.get("tracking", 0)), upper=bool(spec.get("upper", False)),
    )
