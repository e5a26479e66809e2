"""Characters beyond the Basic Multilingual Plane (emoji, CJK Extension B) come back from text
extraction: the ToUnicode CMaps write them as UTF-16 surrogate pairs (``pdf.tounicode``);
emoji are drawn with the bundled Noto Emoji through the themes' fallback chain."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from briefing.assets import asset
from briefing.build import build
from briefing.options import ask
from briefing.pdf import tounicode
from tests.render.pdfchars import read

EMOJI = "\U0001F600\U0001F30D\U0001F44D"
EXT_B = "\U00020000\U0002A6D6"  # 𠀀 and 𪛖


def _ext_b_font(path: Path) -> Path:
    """A small TrueType font with glyphs for two CJK Extension B characters (and a space)."""
    builder = FontBuilder(1000, isTTF=True)
    names = [".notdef", "space", "u20000", "u2A6D6"]
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x20: "space", 0x20000: "u20000", 0x2A6D6: "u2A6D6"})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name != "space":
            pen.moveTo((100, 0))
            pen.lineTo((900, 0))
            pen.lineTo((900, 800))
            pen.lineTo((100, 800))
            pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({n: (1000, 100) for n in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "ExtBTest", "styleName": "Regular"})
    builder.setupOS2(fsType=0)
    builder.setupPost()
    builder.save(str(path))
    return path


def _pdf(tmp_path: Path) -> Path:
    emoji = "t-emoji"
    if emoji not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(emoji, str(asset("fonts", "NotoEmoji-Regular.ttf"))))
    ext_b = f"t-extb-{tmp_path.name}"
    pdfmetrics.registerFont(TTFont(ext_b, str(_ext_b_font(tmp_path / "extb.ttf"))))
    out = tmp_path / "bmp.pdf"
    canvas = Canvas(str(out), initialFontName=emoji)
    canvas.setFont(emoji, 20)
    canvas.drawString(72, 700, EMOJI)
    canvas.setFont(ext_b, 20)
    canvas.drawString(72, 650, EXT_B)
    canvas.save()
    return out


def _texts(pdf: Path) -> dict[str, str]:
    out = {"pypdf": pypdf.PdfReader(pdf).pages[0].extract_text()}
    document = pypdfium2.PdfDocument(pdf)
    out["pypdfium2"] = document[0].get_textpage().get_text_range()
    document.close()
    if shutil.which("pdftotext"):
        out["pdftotext"] = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                          capture_output=True, text=True, check=True).stdout
    return out


def test_reportlabs_own_writer_loses_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", tounicode._original)
    for tool, text in _texts(_pdf(tmp_path)).items():
        assert EMOJI not in text and EXT_B not in text, tool


def test_surrogate_pairs_give_them_back(tmp_path: Path) -> None:
    assert tounicode.install()
    assert ttfonts.makeToUnicodeCMap is tounicode.make_to_unicode_cmap
    for tool, text in _texts(_pdf(tmp_path)).items():
        assert EMOJI in text, tool
        assert EXT_B in text, tool


def test_the_cmap_entries() -> None:
    cmap = tounicode.make_to_unicode_cmap("AAAAAA+X", [0x41, 0x1F600, 0x20000])
    assert "<00> <0041>" in cmap and "<01> <D83DDE00>" in cmap and "<02> <D840DC00>" in cmap
    tounicode.set_text("X", 0xE000, "لا")
    assert "<00> <06440627>" in tounicode.make_to_unicode_cmap("BBBBBB+X", [0xE000])


def test_a_changed_reportlab_writer_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tounicode, "_installed", False)
    monkeypatch.setattr(tounicode, "_original", lambda name, subset: "something else")
    monkeypatch.setattr(ttfonts, "makeToUnicodeCMap", tounicode._original)
    assert not tounicode.install()
    assert ttfonts.makeToUnicodeCMap is tounicode._original


def test_emoji_in_a_briefing_are_drawn_with_noto_emoji(tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    source = tmp_path / "emoji.md"
    source.write_text(f"# Storm warning {EMOJI[0]}\n\nStay safe {EMOJI} and charge your "
                      f"phone \U0001F50B before tonight.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="briefing"):
        result = build(source, ask())
    assert not [w for w in result.warnings if "missing" in w]
    emoji_chars = [c for c in read(result.pdf)[0].chars if c.text and c.text in EMOJI + "\U0001F50B"]
    assert {c.text for c in emoji_chars} == set(EMOJI + "\U0001F50B")
    assert all("NotoEmoji" in c.font for c in emoji_chars)
    text = pypdf.PdfReader(io.BytesIO(result.pdf)).pages[0].extract_text()
    assert EMOJI in text and "\U0001F50B" in text
