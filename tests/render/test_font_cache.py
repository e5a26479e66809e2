"""Parsed fonts from the on-disk cache: the face read back is the face reportlab parses (every
attribute, with its type), and a wrong entry is never used. (The PDF is the same byte for byte
with the cache off, cold and warm: ``tests/test_cache.py``.)"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from briefing.pdf.fontcache import decode_face, encode_face, font_from_face

ROOT = Path(__file__).resolve().parents[2]
FONTS = sorted((ROOT / "assets" / "fonts").glob("*.ttf"))


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (an int width is not a float one)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@pytest.mark.parametrize("path", FONTS, ids=[p.stem for p in FONTS])
def test_a_face_read_back_is_the_face_parsed(path: Path) -> None:
    data = path.read_bytes()
    parsed = TTFontFace(io.BytesIO(data))
    text = json.dumps(encode_face(parsed), allow_nan=False)  # as the cache writes it
    back = decode_face(json.loads(text), data)
    assert back.__dict__.keys() == parsed.__dict__.keys()
    for key, value in parsed.__dict__.items():
        if key == "_pdfScale":
            assert all(back._pdfScale(x) == value(x) for x in (0, 1, 537, 2048))
        else:
            assert same(getattr(back, key), value), key
    font, direct = font_from_face("x", back), TTFont("x", io.BytesIO(data))
    assert {k: v for k, v in font.__dict__.items() if k not in ("face", "state", "encoding")} \
        == {k: v for k, v in direct.__dict__.items() if k not in ("face", "state", "encoding")}


@pytest.mark.parametrize("damage", [
    lambda d: d.pop("charWidths"),
    lambda d: d["charToGlyph"]["d"][1].update(q="AAAA"),  # not a whole number of values
    lambda d: d["charWidths"]["d"][1].update(q=5),
    lambda d: d["tables"].update(r=[{"tag": 1}]),
    lambda d: d.update(unitsPerEm=-3),
    lambda d: d.update(name={"x": "code"}),
])
def test_a_wrong_entry_is_refused(damage: Any) -> None:
    data = FONTS[0].read_bytes()
    entry = json.loads(json.dumps(encode_face(TTFontFace(io.BytesIO(data)))))
    damage(entry)
    with pytest.raises((ValueError, TypeError, KeyError)):
        decode_face(entry, data)
