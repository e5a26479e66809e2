"""The layout report's rules on measurements made up to break them (the bundled examples break
few of them: ``test_layout_report.py``), and on a layout built to end pages at headings."""

from __future__ import annotations

from briefing.layout_report import pages_of
from briefing.model import Briefing, Meta, Paragraph, Section, SectionKind, Span
from briefing.options import PageSize
from briefing.render import RenderOptions, render
from briefing.render.record import FootRecord, ImageRecord, LayoutRecord, LineRecord
from briefing.theme import load_theme
from briefing.typography import typeset


def _line(block: int, text: str, *, page: int = 1, natural: float = 390.0,
          justified: bool = True, last: bool = False, lead: float = 20.0,
          head: float | None = None) -> LineRecord:
    return LineRecord(block, "paragraph", "P", "body", page, text, 10.0, 400.0, natural,
                      10, 2.6, justified and not last, last, False, lead, head)


def _record(lines: list[LineRecord], pages: int = 1, **kw: object) -> LayoutRecord:
    record = LayoutRecord(body_leading=13.2, body_size=10.0, lines=lines, pages=pages)
    for key, value in kw.items():
        setattr(record, key, value)
    return record


def _rules(record: LayoutRecord, size: PageSize = PageSize.A4) -> list[str]:
    return [f.rule for page in pages_of(record, size) for f in page.findings]


def test_a_hyphen_on_the_penultimate_line_is_a_fragment() -> None:
    lines = [_line(0, "a line that ends with a hyphen, artis-"), _line(0, "tique.", last=True)]
    assert _rules(_record(lines)) == ["fragment"]
    lines[0].text = "a line that ends with a word"
    assert _rules(_record(lines)) == []


def test_three_hyphens_in_a_row_are_a_run() -> None:
    lines = [_line(0, f"line {i} ends in a hyphen: exam-") for i in range(3)]
    lines += [_line(0, "and goes on here"), _line(0, "to its end.", last=True)]
    assert _rules(_record(lines)) == ["hyphens"]
    lines[1].text = "line 1 ends in a word"
    assert _rules(_record(lines)) == []


def test_a_loose_line_is_a_finding_unless_the_next_word_could_not_fit() -> None:
    # 400 pt wide, 10 spaces of 2.6 pt, 20 pt of slack: spaces at 1.77×.
    loose = _line(0, "a loose line", natural=380.0)
    fitting = _line(0, "next words", last=True, lead=15.0)
    assert loose.space_ratio > 1.5
    assert _rules(_record([loose, fitting])) == ["loose"]
    forced = _line(0, "unbreakable next", last=True, lead=40.0)
    report = pages_of(_record([loose, forced]), PageSize.A4)[0]
    assert not report.findings and report.forced_loose
    # The shortest head of a word that hyphenates, with its hyphen, fits: not forced.
    hyphenable = _line(1, "anticonstitutionnellement and more", lead=140.0, head=12.0)
    lines = [_line(1, "a loose line", natural=380.0), hyphenable, _line(1, "end.", last=True)]
    assert _rules(_record(lines)) == ["loose"]


def test_the_measure() -> None:
    long = "x" * 91
    lines = [_line(0, long), _line(0, "end.", last=True)]
    assert _rules(_record(lines)) == ["measure"]
    assert _rules(_record([_line(0, "x" * 90), _line(0, "end.", last=True)])) == []
    assert _rules(_record([_line(0, "x" * 76), _line(0, "end.", last=True)]),
                  PageSize.A5) == ["measure"]
    narrow = [_line(0, "x" * 50) for _ in range(6)] + [_line(0, "end.", last=True)]
    assert _rules(_record(narrow), PageSize.A5) == ["measure"]  # a median under 60


def test_a_gap_at_the_foot() -> None:
    lines = [_line(0, "text", last=True), _line(1, "text", page=2, last=True)]
    hole = FootRecord(1, 120.0, 60.0, 55.0, "a paragraph", "", 0.0)
    assert _rules(_record(lines, pages=2, feet=[hole])) == ["gap"]
    kept = FootRecord(1, 120.0, 60.0, 55.0, "a question", "a question and its answer", 80.0)
    report = pages_of(_record(lines, pages=2, feet=[kept]), PageSize.A4)
    assert not report[0].findings and "did not fit" in report[0].kept_gap
    small = FootRecord(1, 100.0, 39.0, 35.0, "a paragraph", "", 0.0)  # under three lines
    assert _rules(_record(lines, pages=2, feet=[small])) == []


def test_an_image_under_150_ppi() -> None:
    lines = [_line(0, "text", last=True)]
    blurred = ImageRecord(1, "map.png", (800, 600), (400.0, 300.0))  # 144 ppi
    assert blurred.ppi == 144
    assert _rules(_record(lines, images=[blurred])) == ["image"]
    sharp = ImageRecord(1, "map.png", (900, 675), (400.0, 300.0))  # 162 ppi
    assert _rules(_record(lines, images=[sharp])) == []


WORDS = ("The committee met again on Tuesday to review the plans for the coastal districts, "
         "and the residents asked how the work would be paid for and when it would start. ")


def test_headings_at_a_page_foot_leave_no_unexplained_gap() -> None:
    """A heading near a page's foot goes over with the start of its text (``HeadingRoom``):
    any gap of more than three lines that leaves is said as kept, never a finding."""
    theme = load_theme("default")
    kept = 0
    for filler in range(8, 16):
        paragraphs = tuple(Paragraph((Span(f"Filler {i}. " + WORDS * 2),)) for i in range(filler))
        briefing = typeset(Briefing("Headings at the foot of a page", sections=(
            Section(SectionKind.ARTICLE, None, paragraphs),
            Section(SectionKind.CONCLUSION, "The heading", (Paragraph((Span(WORDS * 9),)),)),
        ), meta=Meta(lang="en")))
        record = render(briefing, theme, RenderOptions(layout=True)).layout
        assert record is not None and record.pages >= 2
        pages = pages_of(record, PageSize.A4)
        assert not [f for page in pages for f in page.findings if f.rule == "gap"]
        kept += sum(1 for foot in record.feet
                    if foot.kept == "a heading with the start of what follows"
                    and foot.needed > foot.room and foot.next_block.startswith("a heading"))
    assert kept, "no length sent a heading over to the next page"
