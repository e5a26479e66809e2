"""Checking that the words of a source come back from a PDF, in order.

Comparison is on words, not punctuation or spacing (typography may change quotes and
spaces): both sides are NFKC-normalised and case-folded, characters that no font of the theme
has are dropped. The PDF's text is read as a sequence of words (tokens); each expected word
must equal one token, or a run of consecutive tokens joined (a word hyphenated or split at a
line end), and the expected words must come in order: a short word is never "found" inside a
longer one ("cat" in "category").
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from pypdf import PdfReader
from reportlab.lib.units import mm

from briefing.render.fonts import register_theme_fonts
from briefing.theme import load_theme

#: A word: letters and digits (an underscore separates words: Markdown reads it as emphasis).
_WORD = re.compile(r"[^\W_]+")
logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns about reportlab's non-BMP CMaps


#: Bidirectional classes of right-to-left scripts: reportlab neither shapes nor reorders them,
#: so they are not scripts the fonts "cover" even where a font has the glyphs.
_RTL = ("R", "AL", "AN")


@cache
def covered() -> frozenset[int]:
    """Code points some font of the default theme (faces or fallbacks) draws and that come
    back from the PDF's text.

    Left out: right-to-left scripts, and characters beyond the BMP, whose ToUnicode entries
    reportlab 5.1 writes as plain code points instead of UTF-16 (pypdf cannot map them back).
    """
    fonts = register_theme_fonts(load_theme(None))
    chars: set[int] = set()
    for role, weights in fonts.files.items():
        for weight in weights:
            chars |= fonts.face(role, weight).charset
    for face in fonts.fallback:
        chars |= face.charset
    return frozenset(
        c for c in chars if c <= 0xFFFF and unicodedata.bidirectional(chr(c)) not in _RTL
    )


def _normal(text: str) -> str:
    # A character no font has may or may not come back (as nothing, or a space): drop it on
    # both sides, before the compatibility mapping (which would turn an uncovered "𝕊" into a
    # covered "S"); a word it split then matches one or two tokens of the PDF.
    # A soft hyphen is a hyphenation hint inside a word: invisible unless at a line end.
    cover = covered()
    text = "".join(
        c if ord(c) in cover else " " if c.isspace() else ""
        for c in text.replace("\u00ad", "")
    )
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def words(texts: Iterable[str]) -> list[str]:
    """The words of some texts, normalised, in order."""
    return [w for text in texts for w in _WORD.findall(_normal(text))]


#: Page furniture of the default theme lies outside the body frame: the footer below this
#: height, the running header (pages after the first) above the top margin.
FOOTER_TOP = 24 * mm
HEADER_BOTTOM = 16 * mm - 2 * mm  # from the top of the page


def pdf_text(pdf: bytes, *, furniture: bool = False) -> str:
    """The text of every page of a PDF, pages in order; without the running header and footer
    unless ``furniture``."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for number, page in enumerate(reader.pages, 1):
        if furniture:
            pages.append(page.extract_text() or "")
            continue
        top = float(page.mediabox.top) - (HEADER_BOTTOM if number > 1 else 0)
        pages.append(_body_text(page, top))
    return "\n".join(pages)


def _body_text(page: Any, top: float) -> str:
    chunks: list[str] = []

    def keep(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if FOOTER_TOP < y < top or not text.strip():
            chunks.append(text)

    page.extract_text(visitor_text=keep)
    return "".join(chunks)


def missing_words(expected: Iterable[str], pdf: bytes) -> list[str]:
    """The expected words not found in order in the PDF (empty when all came back)."""
    return lost_in(words(expected), _WORD.findall(_normal(pdf_text(pdf))))


def lost_in(expected: list[str], tokens: list[str]) -> list[str]:
    """The words of ``expected`` not found, in order, in ``tokens``.

    The tokens are read as one stream; a word is found where it starts at the start of a
    token (or right where the word before it ended: words the source's markup glues, as
    Markdown's ``[a](x)[b](y)`` prints "ab") and ends at the end of a token (or right where
    the next word starts). So a word may span tokens (split at a line end), but a short word
    is never found inside a longer one ("cat" in "category").
    """
    stream = "".join(tokens)
    starts: set[int] = set()
    ends: set[int] = set()
    offset = 0
    for token in tokens:
        starts.add(offset)
        offset += len(token)
        ends.add(offset)
    pos = 0
    previous: int | None = None  # where the last word found ended
    lost: list[str] = []
    for k, word in enumerate(expected):
        following = expected[k + 1] if k + 1 < len(expected) else None
        found = stream.find(word, pos)
        while found >= 0:
            end = found + len(word)
            if (found in starts or found == previous) and (
                    end in ends or (following is not None and stream.startswith(following, end))):
                break
            found = stream.find(word, found + 1)
        if found < 0:
            lost.append(word)
        else:
            pos = previous = found + len(word)
    return lost


def link_targets(pdf: bytes) -> list[str]:
    """The targets (``/URI``) of the PDF's link annotations, in page order."""
    reader = PdfReader(io.BytesIO(pdf))
    out: list[str] = []
    for page in reader.pages:
        for ref in page.get("/Annots") or ():
            action = ref.get_object().get("/A")
            if action is not None and "/URI" in action:
                out.append(str(action["/URI"]))
    return out


def lost_words(expected: Iterable[str], pdf: bytes) -> list[str]:
    """The expected words not found in order in the PDF's text, where the address of each of
    the PDF's links may be missing (a Markdown link's address becomes its target, not
    printed text)."""
    texts = list(expected)
    for target in sorted(set(link_targets(pdf)), key=len, reverse=True):
        texts = [text.replace(target, " ") for text in texts]
    return missing_words(texts, pdf)
