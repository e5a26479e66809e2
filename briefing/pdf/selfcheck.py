"""The build checks its own output before any byte is written: a broken invariant is an error,
never a silently non-conforming file.

The check reads what the renderer knows, not the PDF (re-parsing it would cost as much as
tagging did before it was written in place):

- **fonts**: every font the canvas used is a TrueType font, embedded as a subset with a
  ToUnicode map; never one of the 14 standard fonts (reportlab's default, and svglib's);
- **tagging**, when tagged: every marked-content sequence belongs to an element of the
  structure tree, marked content is balanced on every page, every link annotation has its
  Link element (``render.tagging.Tagger.problems``), and the catalog says /MarkInfo and /Lang;
- **metadata**: the XMP packet is well-formed XML;
- **PDF/A**, with ``--pdfa``: an output intent with its ICC profile, ``pdfaid`` in XMP, every
  annotation printable, no encryption.
"""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefing.pdf.compat import pdf_document
from briefing.pdf.structure import annotation_dicts
from briefing.pdf.variants import Variant


class SelfCheckFailed(Exception):
    """The PDF about to be written breaks an invariant (``render`` reports it)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check(canv: Any, variant: Variant, tagging: list[str]) -> list[str]:
    """The invariants the document about to be written breaks ([] when none), with those
    tagging found while the document was drawn and finished (``tagging``)."""
    doc = pdf_document(canv)
    problems = _fonts(doc)
    xmp = _xmp(doc)
    if xmp is not None:
        try:
            expat.ParserCreate().Parse(xmp, True)
        except expat.ExpatError as exc:
            problems.append(f"the XMP metadata is not well-formed XML ({exc})")
    elif variant.tagged or variant.pdfa is not None:
        problems.append("the XMP metadata is missing")
    if variant.tagged:
        problems += tagging
        catalog = doc.Catalog
        if getattr(catalog, "StructTreeRoot", None) is None:
            problems.append("the structure tree is missing")
        if not getattr(catalog, "Lang", None):
            problems.append("the document's /Lang is missing")
    if variant.pdfa is not None:
        problems += _pdfa(doc, xmp or b"", variant.pdfa.part)
    return problems


def _fonts(doc: Any) -> list[str]:
    problems = []
    for name in sorted(doc.fontMapping):
        font = pdfmetrics.getFont(name)
        if not isinstance(font, TTFont):
            problems.append(f"font {name} is not embedded (one of the 14 standard fonts, "
                            "which PDF/A and PDF/UA forbid)")
    return problems


def _xmp(doc: Any) -> bytes | None:
    ref = getattr(doc.Catalog, "Metadata", None)
    stream = doc.idToObject.get(getattr(ref, "name", None)) if ref is not None else None
    content = getattr(stream, "content", None)
    if content is None:
        return None
    return content if isinstance(content, bytes) else str(content).encode("utf-8")


def _pdfa(doc: Any, xmp: bytes, part: int) -> list[str]:
    problems = []
    if not getattr(doc.Catalog, "OutputIntents", None):
        problems.append("PDF/A: the output intent (sRGB ICC profile) is missing")
    if f"<pdfaid:part>{part}</pdfaid:part>".encode() not in xmp:
        problems.append(f"PDF/A: the XMP metadata does not say pdfaid:part {part}")
    hidden = [a for a in annotation_dicts(doc) if not int(a.dict.get("F", 0)) & 4]
    if hidden:
        problems.append(f"PDF/A: {len(hidden)} annotation(s) not set to print")
    if type(doc.encrypt).__name__ != "NoEncryption":
        problems.append("PDF/A: the file would be encrypted")
    return problems
