"""reportlab's known failure modes, one test each: the layout never raises, loses no word, and
keeps a heading with what follows it."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from PIL import Image as PILImage

from briefing.model import (
    Briefing,
    CodeBlock,
    FaqEntry,
    Footnote,
    Image,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Section,
    SectionKind,
    Span,
    Table,
)
from briefing.render import RenderOptions, RenderResult, render
from briefing.theme import load_theme
from briefing.typography import typeset
from tests.pdftext import missing_words, pdf_text

LONG_WORD = "Donaudampfschifffahrtsgesellschaft" * 60  # 2,040 characters, no break point
URL = "https://example.org/" + "/".join(f"segment-{i}_part" for i in range(150))
PAGE_OF_TEXT = " ".join(f"word{i} lorem ipsum dolor sit amet" for i in range(700))


def para(text: str) -> Paragraph:
    return Paragraph((Span(text),))


def article(*blocks: object, kind: SectionKind = SectionKind.ARTICLE,
            heading: str | None = None) -> Briefing:
    return Briefing("Failure modes", sections=(Section(kind, heading, tuple(blocks)),))  # type: ignore[arg-type]


def build(briefing: Briefing, base_dir: Path = Path(".")) -> RenderResult:
    return render(typeset(briefing), load_theme(None),
                  RenderOptions(base_dir=base_dir, max_pages=1000))


def assert_complete(briefing: Briefing, result: RenderResult) -> None:
    assert not missing_words(list(briefing.texts()), result.pdf)


# --- words and URLs wider than the column --------------------------------------------------

@pytest.mark.parametrize("text", [LONG_WORD, URL, f"see {URL}, then {LONG_WORD}."])
def test_word_wider_than_the_column_is_broken(text: str) -> None:
    briefing = Briefing(
        "Long words", lead=(para(text),),
        sections=(
            Section(SectionKind.ARTICLE, "Heading", (para(text), Quote((para(text),)))),
            Section(SectionKind.ADVICE, "Advice", (para(text),)),
            Section(SectionKind.FAQ, "FAQ", (), (FaqEntry(f"{text} ?", (para(text),)),)),
        ),
    )
    assert_complete(briefing, build(briefing))


def test_long_word_is_fast() -> None:
    # reportlab measures every hyphenation point of a word that does not fit: quadratic.
    import time

    briefing = article(para(LONG_WORD * 3))  # 6,120 characters: 2.5 s before the fix, 0.2 s after
    start = time.perf_counter()
    build(briefing)
    assert time.perf_counter() - start < 1.5


def assert_cells_complete(table: Table, result: RenderResult) -> None:
    # A row split across pages interleaves its cells: each cell's words come back in order.
    for row in (table.header, *table.rows):
        for cell in row:
            assert not missing_words([cell[0].text], result.pdf)


def test_long_word_in_narrow_table_columns() -> None:
    cells = tuple((Span(f"{LONG_WORD[:300]}{i}"),) for i in range(6))
    table = Table(cells, (cells, cells))
    assert_cells_complete(table, build(article(table)))


def test_code_line_wider_than_the_column() -> None:
    briefing = article(CodeBlock(LONG_WORD + "\n" + URL))
    assert_complete(briefing, build(briefing))


def test_title_taller_than_a_page() -> None:
    import time

    briefing = Briefing(PAGE_OF_TEXT, lead=(para("The lead follows."),))
    start = time.perf_counter()
    result = build(briefing)
    # The running header shortens the title on every page: 158 s when it measured each prefix.
    assert time.perf_counter() - start < 10
    assert result.pages >= 2
    assert_complete(briefing, result)


# --- blocks taller than a page -------------------------------------------------------------

def test_table_with_more_rows_than_a_page() -> None:
    rows = tuple(((Span(f"row {i}"),), (Span("value"),)) for i in range(200))
    briefing = article(Table(((Span("Name"),), (Span("Value"),)), rows))
    result = build(briefing)
    assert result.pages > 2
    assert_complete(briefing, result)
    # The header row repeats on every page.
    assert pdf_text(result.pdf).count("Name") == result.pages


def test_table_row_taller_than_a_page() -> None:
    table = Table(((Span("a"),), (Span("b"),)),
                  (((Span(PAGE_OF_TEXT),), (Span("short"),)),
                   ((Span(PAGE_OF_TEXT.replace("word", "other")),), (Span("x"),))))
    result = build(article(table))
    assert result.pages > 2
    assert_cells_complete(table, result)


def test_callout_taller_than_a_page() -> None:
    many = tuple(para(f"advice {i} " + "text " * 60) for i in range(60))
    briefing = article(*many, kind=SectionKind.ADVICE, heading="Advice")
    result = build(briefing)
    assert result.pages > 2
    assert_complete(briefing, result)


def test_callout_with_one_paragraph_taller_than_a_page() -> None:
    briefing = article(para(PAGE_OF_TEXT), kind=SectionKind.ADVICE, heading="Advice")
    assert_complete(briefing, build(briefing))


def test_faq_answer_longer_than_a_page() -> None:
    briefing = Briefing("FAQ", sections=(Section(SectionKind.FAQ, "FAQ", (), (
        FaqEntry("First question?", (para(PAGE_OF_TEXT),)),
        FaqEntry(PAGE_OF_TEXT + "?", (para("A short answer."),)),
    )),))
    result = build(briefing)
    assert result.pages > 2
    assert_complete(briefing, result)


def test_quote_list_and_footnote_longer_than_a_page() -> None:
    briefing = Briefing(
        "Long blocks",
        sections=(Section(SectionKind.ARTICLE, None, (
            Quote((para(PAGE_OF_TEXT),)),
            ListBlock((ListItem((para(PAGE_OF_TEXT),)), ListItem((para("second"),)))),
            CodeBlock("\n".join(f"line {i}" for i in range(300))),
        )),),
        footnotes=(Footnote("1", (para(PAGE_OF_TEXT),)),),
    )
    assert_complete(briefing, build(briefing))


# --- images larger than the frame ----------------------------------------------------------

def _image_boxes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every image drawn (from the ``cm`` before each ``Do``)."""
    boxes = []
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        for page in doc.pages:
            matrix: list[float] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "cm":
                    matrix = [float(x) for x in operands]
                elif str(operator) == "Do" and matrix:
                    boxes.append((matrix[0], matrix[3]))
    return boxes


@pytest.mark.parametrize("size", [(2500, 9000), (9000, 300), (20, 20000)])  # within MAX_PIXELS
def test_image_larger_than_the_frame(tmp_path: Path, size: tuple[int, int]) -> None:
    PILImage.new("RGB", size, (200, 30, 30)).save(tmp_path / "big.png")
    briefing = article(para("Before."), Image("big.png", "A big image"), para("After."))
    result = build(briefing, tmp_path)
    theme = load_theme(None)
    frame_width = (210 - theme.margins[1] - theme.margins[3]) / 25.4 * 72
    boxes = [b for b in _image_boxes(result.pdf) if b[0] > 100 or b[1] > 100]
    assert boxes, "the image was not drawn"
    for width, height in boxes:
        assert width <= frame_width + 0.01
        assert height <= 842 * 0.75
    assert not missing_words(["Before.", "After."], result.pdf)


# --- a heading never ends a page -----------------------------------------------------------

def _pages_of(pdf: bytes, marker: str) -> list[int]:
    pages = re.split(r"\f", pdf_text_pages(pdf))
    return [n for n, text in enumerate(pages, 1) if marker in text]


def pdf_text_pages(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\f".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("kind", [SectionKind.ARTICLE, SectionKind.FAQ, "subheading"])
def test_heading_is_kept_with_what_follows(kind: object) -> None:
    # Slide the heading down the first page line by line: wherever the page ends, the
    # heading goes to the page of the text that follows it.
    bottom_cases = 0
    for n in range(20, 90, 2):
        filler = tuple(para(f"Filler paragraph {i} " + "text " * 18) for i in range(n))
        if kind == "subheading":
            from briefing.model import Heading

            sections = (Section(SectionKind.ARTICLE, None,
                                (*filler, Heading("Zebraheading"), para("Followingtext here."))),)
        elif kind is SectionKind.FAQ:
            sections = (Section(SectionKind.ARTICLE, None, filler),
                        Section(SectionKind.FAQ, "FAQ", (), (
                            FaqEntry("Zebraheading?", (para("Followingtext here."),)),
                            FaqEntry("Other?", (para("Answer."),)))))
        else:
            sections = (Section(SectionKind.ARTICLE, None, filler),
                        Section(SectionKind.ARTICLE, "Zebraheading", (para("Followingtext here."),)))
        result = build(Briefing("Keep with next", sections=sections))
        heading, following = _pages_of(result.pdf, "Zebraheading"), _pages_of(result.pdf, "Followingtext")
        assert heading == following, f"{n} fillers: heading on {heading}, text on {following}"
        if heading != [1]:
            bottom_cases += 1
            if bottom_cases == 3:
                break
    assert bottom_cases, "the heading never reached the end of page 1: the test proves nothing"
