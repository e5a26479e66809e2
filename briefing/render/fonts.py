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

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from briefing.errors import ThemeError
from briefing.files import FileState, file_state
from briefing.paths import LIMITS, open_regular, read_bytes, too_large
from briefing.theme import WEIGHTS, Theme

#: Fonts declared by name, loaded when reportlab first asks for them.
_declared: dict[str, Path] = {}
_original_find: Callable[[str], Any] = pdfmetrics.findFontAndRegister


def _find_font(name: str) -> Any:
    path = _declared.get(name)
    if path is not None:
        _register(name, path)
        return pdfmetrics._fonts[name]
    return _original_find(name)


pdfmetrics.findFontAndRegister = _find_font


@dataclass(frozen=True, slots=True)
class RegisteredFont:
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
    return RegisteredFont(name, frozenset(font.face.charToGlyph))


@dataclass(frozen=True, slots=True)
class FontSet:
    """The reportlab font names of a theme, by role and weight, and its fallback chain."""

    files: dict[str, dict[str, Path]]  # role -> weight -> file
    fallback_files: tuple[Path, ...]
    _fallback: list[RegisteredFont] = field(default_factory=list)

    def name(self, role: str, weight: str = "regular") -> str:
        """The reportlab name of a face; it is loaded when reportlab first uses it."""
        return font_name(self.files[role][weight])

    def face(self, role: str, weight: str = "regular") -> RegisteredFont:
        """A face, loaded now (its character set is needed)."""
        return register_font(self.files[role][weight])

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
        names = {w: declare_font(p) for w, p in files[role].items()}
        # So that <b> and <i> inside a paragraph of any weight find the sibling face.
        registerFontFamily(
            names["regular"], normal=names["regular"], bold=names["bold"],
            italic=names["italic"], boldItalic=names["bold_italic"],
        )
    for path in theme.fallback_fonts:
        declare_font(path)
    return FontSet(files, tuple(theme.fallback_fonts))
