"""The glyphs a PDF draws, as ids of the original font file: to compare what a page shows with
HarfBuzz's shaping of the same text in the same font.

reportlab embeds each TrueType font as subsets (simple ``/TrueType`` fonts of up to 256 codes),
each a font program of its own whose glyphs are renumbered. A drawn code is mapped to its glyph
in the subset (the subset's ``cmap``), and that glyph back to the original font's glyph ids by
its outline and advance (the subset copies both unchanged): fontTools reads both fonts, and the
original font's glyph order gives each id its name. A ``/Type0`` font with an identity
``CIDToGIDMap`` (two-byte codes that are glyph ids) is read too.

``drawn_glyphs(pdf, page)`` gives every text-showing operator's glyphs, in content-stream order,
with the font resource's base name (``AAAAAA+NotoNaskhArabic-Regular``); ``glyph_ids`` maps one
such run onto an original font, as sets of candidate ids (glyphs with identical outlines and
advances cannot be told apart; a space and a no-break space, say).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont


@dataclass(frozen=True, slots=True)
class DrawnGlyphs:
    """The glyphs of one text-showing operator: the font's base name and, for each glyph, its
    id in the embedded font program and that program's fingerprint of it."""

    font: str
    glyphs: tuple[tuple[int, tuple[object, ...]], ...]


Fingerprint = tuple[object, ...]


def _fingerprint(font: TTFont, name: str) -> Fingerprint:
    glyf = font["glyf"]
    glyph = glyf[name]
    coords, ends, flags = glyph.getCoordinates(glyf)
    advance = font["hmtx"][name][0]
    return (advance, tuple(coords), tuple(ends), tuple(f & 1 for f in flags))


@cache
def _original(path: Path) -> dict[Fingerprint, frozenset[int]]:
    font = TTFont(path)
    order = font.getGlyphOrder()
    out: dict[Fingerprint, set[int]] = {}
    for gid, name in enumerate(order):
        out.setdefault(_fingerprint(font, name), set()).add(gid)
    return {k: frozenset(v) for k, v in out.items()}


def glyph_name(path: Path, gid: int) -> str:
    """The name of a glyph of a font file (fontTools' glyph order)."""
    return str(_order(path)[gid])


@cache
def _order(path: Path) -> list[str]:
    return list(TTFont(path).getGlyphOrder())


class _Program:
    """An embedded font program: code → (glyph id in the program, fingerprint)."""

    def __init__(self, font_dict: pikepdf.Object) -> None:
        self.two_byte = font_dict.get("/Subtype") == "/Type0"
        descriptor = (font_dict.DescendantFonts[0].FontDescriptor if self.two_byte
                      else font_dict.FontDescriptor)
        self.font = TTFont(io.BytesIO(bytes(descriptor.FontFile2.read_bytes())))
        self.order = self.font.getGlyphOrder()
        self.cmap: dict[int, str] = {}
        for table in self.font["cmap"].tables:
            for code, name in table.cmap.items():
                self.cmap.setdefault(code & 0xFF if table.platformID == 3 and
                                     table.platEncID == 0 else code, name)

    def glyph(self, code: int) -> tuple[int, Fingerprint]:
        name = self.order[code] if self.two_byte else self.cmap.get(code, self.order[0])
        return self.order.index(name), _fingerprint(self.font, name)


def _texts(operands: list[pikepdf.Object], operator: str) -> Iterator[bytes]:
    if operator == "TJ":
        for item in operands[0]:
            if isinstance(item, pikepdf.String):
                yield bytes(item)
    elif operator in ("Tj", "'"):
        yield bytes(operands[0])
    elif operator == '"':
        yield bytes(operands[2])


def drawn_glyphs(pdf_path: Path | str, page: int = 0) -> list[DrawnGlyphs]:
    """Every text-showing operator's glyphs on a page (content stream and form XObjects)."""
    out: list[DrawnGlyphs] = []
    with pikepdf.open(pdf_path) as pdf:
        _walk(pdf.pages[page].obj, out, {})
    return out


def _walk(holder: pikepdf.Object, out: list[DrawnGlyphs], programs: dict[str, _Program]) -> None:
    resources = holder.get("/Resources", pikepdf.Dictionary())
    fonts = resources.get("/Font", pikepdf.Dictionary())
    current: _Program | None = None
    current_name = ""
    for operands, operator in pikepdf.parse_content_stream(holder):
        op = str(operator)
        if op == "Tf":
            key = str(operands[0])
            font_dict = fonts[key]
            base = str(font_dict.BaseFont)[1:]
            if base not in programs:
                programs[base] = _Program(font_dict)
            current, current_name = programs[base], base
        elif op in ("Tj", "TJ", "'", '"') and current is not None:
            glyphs: list[tuple[int, Fingerprint]] = []
            for data in _texts(operands, op):
                if current.two_byte:
                    codes = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]
                else:
                    codes = list(data)
                glyphs.extend(current.glyph(c) for c in codes)
            out.append(DrawnGlyphs(current_name, tuple(glyphs)))
        elif op == "Do":
            xobject = resources.XObject[str(operands[0])]
            if xobject.get("/Subtype") == "/Form":
                _walk(xobject, out, programs)


def glyph_ids(run: DrawnGlyphs, font_file: Path) -> list[frozenset[int]]:
    """Each glyph of a drawn run as the ids it may be in the original font file (one id, but
    for glyphs drawn identically); an empty set: a glyph the font file does not have."""
    table = _original(font_file)
    return [table.get(fp, frozenset()) for _, fp in run.glyphs]


def same_glyphs(drawn: list[frozenset[int]], expected: list[int]) -> bool:
    """Whether a drawn glyph sequence is the expected ids (each among its candidates)."""
    return len(drawn) == len(expected) and all(g in d for d, g in zip(drawn, expected,
                                                                       strict=True))
