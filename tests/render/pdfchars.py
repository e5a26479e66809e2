"""Reading a PDF as a reader's eye gets it: each character with its font and its box, the
images and the painted rectangles and lines, page by page (pdfplumber).

Coordinates are PDF points from the page's bottom-left corner (``x0, y0, x1, y1``), so they
compare directly with the margins and frames the renderer computes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pdfplumber
from fontTools.ttLib import TTFont

_SUBSET = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in PDF points, origin at the page's bottom left."""

    x0: float
    y0: float
    x1: float
    y1: float

    def inside(self, other: Box, tol: float = 0.6) -> bool:
        return (self.x0 >= other.x0 - tol and self.x1 <= other.x1 + tol
                and self.y0 >= other.y0 - tol and self.y1 <= other.y1 + tol)

    def overlaps_x(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    font: str  # PostScript name, subset prefix removed ("NotoSerif-Bold")
    size: float
    box: Box
    tag: str | None  # the marked-content tag it is drawn in (P, Span, Link, Artifact...)


@dataclass(frozen=True, slots=True)
class Paint:
    """A filled or stroked rectangle, a line, or an image."""

    kind: str  # "rect", "line" or "image"
    box: Box
    fill: tuple[float, ...] | None = None  # non-stroking colour of a filled rect
    size: tuple[int, int] | None = None  # an image's pixel size


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    paints: list[Paint]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    def rects(self) -> list[Paint]:
        return [p for p in self.paints if p.kind == "rect"]

    def images(self) -> list[Paint]:
        return [p for p in self.paints if p.kind == "image"]


def _box(obj: dict, height: float) -> Box:  # type: ignore[type-arg]
    return Box(float(obj["x0"]), height - float(obj["bottom"]), float(obj["x1"]),
               height - float(obj["top"]))


def read(pdf: bytes) -> list[Page]:
    """Every page's characters (in drawing order) and painted shapes."""
    pages: list[Page] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            h = float(page.height)
            chars = [
                Char(c["text"], _SUBSET.sub("", c["fontname"]), float(c["size"]), _box(c, h),
                     c.get("tag"))
                for c in page.chars
            ]
            paints: list[Paint] = []
            for r in page.rects:
                fill = r.get("non_stroking_color") if r.get("fill") else None
                paints.append(Paint("rect", _box(r, h),
                                    tuple(float(v) for v in fill) if fill is not None else None))
            for line in page.lines:
                paints.append(Paint("line", _box(line, h)))
            for im in page.images:
                size = im.get("srcsize")
                paints.append(Paint("image", _box(im, h),
                                    size=(int(size[0]), int(size[1])) if size else None))
            pages.append(Page(page.page_number, float(page.width), h, chars, paints))
    return pages


def find(pages: list[Page], token: str) -> Iterator[tuple[Page, list[Char]]]:
    """Each place where ``token`` is drawn as consecutive characters."""
    for page in pages:
        text = page.text
        start = text.find(token)
        while start >= 0:
            yield page, page.chars[start:start + len(token)]
            start = text.find(token, start + len(token))


def find_one(pages: list[Page], token: str, *,
             content: bool = False) -> tuple[Page, list[Char]]:
    """The one place where ``token`` is drawn; with ``content``, page furniture (running
    header and footer, artifacts) left aside."""
    places = [(p, c) for p, c in find(pages, token)
              if not content or any(ch.tag != "Artifact" for ch in c)]
    assert len(places) == 1, f"{token!r} is drawn {len(places)} times"
    return places[0]


def bounds(chars: list[Char]) -> Box:
    return Box(min(c.box.x0 for c in chars), min(c.box.y0 for c in chars),
               max(c.box.x1 for c in chars), max(c.box.y1 for c in chars))


@cache
def postscript_name(path: Path) -> str:
    """The name a font file is embedded under in a PDF."""
    with TTFont(str(path), lazy=True) as font:
        return str(font["name"].getDebugName(6))


def hex_color(color: str) -> tuple[float, ...]:
    """'#EEF2F7' as PDF RGB components (what a filled rect reports)."""
    return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))


def same_color(a: tuple[float, ...] | None, b: tuple[float, ...], tol: float = 0.01) -> bool:
    return a is not None and len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))
