"""Visual regression: page 1 of each built-in theme (the sample, A4) against a reference PNG.

The comparison is the mean absolute difference of RGB levels (0-255) at 30 dpi: a changed
colour, a moved block or a missing logo shows up far above the threshold, while kerning or
hyphenation changes of a few glyphs stay below it. On failure the actual image is saved in
``tests/render/_actual/`` (git-ignored) beside the reference.

Refresh the references after an intended change of the design:

    BRIEFING_UPDATE_REFERENCES=1 PYTHONPATH=. python -m pytest tests/render/test_visual.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat

from briefing.assets import sample_source
from briefing.options import PAGE_POINTS, PageSize
from briefing.read import read_briefing
from briefing.render import RenderOptions, render
from briefing.theme import builtin_themes, load_theme
from briefing.typography import typeset

HERE = Path(__file__).parent
REFERENCES = HERE / "reference"
ACTUAL = HERE / "_actual"
DPI = 30
#: Mean absolute RGB difference allowed (0-255). Measured on the default theme: body text
#: reflowed by a 0.05 pt size change 0.29; callout without its fill 0.99; logo missing 2.4;
#: band in another colour 6.3; another theme 35 and more.
TOLERANCE = 0.7
UPDATE = os.environ.get("BRIEFING_UPDATE_REFERENCES") == "1"


def page_one(theme: str) -> Image.Image:
    briefing, _ = read_briefing(str(sample_source()))
    result = render(typeset(briefing), load_theme(theme),
                    RenderOptions(page=PAGE_POINTS[PageSize("a4")], date=dt.date(2026, 11, 29)))
    page = pdfium.PdfDocument(result.pdf)[0]
    return page.render(scale=DPI / 72).to_pil().convert("RGB")


def difference(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 255.0
    means = ImageStat.Stat(ImageChops.difference(a, b)).mean
    return float(sum(means) / len(means))


@pytest.mark.parametrize("theme", sorted(builtin_themes()))
def test_page_one_looks_as_designed(theme: str) -> None:
    actual = page_one(theme)
    reference = REFERENCES / f"{theme}.png"
    if UPDATE or not reference.exists():
        REFERENCES.mkdir(exist_ok=True)
        actual.save(reference, optimize=True)
        if not UPDATE:
            pytest.fail(f"no reference for {theme}: written {reference}, check it and commit it")
        return
    diff = difference(actual, Image.open(reference).convert("RGB"))
    if diff > TOLERANCE:
        ACTUAL.mkdir(exist_ok=True)
        actual.save(ACTUAL / f"{theme}.png")
        pytest.fail(f"page 1 of {theme} differs from {reference} by {diff:.2f} "
                    f"(> {TOLERANCE}); actual image: {ACTUAL / (theme + '.png')}. If the change "
                    "is intended, refresh with BRIEFING_UPDATE_REFERENCES=1")
