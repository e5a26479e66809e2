"""A parsed TrueType face as plain data, for the on-disk cache.

reportlab parses a font file in Python (its names, metrics, character map, every glyph's
advance and position) each time it is loaded: about 10 ms a face, three or four faces a
briefing. What it derives is data; this module writes it as JSON and builds the face back from
it and the file's own bytes (which subsetting reads when the PDF is written), without parsing.

Each attribute of reportlab's ``TTFontFace`` is written by its type: numbers, strings and None
as they are; the names (``TTFNameBytes``) by their text; bytes and tuples tagged; the large
maps as flat lists (``charToGlyph``, ``charWidths``, ``glyphToChar``, ``hmetrics``), which JSON
reads several times faster than nested ones. Reading back checks every value's type and builds
only these types: an entry describes a face, it never runs code. A face with an attribute of
another kind (a later reportlab) is not cached; entries are keyed by reportlab's version and the
font's bytes, so a stale entry is never read.
"""

from __future__ import annotations

import base64
import math
import sys
from array import array
from fnmatch import fnmatch
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from briefing.cache import Codec

#: Attributes made again from others, or given when the face is built.
_DERIVED = ("_ttf_data", "_pdfScale", "table")
#: What every face has (a face without one of them is refused).
_REQUIRED = frozenset(("name", "ascent", "descent", "capHeight", "bbox", "flags", "italicAngle",
                       "stemV", "unitsPerEm", "numGlyphs", "defaultWidth", "tables",
                       "charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos"))
#: The maps written flat: attribute → how.
_MAPS = {"charToGlyph": "d", "charWidths": "d", "glyphToChar": "m", "hmetrics": "p",
         "glyphPos": "l"}


def _number(value: Any) -> bool:
    return type(value) is int or (type(value) is float and math.isfinite(value))


def _encode_value(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is bool or kind is str or _number(value):
        return value
    if kind is TTFNameBytes:
        return {"n": value.ustr}
    if kind is bytes:
        return {"b": value.decode("latin-1")}
    if kind is tuple and all(_number(v) for v in value):
        return {"t": list(value)}
    if kind is list and all(_number(v) for v in value):
        return {"L": value}
    if kind is dict and not value:
        return {"e": 0}
    raise TypeError(f"a face attribute of type {kind.__name__}")


def _decode_value(data: Any) -> Any:
    if data is None or type(data) in (bool, str) or _number(data):
        return data
    if type(data) is dict and len(data) == 1:
        (tag, inner), = data.items()
        if tag == "n" and type(inner) is str:
            return TTFNameBytes(inner.encode("utf-8"), "utf-8")
        if tag == "b" and type(inner) is str:
            return inner.encode("latin-1")
        if tag == "t" and type(inner) is list and all(_number(v) for v in inner):
            return tuple(inner)
        if tag == "L" and type(inner) is list and all(_number(v) for v in inner):
            return inner
        if tag == "e" and inner == 0:
            return {}
    raise ValueError(f"not a face attribute: {str(data)[:40]}")


def _pack(values: Any) -> dict[str, str]:
    """A list of numbers as packed 64-bit values (little-endian, base64): integers as "q",
    floats as "d", and where both occur the positions of the integers as "i"."""
    if type(values) is not list:
        raise TypeError("not a list")
    kinds = {type(v) for v in values}
    if kinds <= {int}:
        return {"q": _b64(array("q", values))}
    if kinds == {float} or kinds == {int, float}:
        if not all(map(math.isfinite, values)):
            raise ValueError("a number that is not finite")
        out = {"d": _b64(array("d", values))}
        if int in kinds:
            out["i"] = _b64(array("q", [i for i, v in enumerate(values) if type(v) is int]))
        return out
    raise TypeError("not a list of numbers")


def _b64(values: array[Any]) -> str:
    if sys.byteorder != "little":
        values = array(values.typecode, values)
        values.byteswap()
    return base64.b64encode(values.tobytes()).decode("ascii")


def _array(code: str, text: Any) -> array[Any]:
    if type(text) is not str:
        raise ValueError("not packed numbers")
    raw = base64.b64decode(text, validate=True)
    if len(raw) % 8:
        raise ValueError("not packed numbers")
    values = array(code)
    values.frombytes(raw)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _unpack_ints(data: Any) -> list[int]:
    if type(data) is not dict or set(data) != {"q"}:
        raise ValueError("not packed integers")
    values: list[int] = _array("q", data["q"]).tolist()
    return values


def _unpack(data: Any) -> list[Any]:
    if type(data) is not dict:
        raise ValueError("not packed numbers")
    if set(data) == {"q"}:
        return _array("q", data["q"]).tolist()
    if set(data) in ({"d"}, {"d", "i"}):
        values: list[Any] = _array("d", data["d"]).tolist()
        if not all(map(math.isfinite, values)):
            raise ValueError("a number that is not finite")
        for i in _array("q", data.get("i", "")).tolist():
            if not 0 <= i < len(values) or not values[i].is_integer():
                raise ValueError("not packed numbers")
            values[i] = int(values[i])
        return values
    raise ValueError("not packed numbers")


def encode_face(face: TTFontFace) -> dict[str, Any]:
    """A parsed face as plain data (``TypeError`` for one this module cannot describe)."""
    if type(face) is not TTFontFace:
        raise TypeError("not a plain TrueType face")
    out: dict[str, Any] = {}
    for key, value in face.__dict__.items():
        if key in _DERIVED:
            continue
        how = _MAPS.get(key)
        if how == "d":
            out[key] = {"d": [_pack(list(value)), _pack(list(value.values()))]}
        elif how == "m":
            if not all(type(v) is list for v in value.values()):
                raise TypeError(f"{key}: not a map of lists")
            out[key] = {"m": [_pack(list(value)), _pack([len(v) for v in value.values()]),
                              _pack([c for v in value.values() for c in v])]}
        elif how == "p":
            if not all(type(p) is tuple and len(p) == 2 for p in value):
                raise TypeError(f"{key}: not a list of pairs")
            out[key] = {"p": [_pack([p[0] for p in value]), _pack([p[1] for p in value])]}
        elif how == "l":
            out[key] = {"l": _pack(value)}
        elif key == "tables":
            if not all(type(r) is dict and all(type(k) is str and (type(v) in (int, str))
                                               for k, v in r.items()) for r in value):
                raise TypeError("tables: not a table directory")
            out[key] = {"r": value}
        else:
            out[key] = _encode_value(value)
    if not out.keys() >= _REQUIRED:
        raise TypeError("a face without its character map or metrics")
    return out


def decode_face(data: Any, font_bytes: bytes) -> TTFontFace:
    """The face described by ``data``, on the font file's bytes (``ValueError``,
    ``TypeError`` or ``KeyError`` for data that does not describe one)."""
    if type(data) is not dict or not data.keys() >= _REQUIRED:
        raise ValueError("not a face")
    state: dict[str, Any] = {}
    for key, value in data.items():
        if type(key) is not str:
            raise ValueError("not a face")
        how = _MAPS.get(key)
        if how == "d":
            keys, values = _unpack_ints(value["d"][0]), _unpack(value["d"][1])
            if len(values) != len(keys) or len(value["d"]) != 2:
                raise ValueError(f"{key}: not a map of numbers")
            state[key] = dict(zip(keys, values, strict=True))
        elif how == "m":
            keys, counts, flat = (_unpack_ints(part) for part in value["m"])
            if len(counts) != len(keys) or sum(counts) != len(flat) or min(counts, default=1) < 0:
                raise ValueError(f"{key}: not a map of lists")
            out: dict[int, list[int]] = {}
            at = 0
            for k, n in zip(keys, counts, strict=True):
                out[k] = flat[at:at + n]
                at += n
            state[key] = out
        elif how == "p":
            first, second = (_unpack(part) for part in value["p"])
            if len(first) != len(second):
                raise ValueError(f"{key}: not a list of pairs")
            state[key] = list(zip(first, second, strict=True))
        elif how == "l":
            state[key] = _unpack(value["l"])
        elif key == "tables":
            records = value["r"]
            if type(records) is not list or not all(
                    type(r) is dict and type(r.get("tag")) is str
                    and all(type(v) in (int, str) for v in r.values()) for r in records):
                raise ValueError("tables: not a table directory")
            state[key] = records
        else:
            state[key] = _decode_value(value)
    units = state["unitsPerEm"]
    if type(units) is not int or units <= 0:
        raise ValueError("unitsPerEm: not a positive integer")
    face: TTFontFace = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = font_bytes
    face.table = {record["tag"]: record for record in state["tables"]}
    # As reportlab's extractInfo makes it.
    if units == 1000:
        face._pdfScale = lambda x: x
    else:
        mult = 1000 / units
        face._pdfScale = lambda x: x * mult
    return face


def font_from_face(name: str, face: TTFontFace) -> TTFont:
    """A reportlab ``TTFont`` over a face already parsed (what ``TTFont(name, file)`` does
    after parsing the file)."""
    font: TTFont = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font


def face_codec(font_bytes: bytes) -> Codec[TTFontFace]:
    """The codec of the face of one font file (its bytes are not stored: they are the key)."""
    return Codec(encode_face, lambda data: decode_face(data, font_bytes))
