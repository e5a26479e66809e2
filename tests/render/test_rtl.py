"""Arabic and Hebrew briefings read right to left: letters joined by HarfBuzz, words and runs
in the order of the bidirectional algorithm, lines flush right (justified text too), English
terms, numbers and addresses in the body font, and the text extracted from the PDF in reading
order (pdftotext, PDFium)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from briefing.assets import asset
from briefing.build import build
from briefing.options import ask
from briefing.render.shaping import shape
from tests.render.pdfchars import read
from tests.render.pdfglyphs import drawn_glyphs, glyph_ids

pytest.importorskip("uharfbuzz")
pytest.importorskip("bidi")

ARABIC = ("أعلنت شركة OpenAI يوم 2 ديسمبر 2026 عن تعليق خدمة Sora للفيديو، وقال الفنانون إن "
          "الشركة استفادت من عملهم دون مقابل. ستصل عاصفة قوية إلى الساحل الشمالي الليلة، "
          "وتتحرك شرقاً بسرعة 40 كم/س تقريباً. لمزيد من المعلومات زوروا "
          "https://example.org/sora قبل نهاية الأسبوع، أو اتصلوا بخط المعلومات.")
HEBREW = ("סערה חזקה תגיע הלילה לחוף הצפוני, עם רוחות של עד 130 קמ״ש וגלים גבוהים. "
          "חברת OpenAI הודיעה ביום 2 בדצמבר 2026 על השעיית השירות Sora. "
          "מידע נוסף באתר https://example.org/storm לפני סוף השבוע.")
NASKH = asset("fonts", "NotoNaskhArabic-Regular.ttf")

_NOT_WORD = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2060.,،:;!?/\"«»()]+")


def words(text: str, marks: bool = True) -> list[str]:
    """Words as a reader compares them: compatibility forms folded (an Arabic presentation
    form is its letter), punctuation, spaces and invisible controls left out; without
    ``marks``, vowel signs left out too (as a search does)."""
    text = unicodedata.normalize("NFKC", text)
    if not marks:
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return [w for w in _NOT_WORD.split(text) if w]


def _source(tmp_path: Path, lang: str, body: str, name: str = "rtl.md") -> Path:
    path = tmp_path / name
    path.write_text(f"---\ntitle: {body.split('،')[0].split(',')[0][:30]}\nlang: {lang}\n"
                    f"date: 2026-12-02\n---\n\n{body}\n\n{body}\n", encoding="utf-8")
    return path


def _pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def _pdfium(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
    finally:
        document.close()


def _contains_in_order(got: list[str], expected: list[str]) -> bool:
    """Whether ``expected`` occurs in ``got`` as a contiguous run of words."""
    n = len(expected)
    return any(got[i:i + n] == expected for i in range(len(got) - n + 1))


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    tmp = tmp_path_factory.mktemp("ar")
    return build(_source(tmp, "ar", ARABIC), ask()).pdf


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed")
def test_pdftotext_gives_the_arabic_words_in_reading_order(arabic: bytes, tmp_path: Path) -> None:
    text = _pdftotext(arabic, tmp_path)
    assert _contains_in_order(words(text), words(ARABIC))
    assert "شرقاً" in text and "تقريباً" in text  # the vowel signs drawn as outlines too


def test_pdfium_gives_the_arabic_words_in_reading_order(arabic: bytes) -> None:
    text = _pdfium(arabic)
    # PDFium reverses the pieces of an address inside right-to-left text (its own bidi
    # pass over "https", "example"...) and may set a vowel sign apart from its letter before
    # a full stop; every other word comes in reading order.
    url = ("https", "example", "org", "sora")
    got = [w for w in words(text, marks=False) if w not in url]
    assert _contains_in_order(got, [w for w in words(ARABIC, marks=False) if w not in url])
    # Letters, never presentation forms nor private-use characters.
    assert not any(0xFB50 <= ord(c) <= 0xFEFF or 0xE000 <= ord(c) <= 0xF8FF or ord(c) >= 0xF0000
                   for c in text)


def test_the_glyphs_drawn_are_harfbuzzs(arabic: bytes, tmp_path: Path) -> None:
    path = tmp_path / "ar.pdf"
    path.write_bytes(arabic)
    drawn = [glyph_ids(run, NASKH) for run in drawn_glyphs(path)
             if "NotoNaskhArabic" in run.font]
    flat = [ids for run in drawn for ids in run]
    # Each Arabic word of the text, shaped alone right to left, is drawn as HarfBuzz gives
    # it (its marks raised above the letters drawn as outlines, not glyphs of the text).
    checked = 0
    for word in {w.rstrip("،.") for w in ARABIC.split()}:
        if not all("\u0600" <= c <= "\u06ff" for c in word):
            continue  # "كم/س": the slash comes from the body font
        expected = [g.gid for g in shape(word, NASKH, 9.6, "rtl").glyphs
                    if g.x_advance or not (g.x_offset or g.y_offset)]
        found = any(all(e in flat[i + k] for k, e in enumerate(expected))
                    for i in range(len(flat) - len(expected) + 1))
        assert found, word
        checked += 1
    assert checked > 20


def test_lines_are_flush_right(arabic: bytes) -> None:
    page = read(arabic)[0]
    # The Arabic letters of the body (a line's first and last words are Arabic here; the
    # boxes of other fonts sit lower or higher).
    # The lead (11.5 pt, ragged) and the body (10 pt, justified).
    body = [c for c in page.chars if round(c.size, 1) in (10.0, 11.5) and "NotoNaskhArabic" in c.font]
    lines: dict[float, list[float]] = {}
    for c in body:
        lines.setdefault(round(c.box.y0, 0), []).append(c.box.x1)
    rights = sorted(max(xs) for xs in lines.values())
    assert len(rights) >= 6
    # Every line ends at the right edge of the text (justified lines and last lines alike).
    assert rights[-1] - rights[0] < 1.0, rights
    lefts = {y: min(c.box.x0 for c in body if round(c.box.y0, 0) == y) for y in lines}
    # ...and the last line of a paragraph starts further in than the others.
    assert max(lefts.values()) - min(lefts.values()) > 50


def test_english_terms_and_numbers_in_the_body_font(arabic: bytes) -> None:
    page = read(arabic)[0]
    fonts = {c.text: c.font for c in page.chars if c.text in "OpenAISora" and abs(c.size - 10.0) < 0.1}
    assert fonts and all("NotoSerif" in f for f in fonts.values()), fonts
    arabic_fonts = {c.font for c in page.chars if c.text and "\u0600" <= c.text[0] <= "\u06ff"}
    assert arabic_fonts and all("NotoNaskhArabic" in f for f in arabic_fonts), arabic_fonts


def test_lang_is_arabic(arabic: bytes) -> None:
    with pikepdf.open(io.BytesIO(arabic)) as pdf:
        assert str(pdf.Root.Lang) == "ar"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed")
def test_hebrew_reads_right_to_left(tmp_path: Path) -> None:
    pdf = build(_source(tmp_path, "he", HEBREW), ask()).pdf
    assert _contains_in_order(words(_pdftotext(pdf, tmp_path)), words(HEBREW))
    url = ("https", "example", "org", "storm")  # PDFium reverses an address's pieces
    assert _contains_in_order([w for w in words(_pdfium(pdf)) if w not in url],
                              [w for w in words(HEBREW) if w not in url])
    page = read(pdf)[0]
    hebrew = [c for c in page.chars if c.text and "\u0590" <= c.text[0] <= "\u05ff"]
    assert hebrew and all("NotoSansHebrew" in c.font for c in hebrew)
    # The Hebrew font has no digits: they come from the body font, and are all there.
    assert "130" in _pdfium(pdf) and "2026" in _pdfium(pdf)


def test_english_with_an_arabic_quotation_stays_left_to_right(tmp_path: Path) -> None:
    text = ("The minister said «الوضع تحت السيطرة» at the press conference, and repeated it "
            "twice before leaving the room without taking any questions from the press.")
    source = tmp_path / "en.md"
    source.write_text(f"---\ntitle: Quoted\nlang: en\n---\n\n{text}\n", encoding="utf-8")
    pdf = build(source, ask()).pdf
    if shutil.which("pdftotext"):
        assert _contains_in_order(words(_pdftotext(pdf, tmp_path)), words(text))
    page = read(pdf)[0]
    first = max((c for c in page.chars if c.text == "T" and "NotoSerif" in c.font),
                key=lambda c: c.box.y0)
    # Flush left, as English is: the first word at the left edge of the text column.
    column_left = min(c.box.x0 for c in page.chars if c.size == first.size)
    assert first.box.x0 - column_left < 1.0
