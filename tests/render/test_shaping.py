"""Shaping with HarfBuzz and the bidirectional algorithm (``briefing.render.shaping``), checked
against what reportlab's own ``shaping=1`` path draws in a PDF."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from briefing.assets import asset
from briefing.build import build
from briefing.errors import MissingExtraError
from briefing.options import ask
from briefing.render import shaping
from briefing.render.shaping import (
    REPORTLAB_FEATURES,
    ShapedMeasure,
    bidi_levels,
    shape,
    visual_order,
    visual_runs,
)
from tests.render.pdfglyphs import drawn_glyphs, glyph_ids, glyph_name, same_glyphs

NASKH = asset("fonts", "NotoNaskhArabic-Regular.ttf")
HEBREW = asset("fonts", "NotoSansHebrew-Regular.ttf")
DEVANAGARI = asset("fonts", "NotoSansDevanagari-Regular.ttf")

ARABIC_LINE = "لا إله إلا الله، مرحبا بالعالم"
HEBREW_LINE = "שלום עולם ומה שלומך"
DEVANAGARI_LINE = "मुख्य कार्य हिन्दी में"


def _names(font: Path, text: str, direction: Any = None) -> list[str]:
    return [glyph_name(font, g) for g in shape(text, font, 12, direction).gids]


def test_arabic_letters_join_and_ligate() -> None:
    alone = shape("ب", NASKH, 12).gids
    joined = shape("بب", NASKH, 12)
    assert joined.direction == "rtl"
    assert alone[0] not in joined.gids  # initial and final forms, not the isolated one
    lam_alef = shape("لا", NASKH, 12)
    assert len(lam_alef.glyphs) < 2 or any("rlig" in glyph_name(NASKH, g) or "_" in
                                            glyph_name(NASKH, g) for g in lam_alef.gids)
    # Glyphs come in visual order: the last letter's glyph first.
    assert _names(NASKH, "بم")[0] in ("uniFEE2", "meem-ar.fina", "uni0645.fina")


def test_devanagari_conjuncts_and_reph() -> None:
    names = _names(DEVANAGARI, "कार्य")
    assert len(names) < len("कार्य")  # र् + य: the reph, not a visible virama
    assert not any(n == "uni094D" for n in names)
    # The i-matra of कि is drawn before its consonant.
    ki = shape("कि", DEVANAGARI, 12)
    assert [g.cluster for g in ki.glyphs] == [0, 0] or ki.glyphs[0].gid != shape("क", DEVANAGARI, 12).gids[0]


def test_widths_and_measure() -> None:
    run = shape(ARABIC_LINE, NASKH, 12)
    assert run.width == pytest.approx(sum(g.x_advance for g in run.glyphs)) and run.width > 0
    assert shape(ARABIC_LINE, NASKH, 24).width == pytest.approx(2 * run.width)
    measure = ShapedMeasure(NASKH, 12)
    assert measure.width(ARABIC_LINE) == pytest.approx(run.width)
    advances = measure.advances(ARABIC_LINE)
    assert len(advances) == len(ARABIC_LINE) and sum(advances) == pytest.approx(run.width)


def _reportlab_pdf(path: Path, font: Path, text: str, rtl: bool) -> None:
    name = f"t-{font.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font)))
    style = ParagraphStyle("s", fontName=name, fontSize=14, leading=24, shaping=1,
                           alignment=TA_RIGHT if rtl else 0, wordWrap="RTL" if rtl else None)
    SimpleDocTemplate(str(path), initialFontName=name).build([Paragraph(text, style)])


def _split_words(ids: list[frozenset[int]], space: int) -> list[list[frozenset[int]]]:
    words: list[list[frozenset[int]]] = [[]]
    for candidates in ids:
        if space in candidates:
            words.append([])
        else:
            words[-1].append(candidates)
    return [w for w in words if w]


@pytest.mark.parametrize(("font", "text"), [(NASKH, ARABIC_LINE), (HEBREW, HEBREW_LINE)])
def test_reportlab_draws_each_rtl_word_as_harfbuzz_shapes_it(
    tmp_path: Path, font: Path, text: str,
) -> None:
    pdf = tmp_path / "rtl.pdf"
    _reportlab_pdf(pdf, font, text, rtl=True)
    (run,) = drawn_glyphs(pdf)
    drawn = glyph_ids(run, font)
    space = shape(" ", font, 14).gids[0]
    words = _split_words(drawn, space)
    expected = [list(shape(w, font, 14, "rtl", features=REPORTLAB_FEATURES).gids)
                for w in text.split()]
    # Each word's glyphs are HarfBuzz's, in visual order ...
    assert len(words) == len(expected)
    # ... but reportlab without its own bidi module (rlbidi, not on the package index) lays
    # the words out in logical order from left to right: the first word is at the left edge,
    # where a reader of Arabic or Hebrew looks last. Reordering the words is briefing's job
    # (``visual_runs``).
    assert all(same_glyphs(d, e) for d, e in zip(words, expected, strict=True))
    whole = list(shape(text, font, 14, "rtl", features=REPORTLAB_FEATURES).gids)
    assert not same_glyphs(drawn, whole)


def test_reportlab_draws_a_devanagari_line_as_harfbuzz_shapes_it(tmp_path: Path) -> None:
    pdf = tmp_path / "deva.pdf"
    _reportlab_pdf(pdf, DEVANAGARI, DEVANAGARI_LINE, rtl=False)
    (run,) = drawn_glyphs(pdf)
    expected = shape(DEVANAGARI_LINE, DEVANAGARI, 14, "ltr", features=REPORTLAB_FEATURES).gids
    assert same_glyphs(glyph_ids(run, DEVANAGARI), list(expected))


def test_bidi_levels_and_visual_runs() -> None:
    text = "abc مرحبا 123 def"
    levels = bidi_levels(text, "rtl")
    assert levels[:3] == [2, 2, 2] and levels[4] == 1 and levels[-1] == 2
    runs = visual_runs(levels)
    shown = [(text[r.start:r.end], r.rtl) for r in runs]
    # In a right-to-left paragraph the Latin "abc" comes first, so it is drawn rightmost.
    assert shown[0] == ("def", False) and shown[-1] == ("abc", False)
    assert [(t.strip(), rtl) for t, rtl in shown if t.strip()] == [
        ("def", False), ("123", False), ("مرحبا", True), ("abc", False)]
    # Left to right: digits after Arabic letters are Arabic numbers (W2), at level 2 (I1).
    assert bidi_levels(text) == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0, 0]


def test_brackets_pair_inside_right_to_left_text() -> None:
    text = "شركة (OpenAI) الأمريكية"
    levels = bidi_levels(text, "rtl")
    open_, close = text.index("("), text.index(")")
    assert levels[open_] == levels[close] == 1  # rule N0: the pair takes the paragraph's level
    order = visual_order(levels)
    drawn = "".join(text[i] for i in order)
    assert "OpenAI" in drawn


def test_visual_runs_split_at_font_boundaries() -> None:
    text = "مرحبا بالعالم"
    levels = bidi_levels(text, "rtl")
    runs = visual_runs(levels, boundaries=[6])
    assert [(r.start, r.end) for r in runs] == [(6, 13), (0, 6)]


def test_without_the_extra_one_line_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uharfbuzz", None)  # as if it were not installed
    shaping.hb_font.cache_clear()
    with pytest.raises(MissingExtraError) as caught:
        shape("مرحبا", NASKH, 12)
    message = caught.value.message
    assert "pip install 'briefing[scripts]'" in message and "\n" not in message
    shaping.hb_font.cache_clear()


def test_python_bidi_fallback_agrees_where_it_can(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without brackets or isolates, python-bidi's Python implementation gives the same levels
    # as its Rust one, whose debug output the module reads.
    texts = ["abc مرحبا 123 def", "שלום עולם 2026", "مرحبا بالعالم"]
    expected = [bidi_levels(t, "rtl") for t in texts]
    monkeypatch.setattr(shaping, "_levels_from_debug", lambda *args: (None, False))
    assert [bidi_levels(t, "rtl") for t in texts] == expected


def test_the_arabic_number_sign_in_a_right_to_left_paragraph() -> None:
    """U+0600 made python-bidi's Python implementation fail an assertion (a traceback instead
    of a page): the levels are the Rust implementation's, one per character."""
    text = "« \u0600 \uaaf7."
    levels = bidi_levels(text, "rtl")
    assert len(levels) == len(text) and all(level in (1, 2) for level in levels)


def test_a_right_to_left_lead_with_the_arabic_number_sign_builds(tmp_path: Path) -> None:
    source = tmp_path / "sign.json"
    source.write_text(json.dumps({"title": "عنوان", "meta": {"lang": "ar"},
                                  "lead": ["« \u0600 مرحبا."]}), encoding="utf-8")
    result = build(source, ask())
    assert result.pages == 1


def test_visual_order_of_nested_levels() -> None:
    # L2: from the highest level down to the lowest odd one, reverse each run at that level
    # or higher: Hebrew (1) around a Latin phrase (2) holding an Arabic number (3).
    assert visual_order([1, 1, 2, 2, 3, 3, 1]) == [6, 2, 3, 5, 4, 1, 0]
    assert visual_order([0, 0, 1, 1, 0]) == [0, 1, 3, 2, 4]
    assert visual_order([1, 1, 2, 2, 1]) == [4, 2, 3, 1, 0]
    assert visual_order([]) == []
