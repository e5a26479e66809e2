"""The spike's proof: a right-to-left paragraph drawn from HarfBuzz's glyphs in visual order,
each glyph mapped by the ToUnicode CMap to the logical characters of its cluster, comes back
from text extraction in reading order (pdftotext, PDFium; pypdf in visual order, which the
bidi algorithm turns back). ``/ActualText`` in the content stream is not what extractors need:
see ``rtl_actualtext``'s docstring and ``python -m tests.spikes.rtl_actualtext``."""

from __future__ import annotations

import shutil

import pytest
from bidi import get_display

from tests.render.pdfglyphs import drawn_glyphs
from tests.spikes.rtl_actualtext import TEXT, build, extract, words, words_in_order


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    pdf = tmp_path_factory.mktemp("rtl") / "rtl.pdf"
    build(pdf, mark=False, logical=True)
    assert drawn_glyphs(pdf)  # drawn as glyphs, not as an image of text
    return extract(pdf)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed")
def test_pdftotext_gives_the_words_in_reading_order(texts: dict[str, str]) -> None:
    assert words_in_order(TEXT, texts["pdftotext"])


def test_pdfium_gives_the_arabic_words_in_reading_order(texts: dict[str, str]) -> None:
    arabic = [w for w in words(TEXT) if not w.isascii()]
    assert [w for w in words(texts["pypdfium2"]) if not w.isascii()] == arabic
    assert "OpenAI" in texts["pypdfium2"] and "2026" in texts["pypdfium2"]


def test_pypdf_gives_visual_lines_that_the_bidi_algorithm_puts_back(texts: dict[str, str]) -> None:
    assert not words_in_order(TEXT, texts["pypdf"])
    lines = "\n".join(get_display(line, base_dir="R") for line in texts["pypdf"].splitlines())
    assert words_in_order(TEXT, lines)


def test_letters_not_presentation_forms(texts: dict[str, str]) -> None:
    # Each glyph maps to its letters (U+0600 block), never to presentation forms or
    # private-use characters, and a lam-alef ligature to its two letters.
    for tool in ("pypdf", "pypdfium2"):
        assert not any(0xFB50 <= ord(c) <= 0xFEFF or 0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000
                       for c in texts[tool]), tool
    assert "ال" in texts["pypdfium2"]
