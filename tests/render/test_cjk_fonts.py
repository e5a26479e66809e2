"""A CJK font from the system (``render.cjkfonts``): TrueType only, collections included, CFF
refused, with a one-line error naming the language and what to install."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as RlTTFont
from reportlab.pdfgen.canvas import Canvas

from briefing.assets import asset
from briefing.errors import ThemeError
from briefing.render import cjkfonts
from briefing.render.cjkfonts import CjkFont, find_cjk_font, outline_kinds


def _font(path: Path, chars: str, *, cff: bool) -> Path:
    """A small font with a square glyph for each character, TrueType or CFF outlines."""
    names = [".notdef", *(f"uni{ord(c):04X}" for c in chars)]
    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    if cff:
        strings = {}
        for name in names:
            pen = T2CharStringPen(1000, None)
            pen.moveTo((100, 0))
            pen.lineTo((900, 0))
            pen.lineTo((900, 800))
            pen.closePath()
            strings[name] = pen.getCharString()
        builder.setupCFF("Test", {"FullName": "Test"}, strings, {})
    else:
        glyphs = {}
        for name in names:
            pen = TTGlyphPen(None)
            pen.moveTo((100, 0))
            pen.lineTo((900, 0))
            pen.lineTo((900, 800))
            pen.closePath()
            glyphs[name] = pen.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({n: (1000, 100) for n in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2(fsType=0)
    builder.setupPost()
    builder.save(str(path))
    return path


def _collection(path: Path, *members: Path) -> Path:
    collection = TTCollection()
    collection.fonts = [TTFont(str(m)) for m in members]
    collection.save(str(path))
    return path


ZH = cjkfonts.SAMPLES["zh"]


def test_outline_kinds(tmp_path: Path) -> None:
    cff = _font(tmp_path / "cff.otf", ZH, cff=True)
    ttf = _font(tmp_path / "ttf.ttf", ZH, cff=False)
    assert outline_kinds(asset("fonts", "NotoSerif-Regular.ttf")) == ["truetype"]
    assert outline_kinds(cff) == ["cff"]
    assert outline_kinds(_collection(tmp_path / "mixed.ttc", cff, ttf)) == ["cff", "truetype"]
    assert outline_kinds(tmp_path / "missing.ttf") == []


def test_cff_fonts_are_refused_with_one_line(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    cff = _font(tmp_path / "NotoSansCJK-Regular.otf", ZH, cff=True)
    monkeypatch.setitem(cjkfonts.KNOWN, "zh", (str(cff),))
    with pytest.raises(ThemeError) as caught:
        find_cjk_font("zh-CN", use_fontconfig=False)
    message = caught.value.format_message()
    assert message.startswith("Chinese text needs a font") and "fonts-wqy-microhei" in message
    assert "\n" not in message


def test_a_collections_truetype_member_is_found(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    cff = _font(tmp_path / "cff.otf", ZH, cff=True)
    ttf = _font(tmp_path / "ttf.ttf", ZH, cff=False)
    latin = _font(tmp_path / "latin.ttf", "abc", cff=False)
    mixed = _collection(tmp_path / "mixed.ttc", cff, ttf)
    monkeypatch.setitem(cjkfonts.KNOWN, "zh", (str(latin), str(mixed)))
    assert find_cjk_font("zh", use_fontconfig=False) == CjkFont(mixed, 1)


def test_a_font_without_the_languages_letters_does_not_qualify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    han_only = _font(tmp_path / "han.ttf", ZH, cff=False)
    monkeypatch.setitem(cjkfonts.KNOWN, "ja", (str(han_only),))
    with pytest.raises(ThemeError, match="Japanese"):
        find_cjk_font("ja", use_fontconfig=False)


@pytest.fixture(scope="module")
def system_font() -> CjkFont:
    try:
        return find_cjk_font("zh")
    except ThemeError:
        pytest.skip("no TrueType CJK font on this system (scripts/install-test-tools installs one)")


@pytest.mark.parametrize("lang", ["zh", "ja", "ko"])
def test_the_system_font_sets_the_language(lang: str, system_font: CjkFont) -> None:
    font = find_cjk_font(lang)
    name = f"t-cjk-{font.path.stem}-{font.index}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(RlTTFont(name, str(font.path), subfontIndex=font.index))
    out = io.BytesIO()
    canvas = Canvas(out, initialFontName=name)
    canvas.setFont(name, 14)
    text = cjkfonts.SAMPLES[lang]
    canvas.drawString(72, 700, text)
    canvas.save()
    extracted = pypdf.PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
    assert "".join(extracted.split()) == "".join(text.split())
