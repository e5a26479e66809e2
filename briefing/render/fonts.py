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
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from briefing.errors import ThemeError
from briefing.files import FileState, file_state
from briefing.paths import LIMITS, open_regular, read_bytes, too_large
from briefing.theme import WEIGHTS, Theme

#: The font whose subsets reportlab is writing into a document (``SubsetTaggedFont``).
_writing: ContextVar[tuple[Any, Any] | None] = ContextVar("_writing", default=None)
_reportlab_tag: Callable[[int], bytes] = ttfonts.SUBSETN


def subset_tag(n: int) -> bytes:
    """The six capitals before a subset's name (``KQWZRB+NotoSerif-Regular``): a hash of the
    font's name and the subset's characters, so distinct between fonts and subsets and the same
    in every build of the same text (ISO 32000-1, 9.6.4). reportlab's own tag, ``AAAAAA`` for
    every font's first subset, outside a ``SubsetTaggedFont``."""
    writing = _writing.get()
    if writing is None:
        return _reportlab_tag(n)
    font, doc = writing
    chars = ",".join(map(str, font.state[doc].subsets[n]))
    digest = hashlib.sha256(b"%s/%d/%s" % (font.face.name, n, chars.encode())).digest()
    return bytes(65 + byte % 26 for byte in digest[:6])


class SubsetTaggedFont(TTFont):  # type: ignore[misc]
    """A TrueType font whose embedded subsets get distinct, reproducible tags."""

    def addObjects(self, doc: Any) -> None:
        token = _writing.set((self, doc))
        try:
            super().addObjects(doc)
        finally:
            _writing.reset(token)


# reportlab names each subset by calling ``ttfonts.SUBSETN`` while it writes the font.
ttfonts.SUBSETN = subset_tag

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
        font = SubsetTaggedFont(name, io.BytesIO(data))
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


@dataclass(frozen=True, slots=True)
class FontSet:
    """The reportlab font names of a theme, by role and weight, and its fallback chain."""

    files: dict[str, dict[str, Path]]  # role -> weight -> file
    fallback_files: tuple[Path, ...]
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> weights the
    # theme does not give (set in a near face: see ``theme.FontFamily``)
    theme_name: str = ""
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
        regular, bold, italic, bold_italic = (declare_font(files[role][w]) for w in WEIGHTS)
        # So that <b> and <i> inside a paragraph of any weight find the sibling face.
        declare_family((regular, bold, italic, bold_italic))
    for path in theme.fallback_fonts:
        declare_font(path)
    return FontSet(files, tuple(theme.fallback_fonts),
                   {role: family.missing for role, family in theme.fonts.items()}, theme.name)
