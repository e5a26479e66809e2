"""A last block that spills alone onto a page of its own is reported as a warning."""

from __future__ import annotations

from pathlib import Path

from PIL import Image as PILImage

from briefing.model import Briefing, Image, Meta, Paragraph, Section, SectionKind, Span
from briefing.render import RenderOptions, render
from briefing.theme import load_theme
from briefing.typography import typeset
from tests.layoutcheck import read_lines

FILLER = ("Les entreprises technologiques et les artistes discutent depuis des mois des conditions "
          "dans lesquelles les outils de génération peuvent être utilisés. ") * 3


def _briefing(n: int) -> Briefing:
    blocks = tuple(Paragraph((Span(f"{i}. {FILLER}"),)) for i in range(n))
    # An image cannot split: when it does not fit, it goes to the next page on its own.
    return typeset(Briefing("Titre", sections=(
        Section(SectionKind.ARTICLE, None, (*blocks, Image("chart.png", "Un graphique"))),),
        meta=Meta(lang="fr")))


def test_a_lone_last_block_is_reported(tmp_path: Path) -> None:
    PILImage.new("RGB", (1200, 600), (40, 90, 160)).save(tmp_path / "chart.png")
    theme = load_theme()
    lone = 0
    for n in range(6, 16):
        result = render(_briefing(n), theme, RenderOptions(base_dir=tmp_path))
        # Alone: no line of a paragraph (not even the tail of one) on the last page.
        alone = result.pages > 1 and not any(
            line.role == "P" and line.page == result.pages - 1 for line in read_lines(result.pdf))
        warned = any("spills alone" in w for w in result.warnings)
        assert warned == alone, (n, result.warnings)
        lone += alone
    assert lone, "no length made the image spill alone"
