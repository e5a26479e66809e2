"""A reportlab drawing (a parsed SVG) as plain data, for the on-disk cache.

Only reportlab's basic shapes and RGB colours are written, each shape as its class name and
the attributes its class declares (``_attrMap``); numbers, strings, lists and tuples of them.
Reading back builds those classes only, sets only declared attributes, and refuses anything
else, so a cache entry can describe a drawing but never run code. A drawing with anything
more (gradients, images, a library's own classes) is not cached.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Ellipse,
    Group,
    Line,
    Path,
    Polygon,
    PolyLine,
    Rect,
    Shape,
    String,
    Wedge,
)
from reportlab.lib.colors import Color

from briefing.cache import Codec
from briefing.pdf.compat import declared_attributes, shape_attributes

#: The shapes an entry may hold, each with a way to make a blank one.
_MAKERS: dict[str, Callable[[], Shape]] = {
    "Drawing": lambda: Drawing(0, 0),
    "Group": Group,
    "Rect": lambda: Rect(0, 0, 0, 0),
    "Circle": lambda: Circle(0, 0, 0),
    "Ellipse": lambda: Ellipse(0, 0, 0, 0),
    "Line": lambda: Line(0, 0, 0, 0),
    "PolyLine": lambda: PolyLine([]),
    "Polygon": lambda: Polygon([]),
    "Path": Path,
    "String": lambda: String(0, 0, ""),
    "Wedge": lambda: Wedge(0, 0, 0, 0, 0),
}
_DEPTH = 64


def _encode(value: Any, depth: int = 0) -> Any:
    if depth > _DEPTH:
        raise ValueError("nested too deeply")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError("a number that is not finite")
        return value
    if isinstance(value, list):
        return [_encode(item, depth + 1) for item in value]
    if isinstance(value, tuple):
        return {"tuple": [_encode(item, depth + 1) for item in value]}
    if type(value) is Color:
        return {"rgba": [value.red, value.green, value.blue, value.alpha]}
    name = type(value).__name__
    if name in _MAKERS and type(value) is type(_MAKERS[name]()):
        declared = declared_attributes(value)
        attrs = shape_attributes(value)
        unknown = [k for k in attrs if k not in declared]
        if unknown:
            raise TypeError(f"{name} has undeclared attributes {unknown}")
        return {"shape": name, "attrs": {k: _encode(v, depth + 1) for k, v in attrs.items()}}
    raise TypeError(f"cannot keep a value of this kind ({name})")


def _decode(data: Any, depth: int = 0) -> Any:
    if depth > _DEPTH:
        raise ValueError("nested too deeply")
    if data is None or isinstance(data, bool | str):
        return data
    if isinstance(data, int | float):
        if not math.isfinite(data):
            raise ValueError("a number that is not finite")
        return data
    if isinstance(data, list):
        return [_decode(item, depth + 1) for item in data]
    if not isinstance(data, dict) or set(data) not in ({"tuple"}, {"rgba"}, {"shape", "attrs"}):
        raise TypeError(f"unexpected data {str(data)[:40]!r}")
    if "tuple" in data:
        return tuple(_decode(item, depth + 1) for item in data["tuple"])
    if "rgba" in data:
        red, green, blue, alpha = (float(_decode(v, depth + 1)) for v in data["rgba"])
        return Color(red, green, blue, alpha)
    shape = _MAKERS[str(data["shape"])]()  # KeyError: not a shape that may be cached
    declared = declared_attributes(shape)
    attrs = data["attrs"]
    if not isinstance(attrs, dict):
        raise TypeError("shape attributes must be a table")
    for key, value in attrs.items():
        if key not in declared or key == "_attrMap":
            raise TypeError(f"{data['shape']} has no attribute {key!r}")
        shape.__dict__[key] = _decode(value, depth + 1)
    return shape


def _decode_drawing(data: Any) -> Drawing:
    drawing = _decode(data)
    if not isinstance(drawing, Drawing) or not drawing.width or not drawing.height:
        raise TypeError("not a drawing")
    return drawing


#: A parsed SVG image.
DRAWING: Codec[Drawing] = Codec(_encode, _decode_drawing)
