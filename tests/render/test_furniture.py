"""Page furniture, read from the PDF: the masthead band inside the printable area unless the
theme bleeds it, the logo hanging in the margin beside the title, the folio at one place on
every page (a QR code in the footer stands beside it or above it, never pushes it)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from briefing.assets import assets_dir, sample_source
from briefing.build import build
from briefing.options import PAGE_POINTS, PageSize, ask
from briefing.render import RUNNING_TITLE, cut_at_word
from briefing.theme import load_theme
from briefing.typography import language
from tests.layoutcheck import read_lines
from tests.render.pdfchars import find_one, hex_color, read, same_color

MM = 72 / 25.4
EXAMPLES = assets_dir() / "examples"


def band(pdf: bytes, colour: str) -> tuple[float, float, float, float]:
    """The masthead band's box on page 1: x0, y0, x1, y1."""
    page = read(pdf)[0]
    (rect,) = [r for r in page.rects() if same_color(r.fill, hex_color(colour))
               and r.box.x1 - r.box.x0 > 400]
    return rect.box.x0, rect.box.y0, rect.box.x1, rect.box.y1


def test_the_band_stays_inside_the_printable_area(tmp_path: Path) -> None:
    width, height = PAGE_POINTS[PageSize.A4]
    primary = load_theme("default").colors["primary"]
    x0, _, x1, y1 = band(build(sample_source(), ask(theme="default")).pdf, primary)
    assert abs(x0 - 6 * MM) < 0.5 and abs(width - x1 - 6 * MM) < 0.5
    assert abs(height - y1 - 6 * MM) < 0.5
    bleeding = tmp_path / "bleed.toml"
    bleeding.write_text('extends = "default"\n[masthead]\nbleed = true\n', encoding="utf-8")
    x0, _, x1, y1 = band(build(sample_source(), ask(theme=str(bleeding))).pdf, primary)
    assert x0 <= 0.01 and x1 >= width - 0.01 and y1 >= height - 0.01


def test_the_title_keeps_the_columns_left_edge() -> None:
    lines = read_lines(build(sample_source(), ask(theme="default")).pdf)
    title = [line for line in lines if line.role == "H1"]
    text = [line for line in lines if line.role == "P"]
    assert title and abs(title[0].left - min(line.left for line in text)) < 1.5


@pytest.mark.parametrize("theme", ["default", "campaign", "print"])
@pytest.mark.parametrize("size", ["a4", "a5"])
def test_the_folio_is_at_the_same_place_on_every_page(theme: str, size: str,
                                                      tmp_path: Path) -> None:
    """storm-warning.md has a web source (a QR code on page 1, in the footer in `print`) and
    two pages: "Page 1 / 2" and "Page 2 / 2" end at the same point."""
    source = tmp_path / "storm.md"  # made longer: two pages in every theme
    text = (EXAMPLES / "storm-warning.md").read_text(encoding="utf-8")
    filler = "The coast guard keeps watch through the night along the whole shore. " * 8
    source.write_text(text.replace("## Before the storm", f"{filler}\n\n{filler}\n\n"
                                   "## Before the storm"), encoding="utf-8")
    (tmp_path / "storm-map.png").write_bytes((EXAMPLES / "storm-map.png").read_bytes())
    pdf = build(source, ask(theme=theme, page_size=size)).pdf
    pages = read(pdf)
    assert len(pages) >= 2
    places = []
    for page in pages:
        _, chars = find_one([page], f"{page.number} / {len(pages)}")
        places.append((round(chars[-1].box.x1, 1), round(chars[0].box.y0, 1)))
    assert len(set(places)) == 1, places


def test_capitals_are_letter_spaced_where_the_theme_says(tmp_path: Path) -> None:
    """campaign's section headings: capitals spaced by their style's `tracking` (1 pt)."""
    plain = tmp_path / "plain.toml"
    plain.write_text('extends = "campaign"\n[styles.h2]\ntracking = 0\n', encoding="utf-8")
    widths = []
    for theme in ("campaign", str(plain)):
        lines = read_lines(build(sample_source(), ask(theme=theme)).pdf)
        (heading,) = [line for line in lines if line.text.strip() == "QUESTIONS FRÉQUENTES"]
        widths.append(heading.right - heading.left)
    spaced = len("QUESTIONS FRÉQUENTES") - 1
    assert widths[0] - widths[1] == pytest.approx(spaced * 1.0, abs=1.0)


def footer_text(pdf: bytes) -> str:
    """Page 1's footer line: the characters drawn in its bottom 25 mm."""
    page = read(pdf)[0]
    return "".join(c.text for c in page.chars if c.box.y1 < 25 * MM)


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_the_footer_shows_a_short_title_cut_at_a_word(size: str) -> None:
    footer = footer_text(build(sample_source(), ask(page_size=size)).pdf)
    assert "Briefing · Un groupe d’artistes a créé une plateforme permettant…" in footer
    assert "Sora" not in footer  # not the whole 104-character title


def test_short_title_from_the_front_matter(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    text = (EXAMPLES / "sora-artists.md").read_text(encoding="utf-8")
    source.write_text(text.replace("lang: fr", "lang: fr\nshort_title: OpenAI suspend Sora"),
                      encoding="utf-8")
    assert "Briefing · OpenAI suspend Sora" in footer_text(build(source, ask()).pdf)


@pytest.mark.parametrize(("title", "cut"), [
    ("Un groupe d’artistes a créé une plateforme permettant à quiconque de produire des "
     "vidéos", "Un groupe d’artistes a créé une plateforme permettant…"),
    ("Ce que les habitants de la côte nord doivent savoir avant la tempête de ce soir",
     "Ce que les habitants de la côte nord doivent savoir…"),
    ("Storm warning: what travellers need to know on the north coast tonight and tomorrow",
     "Storm warning: what travellers need to know on the north…"),
    ("A short title", "A short title"),
])
def test_a_cut_title_never_ends_on_a_function_word(title: str, cut: str) -> None:
    lang = language("fr" if "Storm" not in title and "short" not in title else "en")
    assert cut_at_word(title, RUNNING_TITLE, lang) == cut


def subset_names(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return sorted({str(font.BaseFont) for page in doc.pages
                       for font in page.Resources.Font.values()})


def test_font_subsets_have_distinct_reproducible_tags() -> None:
    storm = EXAMPLES / "storm-warning.md"
    names = subset_names(build(storm, ask(theme="campaign")).pdf)
    assert len(names) >= 3
    tags = [name.lstrip("/").split("+")[0] for name in names]
    assert all(re.fullmatch(r"[A-Z]{6}", tag) for tag in tags), names
    assert len(set(tags)) == len(tags), names  # not AAAAAA+ for every font
    assert subset_names(build(storm, ask(theme="campaign")).pdf) == names


LISTS = """---
lang: en
---
# Lists

Text.

- Onea
  - Innera
    - Deepa
- Twoa

3. Firstb
   1. Subb
      1. Subsubb
4. Secondb
"""


def test_nested_list_markers_differ_from_their_parents(tmp_path: Path) -> None:
    source = tmp_path / "lists.md"
    source.write_text(LISTS, encoding="utf-8")
    (page,) = read(build(source, ask()).pdf)

    def marker(word: str) -> str:
        _, chars = find_one([page], word)
        first = chars[0]
        before = [c for c in page.chars if abs(c.box.y0 - first.box.y0) < 1
                  and c.box.x1 <= first.box.x0 and not c.text.isspace()]
        return max(before, key=lambda c: c.box.x1).text

    assert [marker(w) for w in ("Onea", "Innera", "Deepa", "Twoa")] == ["•", "–", "‣", "•"]
    assert [marker(w) for w in ("Firstb", "Subb", "Subsubb", "Secondb")] == ["3", "a", "i", "4"]


@pytest.mark.parametrize("theme", ["default", "campaign", "print"])
def test_a_quotations_attribution_is_on_its_own_line(theme: str) -> None:
    lines = read_lines(build(EXAMPLES / "storm-warning.md", ask(theme=theme)).pdf)
    (quote,) = [line for line in lines if line.text.startswith("“Stay at home")]
    (source,) = [line for line in lines if "the head of civil protection" in line.text]
    assert source.text.strip() == "— the head of civil protection"
    assert source.block != quote.block and source.y < quote.y
    assert source.right > quote.left + 200  # flush right, not run into the quotation


@pytest.mark.parametrize("theme", ["default", "campaign", "print"])
def test_the_qr_code_has_a_label_in_the_documents_language(theme: str, tmp_path: Path) -> None:
    french = tmp_path / "fr.md"
    text = (EXAMPLES / "sora-artists.md").read_text(encoding="utf-8")
    french.write_text(text.replace("lang: fr", "lang: fr\nsource: https://example.org/sora"),
                      encoding="utf-8")
    for source, label in ((EXAMPLES / "storm-warning.md", "Online"), (french, "En ligne")):
        (page, *_) = read(build(source, ask(theme=theme)).pdf)
        _, chars = find_one([page], label)
        # Under the code: in the right margin, or the masthead's right end.
        assert chars[0].box.x0 > page.width * 0.75, (label, chars[0].box)
