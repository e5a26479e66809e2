"""The rendering contract: what a source says is what the page shows.

One document, generated here, holds every inline style (bold, italic, bold italic, code,
link, a span in another language, a footnote reference, and their combinations) in every
container that holds inline text (lead, article paragraph, advice box, conclusion, FAQ answer,
list items at two levels, quote, table header and cell, footnote), and plain text in the
containers the model keeps as plain text (title, subtitle, FAQ question, image caption). It
is built in every built-in theme on A4 and A5, once each, and read back at the character
level. The contract:

- each span is drawn in the face the theme maps for its style in its container (derived here
  from the theme's data, independently of the renderer); a face the theme lacks is set in
  the nearest face it has, and the build says so in a warning;
- every character, image and rule lies inside the page's text area, and inside its container's
  inner box (the advice box, a quote, a table cell);
- no page break separates an image from its caption, or a question from its answer.

Every span's text is a unique four-letter token: a container code then a style code, so each
one is found exactly once on the page.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from briefing.assets import asset
from briefing.build import BuildResult, build
from briefing.options import PAGE_POINTS, PageSize, ask
from briefing.render import band_inset, display_scale, measured_margins
from briefing.render.story import PRINTABLE_INSET
from briefing.theme import WEIGHTS, Theme, builtin_themes
from tests.render.pdfchars import (
    Box,
    Char,
    Page,
    Paint,
    bounds,
    find_one,
    hex_color,
    postscript_name,
    read,
    same_color,
)

MM = 72 / 25.4
THEMES = sorted(builtin_themes())
SIZES = ("a4", "a5")

#: Inline styles: code -> the span's fields besides its text.
STYLES: dict[str, dict[str, Any]] = {
    "pl": {},
    "bo": {"bold": True},
    "it": {"italic": True},
    "bi": {"bold": True, "italic": True},
    "co": {"code": True},
    "cb": {"code": True, "bold": True},
    "ci": {"code": True, "italic": True},
    "cx": {"code": True, "bold": True, "italic": True},
    "li": {"href": "https://example.org/li"},
    "lb": {"href": "https://example.org/lb", "bold": True},
    "lt": {"href": "https://example.org/lt", "italic": True},
    "lc": {"href": "https://example.org/lc", "code": True},
    "la": {"lang": "de"},
    "lo": {"lang": "de", "bold": True, "italic": True},
    "ll": {"lang": "de", "href": "https://example.org/ll", "italic": True},
    "nr": {"note": "1"},
    "nb": {"note": "1", "bold": True},
}

#: Containers holding inline text: code -> (style role, where the test puts it).
INLINE: dict[str, str] = {
    "Le": "lead",
    "Ar": "body",  # an article paragraph
    "La": "body",  # a list item, first level (in the article)
    "Lb": "body",  # a list item, second level
    "Qu": "quote",
    "Ad": "advice_body",
    "Al": "advice_body",  # a list item in the advice box
    "Th": "table_header",
    "Td": "table",
    "Co": "body",  # the conclusion
    "Fa": "faq_answer",
    "Fn": "footnote",
}
#: Containers the model keeps as plain text: token -> style role.
PLAIN: dict[str, str] = {
    "Tiqz": "title",
    "Suqz": "subtitle",
    "Fqqz": "faq_question",
    "Caqz": "caption",
    "Cbqz": "caption",
}


def token(container: str, style: str) -> str:
    return f"{container}{style.upper()}"


def spans(container: str) -> list[Any]:
    out: list[Any] = []
    for style, fields in STYLES.items():
        out += [{"text": token(container, style), **fields}, " "]
    return out[:-1]


def para(container: str) -> dict[str, Any]:
    return {"type": "paragraph", "spans": spans(container)}


def contract_source() -> dict[str, Any]:
    image = {"type": "image", "src": "map.png", "alt": "A map"}
    return {
        "title": "Tiqz contract",
        "meta": {"lang": "en", "date": "2026-12-02", "subtitle": "Suqz of the contract"},
        "lead": [para("Le")],
        "sections": [
            {"kind": "article", "blocks": [
                para("Ar"),
                {"type": "list", "items": [
                    {"blocks": [para("La"), {"type": "list", "ordered": True,
                                             "items": [[para("Lb")]]}]},
                    "A second item.",
                ]},
                {"type": "quote", "blocks": [para("Qu")]},
                {**image, "caption": "Caqz the article's map"},
            ]},
            {"kind": "advice", "heading": "What to do", "blocks": [
                para("Ad"),
                {"type": "list", "items": [[para("Al")], "Another item."]},
                {**image, "caption": "Cbqz the advice's map"},
                {"type": "table", "header": [spans("Th"), "Remark"],
                 "rows": [[spans("Td"), "a remark"], ["plain", "other remark"]]},
            ]},
            {"kind": "conclusion", "heading": "Conclusion", "blocks": [para("Co")]},
            {"kind": "faq", "heading": "FAQ", "entries": [
                {"question": "Fqqz when does it arrive?", "answer": [para("Fa")]},
                {"question": "Is it over?", "answer": "Not yet."},
                {"question": "Where to go?", "answer": "Up the hill."},
            ]},
        ],
        "footnotes": [{"label": "1", "blocks": [para("Fn")]}],
    }


@dataclass
class Built:
    theme: Theme
    size: str
    result: BuildResult
    pages: list[Page]


@pytest.fixture(scope="module", params=[(t, s) for t in THEMES for s in SIZES],
                ids=lambda p: f"{p[0]}-{p[1]}")
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    theme, size = request.param
    folder = tmp_path_factory.mktemp(f"contract-{theme}-{size}")
    shutil.copy(asset("examples", "storm-map.png"), folder / "map.png")
    source = folder / "contract.json"
    source.write_text(json.dumps(contract_source()), encoding="utf-8")
    result = build(source, ask(theme=theme, page_size=size))
    return Built(result.theme, size, result, read(result.pdf))


# --- faces ---------------------------------------------------------------------------------


def expected_face(theme: Theme, role: str, fields: dict[str, Any]) -> tuple[Path, str, bool]:
    """The face file a span should be drawn in, its weight, and whether the theme lacks it.

    The contract, from the theme's data: a span takes its container's style's family and
    weight; bold adds weight; italic inside italic text is upright again; code is set in the
    mono family at the container's weight but never its slant.
    """
    style = theme.style(role)
    bold = style.weight in ("bold", "bold_italic") or bool(fields.get("bold"))
    if fields.get("code"):
        family, slant = "mono", bool(fields.get("italic"))
    else:
        family = style.font
        slant = (style.weight in ("italic", "bold_italic")) != bool(fields.get("italic"))
    weight = WEIGHTS[bold + 2 * slant]
    fonts = theme.fonts[family]
    return getattr(fonts, weight), f"{family}.{weight}", weight in fonts.missing


def test_every_span_is_drawn_in_its_face(built: Built) -> None:
    wrong = []
    lacking: set[str] = set()
    for container, role in INLINE.items():
        for style, fields in STYLES.items():
            _, chars = find_one(built.pages, content=True, token= token(container, style))
            path, face, missing = expected_face(built.theme, role, fields)
            drawn = {c.font for c in chars}
            if drawn != {postscript_name(path)}:
                wrong.append(f"{token(container, style)} ({role}, {face}): {drawn}")
            if missing:
                lacking.add(face)
    for word, role in PLAIN.items():
        _, chars = find_one(built.pages, content=True, token= word)
        path, face, _ = expected_face(built.theme, role, {})
        if {c.font for c in chars} != {postscript_name(path)}:
            wrong.append(f"{word} ({role}, {face}): {({c.font for c in chars})}")
    assert not wrong, "\n".join(wrong)
    # A face the theme lacks is never a silent fallback.
    assert lacking, "the document should ask for a face the built-in themes lack"
    warning = next((w for w in built.result.warnings if "lacks faces" in w), "")
    for face in lacking:
        family, weight = face.split(".")
        assert f"no {weight.replace('_', ' ')} face for fonts.{family}" in warning, warning


def test_bold_and_italic_faces_really_differ(built: Built) -> None:
    """The contract would hold vacuously if a theme mapped every weight to one file."""
    body = built.theme.fonts["body"]
    names = {postscript_name(getattr(body, w)) for w in WEIGHTS}
    assert len(names) == 4


def test_no_warning_but_the_lacking_faces(built: Built) -> None:
    others = [w for w in built.result.warnings if "lacks faces" not in w]
    assert others == []


# --- geometry ------------------------------------------------------------------------------


@dataclass
class Frame:
    left: float
    right: float
    bottom: float  # the lowest a line of text may sit (above the footer)
    top_first: float
    top_later: float


def frame(theme: Theme, size: str) -> Frame:
    width, height = PAGE_POINTS[PageSize(size.lower())]
    scale = display_scale(width)
    top, right, bottom, left = (m * MM * scale for m in theme.margins)
    left, right = measured_margins(width, left, right, theme.page.measure * MM)
    band = theme.masthead.band
    return Frame(left, width - right, bottom + 9 * MM,
                 height - band_inset(theme) if band else height - top, height - top)


def underlines(page: Page) -> list[Paint]:
    """The links' underlines: lines under a link's characters (the link's decoration, checked
    by test_contrast), within their glyph boxes' descent."""
    links = [c for c in page.chars if c.tag == "Link" and not c.text.isspace()]
    return [p for p in page.paints if p.kind == "line" and any(
        c.box.y0 - 1 <= p.box.y0 <= c.box.y0 + 0.45 * c.size and p.box.x0 - 0.5 <= c.box.x0
        and c.box.x1 <= p.box.x1 + 0.5 for c in links)]


def drawn(page: Page) -> list[Paint]:
    """What a page paints, links' underlines left out."""
    skip = underlines(page)
    return [p for p in page.paints if p not in skip]


def _is_bleed(paint_box: Box, page: Page) -> bool:
    """The masthead band and its stripe run to the page's edges, or to the printable area's,
    by design."""
    return paint_box.x0 <= PRINTABLE_INSET + 0.5 and paint_box.x1 >= page.width - PRINTABLE_INSET - 0.5


def test_everything_lies_in_the_text_area(built: Built) -> None:
    f = frame(built.theme, built.size)
    for page in built.pages:
        top = f.top_first if page.number == 1 else f.top_later
        for char in page.chars:
            if char.text.isspace():  # no ink: the space that ends a line for text extraction
                continue
            assert f.left - 0.6 <= char.box.x0 and char.box.x1 <= f.right + 0.6, (page.number,
                                                                                 char)
            if char.tag != "Artifact":  # running header and footer sit in the margins
                assert f.bottom - 2 <= char.box.y0 and char.box.y1 <= top + 0.6, (page.number,
                                                                                 char)
        for paint in drawn(page):
            if _is_bleed(paint.box, page):
                continue
            assert f.left - 0.6 <= paint.box.x0 and paint.box.x1 <= f.right + 0.6, (
                page.number, paint)


def _boxes(page: Page, color: str, rule_width: float, padding: float,
           right: float) -> list[tuple[Box, Box]]:
    """(outer box, inner box) of each callout-like box on a page, found by the rule on its
    left (every theme draws one), as wide as its container."""
    out = []
    for rect in page.rects():
        if same_color(rect.fill, hex_color(color)) and abs(rect.box.x1 - rect.box.x0
                                                           - rule_width) < 0.05:
            outer = Box(rect.box.x0, rect.box.y0, right, rect.box.y1)
            out.append((outer, Box(outer.x0 + rule_width + padding, outer.y0 + padding,
                                   outer.x1 - padding, outer.y1 - padding)))
    return out


def advice_boxes(built: Built, page: Page) -> list[tuple[Box, Box]]:
    theme = built.theme
    rule = theme.callout.rule_color
    boxes = _boxes(page, rule,
                   theme.callout.rule_width,
                   theme.callout.padding, frame(theme, built.size).right)
    if theme.callout.fill:
        shade = hex_color(theme.colors["callout_background"])
        fills = [r.box for r in page.rects() if same_color(r.fill, shade)]
        for outer, _ in boxes:  # the shaded rectangle is the box
            assert any(abs(b.x0 - outer.x0) < 0.5 and abs(b.x1 - outer.x1) < 0.5 and
                       abs(b.y0 - outer.y0) < 0.5 and abs(b.y1 - outer.y1) < 0.5 for b in fills)
    return boxes


def _inside_one(box: Box, boxes: list[tuple[Box, Box]], tol: float = 0.6) -> bool:
    return any(box.inside(inner, tol) for _, inner in boxes)


ADVICE_TOKENS = [token(c, s) for c in ("Ad", "Al", "Th", "Td") for s in STYLES] + ["Cbqz"]


def test_advice_content_lies_inside_the_boxs_inner_box(built: Built) -> None:
    assert any(advice_boxes(built, page) for page in built.pages)
    for word in ADVICE_TOKENS:
        page, chars = find_one(built.pages, content=True, token= word)
        # A line's glyph boxes reach its leading's top: a point of tolerance in height.
        assert any(bounds(chars).inside(inner, 1.5) for _, inner in advice_boxes(built, page)), (
            word, bounds(chars))
    for page in built.pages:
        boxes = advice_boxes(built, page)
        for paint in drawn(page):
            if paint.kind == "rect" or not any(paint.box.overlaps_x(o) and o.y0 - 0.5 <=
                                               paint.box.y0 <= o.y1 + 0.5 for o, _ in boxes):
                continue
            # Images and table rules inside the box stay inside its padding.
            assert _inside_one(paint.box, boxes), (page.number, paint)


def test_quote_content_lies_inside_the_quote(built: Built) -> None:
    page, chars = find_one(built.pages, content=True, token= token("Qu", "pl"))
    right = frame(built.theme, built.size).right
    quotes = _boxes(page, built.theme.colors["rule"], 2, 6, right)
    (inner,) = [i for o, i in quotes if bounds(chars).inside(o, 1.5)]
    for style in STYLES:
        _, chars = find_one(built.pages, content=True, token= token("Qu", style))
        assert bounds(chars).inside(inner, 1.5), (style, bounds(chars), inner)


def test_table_cells_hold_their_text(built: Built) -> None:
    """Each cell's text lies between its row's rules, within the table's width, and clear of
    the next column's text."""
    page, first = find_one(built.pages, content=True, token= token("Th", "pl"))
    _, notes = find_one(built.pages, content=True, token= "Remark")
    _, note = find_one(built.pages, content=True, token= "a remark")
    lines = sorted((p.box for p in drawn(page) if p.kind == "line"), key=lambda b: -b.y0)
    header_rule = next(b for b in lines if b.y0 < bounds(first).y0)
    table_left, table_right = header_rule.x0, header_rule.x1
    for container, other, below in (("Th", notes, header_rule), ("Td", note, None)):
        cell = [c for s in STYLES for c in find_one(built.pages, content=True, token= token(container, s))[1]]
        box = bounds(cell)
        assert table_left - 0.6 <= box.x0 and box.x1 <= table_right + 0.6
        assert box.x1 < bounds(other).x0, (container, "runs into the next column")
        if below is not None:
            assert box.y0 >= below.y0 - 0.6
        else:
            rules = [b for b in lines if b.y0 < header_rule.y0 and b.x0 == table_left]
            assert rules and box.y0 >= rules[0].y0 - 0.6 and box.y1 <= header_rule.y0 + 0.6


# --- what must stay together -----------------------------------------------------------------


def _first_char(built: Built, word: str) -> tuple[Page, Char]:
    page, chars = find_one(built.pages, content=True, token= word)
    return page, chars[0]


@pytest.mark.parametrize("caption", ["Caqz", "Cbqz"])
def test_an_image_stays_with_its_caption(built: Built, caption: str) -> None:
    page, chars = find_one(built.pages, content=True, token= caption)
    images = [i for i in page.images() if i.size == (900, 420)]
    cap = bounds(chars)
    # Under it: overlapping it across (a narrower image is centred, its caption flush left).
    under = [i for i in images if cap.x0 < i.box.x1 and i.box.x0 < cap.x1
             and 0 <= i.box.y0 - cap.y1 < 16]
    assert under, f"the caption {caption} is not right under its image on page {page.number}"


def test_a_question_stays_with_its_answer(built: Built) -> None:
    question, _ = _first_char(built, "Fqqz")
    answer, _ = _first_char(built, token("Fa", "pl"))
    assert question.number == answer.number
    for q, a in (("Is it over?", "Not yet."), ("Where to go?", "Up the hill.")):
        assert _first_char(built, q)[0].number == _first_char(built, a)[0].number


def test_a_heading_stays_with_what_follows(built: Built) -> None:
    """Never a heading alone at the foot of a page, in the advice box or out of it."""
    for heading, role, follows in (("What to do", "advice_heading", token("Ad", "pl")),
                                   ("FAQ", "h2", "Fqqz"), ("Conclusion", "h2", token("Co", "pl"))):
        if built.theme.style(role).upper:
            heading = heading.upper()
        assert _first_char(built, heading)[0].number == _first_char(built, follows)[0].number, (
            heading)


def test_the_document_spans_pages(built: Built) -> None:
    """The contract is checked across page breaks, not on one page."""
    assert len(built.pages) >= 2


def test_no_rule_tops_a_page(built: Built) -> None:
    """A hairline between FAQ pairs separates them: at the top of a page, under the running
    header's rule, it would only double it."""
    f = frame(built.theme, built.size)
    for page in built.pages[1:]:
        text = [c.box.y1 for c in page.chars if c.tag != "Artifact" and not c.text.isspace()]
        first_line = max(text, default=0.0)
        stray = [p for p in drawn(page) if p.kind == "line" and first_line < p.box.y0 < f.top_later]
        assert not stray, (page.number, stray)
