"""Shaping (HarfBuzz) and the bidirectional algorithm (python-bidi), for the scripts that need
them: Arabic, Persian and Urdu (joined letters, ligatures, right to left), Hebrew (right to
left), Devanagari (conjuncts, reordered vowel signs, reph).

- ``shape(text, font, size, direction)``: HarfBuzz's glyphs for one run (one font, one script,
  one direction): glyph ids, the character each comes from (``cluster``), advances and offsets
  in points. Glyphs come in visual order, as HarfBuzz gives them (right to left runs reversed).
- ``ShapedMeasure``: the width function of one run, with the ``width(text)`` and
  ``advances(text)`` of the paragraph breaker's measure (``render.measure``), serving shaped
  advances: a line breaker measures Arabic and Devanagari through it as it measures Latin.
- ``bidi_levels(text, base)``: the embedding level of each character (UAX #9: even left to
  right, odd right to left); ``visual_runs(levels, boundaries)``: a line's runs in the order they
  are drawn, left to right, with their direction (rule L2), split where the levels change and
  at the given boundaries (the font runs of ``typography.scripts.font_runs``).

uharfbuzz and python-bidi come with ``briefing[scripts]``; they are imported the first time a
text needs them, with a one-line error naming the extra when they are missing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from briefing.extras import require

Direction = Literal["ltr", "rtl"]

#: HarfBuzz's default features (kerning, standard ligatures, and each script's required ones)
#: are what typographers expect; reportlab's own shaping adds discretionary ligatures.
REPORTLAB_FEATURES = {"kern": True, "liga": True, "dlig": True}


def _hb() -> Any:
    return require("uharfbuzz", "setting Arabic, Hebrew or Devanagari text")


def _bidi() -> Any:
    return require("bidi", "setting right-to-left text")


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph of a shaped run: its id in the font, the index of the character it comes from
    in the run's text, and its advance and offsets in points."""

    gid: int
    cluster: int
    x_advance: float
    x_offset: float = 0.0
    y_offset: float = 0.0


@dataclass(frozen=True, slots=True)
class ShapedRun:
    """A run after shaping: glyphs in visual order, and its width in points."""

    text: str
    direction: Direction
    glyphs: tuple[Glyph, ...]

    @property
    def width(self) -> float:
        return sum(g.x_advance for g in self.glyphs)

    @property
    def gids(self) -> tuple[int, ...]:
        return tuple(g.gid for g in self.glyphs)


class HbFont:
    """A font file opened for HarfBuzz once (the face and its units per em)."""

    def __init__(self, data: bytes, index: int = 0) -> None:
        hb = _hb()
        self.face = hb.Face(hb.Blob(data), index)
        self.font = hb.Font(self.face)
        self.upem: int = self.face.upem
        self.lock = threading.Lock()

    def glyph_name(self, gid: int) -> str:
        name: str = self.font.glyph_to_string(gid)
        return name


@cache
def hb_font(path: Path, index: int = 0) -> HbFont:
    """The HarfBuzz font of a font file (cached per file)."""
    return HbFont(path.read_bytes(), index)


def shape(text: str, font: HbFont | Path, size: float, direction: Direction | None = None, *,
          script: str | None = None, language: str | None = None,
          features: dict[str, bool] | None = None) -> ShapedRun:
    """HarfBuzz's shaping of one run of text in one font at a size (points).

    ``direction``, ``script`` (ISO 15924, "Arab") and ``language`` (BCP 47, "ur") are guessed
    from the text when not given, as HarfBuzz does.
    """
    hb = _hb()
    face = hb_font(font) if isinstance(font, Path) else font
    buf = hb.Buffer()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    if direction is not None:
        buf.direction = direction
    if script is not None:
        buf.script = script
    if language is not None:
        buf.language = language
    with face.lock:
        hb.shape(face.font, buf, features or {})
        infos, positions = buf.glyph_infos, buf.glyph_positions
        scale = size / face.upem
        glyphs = tuple(
            Glyph(info.codepoint, info.cluster, pos.x_advance * scale, pos.x_offset * scale,
                  pos.y_offset * scale)
            for info, pos in zip(infos, positions, strict=True)
        )
        resolved: Direction = "rtl" if buf.direction == "rtl" else "ltr"
    return ShapedRun(text, resolved, glyphs)


class ShapedMeasure:
    """The width function of one shaped run (a font at a size, in a direction): the interface
    of the paragraph breaker's ``Measure``, with HarfBuzz's advances.

    ``advances(text)`` gives each character the advance of the glyphs of its cluster (the
    first character of a cluster carries it, the others 0), so the width of a head of the text
    that ends on a cluster boundary is the sum of its advances.
    """

    __slots__ = ("_cache", "direction", "font", "size")

    def __init__(self, font: HbFont | Path, size: float, direction: Direction | None = None
                 ) -> None:
        self.font = hb_font(font) if isinstance(font, Path) else font
        self.size = size
        self.direction = direction
        self._cache: dict[str, float] = {}

    def width(self, text: str) -> float:
        found = self._cache.get(text)
        if found is None:
            found = shape(text, self.font, self.size, self.direction).width
            if len(text) <= 64:
                if len(self._cache) > 50_000:
                    self._cache.clear()
                self._cache[text] = found
        return found

    def advances(self, text: str) -> list[float]:
        out = [0.0] * len(text)
        for glyph in shape(text, self.font, self.size, self.direction).glyphs:
            out[glyph.cluster] += glyph.x_advance
        return out


# --- the bidirectional algorithm ----------------------------------------------------------------

_LEVELS = re.compile(r"levels:\s*\[(.*?)\]\s*,\s*paragraphs", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+)\s*,?\s*\)")


def bidi_levels(text: str, base: Direction | None = None) -> list[int]:
    """The resolved embedding level of each character of a paragraph (UAX #9, rules up to I2:
    bracket pairs and isolates included), with the base direction given or found from the
    first strong character."""
    if not text:
        return []
    bidi = _bidi()
    base_dir = None if base is None else ("R" if base == "rtl" else "L")
    levels, agreed = _levels_from_debug(bidi, text, base_dir)
    if agreed and levels is not None:
        return levels
    try:
        return _levels_pure_python(text, base_dir)
    except AssertionError:
        # The Python implementation refuses some characters (U+0600, the Arabic number sign,
        # in a right-to-left paragraph): the Rust levels then, else the base level throughout.
        if levels is not None:
            return levels
        return [0 if base_dir == "L" or (base_dir is None and _first_strong_ltr(text)) else 1
                ] * len(text)


def _first_strong_ltr(text: str) -> bool:
    from bidi import algorithm  # python-bidi's Python implementation

    return bool(algorithm.get_base_level(text) == 0)


def _levels_from_debug(bidi: Any, text: str,
                       base_dir: str | None) -> tuple[list[int] | None, bool]:
    """The levels of python-bidi's Rust implementation, read from its debug output (levels of
    UTF-8 bytes), and whether they agree with its own visual string (None: not read)."""
    info = str(bidi.get_display(text, base_dir=base_dir, debug=True))
    found = _LEVELS.search(info)
    if not found:
        return None, False
    by_byte = [int(n) for n in _LEVEL.findall(found.group(1))]
    if len(by_byte) != len(text.encode("utf-8")):
        return None, False
    levels: list[int] = []
    offset = 0
    for char in text:
        levels.append(by_byte[offset])
        offset += len(char.encode("utf-8"))
    return levels, _display(text, levels) == bidi.get_display(text, base_dir=base_dir)


def _levels_pure_python(text: str, base_dir: str | None) -> list[int]:
    from bidi import algorithm  # python-bidi's Python implementation (no isolates)

    storage = algorithm.get_empty_storage()
    level = algorithm.get_base_level(text) if base_dir is None else (1 if base_dir == "R" else 0)
    storage["base_level"] = level
    storage["base_dir"] = ("L", "R")[level]
    algorithm.get_embedding_levels(text, storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    return [int(c["level"]) for c in storage["chars"]]


def _display(text: str, levels: Sequence[int]) -> str:
    """The visual string of a one-line paragraph from its levels (L1 for trailing spaces
    aside), mirrored characters swapped: to check levels against python-bidi's own."""
    from bidi.mirror import MIRRORED

    order = visual_order(levels)
    return "".join(MIRRORED.get(text[i], text[i]) if levels[i] % 2 else text[i] for i in order)


def visual_order(levels: Sequence[int]) -> list[int]:
    """The logical indices in visual order, left to right (rule L2)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(levels) | 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


@dataclass(frozen=True, slots=True)
class BidiRun:
    """``text[start:end]`` at one embedding level: drawn right to left when ``rtl``."""

    start: int
    end: int
    level: int

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


def visual_runs(levels: Sequence[int], boundaries: Iterable[int] = (), start: int = 0,
                end: int | None = None) -> list[BidiRun]:
    """The runs of a line (``levels[start:end]``) in the order they are drawn, left to right.

    A run is a maximal stretch of one level not crossing any of ``boundaries`` (offsets where
    the font or script changes). Within a right-to-left run the characters are drawn right to
    left: shaping such a run in direction ``rtl`` gives its glyphs in drawing order.
    """
    stop = len(levels) if end is None else end
    if stop <= start:
        return []
    cuts = {b for b in boundaries if start < b < stop}
    runs: list[BidiRun] = []
    first = start
    for i in range(start + 1, stop + 1):
        if i == stop or levels[i] != levels[first] or i in cuts:
            runs.append(BidiRun(first, i, levels[first]))
            first = i
    order = visual_order([r.level for r in runs])
    return [runs[i] for i in order]
