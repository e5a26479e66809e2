"""Images: logos (SVG through svglib, PNG, JPEG) and the images a source names.

Every image goes through the path policy (``briefing.paths``):

- a source names images inside its own folder or the assets: no ``..`` escape, no absolute
  path elsewhere, no network;
- every reference *inside* an SVG (``<image>``, ``<use>``, in nested SVGs too) must stay in
  that SVG's own folder; all of them are checked before svglib reads anything;
- files are regular and bounded (``paths.LIMITS``); a raster has at most ``MAX_PIXELS``
  pixels (memory per image is bounded: about 17 bytes a pixel while it is embedded); an
  SVG's size and coordinates are finite and at most ``MAX_SVG_EXTENT`` points;
- text in an SVG is set in the theme's fonts, never in a base-14 font: svglib is told that
  every family is a base-14 one (no system font is ever looked up), and each is replaced by
  the theme's face when drawn (Helvetica-like: heading, Times-like: body, Courier-like: mono).

A broken image is one error naming the file, never a library's message.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import io
import math
import re
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import reportlab
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.platypus import Flowable

from briefing.cache import cached, lookup
from briefing.errors import SourceError, ThemeError
from briefing.files import FileState, file_state
from briefing.paths import LIMITS, Scope, check_file, read_bytes
from briefing.pdf.compat import set_svg_font_map
from briefing.render.drawings import DRAWING
from briefing.render.tagging import TaggedBlock

RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")
#: The most pixels of one raster image: 25 megapixels (a 24-megapixel camera's photo), far
#: more than a page printed at 300 dpi needs (about 2,500 × 3,500).
MAX_PIXELS = 25_000_000
#: The largest width, height or coordinate of an SVG drawing, in points (5 metres).
MAX_SVG_EXTENT = 14_400.0
#: How deep SVGs may refer to other SVGs.
MAX_SVG_NESTING = 8

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_DATA_IMAGE = re.compile(r"^data:image/(jpe?g|png);base64,?", re.IGNORECASE)


# --- rasters ------------------------------------------------------------------------------


def _raster_size(path: Path) -> tuple[int, int]:
    return _raster_size_at(path, file_state(path))


@cache
def _raster_size_at(path: Path, stamp: tuple[int, int]) -> tuple[int, int]:
    check_file(path, what="image", limit=LIMITS["image"], error=ThemeError)
    try:
        with open(path, "rb") as handle:
            return _check_raster(handle, str(path))
    except OSError as exc:
        raise ThemeError(f"{path}: cannot be read ({exc.strerror})") from None


def _check_raster(handle: Any, name: str) -> tuple[int, int]:
    """The pixel size of a PNG or JPEG image, once it is known to be readable and within
    ``MAX_PIXELS``; otherwise one clear error naming it."""
    from PIL import Image as PILImage

    limit = f"{MAX_PIXELS / 1e6:g} megapixels"
    try:
        with warnings.catch_warnings():
            # A huge image is refused here, never announced by a raw library warning.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(handle) as image:
                kind, (width, height) = image.format, image.size
                if kind not in ("PNG", "JPEG", "MPO"):
                    raise ThemeError(f"{name}: is a {kind or 'different'} image; use PNG, "
                                     "JPEG or SVG")
                if width * height > MAX_PIXELS:
                    raise ThemeError(
                        f"{name}: {width} × {height} pixels ({width * height / 1e6:.0f} "
                        f"megapixels), more than the limit of {limit}; scale it down (a "
                        "page-wide image printed at 300 dpi needs about 2,500 pixels across)")
                if kind == "PNG":
                    image.verify()  # every chunk there, checksums right: not truncated
                else:
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    image.load()  # decoded at an eighth of its size: cheap, and complete
    except ThemeError:
        raise
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
        raise ThemeError(f"{name}: more than the limit of {limit}; scale it down") from None
    except Exception:  # PIL raises many kinds on damaged files
        raise ThemeError(f"{name}: not a readable PNG or JPEG image (damaged, or another "
                         "kind of file); open it in an image editor and save it again") from None
    return int(width), int(height)


# --- SVG ----------------------------------------------------------------------------------


def _svg_drawing(path: Path) -> Drawing:
    # Keyed on the file's state, so an edited image is read again.
    return _svg_drawing_at(path, file_state(path))


@cache
def _svg_drawing_at(path: Path, stamp: tuple[int, int]) -> Drawing:
    data = read_bytes(path, limit=LIMITS["svg"], what="SVG", error=ThemeError)
    # Parsed once and cached on disk: importing svglib and parsing cost a sixth of a cold build.
    # The entry describes reportlab shapes: it is keyed by reportlab's version and the SVG's bytes.
    key = f"reportlab-{reportlab.Version}\0fonts-1".encode() + b"\0" + data
    # Only an SVG that refers to no other file is stored, and these bytes were checked when
    # it was: found, they need no check again (which would load lxml).
    found = lookup("svg", key, DRAWING)
    if found is not None:
        return found
    references = _svg_references(path, data)
    if references:  # the drawing depends on other files: parsed afresh, never cached
        return _parse_svg(path, data)
    drawing = cached("svg", key, lambda: _parse_svg(path, data), DRAWING)
    return drawing


@cache
def svg_references(path: Path) -> tuple[Path, ...]:
    """The files an SVG refers to (``<image>``, ``<use>``, nested ones too), all checked."""
    data = read_bytes(path, limit=LIMITS["svg"], what="SVG", error=ThemeError)
    return tuple(_svg_references(path, data))


def _svg_references(path: Path, data: bytes, chain: tuple[Path, ...] = ()) -> list[Path]:
    """Check every reference of an SVG through the path policy, before svglib follows any:
    each stays in the SVG's folder, is a regular file within bounds, and nested SVGs are
    checked the same way. Embedded ``data:`` images are checked for their pixels."""
    from lxml import etree

    if len(chain) > MAX_SVG_NESTING:
        raise ThemeError(f"{path}: SVGs refer to each other more than {MAX_SVG_NESTING} "
                         "levels deep")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             recover=True, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise ThemeError(f"{path}: not a readable SVG image")
    scope = Scope.of(path.parent)
    found: list[Path] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).localname not in (
                "image", "use"):
            continue
        href = (element.get(_XLINK_HREF) or element.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        embedded = _DATA_IMAGE.match(href)
        if embedded:
            _check_embedded(href[embedded.end():], path)
            continue
        iri = href.split("#", 1)[0]
        target = scope.reach(iri, what="reference", where=str(path), relative_to=path.parent,
                             error=ThemeError, suffixes=(*RASTER_SUFFIXES, ".svg"))
        if target in found:
            continue
        found.append(target)
        if target.suffix.lower() == ".svg":
            if target in chain or target == path:
                continue  # svglib refuses circles itself
            nested = read_bytes(target, limit=LIMITS["svg"], what="SVG", error=ThemeError)
            found += _svg_references(target, nested, (*chain, path))
        else:
            _raster_size(target)
    return found


def _check_embedded(payload: str, path: Path) -> None:
    try:
        raw = base64.b64decode(payload.strip(), validate=False)
    except (binascii.Error, ValueError):
        raise ThemeError(f"{path}: an embedded image is not valid base64") from None
    _check_raster(io.BytesIO(raw), f"{path}: an embedded image")


def _parse_svg(path: Path, data: bytes) -> Drawing:
    from svglib.svglib import SvgRenderer, load_svg_file

    _no_system_fonts()
    try:
        root = load_svg_file(io.BytesIO(data))
        drawing = None
        if root is not None:
            renderer = SvgRenderer(str(path), font_map=_marker_fonts(),
                                   external_reference_root=str(path.resolve().parent))
            drawing = renderer.render(root)
    except Exception:  # svglib raises many kinds on bad files
        raise ThemeError(f"{path}: not a readable SVG image (check that it opens in a "
                         "browser)") from None
    if drawing is None or not drawing.width or not drawing.height:
        raise ThemeError(f"{path}: not a readable SVG image")
    _check_extent(drawing, path)
    return drawing


def _check_extent(drawing: Drawing, path: Path) -> None:
    """An SVG's size and coordinates: finite, and within ``MAX_SVG_EXTENT`` points."""
    width, height = float(drawing.width), float(drawing.height)
    sized = all(math.isfinite(v) and 0 < v <= MAX_SVG_EXTENT for v in (width, height))
    try:
        bounds = drawing.getBounds()
    except Exception:  # a drawing reportlab cannot measure: its size says enough
        bounds = None
    inside = bounds is None or all(math.isfinite(v) and abs(v) <= 10 * MAX_SVG_EXTENT
                                   for v in bounds)
    if not (sized and inside):
        raise ThemeError(
            f"{path}: the SVG's size or coordinates are out of range (at most "
            f"{MAX_SVG_EXTENT:g} points); check its width, height and viewBox")


@cache
def _marker_fonts() -> Any:
    """svglib's font map: every family is a base-14 font, as a marker of its kind, so that
    svglib never looks up or registers a font of the system."""
    from svglib.fonts import FontMap

    class MarkerFonts(FontMap):
        def find_font(self, font_name: str, weight: str = "normal",
                      style: str = "normal") -> tuple[str, bool]:
            return _marker(font_name, weight, style), True

    return MarkerFonts()


def _no_system_fonts() -> None:
    """Nested SVGs get svglib's global font map: it is the marker map too."""
    set_svg_font_map(_marker_fonts())


_MONO = re.compile(r"mono|courier|consol|code|menlo", re.IGNORECASE)
_SERIF = re.compile(r"(?<!sans-)serif|times|georgia|garamond|roman|book", re.IGNORECASE)
_BASE14 = {
    ("Courier", False, False): "Courier", ("Courier", True, False): "Courier-Bold",
    ("Courier", False, True): "Courier-Oblique", ("Courier", True, True): "Courier-BoldOblique",
    ("Times", False, False): "Times-Roman", ("Times", True, False): "Times-Bold",
    ("Times", False, True): "Times-Italic", ("Times", True, True): "Times-BoldItalic",
    ("Helvetica", False, False): "Helvetica", ("Helvetica", True, False): "Helvetica-Bold",
    ("Helvetica", False, True): "Helvetica-Oblique",
    ("Helvetica", True, True): "Helvetica-BoldOblique",
}
#: What each base-14 marker stands for in a theme: (font role, weight).
SVG_FACES = {
    name: ({"Courier": "mono", "Times": "body", "Helvetica": "heading"}[family],
           "bold_italic" if bold and italic else "bold" if bold else "italic" if italic
           else "regular")
    for (family, bold, italic), name in _BASE14.items()
}


def _marker(family: str, weight: str, style: str) -> str:
    kind = "Courier" if _MONO.search(family) else "Times" if _SERIF.search(family) else "Helvetica"
    text = str(weight).strip().lower()
    bold = text in ("bold", "bolder") or (text.isdigit() and int(text) >= 600)
    italic = str(style).strip().lower() in ("italic", "oblique")
    return _BASE14[(kind, bold, italic)]


def _strings(group: Group) -> list[String]:
    out: list[String] = []
    stack: list[Any] = [group]
    while stack:
        node = stack.pop()
        if isinstance(node, String):
            out.append(node)
        elif isinstance(node, Group):
            stack.extend(node.contents)
    return out


def themed(drawing: Drawing, face: Callable[[str, str], str] | None) -> Drawing:
    """The drawing with its text set in the theme's faces (``face(role, weight)`` gives a
    registered font name); the drawing itself (cached, shared) is left as it is."""
    if face is None or not _strings(drawing):
        return drawing
    copied = copy.deepcopy(drawing)
    for string in _strings(copied):
        role, weight = SVG_FACES.get(str(string.fontName), ("heading", "regular"))
        string.fontName = face(role, weight)
    return copied


#: The least effective resolution of a raster image on the page (pixels per inch).
MIN_PPI = 150


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
    """An image scaled to a given size, keeping its aspect ratio (a Figure when tagged).

    ``face(role, weight)``: the registered font of a theme face, for text in an SVG.
    """

    def __init__(self, path: Path, width: float, height: float,
                 face: Callable[[str, str], str] | None = None) -> None:
        super().__init__()
        self.path = path
        self.width = width
        self.height = height
        self.face = face

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if self.path.suffix.lower() == ".svg":
            # Scaled by the canvas, so the cached drawing is shared, never copied or changed
            # (but for its text, set in the theme's fonts on a copy).
            drawing = themed(_svg_drawing(self.path), self.face)
            self.canv.saveState()
            self.canv.scale(self.width / drawing.width, self.height / drawing.height)
            renderPDF.draw(drawing, self.canv, 0, 0)
            self.canv.restoreState()
        else:
            self.canv.drawImage(
                _ByContent.of(self.path), 0, 0, self.width, self.height, mask="auto",
                preserveAspectRatio=True,
            )
            record = getattr(self.canv, "layout_record", None)
            if record is not None:  # the layout report asked for (``render.record``)
                record.image(self.path.name, _raster_size(self.path), (self.width, self.height),
                             self.canv.getPageNumber())


class _ByContent(str):
    """A raster image's path, which reportlab opens, that reportlab names in the PDF by the
    image's content: it names an image after ``str()`` of what it is given, and a name from
    the path would make the bytes of the PDF depend on where the files are (a folder moved,
    a cluster's worker)."""

    name: str

    @classmethod
    def of(cls, path: Path) -> _ByContent:
        return _by_content(path, file_state(path))

    def __str__(self) -> str:
        return self.name


@cache
def _by_content(path: Path, state: FileState) -> _ByContent:
    located = _ByContent(str(path))
    located.name = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    return located


def picture(path: Path, *, height: float | None = None, max_width: float | None = None,
            max_height: float | None = None,
            face: Callable[[str, str], str] | None = None) -> Picture:
    """A Picture at a height, or fitted inside a box, keeping the aspect ratio."""
    w, h = image_size(path)
    if height is not None:
        return Picture(path, w * height / h, height, face)
    # A raster image is never enlarged beyond MIN_PPI: its pixels are taken as points (72 ppi),
    # so at most 72 / MIN_PPI of that.
    scale = 72 / MIN_PPI if path.suffix.lower() in RASTER_SUFFIXES else 1.0
    if max_width is not None and w * scale > max_width:
        scale = max_width / w
    if max_height is not None and h * scale > max_height:
        scale = max_height / h
    return Picture(path, w * scale, h * scale, face)


def image_files(path: Path) -> tuple[Path, ...]:
    """The files an image is made of: itself, and for an SVG every file it refers to."""
    return (path, *svg_references(path)) if path.suffix.lower() == ".svg" else (path,)


def resolve_source_image(src: str, base_dir: Path, assets: Path, where: str) -> Path:
    """The file a source's image names, only inside the source's folder or the assets."""
    return Scope.of(base_dir, assets).reach(src, what="image", where=where, error=SourceError,
                                            suffixes=(*RASTER_SUFFIXES, ".svg"))

