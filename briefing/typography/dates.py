"""Dates written the language's way: "2 décembre 2026", "1er décembre 2026", "2 December 2026"."""

from __future__ import annotations

import datetime as dt

from briefing.typography.languages import language


def format_date(date: dt.date, lang: str | None) -> str:
    """A date as the language writes it in running text."""
    data = language(lang)
    day = "1er" if data.code == "fr" and date.day == 1 else str(date.day)
    return data.date_pattern.format(day=day, month=data.months[date.month - 1], year=date.year)
