"""Contrast and colour: every text of every built-in theme at least 4.5:1 on its background
(3:1 for large text), computed from the theme's colours; a theme of one's own below that gets
a warning naming the role and the ratio; links underlined, visible without colour."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.build import build
from briefing.data.palette import contrast
from briefing.options import ask
from briefing.render.contrast import contrast_failures, text_colours
from briefing.theme import STYLE_ROLES, builtin_themes, load_theme
from tests.render.pdfchars import find_one, read

THEMES = sorted(builtin_themes())


def test_wcag_ratios() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", THEMES)
def test_every_text_of_the_builtin_themes_is_legible(theme: str) -> None:
    loaded = load_theme(theme)
    colours = text_colours(loaded)
    assert set(STYLE_ROLES) <= {c.role for c in colours}  # every role is checked
    assert {"link", "list marker in the advice box", "running header"} <= {c.role for c in colours}
    band = loaded.colors["primary"]
    title = next(c for c in colours if c.role == "title")
    assert title.background == (band if loaded.masthead.band else "#FFFFFF")
    assert [f"{c.role}: {c.ratio:.2f}" for c in contrast_failures(loaded)] == []


def test_a_theme_below_the_minimum_is_warned_about(tmp_path: Path) -> None:
    theme = tmp_path / "pale.toml"
    theme.write_text('extends = "default"\n[colors]\nmarker = "#F0A070"\n'
                     '[styles.footer]\ncolor = "#AAAAAA"\n', encoding="utf-8")
    source = tmp_path / "a.md"
    source.write_text("# Pale\n\nSome text.\n\n- one\n- two\n", encoding="utf-8")
    warnings = build(source, ask(theme=str(theme))).warnings
    marker = [w for w in warnings if "list marker text #F0A070 on #FFFFFF" in w]
    assert marker and "2.11:1, below 4.5:1" in marker[0], warnings
    assert any("footer text #AAAAAA on #FFFFFF has a contrast of 2.32:1" in w for w in warnings)


@pytest.mark.parametrize("theme", THEMES)
def test_links_are_underlined(tmp_path: Path, theme: str) -> None:
    source = tmp_path / "a.md"
    source.write_text("# Links\n\nRead [the notice](https://example.org/n) tonight.\n",
                      encoding="utf-8")
    pages = read(build(source, ask(theme=theme)).pdf)
    page, chars = find_one(pages, "notice", content=True)
    x0, x1 = chars[0].box.x0, chars[-1].box.x1
    # The glyph boxes reach down to the font's descent: the underline sits within them.
    bottom, size = min(c.box.y0 for c in chars), chars[0].size
    under = [p for p in page.paints if p.kind in ("line", "rect")
             and p.box.x0 <= x0 + 0.5 and p.box.x1 >= x1 - 0.5
             and bottom - 1 <= p.box.y1 <= bottom + 0.45 * size and p.box.y1 - p.box.y0 < 1.5]
    assert under, "no underline under the link"
    # Plain text is not underlined.
    _, plain = find_one(pages, "tonight", content=True)
    assert not [p for p in page.paints if p.kind in ("line", "rect")
                and p.box.x0 <= plain[0].box.x0 and p.box.x1 >= plain[-1].box.x1
                and bottom - 1 <= p.box.y1 <= bottom + 0.45 * size]
