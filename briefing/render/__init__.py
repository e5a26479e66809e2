"""Rendering: a typeset briefing and a theme in, PDF bytes out.

``render`` registers the theme's fonts, builds the story (flowables + structure tree), lays it
out on the theme's pages with a running footer and an outline, and returns the bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A5, letter
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame
from reportlab.platypus.doctemplate import LayoutError

from briefing import __version__
from briefing.assets import assets_dir
from briefing.errors import RenderError, UsageError
from briefing.model import Briefing
from briefing.render.document import BriefingDocTemplate, PageLimitExceeded, draw_rule
from briefing.render.fonts import FontSet, register_theme_fonts
from briefing.render.markup import MarkupWriter
from briefing.render.story import StoryBuilder, StoryContext, paragraph_styles
from briefing.render.structure import StructNode
from briefing.theme import Theme
from briefing.typography import Language, format_date, language

PAGE_SIZES = {"a4": A4, "letter": letter, "a5": A5}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Choices that shape the PDF beyond the theme."""

    page_size: str | None = None  # "a4", "letter", "a5"; None: the theme's
    tags: bool = True
    pdfa: bool = False
    base_dir: Path = Path(".")  # the source's folder, for its images
    date: dt.date = dt.date(2000, 1, 1)  # the briefing's date, printed and in the metadata
    max_pages: int = 500


@dataclass(slots=True)
class RenderResult:
    """The PDF and what the layout learned."""

    pdf: bytes
    pages: int
    structure: StructNode
    warnings: list[str] = field(default_factory=list)


def page_size(name: str) -> tuple[float, float]:
    try:
        return PAGE_SIZES[name.lower()]
    except KeyError:
        raise UsageError(f"unknown page size {name!r}; use a4, letter or a5") from None


def render(briefing: Briefing, theme: Theme, options: RenderOptions = RenderOptions()) -> RenderResult:
    """Lay out a typeset briefing with a theme and return the PDF."""
    lang = language(briefing.meta.lang)
    fonts = register_theme_fonts(theme)
    # reportlab's graphics (SVG logos, QR codes) start from this font: never base-14 Helvetica.
    rl_config.defaultGraphicsFontName = fonts.name("body")
    rl_config.canvas_basefontname = fonts.name("body")
    width, height = page_size(options.page_size or theme.page_size)
    top, right, bottom, left = (m * mm for m in theme.margins)
    footer_room = 9 * mm
    frame_width = width - left - right
    first = Frame(left, bottom + footer_room, frame_width, height - bottom - footer_room,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first")
    later = Frame(left, bottom + footer_room, frame_width,
                  height - top - bottom - footer_room, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="later")
    warnings: list[str] = []
    writer = MarkupWriter(fonts, theme.colors["link"])
    ctx = StoryContext(
        theme=theme, fonts=fonts, styles=paragraph_styles(theme, fonts, lang), writer=writer,
        lang=lang, base_dir=options.base_dir, assets_dir=assets_dir(),
        frame_width=frame_width, frame_height=later.height,
        margins=(top, right, bottom, left), date=options.date, warnings=warnings,
    )
    builder = StoryBuilder(ctx)
    story = builder.build(briefing)

    buffer = io.BytesIO()
    decorator = _furniture(briefing, theme, fonts, lang, options.date, (width, height),
                           (top, right, bottom, left))
    doc = BriefingDocTemplate(
        buffer,
        first_frame=first,
        later_frame=later,
        decorator=decorator,
        date=options.date,
        max_pages=options.max_pages,
        pagesize=(width, height),
        leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=briefing.title,
        author=briefing.meta.author or briefing.meta.organisation or "",
        subject=" ".join(" ".join(s.text for s in p.spans) for p in briefing.lead)[:300],
        keywords=", ".join(briefing.meta.tags),
        creator=f"briefing {__version__}",
        producer=f"briefing {__version__}",
        lang=lang.pdf_lang,
        displayDocTitle=1,
        initialFontName=fonts.name("body"),
        initialFontSize=10,
        invariant=1,
        pageCompression=1,
    )
    try:
        doc.build(story)
    except LayoutError as exc:
        raise RenderError(f"the briefing cannot be laid out: {exc}") from None
    except PageLimitExceeded:
        raise RenderError(
            f"the briefing needs more than {options.max_pages} pages, the limit; "
            "raise it with --max-pages if this is intended"
        ) from None
    pages = doc.canv.page_count if hasattr(doc.canv, "page_count") else doc.page
    if pages > options.max_pages:
        raise RenderError(
            f"the briefing has {pages} pages, more than the limit of {options.max_pages}; "
            "raise it with --max-pages if this is intended"
        )
    message = writer.missing.message()
    if message:
        warnings.append(message)
    if pages > 1 and doc.block_pages.count(pages) == 1:
        warnings.append(f"the last block spills alone onto page {pages}; consider shortening "
                        "the text or using a smaller page size")
    return RenderResult(buffer.getvalue(), pages, builder.root, warnings)


def _furniture(briefing: Briefing, theme: Theme, fonts: FontSet, lang: Language, date: dt.date,
               size: tuple[float, float], margins: tuple[float, float, float, float]):  # type: ignore[no-untyped-def]
    """The page decorator: running footer on every page, slim header after page 1."""
    width, height = size
    top, right, bottom, left = margins
    style = theme.style("footer")
    face = fonts.name(style.font, style.weight)
    bold = fonts.name(style.font, "bold")
    meta = briefing.meta
    who = meta.organisation or meta.author or ""
    source = meta.source or ""
    left_text = " · ".join(p for p in (who, source) if p) or f"{lang.labels['kicker']} · {format_date(date, lang.code)}"
    title = briefing.title if len(briefing.title) < 90 else briefing.title[:87].rstrip() + "…"

    def decorate(canv: Canvas, number: int, total: int) -> None:
        canv.saveState()
        y = bottom
        if theme.option("footer", "rule", True):
            draw_rule(canv, left, y + 4.2 * mm, width - right, theme.colors["rule"], 0.5)
        canv.setFillColor(HexColor(style.color))
        canv.setFont(face, style.size)
        canv.drawString(left, y + 1 * mm, _fit(left_text, face, style.size, width * 0.6))
        canv.drawRightString(width - right, y + 1 * mm,
                             lang.labels["page"].format(page=number, pages=total))
        if number > 1:
            canv.setFont(bold, style.size)
            canv.setFillColor(HexColor(theme.colors["primary"]))
            canv.drawString(left, height - top + 4 * mm, _fit(title, bold, style.size, width * 0.7))
            draw_rule(canv, left, height - top + 2.5 * mm, width - right, theme.colors["rule"], 0.5)
        canv.restoreState()

    return decorate


def _fit(text: str, font: str, size: float, max_width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= max_width:
        return text
    while text and stringWidth(text + "…", font, size) > max_width:
        text = text[:-1]
    return text + "…"
