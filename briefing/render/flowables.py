"""The briefing's own flowables: the masthead band, the shaded callout, and paragraphs that
remember their structure element across page breaks."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Paragraph

from briefing.render.structure import StructNode


class StructParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph that carries its structure element, also in the pieces of a split."""

    def __init__(self, text: str, style: Any, struct: StructNode | None = None, **kw: Any) -> None:
        super().__init__(text, style, **kw)
        self.struct = struct

    def split(self, aw: float, ah: float) -> list[Any]:
        pieces: list[Any] = super().split(aw, ah)
        for piece in pieces:
            piece.struct = self.struct
            piece.keepWithNext = getattr(self, "keepWithNext", 0) if piece is pieces[-1] else 0
        return pieces


def _stack_height(items: list[Any], canv: Any, width: float, avail: float) -> float:
    height = 0.0
    for i, item in enumerate(items):
        _, h = item.wrapOn(canv, width, avail)
        height += h + (item.getSpaceBefore() if i else 0) + (
            item.getSpaceAfter() if i < len(items) - 1 else 0
        )
    return height


class Callout(Flowable):  # type: ignore[misc]
    """Flowables set in a shaded box with a coloured rule on the left; splits across pages."""

    def __init__(self, content: list[Any], *, background: str | None, rule: str, rule_width: float,
                 padding: float, struct: StructNode | None = None, space_before: float = 0,
                 space_after: float = 0, continued: bool = False) -> None:
        super().__init__()
        self.content = content
        self.background = background
        self.rule = rule
        self.rule_width = rule_width
        self.padding = padding
        self.struct = struct
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.continued = continued
        self._inner_width = 0.0

    def _inner(self, aw: float) -> float:
        return aw - self.rule_width - 2 * self.padding

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._inner_width = self._inner(aw)
        inner = _stack_height(self.content, self.canv, self._inner_width, ah)
        self.width = aw
        self.height = inner + 2 * self.padding
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Any]:
        inner_w = self._inner(aw)
        room = ah - 2 * self.padding
        if room <= 0:
            return []
        first: list[Any] = []
        used = 0.0
        for i, item in enumerate(self.content):
            before = item.getSpaceBefore() if first else 0
            _, h = item.wrapOn(self.canv, inner_w, room)
            if used + before + h <= room:
                first.append(item)
                used += before + h + item.getSpaceAfter()
                continue
            parts = item.splitOn(self.canv, inner_w, room - used - before) if room - used - before > 0 else []
            if parts:
                first.append(parts[0])
                rest = [*parts[1:], *self.content[i + 1 :]]
            else:
                rest = list(self.content[i:])
            # Never leave a heading alone at the foot of the box.
            while first and getattr(first[-1], "keepWithNext", 0):
                rest.insert(0, first.pop())
            if not first:
                return []
            return [self._clone(first, continued=self.continued),
                    self._clone(rest, continued=True)]
        return [self]

    def _clone(self, content: list[Any], *, continued: bool) -> Callout:
        return Callout(content, background=self.background, rule=self.rule,
                       rule_width=self.rule_width, padding=self.padding, struct=self.struct,
                       space_before=self.spaceBefore, space_after=self.spaceAfter,
                       continued=continued)

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        if self.background:
            canv.setFillColor(HexColor(self.background))
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canv.setFillColor(HexColor(self.rule))
        canv.rect(0, 0, self.rule_width, self.height, stroke=0, fill=1)
        canv.restoreState()
        y = self.height - self.padding
        x = self.rule_width + self.padding
        for i, item in enumerate(self.content):
            if i:
                y -= item.getSpaceBefore()
            _, h = item.wrapOn(canv, self._inner_width, self.height)
            y -= h
            item.drawOn(canv, x, y)
            y -= item.getSpaceAfter()


class Masthead(Flowable):  # type: ignore[misc]
    """The page-1 band: logo, kicker and title on the theme's primary colour, full bleed."""

    def __init__(self, *, kicker: Any | None, title: Any, logo: Any | None, partner: Any | None,
                 logo_right: bool, band: str | None, padding: float, bleed_left: float,
                 bleed_right: float, bleed_top: float, struct: StructNode | None = None) -> None:
        super().__init__()
        self.kicker = kicker
        self.title = title
        self.logo = logo
        self.partner = partner
        self.logo_right = logo_right
        self.band = band
        self.padding = padding
        self.bleed_left = bleed_left
        self.bleed_right = bleed_right
        self.bleed_top = bleed_top
        self.struct = struct
        self.gap = 12.0
        self._text_x = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        text_w = aw
        self._text_x = 0.0
        if self.logo is not None:
            text_w -= self.logo.width + self.gap
            if not self.logo_right:
                self._text_x = self.logo.width + self.gap
        if self.partner is not None:
            text_w -= self.partner.width + self.gap
        self._text_w = text_w
        kh = self.kicker.wrapOn(self.canv, text_w, ah)[1] + 4 if self.kicker is not None else 0
        _, th = self.title.wrapOn(self.canv, text_w, ah)
        self._kicker_h, self._title_h = kh, th
        content = kh + th
        logo_h = max((p.height for p in (self.logo, self.partner) if p is not None), default=0)
        self.width = aw
        self.height = max(content, logo_h) + 2 * self.padding
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Any]:
        """A title taller than the page (a pasted paragraph) continues in a band below."""
        self.wrap(aw, ah)
        room = ah - 2 * self.padding - self._kicker_h
        parts = self.title.splitOn(self.canv, self._text_w, room) if room > 0 else []
        if len(parts) < 2:
            return []
        first = self._clone(title=parts[0])
        first.outline = getattr(self, "outline", None)
        return [first, self._clone(title=parts[1], kicker=None, logo=None, partner=None)]

    def _clone(self, **changes: Any) -> Masthead:
        fields = {
            name: getattr(self, name)
            for name in ("kicker", "title", "logo", "partner", "logo_right", "band", "padding",
                         "bleed_left", "bleed_right", "bleed_top", "struct")
        }
        return Masthead(**{**fields, **changes})

    def draw(self) -> None:
        canv = self.canv
        if self.band:
            canv.saveState()
            canv.setFillColor(HexColor(self.band))
            canv.rect(-self.bleed_left, 0, self.width + self.bleed_left + self.bleed_right,
                      self.height + self.bleed_top, stroke=0, fill=1)
            canv.restoreState()
        content_h = self._kicker_h + self._title_h
        top = self.padding + (self.height - 2 * self.padding + content_h) / 2
        if self.kicker is not None:
            self.kicker.drawOn(canv, self._text_x, top - self._kicker_h + 4)
        self.title.drawOn(canv, self._text_x, top - content_h)
        if self.logo is not None:
            lx = self.width - self.logo.width if self.logo_right else 0
            self.logo.drawOn(canv, lx, (self.height - self.logo.height) / 2)
        if self.partner is not None:
            px = self.width - self.partner.width if not self.logo_right else 0
            self.partner.drawOn(canv, px, (self.height - self.partner.height) / 2)
