"""From the model's text to reportlab's paragraph mini-markup, safely.

Every character of user text is escaped here and nowhere else, so ``<img src=...>``,
``<font color=...>`` or ``&`` in a source print as typed. The only markup produced is this
module's own allow-list: ``<font name/size> <a href> <super> <nobr> <br/> <ondraw>``.

Bold, italic and code are set by naming their face (``<font name=...>``), chosen from the
theme's family for the paragraph's style (``fonts.emphasis_weight``), not through reportlab's
``<b>``/``<i>`` and its global family table: what a span asks for is what the page shows. A
face the theme does not have is reported once, in one warning.

Also done here, because they depend on fonts and on reportlab's line breaking:
- characters the paragraph's face lacks are set in the first fallback font that has them;
  characters no font has are collected for one warning;
- superscript letters of ordinals (``1ᵉʳ``) that the face lacks are set as ``<super>`` letters
  of the face itself, rather than in a fallback font;
- code is wrapped in ``<nobr>``: the line breaker never hyphenates it;
- narrow no-break spaces (U+202F) stay U+202F (``linebreak`` makes reportlab honour them);
  in a face whose own is as wide as a word space, they are set smaller
  (``narrow_space_scale``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import msgspec
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefing.model import Inline, Span, safe_link
from briefing.render.fonts import (
    CJK_LANGUAGE,
    SCRIPT_FONTS,
    FontSet,
    RegisteredFont,
    cjk_font,
    emphasis_weight,
    script_font,
)
from briefing.typography.scripts import COMMON, script_of

#: A link's underline: its thickness and how far below the baseline it is (times the size).
LINK_RULE, LINK_OFFSET = "0.04*F", "-0.12*F"
#: Name of the ``<ondraw>`` callback that marks where a link or a foreign-language span starts
#: and ends; the tagging canvas turns these into ``Link``/``Span`` structure elements.
INLINE_CALLBACK = "briefing_inline"


NARROW_NBSP = "\u202f"
#: A French narrow no-break space is about a sixth of an em.
NARROW_EM = 0.17
#: Inline code, relative to the text around it.
CODE_SCALE = 0.9
#: Superscript letters (French ordinals) and the letters they raise.
SUPERSCRIPTS = {"ᵉ": "e", "ʳ": "r", "ˢ": "s", "ⁿ": "n", "ᵈ": "d"}


@cache
def narrow_space_scale(font_name: str) -> float | None:
    """The size factor that brings a font's narrow no-break space to ``NARROW_EM``, or None
    when the font's own is narrow enough (Noto's is 0.17 em; Lato's as wide as a space)."""
    narrow = stringWidth(NARROW_NBSP, font_name, 1000)
    space = stringWidth(" ", font_name, 1000)
    if narrow <= 0 or narrow < 0.8 * space:
        return None
    return float(NARROW_EM * 1000 / narrow)


def escape(text: str) -> str:
    """Escape the characters reportlab's paragraph parser treats as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class InlineTag(msgspec.Struct, frozen=True):
    """An inline structure element announced in the markup: a link or a span with its language."""

    kind: str  # "link" or "span" (keys of structure.ROLES)
    href: str | None = None
    lang: str | None = None
    text: str = ""


@dataclass
class MissingGlyphs:
    """Characters no font of the chain has, with where they occur (for one warning)."""

    places: dict[str, list[str]] = field(default_factory=dict)

    def add(self, char: str, where: str) -> None:
        spots = self.places.setdefault(char, [])
        if where not in spots:
            spots.append(where)

    def message(self) -> str | None:
        if not self.places:
            return None
        parts = []
        for char, spots in self.places.items():
            shown = ", ".join(spots[:3]) + (" …" if len(spots) > 3 else "")
            parts.append(f"{char!r} (U+{ord(char):04X}) in {shown}")
        return "no font has these characters, they will be missing: " + "; ".join(parts)


_WEIGHT_WORDS = {"bold": "bold", "italic": "italic", "bold_italic": "bold italic"}


@dataclass
class MissingFaces:
    """Weights the text asks for and the theme does not have, with where (for one warning)."""

    theme: str = ""
    places: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)

    def add(self, role: str, weight: str, used: str, where: str) -> None:
        spots = self.places.setdefault((role, weight, used), [])
        if where not in spots:
            spots.append(where)

    def message(self) -> str | None:
        if not self.places:
            return None
        parts = []
        for (role, weight, used), spots in self.places.items():
            shown = ", ".join(spots[:3]) + (" …" if len(spots) > 3 else "")
            parts.append(f"no {_WEIGHT_WORDS[weight]} face for fonts.{role}: {shown} "
                         f"set in {used} instead")
        return (f"theme {self.theme!r} lacks faces the text asks for, so emphasis is lost: "
                + "; ".join(parts) + " (add the weights to the theme's [fonts])")


@dataclass
class MarkupWriter:
    """Writes markup for one theme's fonts; collects missing glyphs and faces across the
    document."""

    fonts: FontSet
    link_color: str
    missing: MissingGlyphs = field(default_factory=MissingGlyphs)
    missing_faces: MissingFaces = field(default_factory=MissingFaces)
    inlines: list[InlineTag] = field(default_factory=list)  # by marker number
    #: Whether the text written since this was last cleared needs shaping (a script font).
    shaped: bool = False
    #: The CJK language of the text written since this was last cleared (None: no CJK).
    cjk: str | None = None
    #: The document's language (primary subtag): the CJK font is the one for it.
    lang: str = ""

    def __post_init__(self) -> None:
        self.missing_faces.theme = self.fonts.theme_name

    def text(self, text: str, face: RegisteredFont, size: float, where: str,
             bold: bool = False) -> str:
        """Escaped text, with fallback fonts and narrow spaces handled."""
        out: list[str] = []
        run: list[str] = []
        run_font: str | None = None

        def flush() -> None:
            if not run:
                return
            # A hard line break in the source (Markdown's two trailing spaces) stays one.
            chunk = escape("".join(run)).replace("\n", "<br/>")
            out.append(f'<font name="{run_font}">{chunk}</font>' if run_font else chunk)
            run.clear()

        narrow = narrow_space_scale(face.name)
        if set(map(ord, text)) <= face.charset:
            # Every character in the face: nothing to do per character (most paragraphs),
            # but resize the narrow spaces if this font's own is too wide.
            if narrow is None or NARROW_NBSP not in text:
                run.append(text)
                flush()
                return "".join(out)
            resized = f'<font size="{size * narrow:.2f}">{NARROW_NBSP}</font>'
            return resized.join(escape(piece).replace("\n", "<br/>")
                                for piece in text.split(NARROW_NBSP))
        by_char = self._script_runs(text, face, bold) if not text.isascii() else None
        for i, char in enumerate(text):
            if char == NARROW_NBSP and narrow is not None:
                # This font's own narrow space is as wide as a word space: set it smaller.
                flush()
                out.append(f'<font size="{size * narrow:.2f}">{NARROW_NBSP}</font>')
                continue
            code = ord(char)
            if char in SUPERSCRIPTS and code not in face.charset:
                flush()
                out.append(f"<super>{SUPERSCRIPTS[char]}</super>")
                continue
            font: str | None = None
            if by_char is not None:
                font = by_char[i]
                if font is None and code not in face.charset and not _invisible(char):
                    self.missing.add(char, where)
            elif code not in face.charset and code > 0x20 and not char.isspace():
                font = self._fallback(char, where)
            if font != run_font:
                flush()
                run_font = font
            run.append(char)
        flush()
        return "".join(out)

    def _script_runs(self, text: str, face: RegisteredFont, bold: bool) -> list[str | None] | None:
        """The font of each character when the text holds a script with a font of its own
        (Arabic, Hebrew, Devanagari: ``fonts.SCRIPT_FONTS``), by runs of script and font
        (``typography.runs``): spaces, digits and punctuation stay in the run they are in.
        None when it holds none (the character-by-character fallback decides)."""
        scripts = {script_of(c) for c in text if ord(c) not in face.charset}
        wanted = scripts & SCRIPT_FONTS.keys()
        cjk = scripts & CJK_LANGUAGE.keys()
        if cjk:
            self.cjk = self.lang if self.lang in ("zh", "ja", "ko") else CJK_LANGUAGE[min(cjk)]
        cjk_text = self.lang in ("zh", "ja", "ko")
        if not wanted and not cjk and not cjk_text:
            return None
        from briefing.typography.runs import FontChain, font_runs  # only for these scripts

        own = {s: [f] for s in wanted
               if (f := script_font(s, bold, self.fonts.script_files)) is not None}
        fallback = self.fonts.fallback
        uncovered = [c for c in text if ord(c) not in face.charset and not c.isspace()
                     and not any(ord(c) in f.charset for f in fallback)]
        if not wanted and not cjk and not uncovered:
            return None
        if (cjk or cjk_text) and any(script_of(c) in cjk or cjk_text for c in uncovered):
            # No font of the theme has them: a CJK font of the system (for the CJK
            # punctuation of a CJK briefing too: "。" after a code span).
            system = cjk_font(self.cjk or (self.lang if cjk_text else "zh"))
            own.update({s: [system] for s in cjk})
            if cjk_text:
                own.setdefault(COMMON, [system])
        chain = FontChain(face, own, fallback)
        out: list[str | None] = []
        others = [f for faces in own.values() for f in faces]
        for run in font_runs(text, chain):
            if run.font is None:  # a "）" after a Latin word: another script's font has it
                run_text = text[run.start:run.end]
                name = next((f.name for f in others
                             if all(ord(c) in f.charset for c in run_text)), None)
                out += [name] * (run.end - run.start)
                continue
            name = None if run.font == face.name else run.font
            out += [name] * (run.end - run.start)
            if run.script in wanted:
                self.shaped = True
        return out

    def _fallback(self, char: str, where: str) -> str | None:
        for candidate in self.fonts.fallback:
            if ord(char) in candidate.charset:
                return candidate.name
        if not _invisible(char):
            self.missing.add(char, where)
        return None

    def spans(self, spans: Inline, role: str, weight: str, size: float, where: str) -> str:
        """Markup for a run of spans in a paragraph set in a font role at a weight."""
        return "".join(self.span(s, role, weight, size, where) for s in spans)

    def face(self, role: str, weight: str, where: str) -> RegisteredFont:
        """A face of the theme; a weight it lacks is noted for the warning."""
        if weight in self.fonts.missing.get(role, ()):
            used = self.fonts.files[role][weight].stem
            self.missing_faces.add(role, weight, used, where)
        return self.fonts.face(role, weight)

    def span(self, span: Span, role: str, weight: str, size: float, where: str) -> str:
        base = self.fonts.name(role, weight)
        if span.code:
            # Code at 0.9 em: a monospaced face looks larger than the text face at one size.
            mono = self.face("mono", emphasis_weight(weight, span.bold, span.italic, code=True),
                             where)
            # <nobr>: the line breaker never hyphenates code.
            body = (f'<nobr><font name="{mono.name}" size="{size * CODE_SCALE:.2f}">'
                    f"{self.text(span.text, mono, size * CODE_SCALE, where)}</font></nobr>")
        else:
            span_weight = emphasis_weight(weight, span.bold, span.italic)
            face = self.face(role, span_weight, where)
            body = self.text(span.text, face, size, where, bold=span_weight.startswith("bold"))
            if face.name != base:
                body = f'<font name="{face.name}">{body}</font>'
        href = safe_link(span.href)
        if href:
            # Underlined: a link shows as one without colour too (a black-and-white print).
            body = (f'<a href="{escape(href)}" color="{self.link_color}" underline="1" '
                    f'uwidth="{LINK_RULE}" uoffset="{LINK_OFFSET}">{body}</a>')
            body = self._inline(InlineTag("link", href=href, text=span.text), body)
        if span.lang:
            body = self._inline(InlineTag("span", lang=span.lang, text=span.text), body)
        if span.note:
            # A footnote reference: the span's text is the note's number, set as a superscript.
            body = f"<super>{body}</super>"
        return body

    def _inline(self, tag: InlineTag, body: str) -> str:
        # Zero-width markers, drawn in place: they neither move nor break the text. They are
        # written whether or not the PDF is tagged, so that tagging cannot change the layout.
        self.inlines.append(tag)
        n = len(self.inlines) - 1
        return (f'<ondraw name="{INLINE_CALLBACK}" label="{n}"/>{body}'
                f'<ondraw name="{INLINE_CALLBACK}" label="end"/>')


def _invisible(char: str) -> bool:
    # Joiners, variation selectors and the like: nothing to draw, nothing missing.
    return char in "\u200b\u200c\u200d\u2060\ufeff" or 0xFE00 <= ord(char) <= 0xFE0F
