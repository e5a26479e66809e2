"""Word documents written by python-docx: every feature read, every word back from the PDF in
order; a zip bomb, too many entries and XML entities refused; a missing extra named."""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from click.testing import CliRunner

from briefing.build import BuildResult, build
from briefing.cli import cli
from briefing.errors import SourceError
from briefing.model import Image, ListBlock, Paragraph, SectionKind, Table, plain
from briefing.options import ask
from briefing.read import docx as docx_reader
from briefing.read import read_source
from tests.pdftext import missing_words, pdf_text, words
from tests.read.makedocx import FULL_TEXT, full_document, png


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return full_document(tmp_path_factory.mktemp("docx") / "energie.docx")


@pytest.fixture(scope="module")
def built(full: Path) -> BuildResult:
    return build(full)


def test_every_feature_lands_in_the_model(full: Path) -> None:
    b = read_source(full).briefing
    assert b.title == "Économiser l’énergie cet hiver"
    assert b.meta.subtitle == "Le guide pratique des ménages"  # the Subtitle: the deck
    assert plain(b.lead[0].spans).startswith("Le chauffage représente")
    assert b.meta.lang == "fr-FR" and b.meta.date == dt.date(2025, 10, 23)
    assert b.meta.author == "Jeanne Dupont" and b.meta.tags == ("énergie", "hiver")
    kinds = [(s.kind, s.heading) for s in b.sections]
    assert kinds == [(SectionKind.ARTICLE, "Les bons gestes"),
                     (SectionKind.ADVICE, "Avis et conseils"),
                     (SectionKind.CONCLUSION, "Conclusion")]
    spans = b.lead[0].spans
    assert any(s.bold and s.text == "Baisser d’un degré" for s in spans)
    assert any(s.italic and s.text == "sept pour cent" for s in spans)
    assert any(s.href == "https://www.ademe.example/chauffage" for s in spans)
    assert spans[-1].note == "1"
    assert [plain(p.spans) for n in b.footnotes for p in n.blocks if isinstance(p, Paragraph)] == [
        "Selon l’Agence de la transition écologique, 2024."]
    gestures = b.sections[0].blocks
    bullets, numbered = [x for x in gestures if isinstance(x, ListBlock)]
    assert not bullets.ordered and numbered.ordered
    nested = bullets.items[1].blocks[1]
    assert isinstance(nested, ListBlock)
    assert plain(nested.items[0].blocks[0].spans) == "surtout sur les façades au nord"  # type: ignore[union-attr]
    (table,) = [x for x in gestures if isinstance(x, Table)]
    assert [plain(c) for c in table.header] == ["Geste", "Économie"]  # the bold first row
    (image,) = [x for x in gestures if isinstance(x, Image)]
    assert image.alt == "Un radiateur sous une fenêtre"
    headings = [(h.text, h.level) for h in gestures if hasattr(h, "level")]
    assert headings == [("Combien économiser", 3), ("Détail technique", 4)]


def test_every_word_comes_back_from_the_pdf_in_order(built: BuildResult) -> None:
    assert missing_words(FULL_TEXT, built.pdf) == []


def test_the_image_is_in_the_pdf_and_the_scratch_folder_is_gone(built: BuildResult) -> None:
    with pikepdf.open(io.BytesIO(built.pdf)) as pdf:
        images = [name for page in pdf.pages for name in page.get_images()]
    assert len(images) == 1
    assert built.images == ()  # unpacked from the source: not files the fingerprint watches
    assert not built.source.folder.exists()  # the private folder, removed after the build


def test_a_single_heading_1_is_the_title(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Le titre du rapport", level=1)
    document.add_paragraph("Le chapeau du rapport.")
    document.add_heading("Une partie", level=2)
    document.add_paragraph("Son texte.")
    document.add_heading("Un détail", level=3)
    document.add_paragraph("Le détail.")
    document.save(str(tmp_path / "a.docx"))
    b = read_source(tmp_path / "a.docx").briefing
    assert b.title == "Le titre du rapport"
    assert [s.heading for s in b.sections] == ["Une partie"]
    assert b.sections[0].blocks[1].text == "Un détail"  # type: ignore[union-attr]


def test_the_title_from_the_properties_when_the_text_has_none(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Rapport annuel"
    document.add_paragraph("Le chapeau.")
    document.add_heading("Première partie", level=1)
    document.add_paragraph("Texte un.")
    document.add_heading("Seconde partie", level=1)
    document.add_paragraph("Texte deux.")
    document.save(str(tmp_path / "b.docx"))
    b = read_source(tmp_path / "b.docx").briefing
    assert b.title == "Rapport annuel"
    assert [s.heading for s in b.sections] == ["Première partie", "Seconde partie"]


def test_gif_images_are_converted_and_check_unpacks_nothing(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Un titre", style="Title")
    document.add_paragraph("Le chapeau.")
    document.add_picture(png(fmt="GIF"))
    document.save(str(tmp_path / "c.docx"))
    reading = read_source(tmp_path / "c.docx")  # no scratch folder: named, not unpacked
    assert reading.source.folder == tmp_path
    result = build(tmp_path / "c.docx")
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert sum(len(page.get_images()) for page in pdf.pages) == 1


# --- safety ---------------------------------------------------------------------------------


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_anything_reads_it(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 4 * 1024 * 1024)
    bomb = _zip(tmp_path / "bomb.docx", {"word/document.xml": b"<w/>",
                                         "word/media/zeros.bin": bytes(8 * 1024 * 1024)})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(SourceError, match=r"bomb.docx: the document unpacks to 8 MB, more than "
                                          r"the limit of 4 MB \(a zip bomb\?\); refused"):
        read_source(bomb)


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    entries = {f"word/media/{n}.png": b"" for n in range(docx_reader.MAX_ENTRIES + 1)}
    many = _zip(tmp_path / "many.docx", {"word/document.xml": b"<w/>", **entries})
    with pytest.raises(SourceError, match="more than the 2000 a Word document has; refused"):
        read_source(many)


def test_xml_entities_are_refused(tmp_path: Path, full: Path) -> None:
    with zipfile.ZipFile(full) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    document = parts["word/document.xml"].decode()
    head, rest = document.split("?>", 1)
    parts["word/document.xml"] = (
        head + '?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + rest.replace("Les bons gestes", "&xxe;")).encode()
    evil = _zip(tmp_path / "xxe.docx", parts)
    with pytest.raises(SourceError, match="declares a DTD or entities, which Word never writes"):
        read_source(evil)


def test_not_a_docx(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"Just text, renamed.")
    with pytest.raises(SourceError, match=r"fake.docx: not a Word document \(.docx is a zip"):
        read_source(fake)
    other = _zip(tmp_path / "other.docx", {"content.xml": b"<x/>"})
    with pytest.raises(SourceError, match=r"it has no word/document\.xml"):
        read_source(other)


def test_a_missing_extra_is_named_in_one_line(full: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mammoth", None)  # as if it were not installed
    result = CliRunner().invoke(cli, ["check", str(full)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {full}: reading Word documents needs the optional 'docx' extra; install it "
        "with pip install 'briefing[docx]'")


def test_from_docx_on_standard_input(full: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "-", "--json"], input=full.read_bytes())
    assert result.exit_code == 0, result.output
    assert '"title": "Économiser l’énergie cet hiver"' in result.output


def test_pdf_text_has_no_stray_words(built: BuildResult) -> None:
    extra = set(words([pdf_text(built.pdf)])) - set(words(FULL_TEXT)) - {
        "briefing", "23", "octobre", "2025", "notes", "2"}  # kicker, notes' label, list numbers
    assert extra == set()


def test_options_literal_does_not_touch_a_docx(full: Path) -> None:
    assert build(full, ask(literal=True)).briefing.title == (
        "Économiser l’énergie cet hiver")
