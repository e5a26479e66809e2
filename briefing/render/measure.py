"""How wide text is: one width function per run (a font at a size), cached.

Everything the line breaker measures goes through ``run_measure(font, size)``: a ``Measure``
whose ``width(text)`` is the advance of the text in points. A later shaping layer (HarfBuzz,
for scripts whose glyphs depend on their neighbours) serves the same interface with shaped
advances; only this module would change.

Widths of short strings are remembered per run (words repeat: "de", "la", "the"...); long
strings are measured without being stored, so a pasted 100 KB token costs linear memory.
``advances`` gives the width of each character of a string, for breaking inside tokens too long
for a line: with reportlab's fonts (no kerning) the width of a string is the sum of its
characters' widths, so prefix sums of ``advances`` give the width of any head of the string.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from reportlab.pdfbase.pdfmetrics import getFont

#: Strings longer than this are measured but not remembered.
CACHED_LENGTH = 64
#: Entries kept per run before the run's memory is cleared (bounded memory per process).
CACHED_ENTRIES = 50_000


class Measure:
    """The width function of one run: a font at a size."""

    __slots__ = ("_chars", "_font", "_widths", "font_name", "size")

    def __init__(self, font_name: str, size: float) -> None:
        self.font_name = font_name
        self.size = size
        self._font = getFont(font_name)
        self._widths: dict[str, float] = {}
        self._chars: dict[str, float] = {}

    def width(self, text: str) -> float:
        """The advance of ``text`` in points."""
        widths = self._widths
        found = widths.get(text)
        if found is not None:
            return found
        value: float = self._font.stringWidth(text, self.size)
        if len(text) <= CACHED_LENGTH:
            if len(widths) >= CACHED_ENTRIES:
                widths.clear()
            widths[text] = value
        return value

    def advances(self, text: str) -> list[float]:
        """The advance of each character of ``text``, in order."""
        chars = self._chars
        out: list[float] = []
        append = out.append
        for char in text:
            found = chars.get(char)
            if found is None:
                found = chars[char] = self._font.stringWidth(char, self.size)
            append(found)
        return out


#: Fonts measured otherwise (a script font, through HarfBuzz: ``shaped.ShapedWidths``).
_SERVED: dict[str, Callable[[str, float], Measure]] = {}


def serve(font_name: str, factory: Callable[[str, float], Measure]) -> None:
    """Measure a font with ``factory(font_name, size)`` from now on (said before its first
    measure)."""
    _SERVED[font_name] = factory
    run_measure.cache_clear()


@cache
def run_measure(font_name: str, size: float) -> Measure:
    """The cached width function of a font (a registered reportlab name) at a size."""
    factory = _SERVED.get(font_name)
    return Measure(font_name, size) if factory is None else factory(font_name, size)


def text_width(text: str, font_name: str, size: float) -> float:
    """Shorthand: the width of ``text`` set in ``font_name`` at ``size``."""
    return run_measure(font_name, size).width(text)
