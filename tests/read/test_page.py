"""Saved web pages like those of common publishing systems (a WordPress blog, a news site):
the main text comes back from the PDF in order, the page furniture never does; metadata from
the page; images only from beside it; nothing fetched, no entity expanded."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from briefing.build import BuildResult, build
from briefing.cli import cli
from briefing.errors import SourceError
from briefing.model import Image, SectionKind, plain
from briefing.read import read_source
from briefing.read.page import local_image
from tests.pdftext import missing_words, pdf_text, words

PAGES = Path(__file__).parent / "fixtures" / "pages"

WORDPRESS_TEXT = [
    "Bien préparer son jardin pour l’hiver",
    "Quand les premières gelées approchent, quelques gestes simples protègent vos plantations "
    "et préparent un sol vivant pour le printemps. Voici notre méthode, testée depuis dix ans "
    "au potager.",
    "Le froid n’est pas l’ennemi du jardin : il assainit la terre et marque le repos de la "
    "végétation. C’est l’humidité stagnante et le sol nu qui font le plus de dégâts.",
    "Pailler généreusement",
    "Un paillis de feuilles mortes ou de paille, épais de dix centimètres, garde la chaleur du "
    "sol et nourrit les vers de terre. Consultez aussi le guide du paillage pour choisir le vôtre.",
    "Le paillis de feuilles, posé fin octobre.",
    "Que faire en novembre ?",
    "Rentrer les pots fragiles avant les gelées", "Couper les tiges sèches des vivaces",
    "sauf celles qui abritent les insectes", "Vider et ranger les tuyaux d’arrosage",
    "Le calendrier des tâches", "Mois Tâche Durée", "Octobre Pailler les massifs 2 h",
    "Novembre Planter les bulbes 1 h", "Décembre Nettoyer les outils 30 min",
    "Un jardin qui dort est un jardin qui se prépare.",
    "Conclusion",
    "Avec un sol couvert et des outils rangés, le jardin traverse l’hiver sereinement ; au "
    "printemps, il ne restera qu’à semer.",
]
WORDPRESS_FURNITURE = [
    "Aller au contenu", "Carnet de jardinage bio en ville", "Menu Accueil Semis Recettes Contact",
    "Publié le 23 octobre 2025 par Claire Martin", "Partager : Facebook Twitter E-mail",
    "Articles similaires Réussir ses semis de tomates Démarrer un compost urbain",
    "Publié dans Jardin Étiqueté hiver", "Navigation de l’article Précédent : Conserver les courges",
    "3 réponses à", "Gérard dit : Merci pour ces conseils, je paille aussi avec des tontes séchées.",
    "Et pour les rosiers, faut-il buter le pied ?", "Laisser un commentaire",
    "Votre adresse e-mail ne sera pas publiée.", "Publier le commentaire", "Rechercher",
    "Articles récents Planter l’ail en automne", "À propos",
    "Claire cultive un potager partagé en pleine ville depuis dix ans",
    "Fièrement propulsé par WordPress · Mentions légales",
    "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site.",
    "Accepter Refuser",
]
NEWS_TEXT = [
    "Coastal towns brace for the first winter storm",
    "Forecasters expect gusts of up to 110 km/h along the coast on Thursday night, with "
    "flooding likely at high tide.",
    "Waves over the harbour wall on Tuesday evening. Photograph: Sam Okafor",
    "Residents of the low-lying districts were told on Wednesday to move cars away from the "
    "seafront and to keep sandbags at hand, as the first storm of the winter approaches from "
    "the Atlantic.",
    "The national weather service issued an amber warning for wind from 6pm on Thursday until "
    "noon on Friday. Gusts could reach 110 km/h on exposed headlands, and the evening high tide "
    "is expected to be half a metre above normal.",
    "What residents should do",
    "Move vehicles off the seafront before Thursday afternoon.",
    "Check on elderly neighbours and anyone living alone.",
    "Keep a torch, a radio and spare batteries ready.",
    "Expected peak gusts", "Forecast for Thursday night", "Town Peak gust High tide",
    "Porthaven 110 km/h 21.40", "Kingsbay 95 km/h 21.55",
    "“We have seen the sea come over the wall twice this decade; we are not taking any "
    "chances,” said the harbour master, Linda Evans.",
    "The area covered by the amber warning.",
    "Schools will decide on Thursday morning whether to close early. Updates will be published "
    "on the council’s website, coastcouncil.example/storm.",
    "Frequently asked questions",
    "Will trains run on Friday?",
    "The coastal line will be closed until the track has been inspected, probably until midday.",
    "Where can I get sandbags?",
    "The council hands them out free at the fire station on Harbour Road from 9am on Thursday.",
]
NEWS_FURNITURE = [
    "We and our partners use cookies to personalise advertising and measure audiences.",
    "Accept all cookies Reject all", "News Sport Culture Opinion Subscribe from £1",
    "Advertisement", "By Priya Natarajan, weather correspondent", "Wed 12 Nov 2025 06.00 GMT",
    "Share on Facebook Share on X Email this story Copy link",
    "Read more Sea wall funding cut by a third Why flood insurance costs are rising",
    "Sign up to Morning Briefing Our morning email breaks down the key stories of the day.",
    "Your email address", "Share this story LinkedIn WhatsApp", "Comments (214)",
    "stormwatcher The sea wall at Porthaven has needed repairs for years.",
    "jb_1962 Stay safe everyone, it looked wild last night.",
    "More on this story Storm names for this winter announced",
    "How to prepare your home for flooding", "Most viewed Celebrity chef opens seaside restaurant",
    "Ten best winter walks", "About us Privacy policy Cookie settings",
    "© 2025 The Daily Courier Media Group. All rights reserved.",
]


def saved_page(folder: Path, name: str, *, with_files: bool = True) -> Path:
    """A fixture page copied into ``folder``, with its ``_files`` folder of images."""
    page = folder / f"{name}.html"
    shutil.copy(PAGES / page.name, page)
    if with_files:
        files = folder / f"{name}_files"
        files.mkdir()
        PILImage.new("RGB", (800, 533), (120, 90, 50)).save(files / "paillage.png")
        PILImage.new("RGB", (1000, 560), (40, 60, 90)).save(files / "harbour.jpg")
    return page


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildResult]:
    folder = tmp_path_factory.mktemp("pages")
    return {name: build(saved_page(folder, name))
            for name in ("jardin-hiver", "coastal-towns-storm")}


@pytest.mark.parametrize(("name", "main", "furniture"), [
    ("jardin-hiver", WORDPRESS_TEXT, WORDPRESS_FURNITURE),
    ("coastal-towns-storm", NEWS_TEXT, NEWS_FURNITURE),
])
def test_the_main_text_comes_back_and_the_furniture_never_does(
        pages: dict[str, BuildResult], name: str, main: list[str], furniture: list[str]) -> None:
    pdf = pages[name].pdf
    assert missing_words(main, pdf) == []
    # The PDF's words as one stream (words hyphenated at a line's end come back whole); no
    # word of the furniture that the main text does not hold is in it.
    printed = "".join(words([pdf_text(pdf)]))
    main_stream = "".join(words(main)) + "briefing" + "octobre" + "november"
    furniture_words = {w for w in words(furniture) if len(w) >= 5 and w not in main_stream}
    assert sorted(w for w in furniture_words if w in printed) == []


def test_wordpress_metadata_and_sections(pages: dict[str, BuildResult]) -> None:
    result = pages["jardin-hiver"]
    b = result.briefing
    assert b.title == "Bien préparer son jardin pour l’hiver"
    assert b.meta.lang == "fr-FR" and b.meta.date == dt.date(2025, 10, 23)
    assert b.meta.author == "Claire Martin" and b.meta.organisation == "Le Potager de Claire"
    assert b.meta.source == "https://potager-de-claire.example/2025/10/jardin-hiver/"
    assert b.meta.subtitle and b.meta.subtitle.startswith("Paillage, taille et protection")
    assert [s.kind for s in b.sections] == [SectionKind.ARTICLE, SectionKind.ARTICLE,
                                            SectionKind.ADVICE, SectionKind.CONCLUSION]
    image = next(x for s in b.sections for x in s.blocks if isinstance(x, Image))
    assert image == Image("jardin-hiver_files/paillage.png",
                          "Un carré de potager couvert de feuilles mortes",
                          "Le paillis de feuilles, posé fin octobre.")
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert sum(len(p.get_images()) for p in pdf.pages) == 1
    # The QR code points to the canonical URL: it is the footer's source too.
    assert "potager-de-claire.example/2025/10/jardin-hiver" in pdf_text(result.pdf, furniture=True)


def test_news_metadata_faq_and_a_remote_image(pages: dict[str, BuildResult]) -> None:
    result = pages["coastal-towns-storm"]
    b = result.briefing
    assert b.meta.lang == "en-GB" and b.meta.date == dt.date(2025, 11, 12)
    assert b.meta.author == "Priya Natarajan" and b.meta.organisation == "The Daily Courier"
    assert b.meta.source == "https://www.dailycourier.example/news/2025/nov/12/coastal-towns-storm"
    assert b.meta.subtitle is None  # the description repeats the standfirst
    assert [e.question for e in b.faq] == ["Will trains run on Friday?",
                                          "Where can I get sandbags?"]
    assert any("map-warning.png" in w and "its caption is printed instead" in w
               for w in result.warnings)


def test_without_its_files_folder_the_captions_are_printed(tmp_path: Path) -> None:
    page = saved_page(tmp_path, "jardin-hiver", with_files=False)
    result = build(page)
    assert missing_words(WORDPRESS_TEXT, result.pdf) == []
    assert not any(isinstance(x, Image) for s in result.briefing.sections for x in s.blocks)
    assert any("its caption is printed instead" in w for w in result.warnings)


def test_images_only_from_beside_the_page(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    (folder / "page_files").mkdir(parents=True)
    PILImage.new("RGB", (10, 10)).save(folder / "page_files" / "ok image.png")
    PILImage.new("RGB", (10, 10)).save(tmp_path / "outside.png")
    (folder / "page_files" / "link.png").symlink_to(tmp_path / "outside.png")
    assert local_image("page_files/ok%20image.png", folder) == "page_files/ok image.png"
    assert local_image("./page_files/ok%20image.png?v=2", folder) == "page_files/ok image.png"
    for src in ("../outside.png", str(tmp_path / "outside.png"), "/outside.png",
                "https://example.org/a.png", "//example.org/a.png", "file:///etc/passwd",
                "data:image/png;base64,AAAA", "page_files/link.png", "page_files/missing.png"):
        assert local_image(src, folder) is None, src


def test_an_xxe_page_expands_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE", encoding="utf-8")
    page = tmp_path / "xxe.html"
    page.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">\n'
        f'<!ENTITY lol "lollollollollollollollollollol">]>\n'
        "<html><head><title>Entities</title></head><body><article><h1>Entities</h1>"
        "<p>Before &xxe; after &lol;.</p><p>Second paragraph.</p></article></body></html>",
        encoding="utf-8")
    b = read_source(page).briefing
    text = " ".join(b.texts())
    assert "TOPSECRETVALUE" not in text and "lollollol" not in text
    assert "Before" in text and "after" in text


def test_the_declared_encoding_is_used_strictly(tmp_path: Path) -> None:
    page = tmp_path / "latin.html"
    page.write_bytes('<html><head><meta charset="windows-1252"><title>Café</title></head><body>'
                     "<h1>Un café</h1><p>Déjà prêt.</p></body></html>".encode("cp1252"))
    b = read_source(page).briefing
    assert b.title == "Un café" and plain(b.lead[0].spans) == "Déjà prêt."
    broken = tmp_path / "broken.html"
    broken.write_bytes(b"<html><body><h1>Titre</h1><p>D\xe9j\xe0</p></body></html>")
    with pytest.raises(SourceError, match=r"broken.html: not valid utf-8 at byte 30, the encoding the page declares"):
        read_source(broken)


def test_a_missing_extra_is_named_in_one_line(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    page = saved_page(tmp_path, "jardin-hiver", with_files=False)
    monkeypatch.setitem(sys.modules, "readability", None)
    result = CliRunner().invoke(cli, ["build", str(page), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and not (tmp_path / "x.pdf").exists()
    assert result.output.strip() == (
        f"Error: {page}: reading saved web pages needs the optional 'html' extra; install it "
        "with pip install 'briefing[html]'")


def test_html_on_standard_input_and_from_html(tmp_path: Path) -> None:
    runner = CliRunner()
    page = (PAGES / "coastal-towns-storm.html").read_bytes()
    result = runner.invoke(cli, ["check", "-"], input=page)
    assert result.exit_code == 0, result.output
    assert "Coastal towns brace for the first winter storm" in result.output
    copy = tmp_path / "page.txt"
    copy.write_bytes(page)
    result = runner.invoke(cli, ["check", str(copy), "--from", "html"])
    assert "faq" in result.output


def test_footnotes_and_a_page_without_article_markup(tmp_path: Path) -> None:
    page = tmp_path / "old.htm"
    body = "".join(f"<p>Paragraphe numéro {n} du texte principal, assez long pour compter.</p>"
                   for n in range(1, 6))
    page.write_text(
        "<html lang='fr'><head><title>Un vieux site</title></head><body>"
        "<div id='menu'><a href='/'>Accueil</a> | <a href='/plan'>Plan du site</a></div>"
        "<div id='contenu'><h1>Un vieux site</h1>"
        f"<p>Le chapeau, avec une note<sup><a href='#n1' id='r1'>1</a></sup>.</p>{body}"
        "<ol class='notes'><li id='n1'>La note elle-même. <a href='#r1'>↩</a></li></ol></div>"
        "</body></html>", encoding="utf-8")
    b = read_source(page).briefing
    assert b.title == "Un vieux site"
    assert b.lead[0].spans[-2].note == "1"
    assert [plain(p.spans) for n in b.footnotes for p in n.blocks] == ["La note elle-même."]
    assert "Accueil" not in " ".join(b.texts())
