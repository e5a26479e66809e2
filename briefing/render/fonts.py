"""A theme's fonts: the reportlab names of its faces by role and weight, the weight of emphasis,
and the fallback chain for characters the main face lacks.

Declaring, loading and naming the font files is the PDF back end's (``pdf/fonts.py``): a
theme's dozen faces are declared at once and parsed only when first used.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from briefing.assets import asset
from briefing.errors import RenderError, ThemeError
from briefing.pdf.fonts import (
    RegisteredFont,
    declare_family,
    declare_font,
    font_name,
    register_font,
)
from briefing.theme import WEIGHTS, Theme

__all__ = ["CJK_LANGUAGE", "SCRIPT_FONTS", "FontSet", "RegisteredFont", "cjk_font",
           "emphasis_weight", "font_name", "register_font", "register_theme_fonts",
           "script_font"]


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
    #: Names and faces asked for, kept for the set's life (one layout): a file's state is
    #: read once a layout, not once a paragraph.
    _names: dict[tuple[str, str], str] = field(default_factory=dict)
    _faces: dict[tuple[str, str], RegisteredFont] = field(default_factory=dict)

    def name(self, role: str, weight: str = "regular") -> str:
        """The reportlab name of a face; it is loaded when reportlab first uses it."""
        found = self._names.get((role, weight))
        if found is None:
            found = self._names[role, weight] = font_name(self.files[role][weight])
        return found

    def face(self, role: str, weight: str = "regular") -> RegisteredFont:
        """A face, loaded now (its character set is needed)."""
        found = self._faces.get((role, weight))
        if found is None:
            found = self._faces[role, weight] = register_font(self.files[role][weight])
        return found

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
