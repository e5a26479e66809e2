"""Language data: detection of the five languages, dates, hyphenation dictionaries."""

from __future__ import annotations

import datetime as dt

import pyphen
import pytest

from briefing.typography import detect_language, format_date, language
from briefing.typography.languages import LANGUAGES

TEXTS = {
    "fr": "Les artistes ont fait valoir que l’entreprise avait profité de leur travail.",
    "en": "The artists argued that the company had profited from their unpaid work.",
    "de": "Die Künstler machten geltend, dass das Unternehmen von ihrer Arbeit profitiert hat.",
    "es": "Los artistas sostienen que la empresa se ha aprovechado de su trabajo no pagado.",
    "it": "Gli artisti sostengono che l’azienda ha approfittato del loro lavoro non pagato.",
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_detects_the_five_languages(code: str) -> None:
    assert detect_language([TEXTS[code]]) == code


def test_detection_falls_back_to_the_default() -> None:
    assert detect_language(["12345 !!!"]) == "en"
    assert detect_language(["12345"], default="fr") == "fr"


@pytest.mark.parametrize(
    ("code", "date", "expected"),
    [
        ("fr", dt.date(2026, 12, 2), "2 décembre 2026"),
        ("fr", dt.date(2026, 12, 1), "1er décembre 2026"),
        ("en", dt.date(2026, 12, 2), "2 December 2026"),
        ("en", dt.date(2026, 12, 1), "1 December 2026"),
        ("de", dt.date(2026, 12, 2), "2. Dezember 2026"),
        ("es", dt.date(2026, 12, 2), "2 de diciembre de 2026"),
        ("it", dt.date(2026, 12, 2), "2 dicembre 2026"),
        ("fr-CA", dt.date(2026, 8, 15), "15 août 2026"),
        (None, dt.date(2026, 3, 1), "1 March 2026"),
    ],
)
def test_format_date(code: str | None, date: dt.date, expected: str) -> None:
    assert format_date(date, code) == expected


def test_format_date_accepts_the_language_data() -> None:
    assert format_date(dt.date(2026, 1, 1), language("fr")) == "1er janvier 2026"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_hyphenation_dictionaries_exist(code: str) -> None:
    name = LANGUAGES[code].hyphenation
    assert name in pyphen.LANGUAGES
    assert "-" in pyphen.Pyphen(lang=name).inserted(
        {"fr": "rémunération", "en": "compensation", "de": "Zusammenarbeit",
         "es": "remuneración", "it": "remunerazione"}[code]
    )


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_language_data_is_complete(code: str) -> None:
    lang = LANGUAGES[code]
    assert set(lang.labels) >= {"faq", "page", "updated", "source", "kicker"}
    assert len(lang.months) == 12
    assert len(lang.quotes) == 4 and all(len(q) == 1 for q in lang.quotes)
    assert set(lang.space_before) <= set("?!;:")


def test_language_lookup() -> None:
    assert language("de_AT").code == "de"
    assert language("xx").code == "en"
