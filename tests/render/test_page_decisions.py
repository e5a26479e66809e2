"""Page decisions, read from the PDF: a heading keeps with the start of its paragraph, not all
of it, so no hole at a page's foot; images at most 35 % of the text frame's height and never
enlarged beyond 150 ppi; a document that overflows its last page by a little is copy-fitted
(spacing, leading and images within bounds) onto one page fewer."""

from __future__ import annotations

import pytest

from briefing.assets import assets_dir
from briefing.build import build
from briefing.model import Briefing, Meta, Paragraph, Section, SectionKind, Span
from briefing.options import PAGE_POINTS, PageSize, ask
from briefing.render import RenderOptions, render
from briefing.theme import load_theme
from briefing.typography import typeset
from tests.layoutcheck import read_lines
from tests.render.pdfchars import read

EXAMPLES = assets_dir() / "examples"
WORDS = ("The committee met again on Tuesday to review the plans for the coastal districts, "
         "and the residents asked how the work would be paid for and when it would start. ")


def _briefing(filler: int) -> Briefing:
    paragraphs = tuple(Paragraph((Span(f"Filler {i}. " + WORDS * 2),)) for i in range(filler))
    long = Paragraph((Span("Longpara starts. " + WORDS * 9),))
    return typeset(Briefing("Headings at the foot of a page", sections=(
        Section(SectionKind.ARTICLE, None, paragraphs),
        Section(SectionKind.CONCLUSION, "The heading", (long,)),
    ), meta=Meta(lang="en")))


def test_a_heading_keeps_with_the_start_of_its_paragraph_not_all_of_it() -> None:
    theme = load_theme("default")
    seen_split = False
    for filler in range(8, 16):
        result = render(_briefing(filler), theme, RenderOptions())
        lines = read_lines(result.pdf)
        (heading,) = [line for line in lines if line.text.strip() == "The heading"]
        body = [line for line in lines if line.role == "P" and line.block == next(
            b.block for b in lines if b.text.startswith("Longpara"))]
        on_its_page = [line for line in body if line.page == heading.page]
        assert len(on_its_page) >= 2, (filler, "a heading without two lines of its text")
        if len(on_its_page) < len(body):  # the paragraph goes on over the page
            seen_split = True
            last = min(line.y for line in lines if line.page == heading.page)
            leading = 13.6
            # What is left at the foot: less than three lines (the frame's bottom: 65 pt).
            assert last - 65 < 4 * leading, (filler, last)
    assert seen_split, "no length put the heading near a page's foot"


@pytest.mark.parametrize("theme", ["default", "campaign", "print"])
@pytest.mark.parametrize("size", ["a4", "a5"])
def test_images_stay_small_and_sharp(theme: str, size: str) -> None:
    result = build(EXAMPLES / "storm-warning.md", ask(theme=theme, page_size=size))
    _, height = PAGE_POINTS[PageSize(size)]
    images = [(image, page) for page in read(result.pdf) for image in page.images()]
    assert images
    for image, _ in images:
        assert image.size is not None
        shown = image.box.x1 - image.box.x0
        assert image.size[0] / (shown / 72) >= 149.5  # pixels per inch on the page
        assert image.box.y1 - image.box.y0 <= 0.35 * height  # well under 35 % of the frame


def test_a_small_overflow_is_copy_fitted_onto_one_page_fewer() -> None:
    """storm-warning.md in print spills less than 15 % of a page: spacing, leading and the map
    give way, and it holds on one page."""
    assert build(EXAMPLES / "storm-warning.md", ask(theme="print")).pages == 1
