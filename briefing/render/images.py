"""Images: logos (SVG through svglib, PNG, JPEG) and the images a source names.

A source may only name images inside its own folder or the assets folder: no ``..`` escape,
no absolute path elsewhere, no network.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import reportlab
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from briefing.cache import cached
from briefing.errors import SourceError, ThemeError
from briefing.files import file_state
from briefing.render.drawings import DRAWING
from briefing.render.tagging import TaggedBlock

RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")


def _svg_drawing(path: Path) -> Drawing:
    # Keyed on the file's state, so an edited image is read again.
    return _svg_drawing_at(path, file_state(path))


@cache
def _svg_drawing_at(path: Path, stamp: tuple[int, int]) -> Drawing:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ThemeError(f"{path}: cannot be read ({exc.strerror})") from None
    # Parsed once and cached on disk: importing svglib and parsing cost a sixth of a cold build.
    # The entry describes reportlab shapes: it is keyed by reportlab's version and the SVG's bytes.
    drawing = cached("svg", f"reportlab-{reportlab.Version}".encode() + b"\0" + data,
                     lambda: _parse_svg(path), DRAWING)
    return drawing


def _parse_svg(path: Path) -> Drawing:
    from svglib.svglib import svg2rlg  # svglib is slow to import; only SVG images need it

    try:
        drawing = svg2rlg(str(path))
    except Exception as exc:  # svglib raises many kinds on bad files
        raise ThemeError(f"{path}: not a readable SVG image ({exc})") from None
    if drawing is None or not drawing.width or not drawing.height:
        raise ThemeError(f"{path}: not a readable SVG image")
    return drawing


def _raster_size(path: Path) -> tuple[int, int]:
    return _raster_size_at(path, file_state(path))


@cache
def _raster_size_at(path: Path, stamp: tuple[int, int]) -> tuple[int, int]:
    try:
        reader = ImageReader(str(path))
        width, height = reader.getSize()
    except Exception as exc:  # PIL raises many kinds on bad files
        raise ThemeError(f"{path}: not a readable image ({exc})") from None
    return int(width), int(height)


def image_size(path: Path) -> tuple[float, float]:
    """Natural size of an image in points (pixels are taken as points for rasters)."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        drawing = _svg_drawing(path)
        return float(drawing.width), float(drawing.height)
    if suffix in RASTER_SUFFIXES:
        w, h = _raster_size(path)
        return float(w), float(h)
    raise ThemeError(f"{path}: unsupported image type; use PNG, JPEG or SVG")


class Picture(TaggedBlock, Flowable):  # type: ignore[misc]
    """An image scaled to a given size, keeping its aspect ratio (a Figure when tagged)."""

    def __init__(self, path: Path, width: float, height: float) -> None:
        super().__init__()
        self.path = path
        self.width = width
        self.height = height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if self.path.suffix.lower() == ".svg":
            # Scaled by the canvas, so the cached drawing is shared, never copied or changed.
            drawing = _svg_drawing(self.path)
            self.canv.saveState()
            self.canv.scale(self.width / drawing.width, self.height / drawing.height)
            renderPDF.draw(drawing, self.canv, 0, 0)
            self.canv.restoreState()
        else:
            self.canv.drawImage(
                str(self.path), 0, 0, self.width, self.height, mask="auto",
                preserveAspectRatio=True,
            )


def picture(path: Path, *, height: float | None = None, max_width: float | None = None,
            max_height: float | None = None) -> Picture:
    """A Picture at a height, or fitted inside a box, keeping the aspect ratio."""
    w, h = image_size(path)
    if height is not None:
        return Picture(path, w * height / h, height)
    scale = 1.0
    if max_width is not None and w > max_width:
        scale = max_width / w
    if max_height is not None and h * scale > max_height:
        scale = max_height / h
    return Picture(path, w * scale, h * scale)


def resolve_source_image(src: str, base_dir: Path, assets: Path, where: str) -> Path:
    """The file a source's image names, only inside the source's folder or the assets."""
    if "://" in src or src.startswith("//"):
        raise SourceError(f"{where}: image {src!r}: only local images are allowed, not URLs")
    relative = Path(src)
    if relative.is_absolute() or ".." in relative.parts:
        raise SourceError(
            f"{where}: image {src!r}: give a path inside the source's folder, without '..'"
        )
    outside = False
    for root in (base_dir, assets):
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root.resolve()):
            outside = outside or candidate.is_file()  # a link that leads out of the folder
            continue
        if candidate.is_file():
            if candidate.suffix.lower() not in (*RASTER_SUFFIXES, ".svg"):
                raise SourceError(f"{where}: image {src!r}: use PNG, JPEG or SVG")
            return candidate
    if outside:
        raise SourceError(f"{where}: image {src!r} leads outside {base_dir} (a link?); "
                          "copy the image into the source's folder")
    raise SourceError(f"{where}: image {src!r} not found in {base_dir}")


def draw_drawing(drawing: Any, canv: Any, x: float, y: float) -> None:
    """Draw a reportlab Drawing (used for the QR code)."""
    renderPDF.draw(drawing, canv, x, y)
