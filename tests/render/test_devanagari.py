"""Hindi is shaped by HarfBuzz with the bundled Noto Sans Devanagari: conjuncts (क्ष, त्र),
vowel signs before their consonant (ि), reph (र्य); the glyphs drawn are HarfBuzz's, the
text comes back from the PDF in reading order, and nothing is hyphenated."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest

from briefing.assets import asset
from briefing.build import build
from briefing.options import ask
from briefing.render.shaping import shape
from tests.render.pdfglyphs import drawn_glyphs, glyph_ids

pytest.importorskip("uharfbuzz")

FONT = asset("fonts", "NotoSansDevanagari-Regular.ttf")
HINDI = ("आज रात उत्तरी तट पर एक तेज़ तूफ़ान पहुँचेगा। 130 किमी/घंटा तक की हवाएँ, ऊँची लहरें "
         "और भारी बारिश की संभावना है। मुख्य कार्य क्षेत्रों में स्कूल कल बंद रहेंगे; द्वीपों के "
         "लिए नौकाएँ अगली सूचना तक रद्द हैं। किसी भी स्थिति में अधिकारियों के निर्देशों का पालन "
         "करें और अफ़वाहों पर ध्यान न दें। अधिक जानकारी के लिए https://example.org/storm देखें।")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hi")
    source = folder / "hi.md"
    source.write_text(f"---\ntitle: तूफ़ान की चेतावनी\ndate: 2026-12-02\n---\n\n{HINDI}\n\n"
                      f"{HINDI}\n", encoding="utf-8")
    out = folder / "hi.pdf"
    out.write_bytes(build(source, ask(page_size="a5")).pdf)
    return out


def _words(text: str) -> list[str]:
    return [w.strip("।,;") for w in text.split() if w.strip("।,;")]


def test_detected_as_hindi(pdf: Path) -> None:
    import pikepdf

    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "hi-IN"


def test_conjuncts_matras_and_reph_as_harfbuzz_shapes_them(pdf: Path) -> None:
    flat = [ids for run in drawn_glyphs(pdf) if "NotoSansDevanagari" in run.font
            for ids in glyph_ids(run, FONT)]
    words = [w for w in _words(HINDI) if all("\u0900" <= c <= "\u097f" for c in w)]
    assert {"क्षेत्रों", "कार्य", "द्वीपों", "स्थिति", "निर्देशों"} <= set(words)
    for word in words:
        # Marks moved from the pen are drawn as outlines, the other glyphs as text.
        expected = [g.gid for g in shape(word, FONT, 9.6).glyphs
                    if g.x_advance or not (g.x_offset or g.y_offset)]
        assert any(all(e in flat[i + k] for k, e in enumerate(expected))
                   for i in range(len(flat) - len(expected) + 1)), word


def _contains(got: list[str], expected: list[str]) -> bool:
    n = len(expected)
    return any(got[i:i + n] == expected for i in range(len(got) - n + 1))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed")
def test_pdftotext_gives_the_words_in_order_unhyphenated(pdf: Path) -> None:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert _contains(_words(text), _words(HINDI))
    assert not any(line.rstrip().endswith("-") for line in text.splitlines())


def test_pdfium_gives_the_words_in_order(pdf: Path) -> None:
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    assert _contains(_words(text), _words(HINDI))
