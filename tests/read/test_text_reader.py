"""The plain-text reader understands the sample exactly, and drops nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.model import SectionKind, plain
from briefing.read import read_briefing
from briefing.read.fields import load_briefing
from briefing.read.text import is_heading, is_question, read_text, split_first_sentence


def test_sample_structure(sample_path: Path) -> None:
    briefing, _ = read_briefing(sample_path)
    assert briefing.title.startswith("Un groupe d’artistes a créé une plateforme")
    assert briefing.title.endswith("grâce à Sora")
    assert len(briefing.lead) == 1
    assert plain(briefing.lead[0].spans).startswith("Ils soutiennent que")
    kinds = [s.kind for s in briefing.sections]
    assert kinds == [SectionKind.ARTICLE, SectionKind.ADVICE, SectionKind.CONCLUSION, SectionKind.FAQ]
    article, advice, conclusion, faq = briefing.sections
    assert article.heading is None and len(article.blocks) == 2
    assert advice.heading == "Avis et conseils sur la situation actuelle"
    assert len(advice.blocks) == 1
    assert conclusion.heading == "Conclusion" and len(conclusion.blocks) == 1
    assert faq.heading is None
    assert [e.question for e in faq.entries] == [
        "Pourquoi OpenAI a-t-il suspendu Sora ?",
        "Quels sont les impacts pour les artistes concernés ?",
        "Comment les artistes peuvent-ils se protéger ?",
        "Quel est l’avenir de Sora et des outils similaires ?",
        "Y a-t-il d’autres entreprises confrontées à des problèmes similaires ?",
    ]
    assert all(len(e.answer) == 1 for e in faq.entries)


def test_every_line_of_the_sample_lands_in_the_model(sample_path: Path) -> None:
    briefing, _ = read_briefing(sample_path)
    text = " ".join(briefing.texts())
    for line in sample_path.read_text(encoding="utf-8").splitlines():
        # The headline loses only its final full stop.
        assert line.rstrip(".") in text or line.split(". ", 1)[1] in text


def test_title_option_makes_the_first_line_the_lead(sample_path: Path) -> None:
    briefing, _ = read_briefing(sample_path, title="Sora suspendu")
    assert briefing.title == "Sora suspendu"
    assert plain(briefing.lead[0].spans).startswith("Un groupe d’artistes")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Avis et conseils sur la situation actuelle", True),
        ("Conclusion", True),
        ("Une phrase complète.", False),
        ("Pourquoi ?", False),
        ("x " * 30, False),
    ],
)
def test_heading_detection(line: str, expected: bool) -> None:
    assert is_heading(line) is expected


def test_question_after_closing_quote() -> None:
    assert is_question("Faut-il dire « oui ? »")
    assert is_question("What now?”")
    assert not is_question("Yes.")


def test_first_sentence_split() -> None:
    assert split_first_sentence("Un titre. Le reste ici.") == ("Un titre.", "Le reste ici.")
    assert split_first_sentence("Pas de fin") == ("Pas de fin", "")


def test_english_headings_and_faq_heading() -> None:
    text = (
        "Storm hits the coast. Thousands are without power tonight.\n"
        "The storm arrived at noon.\n"
        "What to do\n"
        "Stay indoors and charge your phone.\n"
        "Key takeaways\n"
        "Be careful.\n"
        "Frequently asked questions\n"
        "When will power return?\n"
        "Within two days.\n"
    )
    briefing = read_text(text)
    assert briefing.title == "Storm hits the coast"
    kinds = [s.kind for s in briefing.sections]
    assert kinds == [SectionKind.ARTICLE, SectionKind.ADVICE, SectionKind.CONCLUSION, SectionKind.FAQ]
    assert briefing.faq[0].question == "When will power return?"


def test_unknown_heading_is_an_article_subsection_and_nothing_is_dropped() -> None:
    text = "Title line\nLead paragraph here.\nBackground\nSome history.\nA lone question?\nIts answer.\n"
    briefing = read_text(text)
    assert briefing.title == "Title line"
    assert [s.heading for s in briefing.sections] == ["Background"]
    # A single question/answer pair is not an FAQ: it stays in the article.
    texts = list(briefing.texts())
    for piece in ("Lead paragraph here.", "Some history.", "A lone question?", "Its answer."):
        assert piece in texts
    assert not briefing.faq


def test_hard_wrapped_lines_are_joined() -> None:
    text = (
        "A title\n\n"
        "This paragraph was wrapped by an editor at a fixed width so that its lines\n"
        "continue on the next one without any final punctuation.\n"
    )
    briefing = read_text(text)
    assert len(briefing.lead) == 1
    assert "its lines continue on the next one" in plain(briefing.lead[0].spans)


def test_model_round_trip(sample_path: Path) -> None:

    briefing, _ = read_briefing(sample_path)
    assert load_briefing(briefing.as_dict()) == briefing


def test_standard_input_format_is_sniffed() -> None:
    from briefing.read import sniff_format

    assert sniff_format("---\ntitle: T\n---\nText\n") == "md"
    assert sniff_format("\n# Title\n\nText\n") == "md"
    assert sniff_format('{"title": "T"}') == "json"
    assert sniff_format("Un titre. Le chapeau.\nUn paragraphe.\n") == "txt"
