"""Rendering: a typeset briefing and a theme in, PDF bytes out.

``render`` registers the theme's fonts, builds the story (flowables + structure tree), lays it
out on the theme's pages with a running footer and an outline, and returns the bytes.
"""

from __future__ import annotations

# First: reportlab's paragraph module, its slowest pattern compiled on first use.
import briefing.render.lazypatterns  # noqa: F401

# isort: split

import datetime as dt
import io
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import LayoutError

from briefing import __version__
from briefing.assets import assets_dir
from briefing.errors import RenderError
from briefing.model import Briefing, walk
from briefing.options import Digits
from briefing.pdf.compat import frame_size, frame_used, set_default_font
from briefing.pdf.document import finish_document
from briefing.pdf.metadata import document_info
from briefing.pdf.pdfa import icc_profile
from briefing.pdf.selfcheck import SelfCheckFailed
from briefing.pdf.selfcheck import check as self_check
from briefing.pdf.tounicode import install as install_tounicode
from briefing.pdf.variants import VARIANTS, Variant
from briefing.render.contrast import contrast_failures, contrast_warning
from briefing.render.document import (
    BlockTooLarge,
    BriefingDocTemplate,
    PageDecorator,
    PageLimitExceeded,
    TextFrame,
    draw_rule,
)
from briefing.render.fonts import FontSet, register_theme_fonts
from briefing.render.linebreak import install as install_linebreak
from briefing.render.markup import MarkupWriter
from briefing.render.oneline import LineSetter
from briefing.render.paragraph import remembered_breaks
from briefing.render.qr import LABEL_GAP, qr_url, qr_warning
from briefing.render.record import LayoutRecord
from briefing.render.story import (
    PRINTABLE_INSET,
    Direction,
    StoryBuilder,
    StoryContext,
    localized_number,
    paragraph_styles,
)
from briefing.render.structure import StructNode
from briefing.render.tagging import Tagger
from briefing.theme import Theme
from briefing.typography import Language, format_date, language
from briefing.typography.languages import pdf_language
from briefing.typography.scripts import unsupported

#: Styles of the masthead, which shrink with the page (see ``display_scale``).
DISPLAY_ROLES = ("title", "subtitle")


def display_scale(page_width: float) -> float:
    """How much margins, the title, logos and the QR code shrink on a page narrower than A4.

    The square root of the width ratio: A5 gets 84 %, A4 and Letter 100 %. Running text keeps
    its size on every page: it is set for reading at arm's length, whatever the paper.
    """
    return float(min(1.0, page_width / A4[0]) ** 0.5)


def band_inset(theme: Theme) -> float:
    """How far the masthead band stays from the top, left and right edges (points)."""
    return 0.0 if theme.masthead.bleed else PRINTABLE_INSET


def measured_margins(width: float, left: float, right: float,
                     measure: float) -> tuple[float, float]:
    """The left and right margins that keep the text column at most ``measure`` points wide
    (0: no limit), centred on the page."""
    extra = width - left - right - measure
    if measure <= 0 or extra <= 0:
        return left, right
    return left + extra / 2, right + extra / 2


def _footer_qr_size(briefing: Briefing, theme: Theme) -> float:
    """The QR code's size in points when it goes into page 1's footer, else 0."""
    if (theme.qr.enabled and theme.qr.position == "footer"
            and qr_url(briefing.meta.source)):
        return theme.qr.size * float(mm)
    return 0.0


class RenderOptions(msgspec.Struct, frozen=True):
    """What shapes the PDF beyond the theme: values decided by the build, never defaults of
    the renderer's own (``build.render_options``)."""

    page: tuple[float, float] = (595.2755905511812, 841.8897637795277)  # points (A4)
    variant: Variant = VARIANTS["ua"]  # tagged? PDF/A? (pdf.variants)
    base_dir: Path = Path(".")  # the source's folder, for its images
    date: dt.date = dt.date(2000, 1, 1)  # the briefing's date, printed and in the metadata
    max_pages: int = 500
    digits: Digits = "locale"  # of the dates and page numbers printed (typography.locale)
    notice: str | None = None  # "Updated <date>. Changed: …", set after the lead on page 1
    changed: frozenset[str] = frozenset()  # plain texts of blocks that get a change bar
    layout: bool = False  # measure the layout while laying it out (``render.record``)


class RenderResult(msgspec.Struct):
    """The PDF and what the layout learned."""

    pdf: bytes
    pages: int
    warnings: list[str] = msgspec.field(default_factory=list)
    images: tuple[Path, ...] = ()  # the source's image files the PDF shows
    layout: LayoutRecord | None = None  # the layout's measurements, when asked for


#: Copy-fitting, tried when a briefing spills a few blocks onto one more page: factors of the
#: space around blocks and of the line spacing. The first step that saves the page wins.
#: And of the images' height: images give way too (about 15 % of a page saved at most).
FIT_STEPS = ((0.7, 0.985, 0.85), (0.5, 0.97, 0.75), (0.35, 0.955, 0.65))
#: Or: at most this share of the last page's frame used, for copy-fitting to be tried.
FIT_OVERFLOW = 0.15
#: At most this many blocks on the last page, and this many pages, for copy-fitting to be tried.
FIT_TAIL_BLOCKS = 6
FIT_MAX_PAGES = 4


def render(briefing: Briefing, theme: Theme, options: RenderOptions | None = None) -> RenderResult:
    """Lay out a typeset briefing with a theme and return the PDF.

    When only a few blocks spill onto the last page, the layout is tried again with tighter
    spacing (``FIT_STEPS``), as a designer would copy-fit a handout onto one page fewer. Only
    the layout kept is written.
    """
    options = options or RenderOptions()
    refuse_unsupported(briefing)
    with remembered_breaks():  # the trials break each paragraph as the first layout did
        chosen = first = _layout(briefing, theme, options)
        if 1 < first.pages <= FIT_MAX_PAGES and (first.tail <= FIT_TAIL_BLOCKS
                                                 or first.used <= FIT_OVERFLOW):
            for fit in FIT_STEPS:
                tighter = _layout(briefing, theme, options, fit)
                if tighter.pages < first.pages:
                    chosen = tighter
                    break
    return RenderResult(chosen.write(), chosen.pages, chosen.warnings, chosen.images,
                        chosen.record)


@dataclass(slots=True)
class _Layout:
    """One layout, laid out but not yet written: its page count, how many blocks its last
    page holds and what share of its frame, and ``write`` for its PDF bytes (which completes
    ``warnings`` with what drawing the furniture found)."""

    pages: int
    tail: int
    used: float
    warnings: list[str]
    images: tuple[Path, ...]
    write: Callable[[], bytes]
    record: LayoutRecord | None = None  # its measurements, when asked for


def _layout(briefing: Briefing, theme: Theme, options: RenderOptions,
            fit: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> _Layout:
    """One layout (``fit``: the factors of spacing, leading and images' height)."""
    lang = language(briefing.meta.lang)
    install_linebreak()
    install_tounicode()
    fonts = register_theme_fonts(theme)
    # reportlab's graphics (SVG logos, QR codes) start from this font: never base-14 Helvetica.
    set_default_font(fonts.name("body"))
    width, height = options.page
    scale = display_scale(width)
    top, right, bottom, left = (m * mm * scale for m in theme.margins)
    left, right = measured_margins(width, left, right, theme.page.measure * mm)
    footer_room = 9 * mm
    frame_width = width - left - right
    qr_size = _footer_qr_size(briefing, theme) * scale
    # A QR code in the footer of page 1 stands in the right margin beside the footer when it
    # fits there, else above the footer's right end (page 1's text ends above it): the footer
    # and its folio stay where they are on every page.
    qr_at = None
    first_room = footer_room
    # In a right-to-left briefing the page is mirrored: the QR code goes to the left.
    if qr_size and qr_size + 3 * mm <= (left if lang.rtl else right) - PRINTABLE_INSET:
        qr_at = ((left - 3 * mm - qr_size) if lang.rtl else (width - right + 3 * mm), bottom)
    elif qr_size:
        qr_at = (left if lang.rtl else width - right - qr_size, bottom + footer_room)
        first_room = (footer_room + qr_size + LABEL_GAP * theme.style("footer").size * scale
                      + 2 * mm)
    # A masthead band starts at the top edge of page 1 (``bleed``) or inside the area office
    # printers print; without a band the top margin holds.
    first_top = (height - band_inset(theme)) if theme.masthead.band else height - top
    first = TextFrame(left, bottom + first_room, frame_width, first_top - bottom - first_room,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first")
    later = TextFrame(left, bottom + footer_room, frame_width,
                  height - top - bottom - footer_room, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="later")
    warnings: list[str] = []
    if theme.qr.enabled and (too_long := qr_warning(briefing.meta.source)):
        warnings.append(too_long)
    warnings += [contrast_warning(theme, failure) for failure in contrast_failures(theme)]
    writer = MarkupWriter(fonts, theme.colors["link"], lang=lang.code)
    styles = paragraph_styles(theme, fonts, lang)
    for role in DISPLAY_ROLES:  # the masthead shrinks with the page; running text does not
        styles[role].fontSize *= scale
        styles[role].leading *= scale
    if fit[:2] != (1.0, 1.0):
        for style in styles.values():
            style.spaceBefore *= fit[0]
            style.spaceAfter *= fit[0]
            style.leading *= fit[1]
    ctx = StoryContext(
        theme=theme, fonts=fonts, styles=styles, writer=writer,
        lang=lang, base_dir=options.base_dir, assets_dir=assets_dir(),
        frame_width=frame_width, frame_height=later.height,
        margins=(top, right, bottom, left), date=options.date, warnings=warnings,
        display_scale=scale, page_size=(width, height), band_inset=band_inset(theme),
        footer_qr_at=qr_at, image_scale=fit[2],
        notice=options.notice,
        changed=options.changed if theme.changes.bar else frozenset(),
        tag=briefing.meta.lang or lang.code, digits=options.digits,
    )
    builder = StoryBuilder(ctx)
    story = builder.build(briefing)

    variant = options.variant
    tagger = Tagger(writer.inlines) if variant.tagged else None
    pdfa = variant.pdfa is not None
    icc = icc_profile() if pdfa else None  # before any layout: a missing one is a clear error
    info = document_info(briefing, lang=pdf_language(briefing.meta.lang), date=options.date,
                         creator=f"briefing {__version__}")

    def finish(canv: Canvas) -> None:
        # Structure tree, metadata and PDF/A parts, written with the rest of the file.
        problems = finish_document(
            canv, info, variant, root=builder.root,
            content=tagger.content if tagger is not None else {},
            owners=tagger.pages if tagger is not None else [], icc_profile=icc)
        if tagger is not None:
            tagger.problems += problems
        # Then the output checks itself, before reportlab writes a byte of it.
        problems = self_check(canv, variant, tagger.problems if tagger is not None else [])
        if problems:
            raise SelfCheckFailed(problems)

    record = LayoutRecord(styles["body"].leading, styles["body"].fontSize) if options.layout \
        else None
    buffer = io.BytesIO()
    decorator = _furniture(briefing, theme, fonts, lang, options.date, (width, height),
                           (top, right, bottom, left), writer, options.digits)
    doc = BriefingDocTemplate(
        buffer,
        first_frame=first,
        later_frame=later,
        decorator=decorator,
        date=options.date,
        tagger=tagger,
        finisher=finish,
        max_pages=options.max_pages,
        pagesize=(width, height),
        leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=info.keywords,
        creator=info.creator,
        producer=info.creator,
        lang=pdf_language(briefing.meta.lang),
        displayDocTitle=1,
        initialFontName=fonts.name("body"),
        initialFontSize=10,
        invariant=1,
        pageCompression=1,
        deferred=True,
        record=record,
    )
    claims = "PDF/A-2b" if pdfa else "tagged PDF" if tagger is not None else "PDF"
    try:
        doc.build(story)
    except BlockTooLarge as exc:
        raise RenderError(too_large(exc)) from None
    except LayoutError:  # reportlab's own message is about its internals
        raise RenderError("the briefing cannot be laid out; make the theme's sizes, "
                          "paddings or margins smaller, or the page larger") from None
    except PageLimitExceeded:
        raise RenderError(
            f"the briefing needs more than {options.max_pages} pages, the limit; "
            "raise it with --max-pages if this is intended"
        ) from None
    canvas = doc.canv  # a FurnitureCanvas: its pages are kept until it is written
    pages = canvas.page_count
    tail = doc.block_pages.count(pages)
    if pages > options.max_pages:
        raise RenderError(
            f"the briefing has {pages} pages, more than the limit of {options.max_pages}; "
            "raise it with --max-pages if this is intended"
        )
    if pages > 1 and tail == 1:
        warnings.append(f"the last block spills alone onto page {pages}; consider shortening "
                        "the text or using a smaller page size")

    def write() -> bytes:
        try:
            canvas.write()
        except SelfCheckFailed as exc:
            raise RenderError(
                f"the {claims} would not be what it claims: {'; '.join(exc.problems)}; "
                "nothing was written"
            ) from None
        # Characters no font has, in the text and in the furniture drawn just now.
        for message in (writer.missing.message(), writer.missing_faces.message()):
            if message:
                warnings.append(message)
        return buffer.getvalue()

    if record is not None:
        record.finish(pages)
    return _Layout(pages, tail,
                   frame_used(doc.frame) / frame_size(doc.frame)[1], warnings,
                   tuple(dict.fromkeys(ctx.images)), write, record)


def refuse_unsupported(briefing: Briefing) -> None:
    """Stop, in one line naming the script and where it is, at text in a script briefing
    cannot set right (Thai, Tamil, Syriac...): a page that looks finished but is scrambled
    is worse than an error."""
    for unit in walk(briefing):
        found = unsupported(unit.text)
        if found:
            sample = next(w for w in unit.text.split() if unsupported(w))[:20]
            raise RenderError(
                f"{_unit_place(unit.path, unit.role)}: text in the {found[0]} script (“{sample}”) "
                "cannot be set yet; briefing sets Latin, Greek, Cyrillic, Arabic, Hebrew, "
                "Devanagari, Chinese, Japanese and Korean text: remove it or write it in one of "
                "these")


def _unit_place(path: tuple[object, ...], role: str) -> str:
    """Where a text unit is, in words: "the title", "lead paragraph 2", "section 3, a
    paragraph"."""
    if path[0] == "title":
        return "the title"
    if path[0] == "lead":
        return f"lead paragraph {int(str(path[1])) + 1}"
    if path[0] == "sections":
        return f"section {int(str(path[1])) + 1}, a {role}"
    if path[0] == "footnotes":
        return f"note {int(str(path[1])) + 1}"
    return f"the {role}"


#: How a block that fits no page is named in messages, by its structure kind.
_BLOCK_NAMES = {
    "title": "the title", "lead": "the lead", "subtitle": "the subtitle",
    "section_heading": "the heading", "advice": "the advice box", "quote": "the quotation",
    "code": "the code block", "figure": "the image", "table": "the table", "list": "the list",
    "faq_question": "the question", "notes": "the notes",
}


def too_large(exc: BlockTooLarge) -> str:
    """The message for a block no page can hold: what it is, where it starts, how tall."""
    flowable = exc.flowable
    width, height = exc.frame_size
    what = "the masthead (logo, kicker and title)" if type(flowable).__name__ == "Masthead" \
        else "a block"
    node = _first_node(flowable)
    if node is not None and what == "a block":
        what = _BLOCK_NAMES.get(node.kind, "the paragraph")
        text = " ".join(n.text for n in node.walk() if n.text).strip()
        if text:
            what += f" “{text[:40]}{'…' if len(text) > 40 else ''}”"
    size = ""
    leading = getattr(getattr(flowable, "style", None), "leading", None)
    try:
        if leading:  # a paragraph splits between lines: one line is too tall
            size = f" (lines {leading / mm:.0f} mm tall)"
        else:
            w, h = flowable.wrap(width, height)
            size = (f" ({w / mm:.0f} × {h / mm:.0f} mm)" if w > width + 1
                    else f" ({h / mm:.0f} mm tall)")
    except Exception:  # measuring it again is only for the message
        pass
    return (f"the briefing cannot be laid out: {what}{size} does not fit the page's text area "
            f"({width / mm:.0f} × {height / mm:.0f} mm); make the theme's sizes, paddings or "
            "margins smaller, or the page larger")


def _first_node(flowable: Any) -> StructNode | None:
    """The structure element of a flowable, or of the first flowable inside it."""
    stack = [flowable]
    while stack:
        item = stack.pop(0)
        node = getattr(item, "struct", None)
        if isinstance(node, StructNode):
            return node
        for name in ("_content", "content", "_flowables"):
            inner = getattr(item, name, None)
            if isinstance(inner, list | tuple):
                stack.extend(inner)
    return None


def _furniture(briefing: Briefing, theme: Theme, fonts: FontSet, lang: Language, date: dt.date,
               size: tuple[float, float], margins: tuple[float, float, float, float],
               writer: MarkupWriter, digits: Digits = "locale") -> PageDecorator:
    """The page decorator: running footer on every page, slim header after page 1.

    Their texts are the theme's ``[footer] left/right`` and ``[header] text`` templates; the
    footer, and its folio, is at the same place on every page. In a right-to-left briefing the
    page is mirrored: the footer's first text flush right, the folio on the left, the header
    flush right. Texts in another script are set like the body (``oneline``); characters no
    font has are reported with the body's.
    """
    width, height = size
    top, right, bottom, left = margins
    style = theme.style("footer")
    direction: Direction = "rtl" if lang.rtl else "ltr"
    footer_line = LineSetter(writer, fonts.face(style.font, style.weight),
                             style.weight.startswith("bold"), style.size, style.color,
                             direction, "the page footer")
    header_line = LineSetter(writer, fonts.face(style.font, "bold"), True, style.size,
                             theme.colors["primary"], direction, "the running header")
    fields = text_fields(briefing, lang, date, digits)
    tag = briefing.meta.lang or lang.code

    def fill(template: str, number: int, total: int) -> str:
        shown, of = (localized_number(n, lang, tag, digits) for n in (number, total))
        page = lang.labels["page"].format(page=shown, pages=of)
        return join_fields(template, {**fields, "page": page, "number": shown, "pages": of})

    left_template = theme.footer.left
    right_template = theme.footer.right
    header_template = theme.header.text

    def decorate(canv: Canvas, number: int, total: int) -> None:
        canv.saveState()
        y = bottom
        start, end = left, width - right
        if theme.footer.rule:
            draw_rule(canv, start, y + 4.2 * mm, end, theme.colors["rule"], 0.5)
        # Without organisation or source, the footer names the briefing (not the kicker again).
        left_text = fill(left_template, number, total) or fill("{kicker} · {title}", number, total)
        right_text = fill(right_template, number, total)
        right_w = footer_line.width(right_text)
        left_text = footer_line.fit(left_text, end - start - right_w - 8 * mm)
        if lang.rtl:
            footer_line.draw(canv, left_text, end, y + 1 * mm, "right")
            footer_line.draw(canv, right_text, start, y + 1 * mm)
        else:
            footer_line.draw(canv, left_text, start, y + 1 * mm)
            footer_line.draw(canv, right_text, end, y + 1 * mm, "right")
        header = fill(header_template, number, total)
        if number > 1 and header:
            header = header_line.fit(header, width - left - right)
            if lang.rtl:
                header_line.draw(canv, header, width - right, height - top + 4 * mm, "right")
            else:
                header_line.draw(canv, header, left, height - top + 4 * mm)
            if theme.header.rule:
                draw_rule(canv, left, height - top + 2.5 * mm, width - right,
                          theme.colors["rule"], 0.5)
        canv.restoreState()

    return decorate


#: The longest title the running header and footer repeat (characters); a longer one is cut.
RUNNING_TITLE = 60


def function_word(word: str, lang: Language) -> bool:
    """A word a cut title must not end on: an article, preposition or conjunction (the
    language's stop words, any lower-case word of up to three letters, an elided "d’")."""
    bare = word.strip(".,;:!?…«»“”\"()[]")
    return (not bare or bare.casefold() in lang.stop_words or bare.endswith(("’", "'"))
            or (len(bare) <= 3 and bare.islower()))


def cut_at_word(text: str, keep: int, lang: Language) -> str:
    """``text`` cut to at most ``keep`` characters at a word boundary, never ending on a
    function word, with an ellipsis; as it is when it is short enough."""
    if len(text) <= keep:
        return text
    words = text[:keep].split()
    if len(text) > keep and not text[keep].isspace() and len(words) > 1:
        words.pop()  # the word the cut went through
    while len(words) > 1 and function_word(words[-1], lang):
        words.pop()
    return " ".join(words).rstrip(" ,;:·–—-") + "…"


def running_title(briefing: Briefing, lang: Language) -> str:
    """The title the running header and footer show: the source's ``short_title``, else the
    title cut at a word (``RUNNING_TITLE`` characters at most)."""
    return briefing.meta.short_title or cut_at_word(briefing.title, RUNNING_TITLE, lang)


def text_fields(briefing: Briefing, lang: Language, date: dt.date,
                digits: Digits = "locale") -> dict[str, str]:
    """What ``{name}`` stands for in header and footer texts (``theme.TEXT_FIELDS``)."""
    meta = briefing.meta
    source = meta.source or ""
    shown = source.split("://", 1)[-1].removeprefix("www.").rstrip("/") if qr_url(source) else source
    return {
        "organisation": meta.organisation or "",
        "author": meta.author or "",
        "source": shown,
        "title": running_title(briefing, lang),
        "date": format_date(date, briefing.meta.lang or lang.code, digits),
        "kicker": lang.labels["kicker"],
    }


def join_fields(template: str, fields: dict[str, str]) -> str:
    """A template filled in; a separator next to an empty field goes with it.

    ``"{organisation} · {source}"`` without an organisation is ``"example.org/a"``.
    """
    pieces: list[str] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        pieces.append(literal)
        if name is not None:
            pieces.append(_EMPTY if not fields.get(name) else fields[name])
    text = "".join(pieces)
    text = re.sub(rf"{_EMPTY}\s*[·|–—]?\s*", "", text)
    text = re.sub(rf"\s*[·|–—]\s*{_EMPTY}", "", text)
    return text.replace(_EMPTY, "").strip(" ·|–—")


_EMPTY = "\x00"
