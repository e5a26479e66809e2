"""Hyphenation really happens in a narrow column, in the document's language, and never in URLs
or short words."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest

from briefing.model import Briefing, Meta, Paragraph, Section, SectionKind, Span
from briefing.pdf.variants import variant_for
from briefing.render import RenderOptions, render
from briefing.theme import load_theme
from briefing.typography import typeset

FRENCH = ("L’intelligence artificielle transforme profondément les industries créatives, "
          "particulièrement la production audiovisuelle, l’illustration professionnelle et "
          "l’enseignement universitaire, où les établissements réexaminent continuellement "
          "leurs responsabilités. ") * 4
URL = "https://example.org/une-adresse-particulierement-longue-et-interminable/documentation"


@pytest.fixture(scope="module")
def narrow_theme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("theme") / "narrow.toml"
    path.write_text('extends = "default"\nname = "narrow"\n'
                    "[page]\nmargin_left = 65\nmargin_right = 65\n", encoding="utf-8")
    return path


def _lines(briefing: Briefing, theme: Path, tags: bool) -> list[str]:
    pdf = render(typeset(briefing), load_theme(str(theme)), RenderOptions(variant=variant_for(tagged=tags, pdfa=False))).pdf
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return [line.rstrip() for line in text.splitlines()]


@pytest.mark.parametrize("tags", [True, False])
def test_french_words_are_hyphenated_in_a_narrow_column(narrow_theme: Path, tags: bool) -> None:
    briefing = Briefing("Titre", sections=(
        Section(SectionKind.ARTICLE, None, (Paragraph((Span(FRENCH),)),)),), meta=Meta(lang="fr"))
    lines = _lines(briefing, narrow_theme, tags)
    # Tagged PDFs draw the inserted hyphen as a soft hyphen (read aloud as the whole word).
    hyphenated = [line for line in lines if re.search(r"\w[-\u00ad]$", line)]
    assert len(hyphenated) >= 3, lines
    for line in hyphenated:
        head = re.findall(r"(\w+)[-\u00ad]$", line)[0]
        assert len(head) >= 2  # never a single letter left behind


def test_urls_are_not_hyphenated(narrow_theme: Path) -> None:
    briefing = Briefing("Titre", sections=(Section(SectionKind.ARTICLE, None, (
        Paragraph((Span("Voir " + URL + " pour la suite des explications détaillées."),)),)),),
        meta=Meta(lang="fr"))
    text = "".join(_lines(briefing, narrow_theme, True))
    assert "\u00ad" not in text.split("Voir", 1)[1].split("pour", 1)[0]
    assert URL in text.replace(" ", "")  # broken at the column's edge, every character kept
