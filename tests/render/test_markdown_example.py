"""The bundled Markdown example (lists, links, an image, a table, a quote, code, a footnote),
built from its file as a user would: every word, real links, list markers, tags, pdfua."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from briefing.assets import asset
from briefing.build import BuildResult, build
from briefing.model import Image, ListBlock
from briefing.options import ask
from tests.pdfcheck import assert_pdfua_clean, extract_text, missing_words_in_order
from tests.render.pdfcheck import check_tagged, elements
from tests.render.test_tagging import assert_reads_as_model

EXAMPLE = asset("examples", "storm-warning.md")


@pytest.fixture(scope="module")
def example() -> BuildResult:
    return build(EXAMPLE, ask())


def test_every_word_in_order(example: BuildResult) -> None:
    assert example.warnings == []
    # An image's alt text is for screen readers (the Figure's /Alt), not printed.
    alts = {b.alt for s in example.briefing.sections for b in s.blocks if isinstance(b, Image)}
    texts = [t for t in example.briefing.texts() if t not in alts]
    assert missing_words_in_order(texts, example.pdf) == []


def test_features_land_in_the_model(example: BuildResult) -> None:
    blocks = [b for s in example.briefing.sections for b in s.blocks]
    assert any(isinstance(b, Image) and b.alt.startswith("Map:") for b in blocks)
    (steps,) = [b for b in blocks if isinstance(b, ListBlock)]
    assert steps.ordered and len(steps.items) == 3
    assert isinstance(steps.items[2].blocks[-1], ListBlock)  # the nested bullets
    assert len(example.briefing.faq) == 3 and len(example.briefing.footnotes) == 1


def test_links_and_list_markers_are_real(example: BuildResult) -> None:
    reader = pypdf.PdfReader(io.BytesIO(example.pdf))
    uris = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])]
    assert "https://example.org/storm-warning" in uris
    text = " ".join(extract_text(example.pdf).split())
    for marker in ("1 Bring in", "2 Charge", "3 Check", "– older people", "– families"):
        assert marker in text


def test_tagged_tree_reads_as_the_model(example: BuildResult, tmp_path: Path) -> None:
    pdf = check_tagged(example.pdf)
    roles = [str(e.S) for e in elements(pdf)]
    for role in ("/H1", "/L", "/LI", "/Lbl", "/LBody", "/Link", "/Figure", "/Table", "/TH",
                 "/BlockQuote", "/Note"):
        assert role in roles, role
    figures = [e for e in elements(pdf) if str(e.S) == "/Figure"]
    assert any(str(f.get("/Alt", "")).startswith("Map:") for f in figures)
    assert any(str(f.get("/Alt", "")).startswith("QR code: https://example.org") for f in figures)
    path = tmp_path / "storm.pdf"
    path.write_bytes(example.pdf)
    assert_reads_as_model(path, example.briefing)


def test_pdfua_checker_finds_nothing(example: BuildResult, tmp_path: Path) -> None:
    import pdfua

    path = tmp_path / "storm.pdf"
    path.write_bytes(example.pdf)
    report = pdfua.validate(str(path))
    assert_pdfua_clean(report)


def test_pdfa_checker_finds_only_the_pdfua_declaration(tmp_path: Path) -> None:
    """pikepdf's PDF/A-2b checker: fonts, widths, metadata and output intent are fine; its
    allow-list only objects to the PDF/UA identification that PDF/UA requires."""
    import pikepdf
    from pikepdf import pdfa

    result = build(EXAMPLE, ask(pdfa=True))
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        report = pdfa.check(pdf, "2b")
    unexpected = [f for f in report.findings
                  if not any(k in f.message for k in ("pdfaExtension", "pdfaSchema",
                                                        "pdfaProperty", "pdfuaid"))]
    assert unexpected == [], [f.message for f in unexpected]
