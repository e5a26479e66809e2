"""The kinds of PDF a build makes, as data: a variant says what the file claims.

Users set the two facets they know (``--tags/--no-tags``, ``--pdfa``); the build turns them
into one ``Variant``, the only thing the renderer and the writer see. A new variant (PDF/A-2u,
PDF/A-3b) is a row here and, where it changes what is written, the code in ``pdf/``.
"""

from __future__ import annotations

import msgspec


class PdfA(msgspec.Struct, frozen=True):
    """A PDF/A level: part and conformance, as XMP's ``pdfaid`` says them."""

    part: int
    conformance: str


class Variant(msgspec.Struct, frozen=True):
    """What a PDF claims, and so what is written into it."""

    name: str
    tagged: bool  # marked content and a structure tree
    ua: int | None  # pdfuaid:part in XMP
    pdfa: PdfA | None  # output intent, pdfaid in XMP, the info dictionary equal to XMP


VARIANTS: dict[str, Variant] = {v.name: v for v in (
    Variant("none", tagged=False, ua=None, pdfa=None),
    Variant("ua", tagged=True, ua=1, pdfa=None),  # the default: a tagged PDF (PDF/UA-1)
    Variant("pdfa-2b", tagged=False, ua=None, pdfa=PdfA(2, "B")),
    Variant("pdfa-2b+ua", tagged=True, ua=1, pdfa=PdfA(2, "B")),
)}


def variant_for(*, tagged: bool, pdfa: bool) -> Variant:
    """The variant of a tagged (or untagged) PDF, archival (PDF/A-2b) or not."""
    return next(v for v in VARIANTS.values() if v.tagged == tagged and (v.pdfa is not None) == pdfa)
