"""Contrast: every text the renderer sets, in its colour on the background it is set on,
against the WCAG minimum (4.5:1; 3:1 for large text: 18 pt, or 14 pt bold).

Computed from the theme alone, before anything is drawn: the built-in themes pass (a test
holds them to it), a theme of one's own that does not gets a warning naming the role, the two
colours and the ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.data.palette import contrast
from briefing.theme import Theme

#: WCAG 2 minimum contrast ratios (success criterion 1.4.3).
NORMAL, LARGE = 4.5, 3.0
WHITE = "#FFFFFF"
#: Roles set on the masthead band (when the theme has one).
BAND_ROLES = ("title", "subtitle", "kicker")
#: Roles set in the advice box (on its fill, when it has one).
BOX_ROLES = ("advice_heading", "advice_body")


@dataclass(frozen=True)
class TextColour:
    """A text role in its colour on its background."""

    role: str
    text: str  # "#RRGGBB"
    background: str
    size: float  # points
    bold: bool

    @property
    def ratio(self) -> float:
        return contrast(self.text, self.background)

    @property
    def large(self) -> bool:
        return self.size >= 18 or (self.bold and self.size >= 14)

    @property
    def needed(self) -> float:
        return LARGE if self.large else NORMAL

    @property
    def passes(self) -> bool:
        return round(self.ratio, 2) >= self.needed


def text_colours(theme: Theme) -> list[TextColour]:
    """Every text the theme sets, with the background it is set on."""
    band = theme.colors["primary"] if theme.masthead.band else WHITE
    box = theme.colors["callout_background"] if theme.callout.fill else WHITE
    out: list[TextColour] = []
    for role, style in theme.styles.items():
        background = band if role in BAND_ROLES else box if role in BOX_ROLES else WHITE
        out.append(TextColour(role, style.color, background, style.size,
                              style.weight in ("bold", "bold_italic")))
    body, advice = theme.style("body"), theme.style("advice_body")
    marker = theme.colors.get("marker") or theme.colors["accent"]
    footer = theme.style("footer")
    out += [
        TextColour("link", theme.colors["link"], WHITE, body.size, False),
        TextColour("link in the advice box", theme.colors["link"], box, advice.size, False),
        TextColour("list marker", marker, WHITE, body.size, False),
        TextColour("list marker in the advice box", marker, box, advice.size, False),
        TextColour("running header", theme.colors["primary"], WHITE, footer.size, True),
    ]
    return out


def contrast_failures(theme: Theme) -> list[TextColour]:
    """The texts of a theme below the WCAG minimum contrast."""
    return [each for each in text_colours(theme) if not each.passes]


def contrast_warning(theme: Theme, failure: TextColour) -> str:
    """The warning for one text below the minimum."""
    return (f"theme {theme.name!r}: {failure.role.replace('_', ' ')} text {failure.text} on "
            f"{failure.background} has a contrast of {failure.ratio:.2f}:1, below "
            f"{failure.needed:g}:1; make one of the two colours darker or lighter")
