"""Languages from data files, dates and numbers through Babel (CLDR), digits per locale."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from briefing.typography import format_date, language
from briefing.typography.languages import LANGUAGES, has_language_data, known_languages
from briefing.typography.locale import (
    format_number,
    localize_digits,
    numbering_system,
)

DAY = dt.date(2026, 12, 1)
NEW = ["ar", "fa", "ur", "he", "zh", "ja", "ko", "hi", "mr"]
LABEL_WORDS = {  # a word of the FAQ label and of the kicker, as readers of each language say it
    "ar": ("أسئلة", "إحاطة"), "fa": ("پرسش‌های", "گزارش"), "ur": ("سوالات", "بریفنگ"),
    "he": ("שאלות", "תדריך"), "zh": ("常见问题", "简报"), "ja": ("よくある質問", "ブリーフィング"),
    "ko": ("자주", "브리핑"), "hi": ("प्रश्न", "ब्रीफ़िंग"), "mr": ("प्रश्न", "ब्रीफिंग"),
}


@pytest.mark.parametrize("code", NEW)
def test_languages_from_data_files(code: str) -> None:
    lang = language(code)
    assert lang.code == code and has_language_data(code) and has_language_data(f"{code}-XX")
    assert set(lang.labels) == set(LANGUAGES["en"].labels)
    assert all(v != LANGUAGES["en"].labels[k] for k, v in lang.labels.items()
               if k not in ("page", "quoted"))
    faq, kicker = LABEL_WORDS[code]
    assert faq in lang.labels["faq"] and lang.labels["kicker"] == kicker
    assert lang.labels["page"].format(page=2, pages=3).count("2") == 1
    assert lang.rtl == (code in ("ar", "fa", "ur", "he"))
    assert lang.months == ()  # dated by CLDR
    assert code in known_languages()


def test_unknown_languages_stay_english() -> None:
    assert language("xx").code == "en" and not has_language_data("xx")
    assert not has_language_data("../en")


@pytest.mark.parametrize(("tag", "digits", "expected"), [
    ("ar", "locale", "1 ديسمبر 2026"),
    ("ar", "native", "١ ديسمبر ٢٠٢٦"),
    ("ar-EG", "locale", "١ ديسمبر ٢٠٢٦"),
    ("ar-EG", "latn", "1 ديسمبر 2026"),
    ("fa", "locale", "۱ دسامبر ۲۰۲۶"),
    ("fa", "latn", "1 دسامبر 2026"),
    ("ur", "locale", "1 دسمبر، 2026"),
    ("he", "locale", "1 בדצמבר 2026"),
    ("zh", "locale", "2026年12月1日"),
    ("zh", "native", "2026年12月1日"),
    ("ja", "locale", "2026年12月1日"),
    ("ko", "locale", "2026년 12월 1일"),
    ("hi", "locale", "1 दिसंबर 2026"),
    ("hi", "native", "१ दिसंबर २०२६"),
    ("mr", "locale", "१ डिसेंबर, २०२६"),
    ("mr", "latn", "1 डिसेंबर, 2026"),
    ("pt-BR", "locale", "1 de dezembro de 2026"),  # no data of ours, but CLDR knows it
    ("xx", "locale", "1 December 2026"),
])
def test_dates_through_cldr(tag: str, digits: str, expected: str) -> None:
    assert format_date(DAY, tag, digits) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_the_five_hand_written_patterns_agree_with_cldr(code: str) -> None:
    from babel.dates import format_date as cldr

    locale = {"en": "en_GB"}.get(code, code)
    for day in (dt.date(2026, 1, 2), dt.date(2026, 5, 31), dt.date(2026, 12, 1)):
        ours = format_date(day, code)
        if code == "fr" and day.day == 1:
            ours = ours.replace("1er", "1")  # the French press's "1er": a house rule
        assert ours == cldr(day, format="long", locale=locale)


@pytest.mark.parametrize(("tag", "digits", "number", "expected"), [
    ("fr", "locale", 1234567.5, "1\u202f234\u202f567,5"),
    ("ar", "locale", 1234567.5, "1,234,567.5"),
    ("ar-EG", "locale", 1234567.5, "١٬٢٣٤٬٥٦٧٫٥"),
    ("fa", "locale", 2026, "۲٬۰۲۶"),
    ("hi", "locale", 1234567, "12,34,567"),
    ("hi", "native", 3, "३"),
    ("mr", "locale", 12, "१२"),
])
def test_numbers(tag: str, digits: str, number: float, expected: str) -> None:
    assert format_number(number, tag, digits) == expected  # type: ignore[arg-type]


def test_digits() -> None:
    assert localize_digits("Page 2 / 13", "ar-EG") == "Page ٢ / ١٣"
    assert localize_digits("Page 2 / 13", "ar-EG", "latn") == "Page 2 / 13"
    assert numbering_system("fa") == "arabext" and numbering_system("ur") == "latn"
    assert numbering_system("ur", "native") == "arabext"
    assert numbering_system("en", "native") == "latn"


def test_a_french_build_never_imports_babel(tmp_path: pytest.TempPathFactory) -> None:
    code = ("import sys; from briefing.build import build, BuildOptions; "
            "from briefing.assets import sample_source; build(sample_source(), BuildOptions()); "
            "print('babel' in sys.modules, 'py3langid' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False"]
