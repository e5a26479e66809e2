"""What the source says is what the page shows: emphasis in its own face, blocks inside the
advice box, a lead that is text, the subtitle, the source's logo and table alignment.

Each test reads the PDF as a reader gets it (fonts and boxes of characters, images, rules).
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest

from briefing.assets import asset
from briefing.build import BuildResult, build
from briefing.errors import SourceError
from briefing.options import PAGE_POINTS, PageSize, ask
from briefing.read.fields import load_briefing
from briefing.render import display_scale, measured_margins
from briefing.theme import Theme, builtin_themes
from tests.render.pdfchars import (
    Box,
    Page,
    bounds,
    find,
    find_one,
    hex_color,
    postscript_name,
    read,
    same_color,
)
from tests.render.pdfcheck import elements

THEMES = sorted(builtin_themes())


def _build(tmp_path: Path, text: str, name: str = "doc.md", **options: object) -> BuildResult:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return build(source, ask(**options))  # type: ignore[arg-type]


def png(path: Path, width: int, height: int, rgb: tuple[int, int, int] = (40, 90, 160)) -> Path:
    """A small solid PNG of a given pixel size."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height,
                                                                     8, 2, 0, 0, 0))
                     + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
    return path


# --- 1. bold and italic reach the page ---------------------------------------------------

EMPHASIS = """---
title: Emphasis
lang: en
---

The lead paragraph.

Words in **Bdqz** and in *Itqz* and in ***Bthqz*** and in plain Plqz.
"""


@pytest.mark.parametrize("theme_name", THEMES)
def test_bold_and_italic_are_drawn_in_their_faces(tmp_path: Path, theme_name: str) -> None:
    result = _build(tmp_path, EMPHASIS, theme=theme_name)
    pages = read(result.pdf)
    body = result.theme.fonts[result.theme.style("body").font]
    expected = {"Plqz": body.regular, "Bdqz": body.bold, "Itqz": body.italic,
                "Bthqz": body.bold_italic}
    for token, path in expected.items():
        _, chars = find_one(pages, token)
        assert {c.font for c in chars} == {postscript_name(path)}, token


def test_font_families_survive_lazy_loading(tmp_path: Path) -> None:
    """reportlab maps a newly registered font's bold and italic back to itself; after a cold
    build (a fresh process: fonts are registered on first use), the theme's family mapping
    still holds for anything that asks reportlab for <b> or <i>."""
    source = tmp_path / "doc.md"
    source.write_text(EMPHASIS, encoding="utf-8")
    script = (
        "import sys\n"
        "from reportlab.lib.fonts import ps2tt, tt2ps\n"
        "from briefing.build import build\n"
        "from briefing.render.fonts import font_name\n"
        "body = build(sys.argv[1]).theme.fonts['body']\n"
        "r = font_name(body.regular)\n"
        "print(ps2tt(r) == (r.lower(), 0, 0), tt2ps(r, 1, 0) == font_name(body.bold),\n"
        "      tt2ps(r, 0, 1) == font_name(body.italic),\n"
        "      tt2ps(r, 1, 1) == font_name(body.bold_italic))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(source)], capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["True"] * 4, out


# --- 2. blocks inside the advice box fit its inner width ---------------------------------

ADVICE = """---
title: Storm warning for the coast
lang: en
sections: {advice: "Before the storm"}
---

The lead paragraph comes first.

An article paragraph.

## Before the storm

- Charge your phone
- Keep a torch at hand
  1. nested, numbered

> A block quote.

![Map of the area](map.png "The flooded streets, at noon")

| Zone | Risk | Notes |
|------|------|-------|
| A    | high | the whole sea front and the harbour |

```
a code line that is long enough to reach the right edge of the advice box, and then some more
```
"""


def frame(theme: Theme, size: str | None = None) -> tuple[float, float]:
    """Left and right edges of the text frame, in points."""
    width, _ = PAGE_POINTS[PageSize((size or theme.page.size).lower())]
    scale = display_scale(width)
    _, right, _, left = (m * 72 / 25.4 * scale for m in theme.margins)
    left, right = measured_margins(width, left, right, theme.page.measure * 72 / 25.4)
    return left, width - right


def callout_boxes(page: Page, theme: Theme, size: str | None = None) -> list[Box]:
    """The advice boxes on a page: from the rule on their left (every theme draws one), as wide
    as the text frame. In themes that fill the box, the filled rectangle is the same box."""
    left, right = frame(theme, size)
    rule = hex_color(theme.callout.rule_color)
    width = theme.callout.rule_width
    boxes = [Box(r.box.x0, r.box.y0, right, r.box.y1) for r in page.rects()
             if same_color(r.fill, rule) and abs((r.box.x1 - r.box.x0) - width) < 0.05
             and abs(r.box.x0 - left) < 0.5]
    if theme.callout.fill:
        shade = hex_color(theme.colors["callout_background"])
        fills = [r.box for r in page.rects() if same_color(r.fill, shade)]
        for box in boxes:
            assert any(abs(f.x0 - box.x0) < 0.5 and abs(f.x1 - box.x1) < 0.5
                       and abs(f.y0 - box.y0) < 0.5 and abs(f.y1 - box.y1) < 0.5
                       for f in fills), "the shaded box and the rule disagree"
    return boxes


def inner(box: Box, theme: Theme) -> Box:
    rule = theme.callout.rule_width
    pad = theme.callout.padding
    return Box(box.x0 + rule + pad, box.y0 + pad, box.x1 - pad, box.y1 - pad)


@pytest.mark.parametrize("theme_name", THEMES)
def test_blocks_in_the_advice_box_fit_inside_it(tmp_path: Path, theme_name: str) -> None:
    shutil.copy(asset("examples", "storm-map.png"), tmp_path / "map.png")
    result = _build(tmp_path, ADVICE, theme=theme_name)
    theme = result.theme
    pages = read(result.pdf)
    cap_page, caption = find_one(pages, "The flooded streets, at noon")
    (image,) = [(p, i) for p in pages for i in p.images() if i.size == (900, 420)] or [None]
    img_page, img = image
    assert img_page is cap_page, "the caption is on another page than its image"
    boxes = callout_boxes(cap_page, theme)
    (box,) = [b for b in boxes if bounds(caption).inside(b)]
    assert img.box.inside(inner(box, theme)), (img.box, inner(box, theme))
    assert bounds(caption).inside(inner(box, theme))
    _, right = frame(theme)
    for page in pages:
        page_boxes = callout_boxes(page, theme)
        for paint in page.paints:
            if paint.kind in ("line", "image") and any(paint.box.inside(b) or
                                                       (paint.box.overlaps_x(b) and
                                                       b.y0 <= paint.box.y0 <= b.y1)
                                                       for b in page_boxes):
                assert any(paint.box.inside(inner(b, theme)) for b in page_boxes), paint
        for char in page.chars:
            assert char.box.x1 <= right + 0.6, (char, right)
    for token in ("whole sea front", "Risk", "Notes", "a code line"):
        _, chars = find_one(pages, token)
        assert any(bounds(chars).inside(inner(b, theme)) for b in callout_boxes(_, theme)), token


# --- 3. a lead is text ---------------------------------------------------------------------


def test_a_lead_that_is_not_a_paragraph_is_refused_naming_the_field(tmp_path: Path) -> None:
    data = {"title": "T", "lead": ["A paragraph.", {"type": "list", "items": ["one", "two"]}]}
    with pytest.raises(ValueError, match=r"^lead\[1\]: .*paragraph"):
        load_briefing(data)
    source = tmp_path / "brief.yaml"
    source.write_text("title: T\nlead:\n  - A paragraph.\n  - type: list\n    items: [one, two]\n",
                      encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        build(source)
    message = caught.value.message
    assert message.startswith(f"{source}, line 4: lead[1]:"), message
    assert "ListBlock" not in message and "section" in message


def test_the_schema_accepts_only_paragraphs_as_the_lead() -> None:
    import jsonschema

    from briefing.read.schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    assert validator.is_valid({"title": "T", "lead": ["A paragraph.", {"spans": ["b"]}]})
    assert validator.is_valid({"title": "T", "lead": "A paragraph."})
    assert not validator.is_valid({"title": "T", "lead": [{"type": "list", "items": ["a"]}]})
    assert not validator.is_valid({"title": "T", "lead": [{"type": "quote", "blocks": ["a"]}]})


# --- 4. the subtitle is printed ----------------------------------------------------------

SUBTITLE = """---
title: Storm warning for the coast
subtitle: What residents need to know
lang: en
---

The lead paragraph comes first.

An article paragraph.
"""


@pytest.mark.parametrize("theme_name", THEMES)
def test_the_subtitle_is_printed_under_the_title_with_a_lead(tmp_path: Path,
                                                             theme_name: str) -> None:
    result = _build(tmp_path, SUBTITLE, theme=theme_name)
    pages = read(result.pdf)
    _, title = next(find(pages, "Storm warning"))  # then in the footer
    _, subtitle = find_one(pages, "What residents need to know")
    _, lead = find_one(pages, "The lead paragraph")
    assert bounds(title).y0 > bounds(subtitle).y1 > bounds(lead).y1
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        roles = [(str(e.S), e) for e in elements(pdf)]
        kinds = [r for r, _ in roles]
        assert kinds.index("/H1") < kinds.index("/P")


def test_the_subtitle_without_a_lead_is_printed_once(tmp_path: Path) -> None:
    text = SUBTITLE.replace("The lead paragraph comes first.\n\n", "## Body\n\n")
    result = _build(tmp_path, text)
    pages = read(result.pdf)
    find_one(pages, "What residents need to know")


# --- 5. the source's logo and table alignment --------------------------------------------

LOGO = """---
title: A briefing with its own logo
lang: en
logo: {logo}
organisation: Coastal Civil Protection
---

The lead paragraph.

A paragraph.
"""


@pytest.mark.parametrize("theme_name", THEMES)
def test_the_sources_logo_is_shown_in_the_masthead(tmp_path: Path, theme_name: str) -> None:
    png(tmp_path / "city.png", 61, 37)
    result = _build(tmp_path, LOGO.format(logo="city.png"), theme=theme_name)
    pages = read(result.pdf)
    logos = [i for i in pages[0].images() if i.size == (61, 37)]
    assert len(logos) == 1
    _, title = find_one(pages, "A briefing with")
    _, lead = find_one(pages, "The lead paragraph")
    assert logos[0].box.y0 > bounds(lead).y1  # in the masthead, above the lead
    assert logos[0].box.y1 >= bounds(title).y0 and logos[0].box.y0 <= bounds(title).y1
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        alts = [str(e.get("/Alt", "")) for e in elements(pdf) if str(e.S) == "/Figure"]
    assert "Coastal Civil Protection" in alts
    assert (tmp_path / "city.png").resolve() in result.files()


@pytest.mark.parametrize("logo", ["../outside.png", "missing.png", "https://example.org/a.png"])
def test_a_logo_outside_the_source_folder_is_refused(tmp_path: Path, logo: str) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    png(tmp_path / "outside.png", 10, 10)
    with pytest.raises(SourceError, match="logo"):
        _build(folder, LOGO.format(logo=logo))


ALIGNED = """---
title: Aligned table
lang: en
---

The lead paragraph.

| Town | Rain (mm) | Level |
|:-----|----------:|:-----:|
| Aberdeen | 5 | low |
| Brest | 1250 | very high |
| Cork | 37.5 | medium |
"""


def test_table_columns_are_aligned_as_the_source_says(tmp_path: Path) -> None:
    result = _build(tmp_path, ALIGNED)
    pages = read(result.pdf)
    right = [bounds(find_one(pages, t)[1]) for t in ("Rain (mm)", "1250", "37.5")]
    assert max(b.x1 for b in right) - min(b.x1 for b in right) < 0.5, right
    assert max(b.x0 for b in right) - min(b.x0 for b in right) > 5
    centre = [bounds(find_one(pages, t)[1]) for t in ("Level", "very high", "medium")]
    mids = [(b.x0 + b.x1) / 2 for b in centre]
    assert max(mids) - min(mids) < 0.5, mids
    left = [bounds(find_one(pages, t)[1]) for t in ("Town", "Aberdeen", "Brest")]
    assert max(b.x0 for b in left) - min(b.x0 for b in left) < 0.5
