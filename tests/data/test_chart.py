"""Charts from data: the spec, limits per type, alt text written from the data, the data as
a table, the palette; and the drawing as a reader gets it in a PDF (fonts, sizes, colours,
each value by its bar)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from briefing.data.chart import ChartData, alt_text, chart_data, chart_spec, data_table
from briefing.data.draw import LABEL_SIZE, ChartStyle, draw_chart
from briefing.data.load import parse_data
from briefing.data.palette import OKABE_ITO, contrast, difference, palette
from briefing.errors import DataError
from briefing.render.fonts import register_font

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
WHERE = "article.md, line 40 (chart)"
CASES = ("region;cases;recovered\nNorth;1 204;880\nSouth;980;700\nEast;412;390\n"
         "West;1 388;1 020\nÎle-de-France;1 912;1 500\n")


def datasets(lang: str = "fr") -> dict[str, Any]:
    weekly = "\n".join(f"{dt.date(2026, 1, 5) + dt.timedelta(weeks=i)};{200 + 9 * i};"
                       f"{150 + (i * 37) % 60}" for i in range(30))
    return {
        "cases": parse_data(CASES.encode(), name="cases", file="cases.csv", fmt="csv",
                            lang="fr"),
        "weekly": parse_data(f"week;north;south\n{weekly}\n".encode(), name="weekly",
                             file="weekly.csv", fmt="csv", lang="fr"),
    }


def chart(spec: dict[str, Any], lang: str = "fr") -> ChartData:
    return chart_data(chart_spec(spec, where=WHERE), datasets(lang), lang=lang, where=WHERE)


BAR = {"type": "bar", "data": "cases", "x": "region", "y": "cases", "title": "Cases by region"}


def test_alt_text_in_english_and_french() -> None:
    assert alt_text(chart(BAR, "en")) == (
        "Bar chart, cases by region: North 1,204; South 980; East 412, the lowest; "
        "West 1,388; Île-de-France 1,912, the highest.")
    french = chart({**BAR, "title": "Cas par région", "sort": "-cases"}, "fr")
    assert alt_text(french) == (
        "Diagramme en barres, cas par région\u00a0: Île-de-France 1\u202f912, le plus élevé"
        "\u202f; West 1\u202f388\u202f; North 1\u202f204\u202f; South 980\u202f; "
        "East 412, le plus bas.")


def test_alt_text_of_several_series_and_of_a_long_line() -> None:
    two = chart({**BAR, "y": ["cases", "recovered"]}, "en")
    text = alt_text(two)
    assert text.startswith("Bar chart, cases by region. Cases: North 1,204;")
    assert "Recovered: North 880;" in text
    line = chart({"type": "line", "data": "weekly", "x": "week",
                  "y": [{"column": "north", "label": "North"}]}, "en")
    assert alt_text(line) == (
        "Line chart, north by week: 30 points from January 5, 2026 to July 27, 2026; "
        "highest 461 (July 27, 2026), lowest 200 (January 5, 2026), last 461.")
    assert alt_text(chart({"type": "line", "data": "weekly", "x": "week", "y": "north"},
                          "fr")).startswith("Graphique en courbes, north par week\u00a0: 30 "
                                            "points du 5 janvier 2026 au 27 juillet 2026")


def test_the_data_as_a_table_for_screen_readers() -> None:
    header, rows = data_table(chart({**BAR, "y": ["cases", "recovered"]}, "en"))
    assert header == ("region", "cases", "recovered")
    assert rows[0] == ("North", "1,204", "880") and len(rows) == 5


@pytest.mark.parametrize(("spec", "problem"), [
    ({**BAR, "type": "pie"}, "type: 'pie' is not one of bar, horizontal bar, line, stacked bar"),
    ({**BAR, "y": ["cases"] * 5}, "y: 5 series (a bar chart shows at most 4)"),
    ({k: v for k, v in BAR.items() if k != "x"}, "x: missing"),
    ({**BAR, "colour": "red"}, "colour: unknown key"),
    ({**BAR, "y": "region"}, "y: cases.csv, line 2, column \"region\": 'North' is not a "
                             "number"),
    ({**BAR, "x": "regoin"}, "x: cases.csv has no column 'regoin'; did you mean \"region\"?"),
    ({**BAR, "limit": 99}, "limit: expected a whole number from 1 to 24"),
])
def test_spec_errors_name_the_block_and_the_key(spec: dict[str, Any], problem: str) -> None:
    with pytest.raises(DataError) as info:
        chart(spec)
    assert info.value.message.startswith(WHERE + ": ") and problem in info.value.message


def test_too_many_points_for_the_type_is_a_clear_error() -> None:
    rows = "\n".join(f"R{i},{i}" for i in range(10_000))
    big = parse_data(f"region,n\n{rows}\n".encode(), name="big", file="big.csv", fmt="csv",
                     lang="en")
    spec = chart_spec({"type": "bar", "data": "big", "x": "region", "y": "n"}, where=WHERE)
    with pytest.raises(DataError, match=r"10,000 values of 'region' is too many for a bar "
                                        r"chart \(at most 24 with 1 series\); add limit:"):
        chart_data(spec, {"big": big}, lang="en", where=WHERE)
    spec = chart_spec({"type": "line", "data": "big", "x": "region", "y": "n"}, where=WHERE)
    with pytest.raises(DataError, match=r"too many for a line chart \(at most 400"):
        chart_data(spec, {"big": big}, lang="en", where=WHERE)
    top = chart_spec({"type": "horizontal bar", "data": "big", "x": "region", "y": "n",
                      "sort": "-n", "limit": 10}, where=WHERE)
    assert chart_data(top, {"big": big}, lang="en", where=WHERE).categories[0] == "R9999"


def test_palette_puts_theme_colours_first_when_they_stay_apart() -> None:
    assert palette(3, ("#1F3A5F", "#E8702A")) == ("#1F3A5F", "#E8702A", "#0072B2")
    # a yellow accent vanishes on paper; black twice is one colour
    assert palette(2, ("#C8102E", "#FFC629")) == ("#C8102E", "#0072B2")
    assert palette(2, ("#000000", "#000000")) == ("#000000", "#0072B2")
    six = palette(6, ("#1F3A5F", "#E8702A"))
    assert all(difference(a, b) >= 15 for i, a in enumerate(six) for b in six[i + 1:])
    assert all(contrast(c) >= 2 for c in six) and "#F0E442" not in OKABE_ITO


# --- the drawing, read back from a PDF ---------------------------------------------------------

TYPES = {
    "bar": {**BAR, "sort": "-cases"},
    "horizontal bar": {**BAR, "type": "horizontal bar", "sort": "-cases"},
    "grouped bar": {**BAR, "y": ["cases", "recovered"]},
    "line": {"type": "line", "data": "weekly", "x": "week", "y": ["north", "south"],
             "title": "Weekly cases"},
    "stacked bar": {**BAR, "type": "stacked bar", "y": ["cases", "recovered"]},
}
THEME = ("#1F3A5F", "#E8702A")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    regular = register_font(ASSETS / "NotoSans-Regular.ttf").name
    bold = register_font(ASSETS / "NotoSans-Bold.ttf").name
    style = ChartStyle(font=regular, bold=bold, first_colours=THEME)
    out = {}
    for name, spec in TYPES.items():
        path = tmp_path_factory.mktemp("charts") / f"{name.replace(' ', '-')}.pdf"
        canvas = Canvas(str(path), pagesize=A4, initialFontName=regular)
        drawn = draw_chart(chart(spec, "en"), style, width=A4[0] - 144)
        assert not drawn.missing
        renderPDF.draw(drawn.drawing, canvas, 72, A4[1] - 72 - drawn.drawing.height)
        canvas.showPage()
        canvas.save()
        out[name] = path
    return out


def _hex(colour: Any) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in colour[:3])


@pytest.mark.parametrize("name", list(TYPES))
def test_every_font_embedded_and_every_label_legible(pdfs: dict[str, Path], name: str) -> None:
    with pikepdf.open(pdfs[name]) as pdf:
        fonts = pdf.pages[0].Resources.Font
        names = [str(fonts[k].BaseFont) for k in fonts]
        assert names and all("NotoSans" in n for n in names), names  # never Helvetica
        assert all("/FontFile2" in fonts[k].DescendantFonts[0].FontDescriptor
                   if "/DescendantFonts" in fonts[k] else "/FontFile2" in
                   fonts[k].FontDescriptor for k in fonts)
    with pdfplumber.open(pdfs[name]) as pdf:
        chars = pdf.pages[0].chars
        assert chars and min(c["size"] for c in chars) >= 7
        assert any(c["size"] >= LABEL_SIZE for c in chars)


def _words(page: Any) -> list[dict[str, Any]]:
    return page.extract_words(keep_blank_chars=False, use_text_flow=False,
                              extra_attrs=["size"])


def test_horizontal_bars_carry_their_own_values_first_row_on_top(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs["horizontal bar"]) as pdf:
        page = pdf.pages[0]
        bars = sorted((r for r in page.rects if r["width"] > 20 and r["height"] > 5),
                      key=lambda r: r["top"])
        words = _words(page)
        expected = [("Île-de-France", "1,912"), ("West", "1,388"), ("North", "1,204"),
                    ("South", "980"), ("East", "412")]
        assert len(bars) == 5
        for bar, (region, value) in zip(bars, expected, strict=True):
            middle = (bar["top"] + bar["bottom"]) / 2
            row = [w["text"] for w in sorted(words, key=lambda w: w["x0"])
                   if w["top"] < middle < w["bottom"]]
            assert row[0] == region and row[-1] == value, row
            label = next(w for w in words if w["text"] == value)
            assert 0 < label["x0"] - bar["x1"] < 8  # just after the bar's end
        widths = [b["width"] for b in bars]
        assert widths == sorted(widths, reverse=True)
        assert {_hex(b["non_stroking_color"]) for b in bars} == {THEME[0]}


def test_vertical_bars_values_above_their_bars(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs["bar"]) as pdf:
        page = pdf.pages[0]
        bars = sorted((r for r in page.rects if r["height"] > 20), key=lambda r: r["x0"])
        words = _words(page)
        for bar, value in zip(bars, ["1,912", "1,388", "1,204", "980", "412"], strict=True):
            label = next(w for w in words if w["text"] == value)
            assert abs((label["x0"] + label["x1"]) / 2 - (bar["x0"] + bar["x1"]) / 2) < 1
            assert 0 < bar["top"] - label["bottom"] < 8
        heights = [b["height"] for b in bars]
        assert heights == sorted(heights, reverse=True)
        assert max(b["width"] for b in bars) <= 28.01  # measured bars, not slabs


def test_several_series_take_the_palette_and_have_a_legend(pdfs: dict[str, Path]) -> None:
    for name in ("grouped bar", "stacked bar"):
        with pdfplumber.open(pdfs[name]) as pdf:
            page = pdf.pages[0]
            fills = {_hex(r["non_stroking_color"]) for r in page.rects if r["height"] > 5}
            assert fills == set(palette(2, THEME)), name
            text = page.extract_text()
            assert "cases" in text and "recovered" in text
            gridlines = [ln for ln in page.lines if ln["width"] > 300]
            assert len(gridlines) >= 4  # light gridlines, without values on the bars
            assert all(_hex(ln["stroking_color"]) in ("#D9DEE5", "#5F6B7A") for ln in gridlines)


def test_line_chart_lines_in_the_palette_and_thinned_labels(pdfs: dict[str, Path]) -> None:
    with pdfplumber.open(pdfs["line"]) as pdf:
        page = pdf.pages[0]
        strokes = {_hex(c["stroking_color"]) for c in page.curves + page.lines
                   if c.get("stroking_color") and c["width"] > 300 and c["height"] > 5}
        assert strokes == set(palette(2, THEME))
        dates = [w for w in _words(page) if w["text"] in ("Jan", "Feb", "Mar", "Apr", "May",
                                                            "Jun", "Jul")]
        assert 3 <= len(dates) <= 8  # thinned to at most eight labels
