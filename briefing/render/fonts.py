"""A theme's TrueType fonts: declared by name at once, parsed and registered with reportlab only
when first used, and the fallback chain for characters the main face lacks.

Parsing a TrueType file costs about 15 ms; a theme names a dozen (four weights for three roles,
plus fallbacks) while a briefing typically uses three or four. So ``FontSet`` hands out
reportlab names without loading anything, and reportlab's own font lookup
(``pdfmetrics.findFontAndRegister``, called the first time a name is used) is taught to load
declared fonts on demand. Files are checked when declared (they exist: ``theme.py``; they are
not CFF-flavoured OpenType: here), so a wrong font still fails before any layout.
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from briefing.assets import asset
from briefing.errors import RenderError, ThemeError
from briefing.files import FileState, file_state
from briefing.paths import LIMITS, open_regular, read_bytes, too_large
from briefing.theme import WEIGHTS, Theme

#: Fonts declared by name, loaded when reportlab first asks for them.
_declared: dict[str, Path] = {}
#: Font families for <b> and <i> (normal, bold, italic, bold italic names), and the families
#: each name belongs to: re-asserted when one of their fonts is loaded (see ``_register``).
_families: dict[str, tuple[str, str, str, str]] = {}
_member_of: dict[str, list[str]] = {}
_original_find: Callable[[str], Any] = pdfmetrics.findFontAndRegister


def _find_font(name: str) -> Any:
    path = _declared.get(name)
    if path is not None:
        _register(name, path)
        return pdfmetrics._fonts[name]
    return _original_find(name)


pdfmetrics.findFontAndRegister = _find_font


class RegisteredFont(msgspec.Struct, frozen=True):
    """A registered face: its reportlab name and the characters it has."""

    name: str
    charset: frozenset[int]


def font_name(path: Path) -> str:
    """The reportlab name of a font file in its present state.

    reportlab never replaces a registered font, so the name changes with the file: two
    themes with a ``NotoSerif-Regular.ttf`` of their own, or a font edited while ``watch``
    runs, get their own names. The name does not appear in the PDF.
    """
    return _font_name(path, file_state(path))


@cache
def _font_name(path: Path, state: FileState) -> str:
    key = f"{path.resolve()}|{state[0]}|{state[1]}"
    return f"bf-{path.stem}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def declare_font(path: Path) -> str:
    """Check a font file cheaply and declare it for loading on first use; its name."""
    return _declare(path, file_state(path))


@cache
def _declare(path: Path, state: FileState) -> str:
    # Through the path policy: a regular file within the font limit.
    handle, st = open_regular(path, what="font", error=ThemeError)
    with handle:
        if st.st_size > LIMITS["font"]:
            raise ThemeError(too_large(str(path), LIMITS["font"], "font"))
        magic = handle.read(4)
    if magic == b"OTTO":
        raise ThemeError(
            f"{path}: is an OpenType font with PostScript (CFF) outlines, which reportlab cannot "
            "embed; use a TrueType-outline (.ttf) version of the font"
        )
    if magic not in (b"\x00\x01\x00\x00", b"true", b"ttcf"):
        raise ThemeError(f"{path}: not a TrueType font file")
    name = _font_name(path, state)
    _declared[name] = path
    return name


def register_font(path: Path) -> RegisteredFont:
    """Parse and register one TTF file (cached by its name, so by its state)."""
    return _register(declare_font(path), path)


@cache
def _register(name: str, path: Path) -> RegisteredFont:
    data = read_bytes(path, limit=LIMITS["font"], what="font", error=ThemeError)
    try:
        font = TTFont(name, io.BytesIO(data))
    except (TTFError, OSError, ValueError, KeyError, AssertionError, IndexError, struct.error):
        raise ThemeError(f"{path}: not a usable TrueType font (damaged, or not a font file); "
                         "use another copy of the font") from None
    pdfmetrics.registerFont(font)
    # registerFont() maps the new font's bold and italic back to itself
    # (registerFontFamily(name)), undoing the theme's family: map the families again.
    for family in _member_of.get(name, ()):
        _map_family(_families[family])
    return RegisteredFont(name, frozenset(font.face.charToGlyph))


def _map_family(names: tuple[str, str, str, str]) -> None:
    normal, bold, italic, bold_italic = names
    registerFontFamily(normal, normal=normal, bold=bold, italic=italic, boldItalic=bold_italic)


def declare_family(names: tuple[str, str, str, str]) -> None:
    """Map a family's four faces for reportlab's <b> and <i>, now and after each of them
    is loaded."""
    if _families.get(names[0]) != names:
        _families[names[0]] = names
        for name in dict.fromkeys(names):
            members = _member_of.setdefault(name, [])
            if names[0] not in members:
                members.append(names[0])
    _map_family(names)


#: The weight of a style or span, from whether it is bold and whether it is italic.
_WEIGHT = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
           (True, True): "bold_italic"}


def emphasis_weight(base: str, bold: bool, italic: bool, *, code: bool = False) -> str:
    """The weight of a span set in a style of weight ``base``.

    Bold adds weight (bold inside bold stays the family's bold). Italic inside italic text is
    set upright, as typographers set emphasis in an italic passage, so that it still shows.
    Code takes the text's weight but never its slant: only an italic code span is italic.
    """
    base_bold = base in ("bold", "bold_italic")
    base_italic = base in ("italic", "bold_italic") and not code
    return _WEIGHT[(base_bold or bold, base_italic != italic)]


#: The bundled font of each script briefing shapes, regular and bold (``assets/fonts``).
SCRIPT_FONTS: dict[str, tuple[str, str]] = {
    "Arab": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "Hebr": ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    "Deva": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
}


def script_font(script: str, bold: bool,
                own: dict[str, tuple[Path, Path]] | None = None) -> RegisteredFont | None:
    """The font of a script that needs its own (Arabic, Hebrew, Devanagari): the theme's
    (``own``: regular and bold by script) or the bundled one, loaded, its widths and drawing
    going through HarfBuzz; None for other scripts."""
    if own and script in own:
        path = own[script][1 if bold else 0]
    else:
        files = SCRIPT_FONTS.get(script)
        if files is None:
            return None
        path = asset("fonts", files[1 if bold else 0])
    face = register_font(path)
    from briefing.render.shaped import register_shaped  # shaping: only for these scripts

    register_shaped(face.name, path)
    return face


#: The CJK language a script is set in, when the document's language is none of them.
CJK_LANGUAGE = {"Hani": "zh", "Bopo": "zh", "Hira": "ja", "Kana": "ja", "Hang": "ko"}


@cache
def cjk_font(lang: str) -> RegisteredFont:
    """A TrueType CJK font of the system for a language (zh, ja, ko), loaded (looked for
    once per process); a one-line error naming the language and what to install when there
    is none (``cjkfonts``)."""
    from briefing.render.cjkfonts import find_cjk_font  # only for CJK text

    try:
        found = find_cjk_font(lang)
    except ThemeError as exc:  # about the source's text: said with its file name
        raise RenderError(exc.message) from None
    return _register_member(found.path, found.index)


@cache
def _register_member(path: Path, index: int) -> RegisteredFont:
    name = f"{font_name(path)}-{index}"
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, AssertionError, IndexError, struct.error):
        raise ThemeError(f"{path}: not a usable TrueType font (damaged, or not a font file); "
                         "use another copy of the font") from None
    pdfmetrics.registerFont(font)
    return RegisteredFont(name, frozenset(font.face.charToGlyph))


@dataclass(frozen=True, slots=True)
class FontSet:
    """The reportlab font names of a theme, by role and weight, and its fallback chain."""

    files: dict[str, dict[str, Path]]  # role -> weight -> file
    fallback_files: tuple[Path, ...]
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> weights the
    # theme does not give (set in a near face: see ``theme.FontFamily``)
    theme_name: str = ""
    #: The theme's own fonts of scripts (ISO 15924 code → regular and bold files).
    script_files: dict[str, tuple[Path, Path]] = field(default_factory=dict)
    _fallback: list[RegisteredFont] = field(default_factory=list)

    def name(self, role: str, weight: str = "regular") -> str:
        """The reportlab name of a face; it is loaded when reportlab first uses it."""
        return font_name(self.files[role][weight])

    def face(self, role: str, weight: str = "regular") -> RegisteredFont:
        """A face, loaded now (its character set is needed)."""
        return register_font(self.files[role][weight])

    def face_named(self, name: str) -> RegisteredFont | None:
        """The face of the theme with this reportlab name, loaded; None if it has none."""
        for weights in self.files.values():
            for path in weights.values():
                if font_name(path) == name:
                    return register_font(path)
        return None

    @property
    def fallback(self) -> list[RegisteredFont]:
        """The fallback chain, loaded the first time a character is missing."""
        if not self._fallback and self.fallback_files:
            self._fallback.extend(register_font(p) for p in self.fallback_files)
        return self._fallback


def register_theme_fonts(theme: Theme) -> FontSet:
    """Declare every font of a theme and map each family's weights for <b> and <i>."""
    files: dict[str, dict[str, Path]] = {}
    for role, family in theme.fonts.items():
        files[role] = {w: getattr(family, w) for w in WEIGHTS}
        regular, bold, italic, bold_italic = (declare_font(files[role][w]) for w in WEIGHTS)
        # So that <b> and <i> inside a paragraph of any weight find the sibling face.
        declare_family((regular, bold, italic, bold_italic))
    for path in theme.fallback_fonts:
        declare_font(path)
    for family in theme.script_fonts.values():
        declare_font(family.regular)
        declare_font(family.bold)
    return FontSet(files, tuple(theme.fallback_fonts),
                   {role: family.missing for role, family in theme.fonts.items()}, theme.name,
                   {code: (family.regular, family.bold)
                    for code, family in theme.script_fonts.items()})
