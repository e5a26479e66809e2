"""PDF/A-2b: the output intent with its sRGB ICC profile, and printable annotations.

The rest of what PDF/A asks is written elsewhere and the same for every variant: fonts
embedded (``pdf/fonts.py``), the info dictionary equal to the XMP packet, which says
``pdfaid`` (``pdf/metadata.py``), no encryption, no empty /Trans (``pdf/document.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)

from briefing.assets import asset
from briefing.errors import RenderError
from briefing.paths import LIMITS, read_bytes
from briefing.pdf.compat import allow_keys
from briefing.pdf.structure import annotation_dicts


def icc_path() -> Path:
    """The bundled sRGB ICC profile (``assets/icc/sRGB.icc``)."""
    return asset("icc", "sRGB.icc")


def icc_profile() -> bytes:
    """The sRGB ICC profile PDF/A's output intent embeds, or one clear error when the
    installation lacks it."""
    path = icc_path()
    if not path.is_file():
        raise RenderError(f"PDF/A needs the sRGB ICC profile, which is missing from this "
                          f"installation ({path}); reinstall briefing, or build without --pdfa")
    return read_bytes(path, limit=LIMITS["icc"], what="ICC profile", error=RenderError)


def write_output_intent(doc: Any, icc_profile: bytes) -> None:
    """Add the sRGB output intent to the catalog and make every annotation printable."""
    icc = PDFStream(PDFDictionary({"N": 3}), icc_profile, filters=[PDFZCompress])
    intent = PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": PDFString("sRGB"),
        "Info": PDFString("sRGB IEC61966-2.1"), "DestOutputProfile": doc.Reference(icc),
    })
    allow_keys(doc.Catalog, "OutputIntents")
    doc.Catalog.OutputIntents = PDFArray([doc.Reference(intent)])
    for annot in annotation_dicts(doc):
        annot.dict["F"] = 4  # PDF/A: annotations print (set for tagged links as well)
