"""The PDF back end: what is written into the file besides the page content.

``variants`` (pure data, no reportlab: the command line imports it at start-up) names the
kinds of PDF a build can make; the writing itself lives beside it, one module per concern.
"""

from briefing.pdf.variants import VARIANTS, PdfA, Variant, variant_for

__all__ = ["VARIANTS", "PdfA", "Variant", "variant_for"]
