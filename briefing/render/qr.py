"""The QR code to the source: reportlab's own QR widget, so a reader of the paper copy finds
the original.

Two places, chosen by the theme's ``[qr] position``:
- ``masthead``: at the far right of the page-1 masthead, on a white tile (the quiet zone that
  scanners need, also on a coloured band);
- ``footer``: in the bottom right corner of page 1, beside the running footer. It is a story
  flowable that takes no room in the text and draws at that fixed place, so it keeps its
  structure node (a Figure whose alternative text names the URL) while sitting in the margin.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from briefing.render.structure import StructNode
from briefing.render.tagging import TaggedBlock

#: The room a label takes under the code, times its size.
LABEL_GAP = 1.35
#: Modules of white around the code: the QR specification asks for four.
QUIET_ZONE = 4


#: The longest address a QR code holds (UTF-8 bytes), at the error correction used here
#: (level M, the largest version, 177 × 177 modules; reportlab's encoder fits 2,213).
QR_MAX_BYTES = 2200


def web_address(source: str | None) -> str | None:
    """The source if it is an http(s) address with a host, else None."""
    if not source:
        return None
    parts = urlsplit(source.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return source.strip()


def qr_url(source: str | None) -> str | None:
    """The URL a QR code may point to: only http(s) sources with a host, short enough to be
    encoded (``QR_MAX_BYTES``; a longer one gets no QR code, and a warning: ``qr_warning``)."""
    url = web_address(source)
    return url if url is not None and len(url.encode("utf-8")) <= QR_MAX_BYTES else None


def qr_warning(source: str | None) -> str | None:
    """The warning for a web address too long for a QR code, or None."""
    url = web_address(source)
    if url is None or qr_url(url) is not None:
        return None
    return (f"the source address is {len(url.encode('utf-8')):,} bytes long, too long for a "
            f"QR code (at most {QR_MAX_BYTES:,}); the QR code is left out")


def qr_alt(url: str) -> str:
    """The alternative text of the QR code's Figure element."""
    return f"QR code: {url}"


class QrCode(TaggedBlock, Flowable):  # type: ignore[misc]
    """A square QR code of ``size`` points, quiet zone included, on an optional white tile."""

    def __init__(self, url: str, size: float, *, color: str = "#000000", tile: bool = True,
                 struct: StructNode | None = None,
                 label: tuple[str, str, float, str] | None = None,
                 label_line: Any | None = None) -> None:
        super().__init__()
        self.url = url
        self.size = size  # the code's side, quiet zone included
        self.width = self.height = size
        self.color = color
        self.tile = tile
        self.struct = struct
        # A word or two under the code ("En ligne"): text, font, size, colour.
        self.label = label
        # Sets the label when its face lacks its characters or it runs right to left (a
        # ``oneline.LineSetter``: a font per script, shaping, bidi), as the footer is set.
        self.label_line = label_line
        if label is not None:
            self.height = size + LABEL_GAP * label[2]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def drawing(self) -> Drawing:
        # Imported here: the barcode package is slow to load and most briefings have no QR code.
        from reportlab.graphics.barcode.qr import QrCodeWidget

        widget = QrCodeWidget(self.url, barLevel="M", barBorder=QUIET_ZONE)
        widget.barFillColor = HexColor(self.color)
        widget.barStrokeColor = HexColor(self.color)
        x0, _, x1, _ = widget.getBounds()
        scale = self.size / (x1 - x0)
        drawing = Drawing(self.size, self.size, transform=[scale, 0, 0, scale, 0, 0])
        drawing.add(widget)
        return drawing

    def draw(self) -> None:
        canv = self.canv
        base = self.height - self.size  # the label's room under the code
        if self.tile:
            canv.saveState()
            canv.setFillColor(HexColor("#FFFFFF"))
            canv.rect(0, base, self.size, self.size, stroke=0, fill=1)
            canv.restoreState()
        renderPDF.draw(self.drawing(), canv, 0, base)
        if self.label is not None:
            text, font, size, color = self.label
            if self.label_line is not None and not self.label_line.plain(text):
                width = self.label_line.width(text)
                self.label_line.draw(canv, text, (self.size - width) / 2, 0.25 * size)
                return
            canv.saveState()
            canv.setFillColor(HexColor(color))
            canv.setFont(font, size)
            canv.drawCentredString(self.size / 2, 0.25 * size, text)
            canv.restoreState()


class Anchored(Flowable):  # type: ignore[misc]
    """A flowable drawn at a fixed place of the page, taking no room in the frame.

    ``x``, ``y``: the lower left corner, in page coordinates. Its structure node is the inner
    flowable's, so it is read where it stands in the story.
    """

    def __init__(self, inner: Any, x: float, y: float) -> None:
        super().__init__()
        self.inner = inner
        self.x = x
        self.y = y
        self.struct = getattr(inner, "struct", None)
        self._at = (0.0, 0.0)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.inner.wrapOn(self.canv, self.inner.width, self.inner.height)
        return 0, 0

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self._at = (x, y)
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        x, y = self._at
        self.inner.drawOn(self.canv, self.x - x, self.y - y)
