"""Tagged PDF (PDF/UA-1) and PDF/A-2b: marked content, structure tree, its text, metadata."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import msgspec
import pikepdf
import pytest

from briefing.build import build
from briefing.model import (
    Briefing,
    CodeBlock,
    FaqEntry,
    Footnote,
    Image,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Quote,
    Section,
    SectionKind,
    Span,
    Table,
)
from briefing.options import ask
from briefing.pdf.variants import variant_for
from briefing.render import RenderOptions, render
from briefing.theme import Qr, builtin_themes, load_theme
from briefing.typography import language, typeset
from tests.pdfcheck import assert_pdfua_clean
from tests.render.pdfcheck import check_tagged, elements, struct_text, words

DATE = dt.date(2026, 1, 2)
ALT = "A small orange square"


def _png(path: Path) -> None:
    """A tiny RGB PNG, without PIL."""
    w = h = 8
    raw = b"".join(b"\x00" + bytes([200, 80, 40]) * w for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _p(*parts: str | Span) -> Paragraph:
    return Paragraph(tuple(Span(p) if isinstance(p, str) else p for p in parts))


def rich_briefing(alt: str = ALT) -> Briefing:
    """What a Markdown source can hold: links, a foreign span, lists, quote, code, image, table."""
    article = Section(SectionKind.ARTICLE, "What changes", (
        _p("Read the ", Span("official guidance", href="https://example.org/guidance"),
           " before the deadline, and write to ", Span("the helpdesk", href="mailto:help@example.org"),
           "."),
        _p("The French say ", Span("liberté, égalité, fraternité", lang="fr", italic=True),
           " on every town hall."),
        ListBlock((
            ListItem((_p("First item of the list"),)),
            ListItem((_p("Second item with a ", Span("link", href="https://example.org/2"), " inside"),)),
            ListItem((_p("Third item"), ListBlock((ListItem((_p("Nested item"),)),)))),
        )),
        ListBlock((ListItem((_p("Numbered one"),)), ListItem((_p("Numbered two"),))), ordered=True),
        Quote((_p("A quotation from somebody important, long enough to wrap onto a second line "
                  "of the column, and then some more words to be sure of it."),)),
        CodeBlock("def hello():\n    return 'world'"),
        Image("pic.png", alt),
        Table(header=((Span("Name"),), (Span("Value"),)),
              rows=(((Span("alpha"),), (Span("1"),)), ((Span("beta"),), (Span("2"),)))),
        _p("A long paragraph with a ", Span("link that runs on", href="https://example.org/long"),
           " and hyphenation of extraordinarily considerable incomprehensibilities " * 12),
    ))
    return typeset(Briefing(
        "Accessible briefings for everyone",
        lead=(_p("A lead paragraph that says what the briefing is about."),),
        sections=(
            article,
            Section(SectionKind.ADVICE, None, (_p("Check your PDF with a screen reader."),)),
            Section(SectionKind.FAQ, None, entries=(
                FaqEntry("Is it tagged?", (_p("Yes, by default."),)),
                FaqEntry("Can I turn it off?", (_p("Use --no-tags."),)),
            )),
        ),
        footnotes=(Footnote("1", (_p("The footnote text."),)),),
        meta=Meta(lang="en", organisation="Example Org", source="https://example.org/article"),
    ))


def _render(briefing: Briefing, folder: Path, *, tags: bool = True, pdfa: bool = False) -> bytes:
    variant = variant_for(tagged=tags, pdfa=pdfa)
    result = render(briefing, load_theme(), RenderOptions(base_dir=folder, date=DATE,
                                                          variant=variant))
    return result.pdf


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rich")
    _png(path / "pic.png")
    return path


@pytest.fixture(scope="module")
def rich(folder: Path) -> Path:
    path = folder / "rich.pdf"
    path.write_bytes(_render(rich_briefing(), folder))
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Briefing]:
    from briefing.assets import sample_source

    result = build(sample_source(), ask(date=dt.date(2026, 11, 29)))
    path = tmp_path_factory.mktemp("sample") / "sample.pdf"
    path.write_bytes(result.pdf)
    return path, result.briefing


def assert_reads_as_model(path: Path, briefing: Briefing) -> None:
    """The tree's text, in tree order, is the model's text in reading order.

    The only extra words allowed are the layout's own labels (default headings, note numbers).
    """
    labels = language(briefing.meta.lang).labels
    allowed = set(words(" ".join(labels.values()))) | {f"{n.label}." for n in briefing.footnotes}
    alts = {b.alt for s in briefing.sections for b in s.blocks if isinstance(b, Image)}
    want = words(" ".join(t for t in briefing.texts() if t not in alts))
    got = words(struct_text(str(path)))
    extras: list[str] = []
    i = 0
    for word in got:
        if i < len(want) and word == want[i]:
            i += 1
        else:
            extras.append(word)
    assert i == len(want), f"tree text differs from the model at {want[i:i + 8]}; tree has {got[i:i + 8]}"
    assert set(extras) <= allowed, f"unexpected words in the tree: {sorted(set(extras) - allowed)}"


# --- the sample -------------------------------------------------------------------------


def test_sample_marked_content_and_text(sample: tuple[Path, Briefing]) -> None:
    path, briefing = sample
    check_tagged(path.read_bytes())
    assert_reads_as_model(path, briefing)


def test_sample_tree_shape(sample: tuple[Path, Briefing]) -> None:
    path, briefing = sample
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler's pdfinfo is not installed (scripts/install-test-tools)")
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True,
                         check=True).stdout
    roles = [m.group(1) for m in re.finditer(r"^\s*(\w+)", out, re.M) if m.group(1) != "Object"]
    assert roles[:4] == ["Document", "H1", "Figure", "P"]  # title, logo, lead
    # Every section starts with its heading (the untitled article body with its first paragraph).
    assert all(roles[i + 1] == "H2" or (roles[i + 1] == "P" and not j)
               for j, i in enumerate(i for i, role in enumerate(roles) if role == "Sect"))
    for section in briefing.sections:
        if section.heading:
            assert f'"{section.heading} "' in out
    faq = out[out.index("Questions fréquentes"):]
    faq_roles = [m.group(1) for m in re.finditer(r"^\s*(H3|P)\b", faq, re.M)]
    assert faq_roles == ["H3", "P"] * len(briefing.faq)  # each question, then its answer
    for entry in briefing.faq:
        assert entry.question in out


def test_sample_catalog_and_metadata(sample: tuple[Path, Briefing]) -> None:
    path, briefing = sample
    with pikepdf.open(path) as pdf:
        assert pdf.Root.Lang == "fr-FR"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert "<rdf:li>fr-FR</rdf:li>" in xmp
        assert f">{briefing.title}</rdf:li>" in xmp
        assert str(pdf.docinfo.Title) == briefing.title


# --- a document with what Markdown brings ----------------------------------------------


def test_rich_marked_content_and_text(rich: Path) -> None:
    check_tagged(rich.read_bytes())
    assert_reads_as_model(rich, rich_briefing())


def test_links_hold_text_and_annotation(rich: Path) -> None:
    with pikepdf.open(rich) as pdf:
        links = [e for e in elements(pdf) if e.S == "/Link"]
        assert len(links) >= 4  # three links, one of them over two lines or more
        annots = [a for p in pdf.pages for a in p.obj.get("/Annots", [])]
        assert annots
        for annot in annots:
            assert "/StructParent" in annot and str(annot.Contents)
            owner = [e for e in links if any(
                isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                and k.Obj.objgen == annot.objgen for k in e.K)]
            assert len(owner) == 1
            assert any(isinstance(k, int) or k.get("/Type") == "/MCR" for k in owner[0].K)


def test_figure_lang_list_attributes(rich: Path) -> None:
    with pikepdf.open(rich) as pdf:
        found = list(elements(pdf))
        alts = [str(e.Alt) for e in found if e.S == "/Figure"]
        assert ALT in alts and "briefing" in alts  # the image and the theme's logo
        spans = [e for e in found if e.S == "/Span"]
        assert [str(s.Lang) for s in spans] == ["fr"]
        lists = [str(e.A.ListNumbering) for e in found if e.S == "/L"]
        assert lists == ["/Disc", "/None", "/Decimal"]  # a nested list: a dash
        assert {e.S for e in found} >= {"/BlockQuote", "/Code", "/Table", "/TH", "/TD", "/Note",
                                         "/Lbl", "/LBody", "/LI"}


def test_image_without_alt_warns(folder: Path) -> None:
    result = render(rich_briefing(alt=""), load_theme(), RenderOptions(base_dir=folder, date=DATE))
    assert any("no alt text" in w for w in result.warnings)


def test_no_tags(folder: Path) -> None:
    data = _render(rich_briefing(), folder, tags=False)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        assert b"BDC" not in b"".join(p.obj.Contents.read_bytes() for p in pdf.pages)


def test_tagging_does_not_change_the_look(folder: Path) -> None:
    import pypdfium2

    def pixels(data: bytes) -> list[bytes]:
        doc = pypdfium2.PdfDocument(data)
        return [bytes(page.render(scale=1).to_pil().tobytes()) for page in doc]

    briefing = rich_briefing()
    assert pixels(_render(briefing, folder)) == pixels(_render(briefing, folder, tags=False))


# --- a long document --------------------------------------------------------------------


def test_long_document(folder: Path, tmp_path: Path) -> None:
    briefing = rich_briefing()
    briefing = msgspec.structs.replace(briefing, sections=briefing.sections[:1] * 10 + briefing.sections[1:])
    path = tmp_path / "long.pdf"
    path.write_bytes(_render(briefing, folder))
    pdf = check_tagged(path.read_bytes())
    assert len(pdf.pages) >= 5
    # Paragraphs broken across pages stay one element: MCs on two pages.
    assert any(e.S == "/P" and any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR"
                                   for k in e.K) for e in elements(pdf))
    assert_reads_as_model(path, briefing)


# --- the pdfua checker -------------------------------------------------------------------


def test_qr_code_is_a_figure(folder: Path) -> None:
    theme = msgspec.structs.replace(load_theme(), qr=Qr(enabled=True, position="footer"))
    data = render(rich_briefing(), theme, RenderOptions(base_dir=folder, date=DATE)).pdf
    pdf = check_tagged(data)
    alts = [str(e.Alt) for e in elements(pdf) if e.S == "/Figure"]
    assert "QR code: https://example.org/article" in alts


@pytest.mark.parametrize("theme", sorted(builtin_themes()))
def test_pdfua_every_theme(theme: str, folder: Path, tmp_path: Path) -> None:
    import pdfua

    path = tmp_path / f"{theme}.pdf"
    data = render(rich_briefing(), load_theme(theme), RenderOptions(base_dir=folder, date=DATE)).pdf
    path.write_bytes(data)
    check_tagged(data)
    report = pdfua.validate(str(path))
    assert_pdfua_clean(report)


def test_pdfua_sample(sample: tuple[Path, Briefing]) -> None:
    import pdfua

    report = pdfua.validate(str(sample[0]))
    assert_pdfua_clean(report)


# --- PDF/A-2b ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfa(folder: Path) -> Path:
    path = folder / "pdfa.pdf"
    path.write_bytes(_render(rich_briefing(), folder, pdfa=True))
    return path


def test_pdfa_tags_survive(pdfa: Path) -> None:
    check_tagged(pdfa.read_bytes())
    assert_reads_as_model(pdfa, rich_briefing())


def test_pdfa_parts(pdfa: Path) -> None:
    with pikepdf.open(pdfa) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfaid:part>2</pdfaid:part>" in xmp
        assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
        info = pdf.docinfo
        assert f">{info.Title}</rdf:li>" in xmp
        assert f"<pdf:Producer>{info.Producer}</pdf:Producer>" in xmp
        assert f"<xmp:CreatorTool>{info.Creator}</xmp:CreatorTool>" in xmp
        assert str(info.CreationDate) == "D:20260102000000+00'00'"
        assert "<xmp:CreateDate>2026-01-02T00:00:00Z</xmp:CreateDate>" in xmp
        assert "/ID" in pdf.trailer and not pdf.is_encrypted
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                assert "/FontFile2" in font.FontDescriptor and "/ToUnicode" in font
    assert b"Helvetica" not in pdfa.read_bytes()


def test_pdfa_qpdf_check(pdfa: Path) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed")
    out = subprocess.run([qpdf, "--check", str(pdfa)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "No syntax or stream encoding errors" in out.stdout


def test_pdfa_reproducible_cli(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767312000",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"{n}.pdf"
        subprocess.run([sys.executable, "-m", "briefing", "-q", "build", "--pdfa", "-o", str(out)],
                       env=env, check=True, cwd=tmp_path)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    check_tagged(outputs[0])
