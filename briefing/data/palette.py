"""Series colours that stay apart for readers with a colour-vision deficiency, and on paper.

``palette(n, first=(primary, accent))`` starts with the theme's colours when each stays
distinguishable from those before it — in normal vision and simulated protanopia,
deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, full severity) — and
stands out from white paper; then it takes the Okabe–Ito colours in a print-friendly order,
skipping any too close to a colour already chosen. Okabe–Ito's yellow is left out: it
vanishes on white paper.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

#: Okabe & Ito (2008), "Color Universal Design", in the order series take them.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

#: Least colour difference (CIE76 ΔE in L*a*b*) between two series, in every vision.
MIN_DIFFERENCE = 15.0
#: Least contrast ratio (WCAG) of a series' colour against white paper.
MIN_CONTRAST = 2.0

_SIMULATIONS: tuple[tuple[tuple[float, ...], ...], ...] = (
    ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
     (-0.003882, -0.048116, 1.051998)),  # protanopia
    ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
     (-0.011820, 0.042940, 0.968881)),  # deuteranopia
    ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
     (0.004733, 0.691367, 0.303900)),  # tritanopia
)


def _linear(hex_colour: str) -> tuple[float, float, float]:
    text = hex_colour.lstrip("#")
    channels = [int(text[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return r, g, b


def _lab(rgb: Sequence[float]) -> tuple[float, float, float]:
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _simulated(rgb: Sequence[float]) -> list[tuple[float, ...]]:
    views = [tuple(rgb)]
    for matrix in _SIMULATIONS:
        views.append(tuple(sum(m * c for m, c in zip(row, rgb, strict=True)) for row in matrix))
    return views


def difference(a: str, b: str) -> float:
    """The least ΔE between two colours over normal vision and the three simulations."""
    views_a, views_b = _simulated(_linear(a)), _simulated(_linear(b))
    out: list[float] = []
    for va, vb in zip(views_a, views_b, strict=True):
        la, lb = _lab(va), _lab(vb)
        out.append(math.dist(la, lb))
    return min(out)


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """The WCAG contrast ratio between two colours."""
    def luminance(colour: str) -> float:
        r, g, b = _linear(colour)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _fits(colour: str, chosen: Iterable[str]) -> bool:
    return contrast(colour) >= MIN_CONTRAST and all(
        difference(colour, other) >= MIN_DIFFERENCE for other in chosen)


def palette(n: int, first: Sequence[str] = ()) -> tuple[str, ...]:
    """``n`` series colours: the given ones first when they fit, then Okabe–Ito. Past the
    colours that fit, Okabe–Ito repeats (charts refuse that many series before it matters)."""
    chosen: list[str] = []
    for colour in (*first, *OKABE_ITO):
        colour = colour.upper()
        if len(chosen) == n:
            break
        if colour not in chosen and _fits(colour, chosen):
            chosen.append(colour)
    while len(chosen) < n:
        chosen.append(OKABE_ITO[len(chosen) % len(OKABE_ITO)])
    return tuple(chosen)
