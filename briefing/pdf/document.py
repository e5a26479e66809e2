"""The last step before reportlab writes the file: what a variant claims, added to the document.

Runs once every page is finished, so the objects are written with the rest: no second parse
and write of the PDF (that cost most of tagging). One module per concern does the writing:
``structure`` (the structure tree), ``metadata`` (info dictionary and XMP), ``pdfa`` (the
output intent); ``selfcheck`` then checks the result before a byte is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from briefing.pdf.compat import pdf_document
from briefing.pdf.metadata import DocumentInfo, write_metadata
from briefing.pdf.pdfa import write_output_intent
from briefing.pdf.structure import MC, Annot, E, write_structure
from briefing.pdf.variants import Variant


def finish_document(canv: Any, info: DocumentInfo, variant: Variant, *, root: E,
                    content: Mapping[E, Sequence[MC | Annot | E]],
                    owners: Sequence[Sequence[E]], icc_profile: bytes | None) -> list[str]:
    """Add the structure tree (tagged variants), the metadata and the PDF/A parts to
    reportlab's document; what cannot be done as it should (for the self-check).

    ``content`` and ``owners`` are the marked-content record (see ``structure``); an untagged
    variant ignores them. ``icc_profile`` is needed by PDF/A variants (``pdfa.icc_profile``).
    """
    if not variant.tagged and variant.pdfa is None:
        return []  # a plain PDF: reportlab's own info dictionary is all it says
    doc = pdf_document(canv)
    pages: list[Any] = list(doc.Pages.pages)
    for page in pages:
        page.Trans = None  # reportlab writes an empty /Trans, which PDF/A checkers flag
    problems: list[str] = []
    if variant.tagged:
        problems += write_structure(doc, pages, root, content, owners)
    write_metadata(doc, info, variant)
    if variant.pdfa is not None:
        if icc_profile is None:
            raise ValueError("a PDF/A variant needs the ICC profile (pdfa.icc_profile)")
        write_output_intent(doc, icc_profile)
    return problems
