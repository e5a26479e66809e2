"""Registering a theme's TrueType fonts with reportlab, once per process, and finding a font
for characters the main face lacks (the theme's fallback chain)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from briefing.errors import ThemeError
from briefing.theme import WEIGHTS, Theme


@dataclass(frozen=True, slots=True)
class RegisteredFont:
    """A registered face: its reportlab name and the characters it has."""

    name: str
    charset: frozenset[int]


@cache
def register_font(path: Path) -> RegisteredFont:
    """Register one TTF file (cached by path); a clear error for what reportlab cannot embed."""
    name = "bf-" + path.stem
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise ThemeError(f"{path}: font file cannot be read ({exc.strerror})") from None
    if magic == b"OTTO":
        raise ThemeError(
            f"{path}: is an OpenType font with PostScript (CFF) outlines, which reportlab cannot "
            "embed; use a TrueType-outline (.ttf) version of the font"
        )
    try:
        font = TTFont(name, str(path))
    except (TTFError, OSError, ValueError, KeyError, AssertionError) as exc:
        raise ThemeError(f"{path}: not a usable TrueType font ({exc})") from None
    pdfmetrics.registerFont(font)
    return RegisteredFont(name, frozenset(font.face.charToGlyph))


@dataclass(frozen=True, slots=True)
class FontSet:
    """The reportlab font names of a theme, by role and weight, and its fallback chain."""

    faces: dict[str, dict[str, RegisteredFont]]  # role -> weight -> font
    fallback: tuple[RegisteredFont, ...]

    def name(self, role: str, weight: str = "regular") -> str:
        return self.faces[role][weight].name

    def face(self, role: str, weight: str = "regular") -> RegisteredFont:
        return self.faces[role][weight]


def register_theme_fonts(theme: Theme) -> FontSet:
    """Register every font of a theme and map each family's weights for <b> and <i>."""
    faces: dict[str, dict[str, RegisteredFont]] = {}
    for role, family in theme.fonts.items():
        faces[role] = {w: register_font(getattr(family, w)) for w in WEIGHTS}
        names = {w: f.name for w, f in faces[role].items()}
        # So that <b> and <i> inside a paragraph of any weight find the sibling face.
        registerFontFamily(
            names["regular"], normal=names["regular"], bold=names["bold"],
            italic=names["italic"], boldItalic=names["bold_italic"],
        )
    fallback = tuple(register_font(p) for p in theme.fallback_fonts)
    return FontSet(faces, fallback)
