"""Dates written the language's way: "1er décembre 2026", "2 December 2026", "2. Dezember 2026"."""

from __future__ import annotations

import datetime as dt

from briefing.typography.languages import Language, language


def format_date(date: dt.date, lang: str | Language | None) -> str:
    """A date as running text in a language (a tag such as "fr", or the language's data)."""
    data = lang if isinstance(lang, Language) else language(lang)
    day = data.day_forms.get(date.day, str(date.day))
    return data.date_pattern.format(day=day, month=data.months[date.month - 1], year=date.year)
