"""One line of page furniture (running header, footer, folio): drawn straight in its face when
the face has every character, else set like the body, through the markup writer (a font per
script, fallback fonts, shaping, the bidirectional algorithm) as a one-line paragraph.

Characters no font has are collected by the same writer as the body's, so the build's warning
names them and where they are ("the page footer"), as it does for the text.
"""

from __future__ import annotations

from typing import Any, Literal

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefing.pdf.compat import line_width_max
from briefing.render.fonts import RegisteredFont
from briefing.render.markup import MarkupWriter
from briefing.render.paragraph import FitParagraph
from briefing.render.story import Direction, base_direction

#: Wider than any page: a furniture line is never broken.
_UNBROKEN = 100_000.0


class LineSetter:
    """Sets lines of one face and size for the page furniture of one document."""

    def __init__(self, writer: MarkupWriter, face: RegisteredFont, bold: bool, size: float,
                 color: str, direction: Direction, where: str) -> None:
        self.writer, self.face, self.bold, self.size = writer, face, bold, size
        self.color, self.direction, self.where = color, direction, where
        self._set: dict[str, tuple[Any, float]] = {}
        self._fitted: dict[tuple[str, float], str] = {}

    def plain(self, text: str) -> bool:
        """Whether the face sets the text alone, left to right (no shaping, no reordering)."""
        return self.direction == "ltr" and set(map(ord, text)) <= self.face.charset

    def width(self, text: str) -> float:
        if self.plain(text):
            return float(stringWidth(text, self.face.name, self.size))
        return self._paragraph(text)[1]

    def _paragraph(self, text: str) -> tuple[Any, float]:
        found = self._set.get(text)
        if found is None:
            self.writer.shaped = False
            markup = self.writer.text(text, self.face, self.size, self.where, bold=self.bold)
            style = ParagraphStyle("furniture", fontName=self.face.name, fontSize=self.size,
                                   leading=self.size * 1.2, textColor=HexColor(self.color))
            para = FitParagraph(markup, style)
            if self.writer.shaped or self.direction == "rtl":
                para.bidi = base_direction(text, self.direction)
            para.wrap(_UNBROKEN, _UNBROKEN)
            found = self._set[text] = (para, line_width_max(para))
        return found

    def draw(self, canv: Any, text: str, x: float, y: float,
             align: Literal["left", "right"] = "left") -> None:
        """Draw ``text`` with its baseline at ``y``, starting at ``x`` (``align="left"``) or
        ending there (``"right"``)."""
        if not text:
            return
        if self.plain(text):
            canv.setFont(self.face.name, self.size)
            canv.setFillColor(HexColor(self.color))
            if align == "right":
                canv.drawRightString(x, y, text)
            else:
                canv.drawString(x, y, text)
            return
        para, width = self._paragraph(text)
        line = para.blPara.lines[0]
        ascent = getattr(line, "ascent", self.size)
        left = x - width if align == "right" else x
        # reportlab puts the first baseline ``ascent`` below the paragraph's top.
        para.drawOn(canv, left, y - para.height + ascent)

    def fit(self, text: str, max_width: float) -> str:
        """``text``, cut at a word and ended with an ellipsis when wider than ``max_width``
        (remembered: the header asks again on every page)."""
        key = (text, max_width)
        found = self._fitted.get(key)
        if found is None:
            found = self._fitted[key] = self._fit(text, max_width)
        return found

    def _fit(self, text: str, max_width: float) -> str:
        if self.width(text) <= max_width:
            return text
        # Binary search for the longest head that fits: a pasted paragraph as the title would
        # otherwise cost a measure per character on every page (quadratic).
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid] + "…") <= max_width:
                lo = mid
            else:
                hi = mid - 1
        # Back off to a word boundary: "…des vidéos…", never "…des vidé…".
        cut = text[:lo]
        if " " in cut.strip() and lo < len(text) and text[lo] != " ":
            cut = cut[: cut.rstrip().rfind(" ")]
        return cut.rstrip(" ,;:.·–—-،") + "…"
