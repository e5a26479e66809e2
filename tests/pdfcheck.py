"""Checks on real PDFs, shared by the tests: text, fonts, outline, metadata, rendering."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable

import pikepdf
import pypdf
import pypdfium2 as pdfium

_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


def extract_text(pdf: bytes, *, furniture: bool = True) -> str:
    """All pages' text, as pypdf extracts it; without running header and footer if asked."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    if furniture:
        return "\n".join(page.extract_text() for page in reader.pages)
    return "\n".join(_body_text(page, i == 0) for i, page in enumerate(reader.pages))


def _body_text(page: pypdf.PageObject, first: bool) -> str:
    height = float(page.mediabox.height)
    parts: list[str] = []

    def keep(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = cm[5] + tm[5] * cm[3] if cm else tm[5]
        # The footer sits below 25 mm; the running header (after page 1) above the top margin.
        if 72 < y < height - 40 or (y >= height - 40 and first):
            parts.append(text)

    page.extract_text(visitor_text=keep)
    return "".join(parts)


def normalise(text: str) -> str:
    """Text reduced to comparable words: NFKC, no-break spaces as spaces, line-end hyphens joined."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("\u00ad\n", "").replace("\u00ad", "")
    # reportlab hyphenates with a plain '-' at the line end: join those words back.
    text = re.sub(r"(\w)-\n+(\w)", r"\1\2", text)
    return text


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(normalise(text).replace("’", "'"))]


def missing_words_in_order(expected_texts: Iterable[str], pdf: bytes) -> list[str]:
    """Words of the expected texts that do not come back, in order, from the PDF ([] if all do)."""
    got = words(extract_text(pdf, furniture=False))
    expected = [w for t in expected_texts for w in words(t)]
    # Words split by a line-end hyphen that was part of the word ("a-t-il") come back joined.
    got_joined = "\u0000".join(got)
    position = 0
    missing: list[str] = []
    for word in expected:
        found = got_joined.find(word, position)
        if found < 0:
            missing.append(word)
        else:
            position = found + len(word)
    return missing


def fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, embedded) for every font the pages use."""
    out: dict[str, bool] = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            resources = page.obj.get("/Resources", {})
            for _, font in resources.get("/Font", {}).items():
                descriptor = font.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                out[str(font.get("/BaseFont"))] = embedded
    return sorted(out.items())


def outline_titles(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))

    def walk(items: list) -> list[str]:  # type: ignore[type-arg]
        titles: list[str] = []
        for item in items:
            if isinstance(item, list):
                titles += walk(item)
            else:
                titles.append(item.title)
        return titles

    return walk(reader.outline)


def metadata(pdf: bytes) -> dict[str, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return {k: str(v) for k, v in (reader.metadata or {}).items()}


def catalog_lang(pdf: bytes) -> str | None:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        lang = doc.Root.get("/Lang")
        return str(lang) if lang is not None else None


def render_pages(pdf: bytes, dpi: float = 40) -> list[tuple[int, int, float]]:
    """Render every page with pdfium: (width, height, share of non-white pixels) per page."""
    document = pdfium.PdfDocument(pdf)
    out = []
    try:
        for page in document:
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            histogram = image.histogram()
            dark = sum(histogram[:250]) / (image.width * image.height)
            out.append((image.width, image.height, dark))
    finally:
        document.close()
    return out
