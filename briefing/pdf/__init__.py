"""The PDF back end: what is written into the file besides the page content.

``variants`` (pure data, no reportlab: the command line imports it at start-up) names the
kinds of PDF a build can make; the writing itself lives beside it, one module per concern:

- ``structure``: the structure tree of a tagged PDF, from the record the renderer keeps while
  it marks content on the canvas (``render/tagging.py``);
- ``metadata``: the info dictionary and the XMP packet, saying the same;
- ``pdfa``: the output intent and its ICC profile;
- ``fonts``: TrueType files declared, loaded on first use and named after their state;
  ``tounicode``: the subsets' ToUnicode maps;
- ``document``: the last step before the file is written, calling the above for a variant;
  ``selfcheck``: the output's own check before a byte is written;
- ``compat``: every use of reportlab's internals, and nowhere else.

This package imports nothing of the renderer: it is given what it writes.
"""

from briefing.pdf.variants import VARIANTS, PdfA, Variant, variant_for

__all__ = ["VARIANTS", "PdfA", "Variant", "variant_for"]
