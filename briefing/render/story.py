"""The story: the model turned into flowables, in reading order, each with its structure node.

Styles are asked for by role through ``structure.ROLES``: the size, face and colour of text
come from the theme. What is written here is the spacing of a few page elements that have no
theme key yet (rules, list indents, quote rules, table paddings), as named constants where more
than one place uses them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, assert_never

import msgspec
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    ListItem,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from briefing.errors import RenderError
from briefing.model import (
    Block,
    Briefing,
    Chart,
    CodeBlock,
    DataTable,
    FaqEntry,
    Heading,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Section,
    SectionKind,
    Span,
    plain,
    printable,
)
from briefing.model import Table as TableBlock
from briefing.options import Digits
from briefing.pdf.compat import line_width_max
from briefing.render.charts import chart_flowable
from briefing.render.flowables import (
    Callout,
    HeadingRoom,
    Masthead,
    Separator,
    StructParagraph,
    StructPreformatted,
    Together,
    TrackedLine,
)
from briefing.render.fonts import FontSet, RegisteredFont
from briefing.render.images import Picture, image_files, picture, resolve_source_image
from briefing.render.markup import MarkupWriter, MissingGlyphs
from briefing.render.paragraph import FitParagraph
from briefing.render.qr import Anchored, QrCode, qr_alt, qr_url
from briefing.render.structure import ROLES, StructNode
from briefing.render.tagging import TaggedList
from briefing.theme import Style, Theme
from briefing.typography import Language, format_date
from briefing.typography.hyphenation import hyphenator
from briefing.typography.locale import localize_digits

Direction = Literal["ltr", "rtl"]

#: The narrowest a table column may be (points): about three letters of table text.
MIN_COLUMN = 18.0
#: Height of a source's logo (mm) when the theme has no logo to match.
DEFAULT_LOGO_HEIGHT = 14.0
#: A block quote: its rule and the space between rule and text (points).
QUOTE_RULE, QUOTE_PADDING = 2.0, 6.0
#: What a logo or QR code hanging in a margin keeps from the band's edge (points).
HANG_CLEARANCE = 4 * float(mm)
#: How far from the paper's edges a band that does not bleed stays (points): office printers
#: leave 4 to 5 mm unprinted, unevenly; a deliberate white frame hides that.
PRINTABLE_INSET = 6 * float(mm)
#: List markers by depth (a nested list's differ from its parent's): bullets, and the
#: numbering of ordered lists, with the PDF's /ListNumbering for each.
BULLETS = (("•", "Disc"), ("–", "None"), ("‣", "None"))  # None: the label says it
NUMBERING = (("1", "Decimal"), ("a", "LowerAlpha"), ("i", "LowerRoman"))
#: The tallest an image is set, as a share of the text frame's height.
IMAGE_SHARE = 0.35
#: How far a list's items are indented from the text around it (points).
LIST_INDENT = 14.0

#: Fields of the model that do not reach the page, and why. Every other field shows in the
#: PDF (its text, metadata or structure tree); a test holds each to it.
NOT_PRINTED: dict[str, str] = {
    "Heading.level": "a briefing has one level of sub-heading (H3 under its section's H2): "
                     "deeper levels of the source are set at that level",
    "CodeBlock.language": "code is printed exactly as typed; its language is kept for the "
                          "record, not shown",
    "Meta.correction": "decides how an edition is recorded (replacing the current one "
                       "silently), not what the page shows",
}

_SHORT_WORD = re.compile(r"(?<![\w’'-])(\w{1,3}) (?=\w{4})")


def tie_short_words(text: str) -> str:
    """Tie a word of up to three letters to the next one (a no-break space) when that one is
    longer, so that a display title never ends a line on "à", "de", "des" or "the", and no
    chain of short words becomes one unbreakable block."""
    return _SHORT_WORD.sub("\\1\u00a0", text)


#: A quotation's attribution: a dash after the quotation's closing punctuation, then a short
#: source ("… worth the risk." — the head of civil protection), set on a line of its own.
_ATTRIBUTION = re.compile(r"(?<=[.!?…»”\"’)])\s+(?=[—―]\s*\S)")
ATTRIBUTION_MAX = 100  # characters: longer, it is more text, not a name


def _slice(spans: Inline, start: int, end: int) -> Inline:
    """The spans' text from ``start`` to ``end`` (offsets in their plain text), formatting kept."""
    out, at = [], 0
    for span in spans:
        lo, hi = max(start, at), min(end, at + len(span.text))
        if lo < hi:
            out.append(msgspec.structs.replace(span, text=span.text[lo - at:hi - at]))
        at += len(span.text)
    return tuple(out)


def split_attribution(blocks: tuple[Block, ...]) -> tuple[tuple[Block, ...], Inline | None]:
    """A quotation's blocks without its attribution, and the attribution (or None)."""
    last = blocks[-1] if blocks else None
    if not isinstance(last, Paragraph):
        return blocks, None
    text = plain(last.spans)
    found = list(_ATTRIBUTION.finditer(text))
    if not found or len(text) - found[-1].end() > ATTRIBUTION_MAX:
        return blocks, None
    cut = found[-1]
    return ((*blocks[:-1], Paragraph(_slice(last.spans, 0, cut.start()))),
            _slice(last.spans, cut.end(), len(text)))


_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}
_MIRROR = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT}
#: Bidirectional classes of strong characters (UAX #9): left to right, and right to left.
_STRONG_LTR = frozenset({"L"})
_STRONG_RTL = frozenset({"R", "AL"})


def base_direction(text: str, default: Direction) -> Direction:
    """A paragraph's direction: that of its first strong character (UAX #9, rule P2), else
    the document's."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG_RTL:
            return "rtl"
        if kind in _STRONG_LTR:
            return "ltr"
    return default


def paragraph_styles(theme: Theme, fonts: FontSet, lang: Language) -> dict[str, ParagraphStyle]:
    """One reportlab style per theme role, with the language's hyphenation."""
    out: dict[str, ParagraphStyle] = {}
    for role, style in theme.styles.items():
        out[role] = _paragraph_style(role, style, fonts, lang)
    return out


def _paragraph_style(role: str, s: Style, fonts: FontSet, lang: Language) -> ParagraphStyle:
    face = fonts.name(s.font, s.weight)
    justified = s.align == "justify"
    return ParagraphStyle(
        role,
        fontName=face,
        fontSize=s.size,
        leading=s.leading,
        textColor=HexColor(s.color),
        spaceBefore=s.space_before,
        spaceAfter=s.space_after,
        alignment=_ALIGN[s.align],
        bulletFontName=fonts.name("body"),
        allowWidows=0,
        allowOrphans=0,
        hyphenationLang=(hyphenator(lang.hyphenation) if justified else None) or "",
        hyphenationMinWordLength=6,
        uriWasteReduce=0.3,
        embeddedHyphenation=1,
        splitLongWords=1,
        # Section headings and sub-headings keep with the start of what follows (HeadingRoom),
        # not all of it; a question is kept with its answer, the box's heading is in its box.
        keepWithNext=1 if role in ("advice_heading", "faq_question", "kicker") else 0,
    )


@dataclass
class StoryContext:
    """What the story builder needs besides the model."""

    theme: Theme
    fonts: FontSet
    styles: dict[str, ParagraphStyle]
    writer: MarkupWriter
    lang: Language
    base_dir: Path
    assets_dir: Path
    frame_width: float
    frame_height: float
    margins: tuple[float, float, float, float]  # points: top, right, bottom, left
    date: dt.date
    warnings: list[str]
    images: list[Path] = field(default_factory=list)  # files of the source's images, as read
    display_scale: float = 1.0  # masthead, logos and QR code on pages narrower than A4
    band_inset: float = 0.0  # points between the masthead band and the paper's edges
    footer_qr_at: tuple[float, float] | None = None  # page 1's QR code in the footer: x, y
    image_scale: float = 1.0  # copy-fitting: images at this share of their height
    page_size: tuple[float, float] = (595.27, 841.89)  # points, for things placed on the page
    notice: str | None = None  # the page-1 "Updated <date>" notice of a new edition
    changed: frozenset[str] = frozenset()  # plain texts of blocks given a change bar
    tag: str = ""  # the full language tag ("ar-EG": its digits differ from "ar"'s)
    digits: Digits = "locale"  # of the dates and page numbers printed


def localized_number(number: int, lang: Language, tag: str, digits: Digits) -> str:
    """A page number in the digits asked for (Western for Latin text unless asked otherwise:
    Babel is not imported for it)."""
    text = str(number)
    if digits == "latn" or (digits == "locale" and lang.script == "Latn"):
        return text
    return localize_digits(text, tag or lang.code, digits)


class StoryBuilder:
    """Builds the flowables of a briefing and its structure tree side by side."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        self.root = StructNode("document")
        self.story: list[Any] = []
        self.list_depth = 0  # how many lists the block being built is in

    # --- helpers ------------------------------------------------------------------------

    def para(self, spans: Inline | str, kind: str, parent: StructNode, where: str,
             style_role: str | None = None, outline: tuple[str, int] | None = None,
             align: str | None = None) -> StructParagraph:
        """A paragraph of a kind, with its structure element under ``parent``; ``align``
        (left, center, right) overrides the style's, as a table column asks."""
        if isinstance(spans, str):
            spans = (Span(spans),)
        role = style_role or ROLES[kind].style
        assert role is not None
        style = self.ctx.styles[role]
        if align:
            style = self.aligned(role, align)
        theme_style = self.ctx.theme.style(role)
        if theme_style.upper:
            spans = tuple(Span(s.text.upper(), s.bold, s.italic, s.code, s.href, s.lang, s.note)
                          if not s.code else s for s in spans)
        writer = self.ctx.writer
        writer.shaped = False
        writer.cjk = None
        markup = writer.spans(spans, theme_style.font, theme_style.weight, style.fontSize, where)
        text = plain(spans)
        direction = None
        if writer.shaped or self.ctx.lang.rtl:
            direction = base_direction(text, "rtl" if self.ctx.lang.rtl else "ltr")
            if direction == "rtl":
                style = self.mirrored(style)
        node = parent.add(kind, text=text)
        if (direction is not None and self.ctx.lang.rtl) or direction == "rtl":
            node.actual_text = printable(text)  # drawn in visual order: read in this one
        flowable = StructParagraph(markup, style, node)
        flowable.bidi = direction
        flowable.cjk = writer.cjk
        # Letter-spacing is for alphabets set letter by letter: it would break joined
        # scripts apart and push right-aligned lines out of their column.
        flowable.tracking = (theme_style.tracking
                             if direction is None and writer.cjk is None else 0.0)
        if self.ctx.changed and plain(spans) in self.ctx.changed:
            flowable.change_bar = self.ctx.theme.colors["accent"]
        if outline:
            flowable.outline = outline
        return flowable

    def mirrored(self, style: ParagraphStyle) -> ParagraphStyle:
        """A style for right-to-left text: flush right where it was flush left (and the
        reverse), indents swapped; justified text stays justified (its last line flush
        right)."""
        key = f"{style.name}-rtl"
        found = self.ctx.styles.get(key)
        if found is None:
            found = self.ctx.styles[key] = ParagraphStyle(
                key, parent=style, alignment=_MIRROR.get(style.alignment, style.alignment),
                leftIndent=style.rightIndent, rightIndent=style.leftIndent,
                hyphenationLang="")
        return found

    def aligned(self, role: str, align: str) -> ParagraphStyle:
        """A role's style set flush left, centred or flush right (one per role and side)."""
        key = f"{role}-{align}"
        if key not in self.ctx.styles:
            base = self.ctx.styles[role]
            self.ctx.styles[key] = ParagraphStyle(key, parent=base, alignment=_ALIGN[align],
                                                  hyphenationLang="")
        return self.ctx.styles[key]

    # --- the briefing -------------------------------------------------------------------

    def build(self, briefing: Briefing) -> list[Any]:
        self.masthead(briefing)
        for i, lead in enumerate(briefing.lead):
            self.story.append(self.para(lead.spans, "lead", self.root, f"lead paragraph {i + 1}"))
        if self.ctx.notice:
            self.story.append(self.para(self.ctx.notice, "notice", self.root, "notice"))
        if self.ctx.theme.page.cover:
            # A cover page: the tall band, the lead (and notice), then the text from page 2 on.
            self.story.append(PageBreak())
        for n, section in enumerate(briefing.sections, 1):
            self.section(section, n)
        if briefing.footnotes:
            self.footnotes(briefing)
        return self.story

    def kicker(self, text: str) -> Any:
        """The kicker above the title: page furniture (an artifact), letter-spaced if the
        theme says so."""
        style = self.ctx.theme.style("kicker")
        face = self.ctx.fonts.face(style.font, style.weight)
        # Letter-spacing is for text its face sets alone, left to right: joined or shaped
        # letters (Arabic, Devanagari) are never spaced apart.
        if style.tracking and not self.ctx.lang.rtl and set(map(ord, text)) <= face.charset:
            rl_style = self.ctx.styles["kicker"]
            return TrackedLine(text.upper() if style.upper else text, rl_style.fontName,
                               rl_style.fontSize, rl_style.leading, style.color, style.tracking)
        kicker = self.para(text, "notice", StructNode("document"), "kicker", style_role="kicker")
        kicker.struct = None
        return kicker

    def masthead(self, briefing: Briefing) -> None:
        ctx = self.ctx
        theme = ctx.theme
        _, right, _, left = ctx.margins
        kicker_text = theme.masthead.kicker.format(
            kicker=ctx.lang.labels["kicker"],
            date=format_date(ctx.date, ctx.tag or ctx.lang.code, ctx.digits)
        )
        kicker = self.kicker(kicker_text)
        title = self.para(briefing.title, "title", self.root, "title",
                          outline=(briefing.title, 0))
        # The subtitle (a deck) reads with the title: under it, in the masthead.
        subtitle = None
        if briefing.meta.subtitle:
            subtitle = self.para(tie_short_words(briefing.meta.subtitle), "subtitle", self.root,
                                 "subtitle")
        scale = ctx.display_scale
        logo = partner = None
        if briefing.meta.logo:
            logo = self.source_logo(briefing)
        elif theme.logo is not None:
            logo = picture(theme.logo.file, height=theme.logo.height * mm * scale,
                           face=ctx.fonts.name)
            logo.struct = self.root.add("figure", alt=theme.logo.alt or theme.name)
        if theme.partner_logo is not None:
            partner = picture(theme.partner_logo.file,
                              height=theme.partner_logo.height * mm * scale, face=ctx.fonts.name)
            partner.struct = self.root.add("figure", alt=theme.partner_logo.alt or "partner")
        band = theme.colors["primary"] if theme.masthead.band else None
        # The band stays inside the printable area unless it bleeds; without a band, logos
        # and the QR code may hang in the margins up to the same line.
        inset = ctx.band_inset if band else min(PRINTABLE_INSET, left, right)
        url = qr_url(briefing.meta.source) if theme.qr.enabled else None
        qr = None
        if url:
            footer = theme.style("footer")
            on_band = band is not None and theme.qr.position == "masthead"
            label = (ctx.lang.labels["online"], ctx.fonts.name(footer.font, "bold"),
                     footer.size * scale, theme.colors["band_text"] if on_band else footer.color)
            from briefing.render.oneline import LineSetter  # here: oneline builds on this module

            label_line = LineSetter(ctx.writer, ctx.fonts.face(footer.font, "bold"), True,
                                    label[2], label[3], "rtl" if ctx.lang.rtl else "ltr",
                                    "the QR code's label")
            qr = QrCode(url, theme.qr.size * mm * scale,
                        color=theme.colors["text"], tile=band is not None,
                        struct=self.root.add("figure", alt=qr_alt(url)), label=label,
                        label_line=label_line)
        rule_color = theme.masthead.rule_color
        masthead = Masthead(
            kicker=kicker, title=title, subtitle=subtitle, logo=logo, partner=partner,
            logo_right=bool(theme.logo and theme.logo.position == "right"), band=band,
            padding=theme.masthead.padding * mm * scale,
            bleed_left=left - inset, bleed_right=right - inset, bleed_top=0, struct=None,
            hang_left=max(0.0, left - inset - HANG_CLEARANCE),
            hang_right=max(0.0, right - inset - HANG_CLEARANCE),
            qr=qr if theme.qr.position == "masthead" else None,
            rule_width=theme.masthead.rule_width,
            rule_color=rule_color,
            min_height=ctx.frame_height * 0.55 if theme.page.cover else 0,
            mirror=ctx.lang.rtl,
        )
        masthead.outline = (briefing.title, 0)
        self.story.append(masthead)
        if qr is not None and masthead.qr is None and ctx.footer_qr_at is not None:
            # Beside or above the footer of page 1, where render() keeps room for it.
            self.story.append(Anchored(qr, *ctx.footer_qr_at))
        self.story.append(Spacer(1, 6 * mm * scale if band else 4 * mm * scale))

    def source_logo(self, briefing: Briefing) -> Picture:
        """The logo the source names, in place of the theme's: the briefing says whose it is.

        Found like the source's images (its folder or the bundled assets, no ``..``), as tall
        as the theme's logo, and never wider than a third of the text.
        """
        ctx, meta = self.ctx, briefing.meta
        assert meta.logo
        path = resolve_source_image(meta.logo, ctx.base_dir, ctx.assets_dir, "logo")
        ctx.images.extend(image_files(path))
        theme_logo = ctx.theme.logo
        height = (theme_logo.height if theme_logo else DEFAULT_LOGO_HEIGHT) * mm * ctx.display_scale
        logo = picture(path, height=height, face=ctx.fonts.name)
        if logo.width > ctx.frame_width / 3:
            logo = picture(path, max_width=ctx.frame_width / 3, max_height=height,
                           face=ctx.fonts.name)
        alt = meta.organisation or meta.author
        if not alt:
            ctx.warnings.append(f"logo {meta.logo!r}: screen readers cannot name it; give the "
                                "source an organisation (or author), which names the logo")
        logo.struct = self.root.add("figure", alt=alt or "logo")
        return logo

    def section(self, section: Section, number: int) -> None:
        labels = self.ctx.lang.labels
        where = section.heading or labels.get(section.kind.value, section.kind.value)
        if section.kind is SectionKind.ADVICE:
            self.advice(section, where)
            return
        node = self.root.add("faq" if section.kind is SectionKind.FAQ else "section")
        heading = section.heading
        if heading is None and section.kind is SectionKind.FAQ:
            heading = labels["faq"]
        title = None
        if heading:
            title = self.para(heading, "section_heading", node, where, outline=(heading, 1))
        body = self.blocks(section.blocks, node, where, "paragraph")
        pairs = [self.faq_entry(entry, node, f"FAQ item {i}", ruled=i > 1)
                 for i, entry in enumerate(section.entries, 1)]
        if len(pairs) >= 3:
            # The last pair never goes alone to a page of its own: it travels with the one before
            # (one flat group: a KeepTogether inside another always breaks the page).
            pairs[-2:] = [pairs[-2] + pairs[-1]]
        # A question never parts from (the start of) its answer.
        body += [KeepTogether(pair) for pair in pairs]
        if title is not None:
            # The heading needs room for itself and the start of what follows; less than
            # that, it starts a page.
            self.story += [HeadingRoom(title, body[0] if body else None), title]
        self.story += body

    def advice(self, section: Section, where: str) -> None:
        theme = self.ctx.theme
        node = self.root.add("advice")
        content: list[Any] = []
        heading = section.heading or self.ctx.lang.labels["advice"]
        content.append(self.para(heading, "advice_heading", node, where, outline=(heading, 1)))
        rule = theme.callout.rule_color
        rule_width = theme.callout.rule_width
        padding = theme.callout.padding
        # Blocks in the box are as wide as the box's inside, not the page's text.
        inner = Callout.inner_width(self.ctx.frame_width, rule_width, padding)
        content += self.blocks(section.blocks, node, where, "advice_paragraph", inner)
        callout = Callout(
            content,
            background=theme.colors["callout_background"]
            if theme.callout.fill else None,
            rule=rule,
            rule_width=rule_width,
            padding=padding,
            struct=node, space_before=8, space_after=8,
            border=theme.colors["rule"] if theme.callout.border else None,
            mirror=self.ctx.lang.rtl,
        )
        callout.outline = (heading, 1)
        self.story.append(callout)

    def faq_entry(self, entry: FaqEntry, parent: StructNode, where: str,
                  ruled: bool = False) -> list[Any]:
        """A question and its answer, to be kept together."""
        question = self.para(entry.question, "faq_question", parent, where,
                             outline=(entry.question, 2))
        answer = self.blocks(entry.answer, parent, where, "faq_answer")
        lead: list[Any] = []
        if ruled and self.ctx.theme.faq.rule:
            # A hairline between pairs: decoration, so no structure node (an artifact).
            lead.append(Separator(width="100%", thickness=0.4, lineCap="butt",
                                   color=HexColor(self.ctx.theme.colors["rule"]),
                                   spaceBefore=3, spaceAfter=0))
        return [*lead, question, *answer]

    def footnotes(self, briefing: Briefing) -> None:
        node = self.root.add("notes")
        label = self.ctx.lang.labels["notes"]
        # Notes sit under a short rule and a small label, not a full-size section heading.
        self.story.append(HRFlowable(width=40 * mm, thickness=0.5, lineCap="butt",
                                     color=HexColor(self.ctx.theme.colors["rule"]),
                                     hAlign="RIGHT" if self.ctx.lang.rtl else "LEFT",
                                     spaceBefore=10, spaceAfter=4))
        self.story.append(self.para(label, "notes_heading", node, label, outline=(label, 1)))
        for note in briefing.footnotes:
            note_node = node.add("note")
            blocks = self.blocks(note.blocks, note_node, f"note {note.label}", "note_paragraph")
            if blocks and isinstance(blocks[0], StructParagraph):
                first = note.blocks[0]
                assert isinstance(first, Paragraph)
                blocks[0] = self.para((Span(f"{note.label}. "), *first.spans), "note_paragraph",
                                      note_node, f"note {note.label}")
                # The new first paragraph replaces the old one, in first place.
                note_node.children.pop(0)
                note_node.children.insert(0, note_node.children.pop())
            self.story += blocks

    # --- blocks -------------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...], parent: StructNode, where: str,
               paragraph_kind: str, width: float | None = None) -> list[Any]:
        """Flowables for blocks set in a container ``width`` points wide (the text frame's
        width unless they sit in a box, a quote or a list)."""
        out: list[Any] = []
        heading: Any = None
        for block in blocks:
            made = self.block(block, parent, where, paragraph_kind,
                              self.ctx.frame_width if width is None else width)
            if heading is not None:  # a sub-heading keeps with the start of this block
                out.insert(out.index(heading), HeadingRoom(heading, made[0] if made else None))
            heading = made[0] if isinstance(block, Heading) and width is None and made else None
            out += made
        if heading is not None:
            out.insert(out.index(heading), HeadingRoom(heading, None))
        return out

    def block(self, block: Block, parent: StructNode, where: str, paragraph_kind: str,
              width: float) -> list[Any]:
        ctx = self.ctx
        match block:
            case Paragraph(spans):
                return [self.para(spans, paragraph_kind, parent, where)]
            case Heading(text, _):
                return [self.para(text, "subheading", parent, where)]
            case ListBlock():
                return [self.list_block(block, parent, where, paragraph_kind, width)]
            case Quote(inner):
                node = parent.add("quote")
                quoted, attribution = split_attribution(inner)
                content = self.blocks(quoted, node, where, "quote_paragraph",
                                      Callout.inner_width(width, QUOTE_RULE, QUOTE_PADDING))
                if attribution:  # on a line of its own, flush right
                    content.append(self.para(attribution, "quote_paragraph", node, where,
                                             align="right"))
                return [Callout(content, background=None, rule=ctx.theme.colors["rule"],
                                rule_width=QUOTE_RULE, padding=QUOTE_PADDING, struct=node,
                                space_before=2, space_after=6, mirror=ctx.lang.rtl)]
            case CodeBlock(text):
                node = parent.add("code", text=text)
                style = ctx.styles["code"]
                char_w = style.fontSize * 0.61
                pre = StructPreformatted(text, style, node,
                                         maxLineLength=max(20, int(width / char_w) - 2),
                                         splitChars=" ,;/", newLineChars="↪")
                return [pre]
            case Image(src, alt, caption):
                node = parent.add("figure", alt=alt or None)
                if not alt:
                    ctx.warnings.append(f"{where}: image {src!r} has no alt text; screen readers "
                                        "will not describe it")
                path = resolve_source_image(src, ctx.base_dir, ctx.assets_dir, where)
                ctx.images.extend(image_files(path))
                # The full measure when the image is then not too tall; otherwise clearly
                # narrower and centred, never a few points short of the text's edges.
                pic = picture(path, max_width=width, face=ctx.fonts.name)
                cap = min(pic.height, ctx.frame_height * IMAGE_SHARE) * ctx.image_scale
                if pic.height > cap + 0.5:
                    pic = picture(path, max_width=width, max_height=cap, face=ctx.fonts.name)
                pic.struct = node
                pic.hAlign = "CENTER"
                pic.spaceBefore, pic.spaceAfter = 8, 10
                if not caption:
                    return [pic]
                # The caption stays with its image, under it, in the caption style.
                pic.spaceAfter = 3
                label = self.para(caption, "figure_caption", parent, where)
                inset = max(0.0, (width - pic.width) / 2)
                if inset > 0.5:  # a narrower, centred image: its caption under it, aligned
                    label.style = ParagraphStyle(f"{label.style.name}-inset", parent=label.style,
                                                 leftIndent=inset, rightIndent=inset)
                return [Together([pic, label], max_height=ctx.frame_height)]
            case TableBlock(header, rows):
                if not any(header) and not any(any(row) for row in rows):
                    return []  # a table without a cell: nothing to print, nothing lost
                return [self.table(block, parent, where, width)]
            case DataTable(_, header, rows, align, total):
                if not header:
                    return []  # not made from data (a model read without building)
                if total and rows:  # the total row in bold, under a rule
                    last = tuple(tuple(msgspec.structs.replace(s, bold=True) for s in cell)
                                 for cell in rows[-1])
                    rows = (*rows[:-1], last)
                # Figures flush right, packed at the right; the labels take the room left.
                labels = next((c for c, a in enumerate(align) if a != "right"), None)
                table = self.table(TableBlock(header, rows, align), parent, where, width,
                                   room=labels)
                if total and rows:
                    table.setStyle(TableStyle([
                        ("LINEABOVE", (0, -1), (-1, -1), 0.8, HexColor(ctx.theme.colors["text"])),
                    ]))
                return [table]
            case Chart():
                if not block.series:
                    return []  # not made from data (a model read without building)
                return [chart_flowable(block, parent, theme=ctx.theme, fonts=ctx.fonts,
                                       lang=ctx.lang.code, width=width)]
            case _:
                assert_never(block)

    def list_block(self, block: ListBlock, parent: StructNode, where: str,
                   paragraph_kind: str, width: float) -> TaggedList:
        ctx = self.ctx
        node = parent.add("list")
        marks = NUMBERING if block.ordered else BULLETS
        mark, node.numbering = marks[self.list_depth % len(marks)]
        items = []
        self.list_depth += 1
        try:
            for item in block.items:
                item_node = node.add("list_item")
                item_node.add("list_label")
                body = item_node.add("list_body")
                flowables = self.blocks(item.blocks, body, where, paragraph_kind,
                                        width - LIST_INDENT)
                list_item = ListItem(flowables or Spacer(1, 1))
                list_item.struct = item_node
                items.append(list_item)
        finally:
            self.list_depth -= 1
        style = ctx.styles["body"]
        flow = TaggedList(
            items,
            bulletType=mark if block.ordered else "bullet",
            start=block.start if block.ordered else mark,
            bulletFontName=ctx.fonts.name("body"),
            bulletFontSize=style.fontSize,
            bulletColor=HexColor(ctx.theme.colors.get("marker", ctx.theme.colors["accent"])),
            bulletDedent=12 if block.ordered else 10,
            spaceAfter=4,
            # Right to left: markers and indent on the right.
            **({"leftIndent": 0, "rightIndent": LIST_INDENT, "bulletDir": "rtl",
                "bulletAlign": "right"} if ctx.lang.rtl else {"leftIndent": LIST_INDENT}),
        )
        flow.struct = node
        return flow

    def table(self, block: TableBlock, parent: StructNode, where: str, width: float,
              room: int | None = None) -> Table:
        """A tagged table; the width its columns do not need goes to column ``room``
        (default: the widest one)."""
        ctx = self.ctx
        node = parent.add("table")
        rows: list[list[Any]] = []
        for r, row in enumerate((block.header, *block.rows)):
            row_node = node.add("table_row")
            kind = "table_header_cell" if r == 0 and block.header else "table_cell"
            # Each column as the source aligns it (numbers flush right), header included.
            rows.append([self.para(cell, kind, row_node, f"{where}, table row {r + 1}",
                                   align=block.align[c] if c < len(block.align) else None)
                         for c, cell in enumerate(row)])
        columns = max((len(r) for r in rows), default=1)
        if width / columns < MIN_COLUMN:
            raise RenderError(
                f"{where}: a table of {columns} columns does not fit in "
                f"{width / mm:.0f} mm; split it, or use a larger page size"
            )
        for r, cells in enumerate(rows):
            # Short rows are filled with empty cells: every row has as many TD/TH as the rest.
            kind = "table_header_cell" if r == 0 and block.header else "table_cell"
            cells += [self.para("", kind, node.children[r], f"{where}, table row {r + 1}")
                      for _ in range(columns - len(cells))]
        # The header repeats on each page, unless it is too tall to (a pasted long token).
        repeat = bool(block.header) and _row_height(rows[0], width / columns) < (
            ctx.frame_height / 4
        )
        widths = _column_widths(block, columns, ctx, width, room)
        if ctx.lang.rtl:
            # Right to left: the first column on the right (the structure keeps their order).
            rows = [row[::-1] for row in rows]
            widths = widths[::-1]
        table = Table(rows, colWidths=widths,
                      repeatRows=1 if repeat else 0, hAlign="LEFT",
                      splitInRow=1)  # a row taller than a page splits inside its cells
        colors = ctx.theme.colors
        body = ctx.styles["table"]
        table.setStyle(TableStyle([
            # Table's default cell font is Helvetica, unembedded: PDF/A forbids it.
            ("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(colors["primary"])),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, HexColor(colors["rule"])),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            # The outer cells' text lines up with the text column, like the rules.
            ("LEFTPADDING", (0, 0), (0, -1), 0),
            ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
        ]))
        table.struct = node
        table.spaceBefore, table.spaceAfter = 4, 8
        return table


def _column_widths(block: TableBlock, columns: int, ctx: StoryContext,
                   total: float, room: int | None = None) -> list[float]:
    """Columns as wide as their content needs, the room left going to the widest one;
    squeezed in proportion (never below their longest word) when the content is too wide."""
    body, head = ctx.styles["table"], ctx.styles["table_header"]
    padding = 12.0
    natural = [padding] * columns
    minimum = [padding] * columns
    # The header is measured in the face it is set in (its style's weight, often bold).
    theme_head = ctx.theme.style("table_header")
    head_font = ctx.fonts.name(theme_head.font, theme_head.weight) if (
        theme_head.weight in ctx.fonts.files.get(theme_head.font, {})) else head.fontName
    for r, row in enumerate((block.header, *block.rows)):
        style = head if r == 0 and block.header else body
        font = head_font if r == 0 and block.header else body.fontName
        for c, cell in enumerate(row[:columns]):
            text = plain(cell)
            natural[c] = max(natural[c], _text_width(text, font, style, ctx) + padding + 2)
            longest = max(text.split(), key=len, default="")
            minimum[c] = max(minimum[c], _text_width(longest, font, style, ctx) + padding)
    # A pasted long token must not claim the whole table: it breaks inside its cell.
    minimum = [min(m, total / columns) for m in minimum]
    if sum(natural) <= total:
        widths = list(natural)
        widest = room if room is not None and room < columns else natural.index(max(natural))
        widths[widest] += total - sum(natural)
        return widths
    widths = [max(m, n * total / sum(natural)) for n, m in zip(natural, minimum, strict=True)]
    excess = sum(widths) - total
    flexible = [w - m for w, m in zip(widths, minimum, strict=True)]
    if excess > 0 and sum(flexible) > 0:
        widths = [w - excess * f / sum(flexible) for w, f in zip(widths, flexible, strict=True)]
    return widths


def _text_width(text: str, font: str, style: ParagraphStyle, ctx: StoryContext) -> float:
    """How wide a text is set in a font at a style's size: measured in the font when it is
    ASCII, else set as a paragraph would set it (a font per script, shaped)."""
    if text.isascii() or not text:
        return float(stringWidth(text, font, style.fontSize))
    writer = ctx.writer
    saved = (writer.shaped, writer.cjk, writer.missing)
    writer.shaped, writer.missing = False, MissingGlyphs()  # the cell itself reports them
    face = RegisteredFont(font, frozenset())
    markup = writer.text(text, ctx.fonts.face_named(font) or face, style.fontSize, "a table")
    para = FitParagraph(markup, ParagraphStyle("measure", parent=style, fontName=font,
                                               alignment=TA_LEFT))
    if writer.shaped:
        para.bidi = base_direction(text, "rtl" if ctx.lang.rtl else "ltr")
    para.wrap(1e6, 1e6)
    writer.shaped, writer.cjk, writer.missing = saved
    # Half a point to spare: the cell is broken at this width, sums of runs' widths may
    # differ in the last bits.
    return line_width_max(para) + 0.5


def _row_height(cells: list[Any], width: float) -> float:
    """Height of a table row's tallest cell at a column width (padding left aside)."""
    return max((c.wrap(width - 12, 1e9)[1] for c in cells if hasattr(c, "wrap")), default=0.0)
