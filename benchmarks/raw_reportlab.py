"""The floor: the bundled sample set with plain reportlab, the same fonts, no briefing code.

Title, paragraphs and headings in Noto Serif / Noto Sans on A4, justified body with the same
hyphenation language, as a minimal hand-written script would. ``python
benchmarks/raw_reportlab.py OUT.pdf [SOURCE]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "assets" / "fonts"


def main(out: str, source: str | None = None) -> None:
    for name in ("NotoSerif-Regular", "NotoSerif-Bold", "NotoSans-Bold"):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"{name}.ttf")))
    body = ParagraphStyle("body", fontName="NotoSerif-Regular", fontSize=9.5, leading=13.5,
                          alignment=TA_JUSTIFY, hyphenationLang="fr_FR", spaceAfter=5)
    heading = ParagraphStyle("h", fontName="NotoSans-Bold", fontSize=12, leading=15,
                             spaceBefore=8, keepWithNext=1)
    title = ParagraphStyle("t", fontName="NotoSans-Bold", fontSize=20, leading=24, spaceAfter=8)
    path = Path(source) if source else ROOT / "assets" / "examples" / "sora-artists.txt"
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    escape = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    story = [Paragraph(escape(lines[0]), title)]
    for line in lines[1:]:
        short = len(line) < 110 and line[-1] not in ".!?"
        story.append(Paragraph(escape(line), heading if short else body))
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=19 * mm, rightMargin=19 * mm,
                            topMargin=16 * mm, bottomMargin=18 * mm,
                            initialFontName="NotoSerif-Regular", invariant=1)
    doc.build(story)


if __name__ == "__main__":
    main(*sys.argv[1:3])
