"""French spaces: a narrow no-break space is thin, never breaks a line, and comes back as U+202F."""

from __future__ import annotations

import io

import pypdf
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as RLParagraph

from briefing.model import Briefing, Meta, Paragraph, Section, SectionKind, Span
from briefing.render import RenderOptions, render
from briefing.render.fonts import register_font
from briefing.render.linebreak import install
from briefing.theme import load_theme

TEXT = "Les artistes disent\u00a0: «\u202fnous sommes des marionnettes\u202f» et demandent pourquoi\u202f? " * 8


def test_narrow_space_never_starts_or_ends_a_line() -> None:
    install()
    font = register_font(load_theme().fonts["body"].regular)
    style = ParagraphStyle("t", fontName=font.name, fontSize=10, leading=12, alignment=4)
    para = RLParagraph(TEXT, style)
    for width in (90, 120, 150, 200, 260):
        para.wrap(width, 10_000)
        lines = [" ".join(w.text if hasattr(w, "text") else w for w in getattr(line, "words", line[1]))
                 if not isinstance(line, tuple) else " ".join(line[1]) for line in para.blPara.lines]
        for line in lines:
            assert not line.startswith(("?", "»", "\u202f")), (width, line)
            assert not line.rstrip().endswith("«"), (width, line)


def test_extracted_text_keeps_the_narrow_space_and_it_is_thin() -> None:
    briefing = Briefing(
        title="Essai",
        sections=(Section(SectionKind.ARTICLE, None, (Paragraph((Span(TEXT),)),)),),
        meta=Meta(lang="fr"),
    )
    pdf = render(briefing, load_theme(), RenderOptions()).pdf
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "pourquoi\u202f?" in text and "«\u202fnous" in text and "marionnettes\u202f»" in text
    assert " ?" not in text and "« " not in text
    font = register_font(load_theme().fonts["body"].regular)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    assert stringWidth("\u202f", font.name, 10) < 0.8 * stringWidth(" ", font.name, 10) + 0.01
