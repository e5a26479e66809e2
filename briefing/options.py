"""Build options: what a build may be asked for, and the one table of page sizes.

The page sizes are defined here once, for the command line, the manifest and the themes; the
build turns the one it settles on into points (``PAGE_POINTS``) for the renderer.
"""

from __future__ import annotations

from enum import StrEnum


class PageSize(StrEnum):
    """The page sizes a briefing is laid out for (given in any case: "A4", "letter")."""

    A4 = "a4"
    LETTER = "letter"
    A5 = "a5"


#: Each page size in points (width, height): ISO A4 and A5 from millimetres, US Letter.
PAGE_POINTS: dict[PageSize, tuple[float, float]] = {
    PageSize.A4: (595.2755905511812, 841.8897637795277),
    PageSize.LETTER: (612.0, 792.0),
    PageSize.A5: (419.52755905511816, 595.2755905511812),
}
