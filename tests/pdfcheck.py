"""Checks on real PDFs, shared by the tests: text, fonts, outline, metadata, rendering."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pikepdf
import pypdf
import pypdfium2 as pdfium

from tests import pdftext


def extract_text(pdf: bytes) -> str:
    """All pages' text, as pypdf extracts it."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def missing_words_in_order(expected_texts: Iterable[str], pdf: bytes) -> list[str]:
    """Words of the expected texts that do not come back, in order, from the PDF ([] if all do).

    One implementation for every test: ``tests.pdftext`` (running header and footer left out,
    line-end hyphens and split long words joined, characters no font has set aside).
    """
    return pdftext.missing_words(expected_texts, pdf)


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


def assert_pdfua_clean(report: Any) -> None:
    """A ``pdfua`` report with no finding and no rule skipped, but UA-14-001, which the
    checker cannot evaluate on a ``/K`` array (``tests/render/test_pdfua_checker.py``)."""
    assert not report.findings, [str(f) for f in report.findings]
    skipped = [(o.rule_id, o.skipped_reason) for o in report.skipped
               if not (o.rule_id == "UA-14-001" and "is_integer" in (o.skipped_reason or ""))]
    assert not skipped, skipped
