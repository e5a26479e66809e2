"""Dates written the language's way: "1er décembre 2026", "2 December 2026", "2. Dezember 2026",
"1 ديسمبر 2026", "2026年12月1日".

A language briefing has no data for is dated by CLDR when Babel knows it ("pt-BR": "1 de dezembro
de 2026"), else in English, like its labels.

The languages of ``languages.LANGUAGES`` carry their month names and pattern (no Babel import);
every other language is dated by CLDR's long format through Babel (``locale.format_date``).
"""

from __future__ import annotations

import datetime as dt

from briefing.typography.languages import Language, has_language_data, language
from briefing.typography.locale import DigitStyle, LocaleError, localize_digits
from briefing.typography.locale import format_date as cldr_date


def format_date(date: dt.date, lang: str | Language | None, digits: DigitStyle = "locale") -> str:
    """A date as running text in a language (a tag such as "fr" or "ar-EG", or the language's
    data), with the locale's digits (see ``locale``)."""
    data = lang if isinstance(lang, Language) else language(lang)
    tag = lang if isinstance(lang, str) and lang else data.code
    if data.months and (isinstance(lang, Language) or has_language_data(tag)):
        day = data.day_forms.get(date.day, str(date.day))
        text = data.date_pattern.format(day=day, month=data.months[date.month - 1],
                                        year=date.year)
        return text if digits == "latn" or data.script == "Latn" else localize_digits(text, tag, digits)
    try:  # a language without data of ours may still be known to CLDR ("pt-BR")
        return cldr_date(date, tag, digits)
    except LocaleError:
        pass
    return format_date(date, data, digits)
