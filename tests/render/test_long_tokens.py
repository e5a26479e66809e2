"""Long tokens (findings C2 and D5): a URL or any token longer than a line is broken after
``/ . - ? & = _`` or, as a last resort, anywhere; it never runs past the text frame, every
character comes back in order, and a long paragraph is broken into lines once, not once per
page. (Time and memory on 100 KB tokens: ``benchmarks/long_tokens.py``.)"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.lib.units import mm

from briefing.model import Briefing, Meta, Paragraph, Section, SectionKind, Span
from briefing.options import PAGE_POINTS, PageSize
from briefing.render import RenderOptions, display_scale, measured_margins, paragraph, render
from briefing.theme import load_theme
from briefing.typography import typeset

SEGMENTS = "https://example.org/" + "/".join(f"segment{i}" for i in range(60))
TRACKING = ("https://news.example.com/articles/2026/12/02/storm-warning-for-the-coast?"
            + "&".join(f"utm_{k}=value_{k}_{'x' * 12}" for k in range(12)) + "&id=9f8e7d6c5b4a")
HASH = "9f8e7d6c5b4a3f2e1d0c" * 25  # 500 characters, nowhere to break but anywhere


def _chars(pdf: bytes) -> list[tuple[int, str, float, float]]:
    """Every character drawn: page, character, left and right edge of its box."""
    out = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            text = doc[index].get_textpage()
            left, right = ctypes.c_double(), ctypes.c_double()
            bottom, top = ctypes.c_double(), ctypes.c_double()
            for i in range(text.count_chars()):
                if pdfium_c.FPDFText_IsGenerated(text, i):
                    continue
                char = chr(pdfium_c.FPDFText_GetUnicode(text, i))
                # pdfium reports a hyphen drawn at a line's end as a soft hyphen's mark.
                char = "-" if char in "\x02\ufffe" else char
                if char.isspace():
                    continue
                pdfium_c.FPDFText_GetCharBox(text, i, left, right, bottom, top)
                out.append((index, char, left.value, right.value))
    finally:
        doc.close()
    return out


def _build(token: str, size: str = "a4", advice: bool = False) -> tuple[bytes, float, float]:
    text = f"Read the full notice at {token} before tonight, and tell your neighbours."
    block = (Paragraph((Span(text),)),)
    section = Section(SectionKind.ADVICE if advice else SectionKind.ARTICLE,
                      "Advice" if advice else None, block)
    briefing = Briefing("Long tokens", sections=(section,), meta=Meta(lang="en"))
    theme = load_theme(None)
    pdf = render(typeset(briefing), theme, RenderOptions(page=PAGE_POINTS[PageSize(size)])).pdf
    width, _ = PAGE_POINTS[PageSize(size)]
    _, margin_right, _, margin_left = (m * mm * display_scale(width) for m in theme.margins)
    margin_left, margin_right = measured_margins(width, margin_left, margin_right,
                                                 theme.page.measure * mm)
    return pdf, margin_left, width - margin_right


@pytest.mark.parametrize("token", [SEGMENTS, TRACKING, HASH], ids=["segments", "tracking", "hash"])
@pytest.mark.parametrize(("size", "advice"), [("a4", False), ("a5", True)],
                         ids=["a4-body", "a5-callout"])
def test_D5_a_long_token_stays_inside_the_text_frame(token: str, size: str, advice: bool) -> None:
    pdf, left, right = _build(token, size, advice)
    chars = _chars(pdf)
    text = "".join(c for _, c, _, _ in chars)
    start = text.index(token[:12])
    drawn = chars[start:start + len(token)]
    # Every character comes back, in order, with nothing added (no hyphen in a URL).
    assert "".join(c for _, c, _, _ in drawn) == token
    for page, char, x0, x1 in drawn:
        assert left - 1 <= x0 and x1 <= right + 1, (page, char, x0, x1, left, right)


def test_D5_a_url_is_cut_after_its_slashes_and_read_whole() -> None:
    pdf, _, _ = _build(SEGMENTS)
    doc = pdfium.PdfDocument(pdf)
    lines = doc[0].get_textpage().get_text_range().split("\r\n")
    doc.close()
    cut = [line for line in lines if "segment" in line][:-1]
    assert len(cut) >= 2
    assert all(line.rstrip().endswith("/") for line in cut[1:]), cut


def test_C2_a_paragraph_is_broken_once_whatever_its_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    spans: list[tuple[int, int]] = []
    original = paragraph._choose

    def counted(source: paragraph.Source, span: paragraph.Span, key: tuple[float, ...]) -> object:
        spans.append((span.t0, span.k0))
        return original(source, span, key)

    monkeypatch.setattr(paragraph, "_choose", counted)
    word = "https://example.org/" + "b/" * 6000  # about three pages of one token
    briefing = Briefing("One long token", sections=(
        Section(SectionKind.ARTICLE, None, (Paragraph((Span(word),)),)),))
    result = render(typeset(briefing), load_theme(None), RenderOptions())
    assert result.pages >= 3
    # Whole paragraphs only (the title and the text, once per layout tried): the pieces left
    # for the next pages keep their lines and are never broken again.
    assert spans and all(span == (0, 0) for span in spans), spans
