"""A right-to-left briefing's page is mirrored: the masthead's logo on the right and its QR
code on the left, the kicker and labels in the language, the callout and quotation rules on
the right, list markers and indents on the right, the footer's first text flush right and the
folio on the left, the running header flush right. Characters no font has in the furniture
are reported as those of the body are."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest

from briefing.build import build
from briefing.options import ask
from tests.render.pdfchars import Page, read

pytest.importorskip("uharfbuzz")
pytest.importorskip("bidi")

PARAGRAPH = ("ستصل عاصفة قوية إلى الساحل الشمالي الليلة، مع رياح تصل سرعتها إلى 130 كم/س "
             "وأمواج عالية وأمطار غزيرة من الساعة العاشرة مساءً حتى ظهر الغد. ")
SOURCE = f"""---
title: تحذير من عاصفة على الساحل الشمالي
lang: ar
date: 2026-12-02
organisation: الحماية المدنية الساحلية
source: https://example.org/storm-warning
sections:
  advice: قبل العاصفة
---

{PARAGRAPH * 2}

> «ابقوا في منازلكم الليلة إلا إذا اضطررتم للسفر.»

## قبل العاصفة

1. أدخلوا أثاث الحديقة والحاويات أو اربطوها.
2. اشحنوا هواتفكم واحتفظوا بمصباح يدوي.

## الخلاصة

{chr(10).join([PARAGRAPH * 3 + chr(10)] * 12)}
"""


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("rtl") / "storm.md"
    path.write_text(SOURCE, encoding="utf-8")
    return build(path, ask()).pdf


@pytest.fixture(scope="module")
def pages(pdf: bytes) -> list[Page]:
    return read(pdf)


def _arabic(page: Page, size: float) -> list[float]:
    return [c.box.x1 for c in page.chars if abs(c.size - size) < 0.05
            and "NotoNaskhArabic" in c.font]


def test_masthead_logo_right_qr_left(pages: list[Page]) -> None:
    page = pages[0]
    # The QR code's modules (small dark squares in the band) sit on the left.
    modules = [p for p in page.rects() if p.fill and max(p.fill) < 0.3
               and p.box.x1 - p.box.x0 < 6 and p.box.y0 > page.height - 120]
    assert len(modules) > 50 and max(p.box.x1 for p in modules) < page.width / 4
    # The title ends on the right, short of the margin: the logo stands between.
    title = [c for c in page.chars if c.size > 15]
    right_edge = max(c.box.x1 for c in title)
    assert page.width * 0.6 < right_edge < page.width - 54 - 30


def test_kicker_date_and_folio_in_arabic(pdf: bytes) -> None:
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    # The kicker ("إحاطة · 2 ديسمبر 2026") and the folio ("الصفحة 1 من 2") in Arabic.
    for word in ("إحاطة", "ديسمبر", "2026", "الصفحة", "من"):
        assert word in text, word


def test_callout_and_quote_rules_on_the_right(pages: list[Page]) -> None:
    page = pages[0]
    rules = [p for p in page.rects() if p.box.x1 - p.box.x0 < 4 and p.box.y1 - p.box.y0 > 10]
    assert rules, "no rule beside the quotation or the advice box"
    assert all(r.box.x0 > page.width / 2 for r in rules), rules


def test_list_markers_on_the_right(pages: list[Page]) -> None:
    page = pages[0]
    markers = [c for c in page.chars if c.text in "12" and "NotoSerif" in c.font
               and c.box.x0 > page.width / 2]
    assert len(markers) >= 2
    body_right = max(_arabic(page, 10.0))
    # The numbers stand in the right margin of the list's text, past its indent.
    items = [c for c in page.chars if abs(c.size - 10.0) < 0.05 and "NotoNaskhArabic" in c.font
             and abs(c.box.y0 - markers[0].box.y0) < 6]
    assert items and max(c.box.x1 for c in items) < markers[0].box.x0 < body_right + 1


def test_footer_and_header_mirrored(pages: list[Page]) -> None:
    assert len(pages) >= 2
    for page in pages:
        footer = [c for c in page.chars if abs(c.size - 7.2) < 0.05 and c.box.y0 < 80]
        digits = [c for c in footer if c.text.isdigit()]
        words = [c for c in footer if "NotoNaskhArabic" in c.font]
        # The folio ("الصفحة 1 من 2") on the left half, the organisation flush right.
        assert digits and min(c.box.x0 for c in digits) < page.width / 2
        assert max(c.box.x1 for c in words) > page.width * 0.75
    header = [c for c in pages[1].chars if c.box.y0 > pages[1].height - 60]
    assert header and max(c.box.x1 for c in header) > pages[1].width * 0.75
    assert min(c.box.x0 for c in header) > pages[1].width / 3  # flush right, not left


def test_missing_glyphs_in_the_furniture_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "odd.md"
    # U+10FFFD: a private-use character no font has, in the title that the footer repeats.
    path.write_text("---\ntitle: Storm \U0010FFFD warning\nlang: en\n---\n\nText.\n",
                    encoding="utf-8")
    result = build(path, ask())
    message = " ".join(result.warnings)
    assert "U+10FFFD" in message and "the page footer" in message, message


def _first_and_last_lines(pdf: bytes) -> tuple[str, str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        lines = document[0].get_textpage().get_text_range().splitlines()
    finally:
        document.close()
    return lines[0], lines[-1]


@pytest.mark.parametrize(("lang", "digits", "date", "folio"), [
    ("ar", "locale", "2 ديسمبر 2026", "الصفحة 1 من 1"),
    ("ar", "native", "٢ ديسمبر ٢٠٢٦", "الصفحة ١ من ١"),
    ("ar-EG", "locale", "٢ ديسمبر ٢٠٢٦", "الصفحة ١ من ١"),
    ("fa", "locale", "۲ دسامبر ۲۰۲۶", "صفحهٔ ۱ از ۱"),
    ("fa", "latn", "2 دسامبر 2026", "صفحهٔ 1 از 1"),
])
def test_dates_and_page_numbers_in_the_digits_asked(tmp_path: Path, lang: str, digits: str,
                                                    date: str, folio: str) -> None:
    path = tmp_path / "short.md"
    path.write_text(f"---\ntitle: تحذير من عاصفة\nlang: {lang}\ndate: 2026-12-02\n---\n\n"
                    f"{PARAGRAPH}\n", encoding="utf-8")
    kicker, footer = _first_and_last_lines(build(path, ask(digits=digits)).pdf)
    assert date in kicker and folio in footer, (kicker, footer)


def test_the_tagged_structure_passes_the_checks_of_latin_briefings(pdf: bytes,
                                                                   tmp_path: Path) -> None:
    pdfua = pytest.importorskip("pdfua")
    path = tmp_path / "ar.pdf"
    path.write_bytes(pdf)
    assert pdfua.validate(str(path)).findings == ()
    import pikepdf

    with pikepdf.open(path) as doc:
        assert doc.Root.MarkInfo.Marked and str(doc.Root.Lang) == "ar"
        # The structure tree holds the text in reading order, for screen readers.
        texts: list[str] = []

        def walk(node: pikepdf.Object) -> None:
            if isinstance(node, pikepdf.Dictionary):
                if "/ActualText" in node:
                    texts.append(str(node.ActualText))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    for kid in kids:
                        walk(kid)
                elif isinstance(kids, pikepdf.Dictionary):
                    walk(kids)

        walk(doc.Root.StructTreeRoot)
    assert any(PARAGRAPH.strip()[:40] in t for t in texts), texts[:5]


def test_a_theme_names_its_own_font_for_a_script(tmp_path: Path) -> None:
    import shutil as sh

    from briefing.assets import asset

    sh.copy(asset("fonts", "DejaVuSans.ttf"), tmp_path / "MyArabic.ttf")
    theme = tmp_path / "mine.toml"
    theme.write_text('extends = "default"\n[fonts.arabic]\nregular = "MyArabic.ttf"\n',
                     encoding="utf-8")
    path = tmp_path / "ar.md"
    path.write_text(f"---\ntitle: تحذير\nlang: ar\n---\n\n{PARAGRAPH}\n", encoding="utf-8")
    page = read(build(path, ask(theme=str(theme))).pdf)[0]
    arabic = {c.font for c in page.chars if c.text and "\u0621" <= c.text[0] <= "\u064a"}
    # The theme's font (regular for bold too, as it gives no bold) instead of Noto Naskh.
    assert arabic == {"DejaVuSans"}, arabic
