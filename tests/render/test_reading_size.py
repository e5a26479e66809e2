"""Reading size and measure, read from the pages of the bundled examples in every built-in
theme and page size:

- running text (paragraphs, answers, the advice box) set at 10 to 10.5 pt (the lead larger,
  notes smaller);
- at most 90 characters on a full line (every line of a paragraph but its last) on A4 and
  Letter; 60 to 75 on A5;
- the sample still on one A4 page, also with a QR code to its source;
- a theme's ``[page] measure``: the text column at most that wide, centred.
"""

from __future__ import annotations

import datetime as dt
import statistics

import msgspec
import pytest

from briefing.assets import assets_dir, sample_source
from briefing.build import build
from briefing.options import PAGE_POINTS, PageSize, ask
from briefing.read import read_briefing
from briefing.render import RenderOptions, render
from briefing.theme import builtin_themes, load_theme
from briefing.typography import typeset
from tests.layoutcheck import Line, blocks, read_lines

EXAMPLES = assets_dir() / "examples"
THEMES = sorted(builtin_themes())
CASES = [(source, theme, size) for source in ("sora-artists.txt", "storm-warning.md")
         for theme in THEMES for size in ("a4", "letter", "a5")]


def full_lines(lines: list[Line]) -> list[Line]:
    """The lines of running-text paragraphs that are not a paragraph's last."""
    return [line for block in blocks(lines).values() if block[0].role == "P"
            for line in block[:-1]]


@pytest.mark.parametrize(("source", "theme", "size"), CASES, ids=["-".join(c) for c in CASES])
def test_reading_size_and_measure(source: str, theme: str, size: str) -> None:
    result = build(EXAMPLES / source, ask(theme=theme, page_size=size))
    lines = read_lines(result.pdf)
    full = full_lines(lines)
    assert len(full) >= 5
    # Running text is the size most lines are set in (the lead is larger, notes smaller).
    body = statistics.mode(round(line.chars[0].size, 2) for line in full)
    assert 10 <= body <= 10.5
    full = [line for line in full if round(line.chars[0].size, 2) == body]
    counts = [len(line.text.rstrip()) for line in full]
    if size == "a5":
        assert max(counts) <= 75 and statistics.median(counts) >= 60, counts
    else:
        too_long = [line.text for line in full if len(line.text.rstrip()) > 90]
        assert not too_long
        assert statistics.median(counts) >= 70, counts  # not a narrow column either


@pytest.mark.parametrize("theme", THEMES)
def test_the_sample_stays_on_one_a4_page(theme: str) -> None:
    briefing, _ = read_briefing(str(sample_source()))
    briefing = typeset(briefing)
    web = msgspec.structs.replace(briefing, meta=msgspec.structs.replace(
        briefing.meta, source="https://www.example.org/actualites/openai-suspend-sora"))
    for each in (briefing, web):
        result = render(each, load_theme(theme),
                        RenderOptions(page=PAGE_POINTS[PageSize.A4], date=dt.date(2026, 12, 2)))
        assert result.pages == 1


def test_measure_keeps_the_column_centred(tmp_path) -> None:  # type: ignore[no-untyped-def]
    theme = tmp_path / "narrow.toml"
    theme.write_text('extends = "default"\n[page]\nmeasure = 100\n', encoding="utf-8")
    result = build(EXAMPLES / "storm-warning.md", ask(theme=str(theme), page_size="a4"))
    lines = full_lines(read_lines(result.pdf))
    left = min(line.left for line in lines)
    right = max(line.right for line in lines)
    width = PAGE_POINTS[PageSize.A4][0]
    mm = 72 / 25.4
    assert right - left == pytest.approx(100 * mm, abs=1.5)
    assert left == pytest.approx(width - right, abs=1.5)
