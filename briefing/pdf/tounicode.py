"""ToUnicode CMaps that give back every character: beyond the Basic Multilingual Plane, and the
text of shaped glyphs.

reportlab writes each code of a font subset as ``<%02X> <%04X>``: a character beyond U+FFFF
(an emoji, a CJK Extension B character such as 𠀀) becomes five or six hex digits, which is not
UTF-16, so text extraction gives something else back. The writer here puts the same entries in
UTF-16BE, a character beyond the BMP as its surrogate pair (``<01> <D83DDE00>`` for 😀), as the
PDF specification asks (ISO 32000-1, 9.10.3).

It also lets a shaping layer say what text a drawn "character" stands for: reportlab draws a
shaped glyph that no character maps to (a lam-alef ligature, a conjunct) as a private-use
character (``U+E000``…); ``set_text(face, char, text)`` records the logical text of such a
glyph (a ligature's letters, a cluster's characters), which the CMap then maps it to.

``install()`` replaces reportlab's CMap writer (``compat.set_to_unicode_writer``) once per process, and only
after checking that reportlab's own writer still makes the CMap this module reproduces for BMP
characters (so a reportlab that changes or fixes its writer is left alone).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from briefing.pdf.compat import set_to_unicode_writer, to_unicode_writer

_original: Any = to_unicode_writer()
_installed = False
_lock = threading.Lock()
#: (face name, private-use code point) -> the text that drawn character stands for.
_texts: dict[tuple[str, int], str] = {}


def utf16_hex(text: str) -> str:
    """A text as the hex digits of its UTF-16BE code units (surrogate pairs beyond the BMP)."""
    return text.encode("utf-16-be").hex().upper()


def set_text(face_name: str, char: int, text: str) -> None:
    """Record the text a drawn character of a face stands for (see the module's docstring)."""
    _texts[(face_name, char)] = text


def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """A ToUnicode CMap for a subset: reportlab's, with UTF-16 entries."""
    face = fontname.split("+", 1)[-1]
    entries = []
    for code, char in enumerate(subset):
        text = _texts.get((face, char)) or chr(char)
        entries.append(f"<{code:02X}> <{utf16_hex(text)}>")
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *entries,
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


#: A subset of BMP characters both writers must write alike before the patch goes in.
_PROBE = (0x20, 0x41, 0xE9, 0x627, 0x5D0, 0x915, 0x4E2D, 0xFB01, 0xFFFD)


def install() -> bool:
    """Put the writer in place of reportlab's, once; False if reportlab's is not the one this
    module knows (then nothing is changed)."""
    global _installed
    with _lock:
        if _installed:
            return True
        if _original(_PROBE_NAME, list(_PROBE)) != make_to_unicode_cmap(_PROBE_NAME, _PROBE):
            return False
        set_to_unicode_writer(make_to_unicode_cmap)
        _installed = True
        return True


_PROBE_NAME = "AAAAAA+Probe"
