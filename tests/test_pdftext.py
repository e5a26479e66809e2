"""The word oracle of the property tests: it must be able to fail."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.pdftext import lost_in, missing_words, words


def _pdf(*lines: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    y = A4[1] / 2
    for line in lines:
        canvas.drawString(72, y, line)
        y -= 14
    canvas.save()
    return buffer.getvalue()


def test_a_short_word_is_not_found_inside_a_longer_one() -> None:
    pdf = _pdf("The theme of this category", "A paragraph")
    assert missing_words(["the cat is in a hat"], pdf) == ["cat", "is", "in", "hat"]


def test_every_word_back_in_order() -> None:
    pdf = _pdf("The cat is in a hat")
    assert missing_words(["the cat is in a hat"], pdf) == []
    assert missing_words(["hat the"], pdf) == ["the"]


def test_a_word_split_at_a_line_end_is_found() -> None:
    assert lost_in(words(["typography matters"]), ["typo", "graphy", "matters"]) == []
    assert lost_in(words(["typography"]), ["typo", "graph"]) == ["typography"]
    assert lost_in(words(["typo"]), ["typography"]) == ["typo"]


def test_words_the_markup_glues_are_found() -> None:
    assert lost_in(["lien", "lien", "ends"], ["lienli", "en", "http", "ends"]) == []
    assert lost_in(["cat", "is"], ["category", "is"]) == ["cat"]
