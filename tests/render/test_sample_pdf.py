"""The sample's PDF, checked as readers and PDF tools see it."""

from __future__ import annotations

import io

import msgspec
import pypdf
import pytest

from briefing.build import BuildResult, build
from briefing.model import Briefing, Paragraph, Section, SectionKind, Span
from briefing.options import ask
from briefing.render import RenderOptions, render
from briefing.theme import load_theme
from briefing.typography import typeset
from tests.pdfcheck import (
    catalog_lang,
    extract_text,
    fonts,
    metadata,
    missing_words_in_order,
    outline_titles,
    render_pages,
)


def test_every_word_comes_back_in_order(sample_build: BuildResult) -> None:
    assert missing_words_in_order(sample_build.briefing.texts(), sample_build.pdf) == []


def test_faq_title_is_french(sample_build: BuildResult) -> None:
    assert "Questions fréquentes" in extract_text(sample_build.pdf)


def test_fonts_are_embedded_and_never_base14(sample_build: BuildResult) -> None:
    used = fonts(sample_build.pdf)
    assert used, "no fonts found"
    assert all(embedded for _, embedded in used), used
    assert b"Helvetica" not in sample_build.pdf
    assert b"/FontFile2" in sample_build.pdf  # TrueType outlines, subset and embedded


def test_outline_has_every_section(sample_build: BuildResult) -> None:
    titles = outline_titles(sample_build.pdf)
    assert titles[0] == sample_build.briefing.title
    for heading in ("Avis et conseils sur la situation actuelle", "Conclusion", "Questions fréquentes"):
        assert heading in titles
    assert sum("?" in t for t in titles) == 5


def test_metadata(sample_build: BuildResult) -> None:
    info = metadata(sample_build.pdf)
    assert info["/Title"] == sample_build.briefing.title
    assert info["/Subject"].startswith("Ils soutiennent")
    assert info["/Creator"].startswith("briefing ")
    assert catalog_lang(sample_build.pdf) == "fr-FR"
    assert b"/DisplayDocTitle true" in sample_build.pdf


def test_sample_fits_one_a4_page_and_renders(sample_build: BuildResult) -> None:
    assert sample_build.pages == 1
    reader = pypdf.PdfReader(io.BytesIO(sample_build.pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    for width, height, ink in render_pages(sample_build.pdf):
        assert width > 0 and height > 0
        assert 0.03 < ink < 0.6  # a real page: neither blank nor a black box


def test_letter_size(sample_path) -> None:  # type: ignore[no-untyped-def]
    result = build(sample_path, ask(page_size="letter"))
    box = pypdf.PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert missing_words_in_order(result.briefing.texts(), result.pdf) == []


def test_no_warnings_for_the_sample(sample_build: BuildResult) -> None:
    assert sample_build.warnings == []


HOSTILE = [
    '<img src="/etc/passwd"/>',
    '<font color="red">rouge</font>',
    "</para>",
    '<a href="javascript:alert(1)">clic</a>',
    "AT&T & co &amp; &lt;",
    "<b>gras</b> <br/> <super>x</super>",
]


def _briefing(texts: list[str]) -> Briefing:
    spans = tuple(Paragraph((Span(t),)) for t in texts)
    return typeset(Briefing(
        title=texts[0], lead=(spans[0],),
        sections=(Section(SectionKind.ARTICLE, texts[1], spans), Section(SectionKind.ADVICE, texts[2], spans)),
    ))


def test_hostile_markup_prints_literally() -> None:
    result = render(_briefing(HOSTILE), load_theme(), RenderOptions())
    text = extract_text(result.pdf)
    for hostile in HOSTILE:
        assert hostile in text.replace("\n", " ") or hostile.replace(" ", "") in text.replace("\n", "").replace(" ", "")
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    for page in reader.pages:
        assert "/Annots" not in page  # no link was injected
    assert b"/XObject" not in result.pdf or b"passwd" not in result.pdf


def test_links_only_from_allowed_schemes() -> None:
    base = _briefing(["Titre", "Section", "Conseils"])
    para = Paragraph((
        Span("bon", href="https://example.org/a?b=1&c=2"),
        Span(" mauvais", href="javascript:alert(1)"),
        Span(" fichier", href="file:///etc/passwd"),
    ))
    briefing = msgspec.structs.replace(base, lead=(para,))
    result = render(briefing, load_theme(), RenderOptions())
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    uris = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])]
    assert uris == ["https://example.org/a?b=1&c=2"]
    assert "mauvais" in extract_text(result.pdf)


@pytest.mark.parametrize("size", ["a4", "letter", "a5"])
def test_page_sizes_render(sample_path, size: str) -> None:  # type: ignore[no-untyped-def]
    result = build(sample_path, ask(page_size=size))
    assert missing_words_in_order(result.briefing.texts(), result.pdf) == []
    assert all(ink > 0.02 for _, _, ink in render_pages(result.pdf))


def test_display_title_ties_short_words() -> None:
    from briefing.render.story import tie_short_words

    assert tie_short_words("vidéos AI grâce à Sora") == "vidéos AI\u00a0grâce à\u00a0Sora"
    assert tie_short_words("Storm warning for the north coast") == (
        "Storm warning for the\u00a0north coast")
    # No chains: a run of short words must still break like ordinary words.
    assert tie_short_words("Is it OK to go out or not yet") == "Is it OK to go out or not yet"
