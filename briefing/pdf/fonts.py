"""TrueType fonts in the PDF: declared by name at once, parsed and registered with reportlab
only when first used, embedded as subsets under names that follow the file.

Parsing a TrueType file costs about 15 ms; a theme names a dozen (four weights for three roles,
plus fallbacks) while a briefing typically uses three or four. So a font is declared with a
reportlab name without loading anything, and reportlab's own font lookup (called the first time
a name is used) is taught to load declared fonts on demand (``compat.install_font_loader``),
from the on-disk cache of parsed faces after the first time (``fontcache.py``).
Files are checked when declared (not CFF-flavoured OpenType, which reportlab cannot embed), so a
wrong font still fails before any layout. The subsets' ToUnicode maps are ``tounicode.py``'s.
"""

from __future__ import annotations

import hashlib
import io
import struct
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFace

from briefing.cache import cached
from briefing.errors import ThemeError
from briefing.files import FileState, file_state
from briefing.paths import LIMITS, open_regular, read_bytes, too_large
from briefing.pdf.compat import install_font_loader, set_subset_namer, subset_namer
from briefing.pdf.fontcache import face_codec, font_from_face

#: The font whose subsets reportlab is writing into a document (``SubsetTaggedFont``).
_writing: ContextVar[tuple[Any, Any] | None] = ContextVar("_writing", default=None)
_reportlab_tag = subset_namer()


def subset_tag(n: int) -> bytes:
    """The six capitals before a subset's name (``KQWZRB+NotoSerif-Regular``): a hash of the
    font's name and the subset's characters, so distinct between fonts and subsets and the same
    in every build of the same text (ISO 32000-1, 9.6.4); reportlab's own tag (``AAAAAA`` for
    every font's first subset) outside a ``SubsetTaggedFont``."""
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
        set_subset_namer(subset_tag)
        token = _writing.set((self, doc))
        try:
            super().addObjects(doc)
        finally:
            _writing.reset(token)


#: Fonts declared by name, loaded when reportlab first asks for them.
_declared: dict[str, Path] = {}
#: Font families for <b> and <i> (normal, bold, italic, bold italic names), and the families
#: each name belongs to: re-asserted when one of their fonts is loaded (see ``_register``).
_families: dict[str, tuple[str, str, str, str]] = {}
_member_of: dict[str, list[str]] = {}


def _load(name: str) -> bool:
    """reportlab asks for a font by name: register it if it was declared."""
    path = _declared.get(name)
    if path is None:
        return False
    _register(name, path)
    return True


install_font_loader(_load)


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
        # Parsed once and cached on disk, keyed by reportlab's version and the font's bytes.
        face = cached("font", f"reportlab-{reportlab.Version}\0".encode() + data,
                      lambda: TTFontFace(io.BytesIO(data)), face_codec(data))
    except (TTFError, OSError, ValueError, KeyError, AssertionError, IndexError, struct.error):
        raise ThemeError(f"{path}: not a usable TrueType font (damaged, or not a font file); "
                         "use another copy of the font") from None
    font = font_from_face(name, face)
    font.__class__ = SubsetTaggedFont  # the same font, its subsets tagged distinctly
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
