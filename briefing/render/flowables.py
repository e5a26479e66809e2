"""The briefing's own flowables: the masthead band, the shaded callout, and paragraphs that
remember their structure element across page breaks."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    Preformatted,
)

from briefing.pdf.compat import at_frame_top, hide_rule, kept_flowables
from briefing.render.paragraph import FitParagraph
from briefing.render.structure import StructNode
from briefing.render.tagging import TaggedText


class StructParagraph(TaggedText, FitParagraph):
    """A paragraph that carries its structure element, also in the pieces of a split.

    Broken into lines by total fit; titles and headings (H1-H3) as balanced display lines."""

    #: Gap between a change bar and the text, and the bar's width, in points.
    BAR_GAP = 7.0
    BAR_WIDTH = 1.6

    def __init__(self, text: str, style: Any, struct: StructNode | None = None, **kw: Any) -> None:
        super().__init__(text, style, **kw)
        self.struct = struct
        self.display = struct is not None and struct.role in ("H1", "H2", "H3")
        self.change_bar: str | None = None  # colour of the change bar, when the text changed
        self.tracking = 0.0  # letter spacing (points), as the theme's style asks

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.tracking:
            # Letter-spaced text is broken on a measure narrower by the spacing a line of it
            # takes (headings: the whole text), so that the spaced line still fits.
            room = self.tracking * min(len(self.text), availWidth / (0.45 * self.style.fontSize))
            _, height = super().wrap(availWidth - room, availHeight)
            return availWidth, height
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]

    def beginText(self, x: float, y: float) -> Any:
        tx = super().beginText(x, y)
        if self.tracking:
            tx.setCharSpace(self.tracking)
        return tx

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if self.change_bar:
            self.draw_change_bar(canvas, x, y)
        super().drawOn(canvas, x, y, _sW)

    def draw_change_bar(self, canvas: Any, x: float, y: float) -> None:
        """A thin rule in the margin beside the text: page furniture (an artifact), drawn in
        its own canvas call outside the paragraph's text so tagging can mark it as one."""
        canvas.saveState()
        canvas.setFillColor(HexColor(self.change_bar))
        canvas.rect(x - self.BAR_GAP - self.BAR_WIDTH, y, self.BAR_WIDTH, self.height,
                    stroke=0, fill=1)
        canvas.restoreState()

    def split(self, aw: float, ah: float) -> list[Any]:
        pieces: list[Any] = super().split(aw, ah)
        for piece in pieces:
            piece.struct = self.struct
            piece.change_bar = self.change_bar
            piece.tracking = self.tracking
            piece.keepWithNext = getattr(self, "keepWithNext", 0) if piece is pieces[-1] else 0
        return pieces


class StructPreformatted(TaggedText, Preformatted):  # type: ignore[misc]
    """Preformatted code that carries its structure element, also in the pieces of a split.

    Tagged like a paragraph, so that its line ends are read as spaces."""

    def __init__(self, text: str, style: Any, struct: StructNode | None = None, **kw: Any) -> None:
        super().__init__(text, style, **kw)
        self.struct = struct

    def split(self, aw: float, ah: float) -> list[Any]:
        pieces: list[Any] = super().split(aw, ah)
        for piece in pieces:  # reportlab makes plain Preformatted pieces
            piece.__class__ = StructPreformatted
            piece.struct = self.struct
        return pieces


class HeadingRoom(CondPageBreak):  # type: ignore[misc]
    """Room for a heading and the start of what follows it, else the heading starts the next
    page: the heading, and three lines of a paragraph, or all of a block that moves whole (an
    image, a kept question and answer). It replaces keeping a heading with all of its next
    block, which dragged a long paragraph along and left a hole at the page's foot."""

    LINES = 3

    def __init__(self, heading: Any, following: Any | None) -> None:
        super().__init__(0)
        self.heading = heading
        self.following = following

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, need = self.heading.wrapOn(self.canv, availWidth, availHeight)
        need += self.heading.getSpaceBefore() + self.heading.getSpaceAfter()
        following = self.following
        if following is not None:
            if isinstance(following, KeepTogether):
                kept = kept_flowables(following)
                height = sum(f.wrapOn(self.canv, availWidth, availHeight)[1]
                             + f.getSpaceBefore() + f.getSpaceAfter() for f in kept)
            else:
                _, height = following.wrapOn(self.canv, availWidth, availHeight)
            leading = getattr(getattr(following, "style", None), "leading", None)
            if isinstance(following, Paragraph) and leading:
                height = min(height, self.LINES * leading)
            elif height > availHeight and leading:
                height = self.LINES * leading
            need += following.getSpaceBefore() + min(height, availHeight)
        self.height = need
        result: tuple[float, float] = super().wrap(availWidth, availHeight)
        return result


class Separator(HRFlowable):  # type: ignore[misc]
    """A hairline between two blocks (FAQ pairs), left out at the top of a page, where it
    would separate nothing and double the running header's rule."""

    _hidden = False

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._hidden = at_frame_top(self)
        if self._hidden:
            hide_rule(self)
            return 0.0, 0.0
        size: tuple[float, float] = super().wrap(aw, ah)
        return size

    def draw(self) -> None:
        if not self._hidden:
            super().draw()


def keeps_with_next(flowable: Any) -> bool:
    # A paragraph keeps with the next through its style, unless set on itself (a split piece).
    ask = getattr(flowable, "getKeepWithNext", None)
    return bool(ask() if ask is not None else getattr(flowable, "keepWithNext", False))


def _stack_height(items: list[Any], canv: Any, width: float, avail: float) -> float:
    height = 0.0
    for i, item in enumerate(items):
        _, h = item.wrapOn(canv, width, avail)
        height += h + (item.getSpaceBefore() if i else 0) + (
            item.getSpaceAfter() if i < len(items) - 1 else 0
        )
    return height


def _draw_stack(items: list[Any], canv: Any, x: float, top: float, width: float,
                avail: float) -> None:
    """Draw flowables one under the other from ``top`` down, each placed by its ``hAlign``
    in a column ``width`` wide starting at ``x``."""
    y = top
    for i, item in enumerate(items):
        if i:
            y -= item.getSpaceBefore()
        w, h = item.wrapOn(canv, width, avail)
        y -= h
        align = getattr(item, "hAlign", "LEFT")
        dx = (width - w) / 2 if align in ("CENTER", "CENTRE") else (
            width - w if align == "RIGHT" else 0)
        item.drawOn(canv, x + max(0.0, dx), y)
        y -= item.getSpaceAfter()


class Together(Flowable):  # type: ignore[misc]
    """Flowables kept on one page, such as an image and its caption.

    Unlike reportlab's ``KeepTogether`` (which reports an endless height to force a split),
    it measures what it holds, so it may sit inside a callout, a list or an FAQ answer. It
    moves on whole to the next page; only a group taller than ``max_height`` (a page's text)
    lets its parts go their own ways.
    """

    def __init__(self, items: list[Any], max_height: float) -> None:
        super().__init__()
        self.items = items
        self.max_height = max_height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = _stack_height(self.items, self.canv, aw, ah)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Any]:
        if self.wrap(aw, ah)[1] > self.max_height:
            return list(self.items)
        return []

    def getSpaceBefore(self) -> float:
        return float(self.items[0].getSpaceBefore()) if self.items else 0.0

    def getSpaceAfter(self) -> float:
        return float(self.items[-1].getSpaceAfter()) if self.items else 0.0

    def draw(self) -> None:
        _draw_stack(self.items, self.canv, 0, self.height, self.width, self.height)


class Callout(Flowable):  # type: ignore[misc]
    """Flowables set in a shaded box with a coloured rule on the left; splits across pages."""

    def __init__(self, content: list[Any], *, background: str | None, rule: str, rule_width: float,
                 padding: float, struct: StructNode | None = None, space_before: float = 0,
                 space_after: float = 0, continued: bool = False,
                 border: str | None = None, mirror: bool = False) -> None:
        super().__init__()
        self.mirror = mirror  # right-to-left text: the rule on the right
        self.content = content
        self.background = background
        self.border = border  # a hairline box around the callout, for themes without a fill
        self.rule = rule
        self.rule_width = rule_width
        self.padding = padding
        self.struct = struct
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.continued = continued
        self._inner_width = 0.0

    @staticmethod
    def inner_width(width: float, rule_width: float, padding: float) -> float:
        """The width left for the content of a callout ``width`` points wide."""
        return width - rule_width - 2 * padding

    def _inner(self, aw: float) -> float:
        return self.inner_width(aw, self.rule_width, self.padding)

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
        queue = list(self.content)
        first: list[Any] = []
        used = 0.0
        i = 0
        while i < len(queue):
            item = queue[i]
            before = item.getSpaceBefore() if first else 0
            _, h = item.wrapOn(self.canv, inner_w, room)
            if used + before + h <= room:
                first.append(item)
                used += before + h + item.getSpaceAfter()
                i += 1
                continue
            left = room - used - before
            parts = item.splitOn(self.canv, inner_w, left) if left > 0 else []
            if parts and parts != [item]:
                # The pieces are measured like any other block: a list splits into its
                # items, and only the ones that fit go in this part of the box.
                queue[i:i + 1] = parts
                continue
            break
        else:
            return [self]
        rest = queue[i:]
        # Never leave a heading alone at the foot of the box.
        while first and keeps_with_next(first[-1]):
            rest.insert(0, first.pop())
        if not first:
            return []
        return [self._clone(first, continued=self.continued),
                self._clone(rest, continued=True)]

    def _clone(self, content: list[Any], *, continued: bool) -> Callout:
        return Callout(content, background=self.background, rule=self.rule,
                       rule_width=self.rule_width, padding=self.padding, struct=self.struct,
                       space_before=self.spaceBefore, space_after=self.spaceAfter,
                       continued=continued, border=self.border, mirror=self.mirror)

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        if self.background:
            canv.setFillColor(HexColor(self.background))
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.border:
            canv.setStrokeColor(HexColor(self.border))
            canv.setLineWidth(0.5)
            canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canv.setFillColor(HexColor(self.rule))
        rule_x = self.width - self.rule_width if self.mirror else 0
        canv.rect(rule_x, 0, self.rule_width, self.height, stroke=0, fill=1)
        canv.restoreState()
        _draw_stack(self.content, canv, self.padding if self.mirror else self.rule_width + self.padding,
                    self.height - self.padding, self._inner_width, self.height)


class TrackedLine(Flowable):  # type: ignore[misc]
    """One line of letter-spaced text, such as the masthead's kicker in capitals.

    reportlab's paragraphs cannot track letters; this draws with the text object's character
    spacing. It is page furniture: drawn outside any structure element, it is an artifact.
    """

    def __init__(self, text: str, font: str, size: float, leading: float, color: str,
                 tracking: float) -> None:
        super().__init__()
        self.text, self.font, self.size = text, font, size
        self.leading, self.color, self.tracking = leading, color, tracking

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = min(aw, stringWidth(self.text, self.font, self.size)
                         + self.tracking * max(0, len(self.text) - 1))
        self.height = self.leading
        return self.width, self.height

    def draw(self) -> None:
        text = self.canv.beginText(0, self.leading - getAscent(self.font, self.size))
        text.setFont(self.font, self.size)
        text.setCharSpace(self.tracking)
        text.setFillColor(HexColor(self.color))
        text.textOut(self.text)
        self.canv.drawText(text)


class Masthead(Flowable):  # type: ignore[misc]
    """The page-1 band: logo, kicker and title on the theme's primary colour, full bleed."""

    #: Space between the title and the subtitle, in points.
    SUBTITLE_GAP = 4.0

    def __init__(self, *, kicker: Any | None, title: Any, logo: Any | None, partner: Any | None,
                 logo_right: bool, band: str | None, padding: float, bleed_left: float,
                 bleed_right: float, bleed_top: float, struct: StructNode | None = None,
                 qr: Any | None = None, rule_width: float = 0, rule_color: str | None = None,
                 min_height: float = 0, subtitle: Any | None = None, hang_left: float = 0,
                 hang_right: float = 0, mirror: bool = False) -> None:
        super().__init__()
        self.mirror = mirror  # right to left: the text block, logos and QR code mirrored
        # Room in the left and right margins (points) where the logos and the QR code may
        # hang, so that the title keeps the text column's width and aligns with the text.
        self.hang_left = hang_left
        self.hang_right = hang_right
        self.subtitle = subtitle  # the deck under the title
        self.min_height = min_height  # a cover page's band is tall whatever the title's length
        self.qr = qr  # the QR code to the source, at the far right
        self.rule_width = rule_width  # a stripe (band) or rule (no band) under the masthead
        self.rule_color = rule_color
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

    def _sides(self) -> tuple[list[Any], list[Any]]:
        """The pictures left of the title, and right of it (the outermost last)."""
        left = [self.partner if self.logo_right else self.logo]
        right = [self.logo if self.logo_right else self.partner, self.qr]
        return [p for p in left if p is not None], [p for p in right if p is not None]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        left, right = self._sides()
        need_left = sum(p.width + self.gap for p in left)
        need_right = sum(p.width + self.gap for p in right)
        # The left side's pictures hang in the margin when they fit there, else the title
        # starts after them; the right side's go to the outer end of the margin's room, and
        # the title runs up to them.
        self._hang = bool(left) and need_left <= self.hang_left
        self._text_x = 0.0 if self._hang else need_left
        text_w = aw - self._text_x + self.hang_right - need_right
        self._text_w = text_w
        # A continued title (see split) has no kicker.
        kh = self.kicker.wrapOn(self.canv, text_w, ah)[1] if self.kicker is not None else 0
        self._kicker_gap = 4 if self.kicker is not None else 0
        _, th = self.title.wrapOn(self.canv, text_w, ah)
        self._kicker_h, self._title_h = kh, th
        self._subtitle_h = 0.0
        if self.subtitle is not None:
            self._subtitle_h = self.SUBTITLE_GAP + self.subtitle.wrapOn(self.canv, text_w, ah)[1]
        content = kh + self._kicker_gap + th + self._subtitle_h
        logo_h = max((p.height for p in (self.logo, self.partner, self.qr) if p is not None),
                     default=0)
        self.width = aw
        self.height = max(content + 2 * self.padding, logo_h + 2 * self.padding,
                          self.min_height) + self.rule_width
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Any]:
        """A title taller than the page (a pasted paragraph) continues in a band below."""
        self.wrap(aw, ah)
        room = ah - 2 * self.padding - self._kicker_h - self._kicker_gap - self.rule_width
        parts = self.title.splitOn(self.canv, self._text_w, room) if room > 0 else []
        rest = {"kicker": None, "logo": None, "partner": None, "qr": None, "min_height": 0}
        if len(parts) >= 2:  # the title goes on in a band below, the subtitle with its end
            first = self._clone(title=parts[0], subtitle=None)
            second = self._clone(title=parts[1], **rest)
        elif self.subtitle is not None and self._title_h <= room:  # the subtitle goes on below
            first = self._clone(subtitle=None)
            second = self._clone(title=self.subtitle, subtitle=None, **rest)
        else:
            return []
        first.outline = getattr(self, "outline", None)
        return [first, second]

    def _clone(self, **changes: Any) -> Masthead:
        fields = {
            name: getattr(self, name)
            for name in ("kicker", "title", "logo", "partner", "logo_right", "band", "padding",
                         "bleed_left", "bleed_right", "bleed_top", "struct", "qr", "rule_width",
                         "rule_color", "min_height", "subtitle", "hang_left", "hang_right",
                         "mirror")
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
        if self.rule_width and self.rule_color:
            canv.saveState()
            canv.setFillColor(HexColor(self.rule_color))
            x0, x1 = (-self.bleed_left, self.width + self.bleed_right) if self.band else (0, self.width)
            canv.rect(x0, 0, x1 - x0, self.rule_width, stroke=0, fill=1)
            canv.restoreState()
        base = self.rule_width  # the stripe is below the content
        inner = self.height - base
        content_h = self._kicker_h + self._kicker_gap + self._title_h + self._subtitle_h
        top = base + self.padding + (inner - 2 * self.padding + content_h) / 2
        def at(x: float, width: float) -> float:
            """Where a box laid out from the left starts, mirrored for right-to-left text."""
            return self.width - x - width if self.mirror else x

        text_x = at(self._text_x, self._text_w)
        if self.kicker is not None:
            kicker_x = text_x
            if self.mirror:  # a letter-spaced kicker is as wide as its text: flush right
                kicker_x = text_x + self._text_w - self.kicker.width
            self.kicker.drawOn(canv, kicker_x, top - self._kicker_h)
        title_top = top - self._kicker_h - self._kicker_gap
        self.title.drawOn(canv, text_x, title_top - self._title_h)
        if self.subtitle is not None:
            self.subtitle.drawOn(canv, text_x, top - content_h)
        left, right = self._sides()
        # Left pictures end where the title starts (in the margin when they hang); right
        # pictures end at the outer end of the right margin's room. Mirrored for right to left.
        x = -sum(p.width + self.gap for p in left) if getattr(self, "_hang", False) else 0.0
        for picture in left:
            picture.drawOn(canv, at(x, picture.width), base + (inner - picture.height) / 2)
            x += picture.width + self.gap
        x = self.width + self.hang_right - sum(p.width + self.gap for p in right) + self.gap
        for picture in right:
            picture.drawOn(canv, at(x, picture.width), base + (inner - picture.height) / 2)
            x += picture.width + self.gap
