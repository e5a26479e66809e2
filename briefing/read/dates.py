"""A line that is only a date, in the ways articles print one.

Recognised: ISO (``2025-10-23``), day.month.year with dots (``23.10.2025``), day/month/year
with slashes when it cannot be read the other way round (``23/10/2025``), and dates written
out in French, English, German, Spanish and Italian (``23 octobre 2025``, ``1er mars 2025``,
``October 23, 2025``, ``23 Oct. 2025``, ``23. Oktober 2025``, ``23 de octubre de 2025``,
``23 ottobre 2025``), each with or without its weekday (``jeudi 23 octobre 2025``,
``Thursday, October 23, 2025``), which must then be the right one.

Data, not code: add a language by adding its month and weekday names.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

#: Month names and common abbreviations, January first, per language (folded: lower case,
#: without accents).
MONTHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fr": (("janvier", "janv"), ("fevrier", "fevr", "fev"), ("mars",), ("avril", "avr"),
           ("mai",), ("juin",), ("juillet", "juil"), ("aout",), ("septembre", "sept"),
           ("octobre", "oct"), ("novembre", "nov"), ("decembre", "dec")),
    "en": (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
           ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
           ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
           ("december", "dec")),
    "de": (("januar", "janner", "jan"), ("februar", "feb"), ("marz", "mar"), ("april", "apr"),
           ("mai",), ("juni",), ("juli",), ("august", "aug"), ("september", "sept", "sep"),
           ("oktober", "okt"), ("november", "nov"), ("dezember", "dez")),
    "es": (("enero", "ene"), ("febrero", "feb"), ("marzo", "mar"), ("abril", "abr"),
           ("mayo",), ("junio", "jun"), ("julio", "jul"), ("agosto", "ago"),
           ("septiembre", "setiembre", "sept", "sep"), ("octubre", "oct"),
           ("noviembre", "nov"), ("diciembre", "dic")),
    "it": (("gennaio", "gen"), ("febbraio", "feb"), ("marzo", "mar"), ("aprile", "apr"),
           ("maggio", "mag"), ("giugno", "giu"), ("luglio", "lug"), ("agosto", "ago"),
           ("settembre", "set"), ("ottobre", "ott"), ("novembre", "nov"), ("dicembre", "dic")),
}

#: Weekday names, Monday first, per language (folded).
WEEKDAYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fr": (("lundi",), ("mardi",), ("mercredi",), ("jeudi",), ("vendredi",), ("samedi",),
           ("dimanche",)),
    "en": (("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
           ("thursday", "thu", "thurs"), ("friday", "fri"), ("saturday", "sat"),
           ("sunday", "sun")),
    "de": (("montag",), ("dienstag",), ("mittwoch",), ("donnerstag",), ("freitag",),
           ("samstag", "sonnabend"), ("sonntag",)),
    "es": (("lunes",), ("martes",), ("miercoles",), ("jueves",), ("viernes",), ("sabado",),
           ("domingo",)),
    "it": (("lunedi",), ("martedi",), ("mercoledi",), ("giovedi",), ("venerdi",), ("sabato",),
           ("domenica",)),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names(table: dict[str, tuple[tuple[str, ...], ...]]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for names in table.values():
        for number, spellings in enumerate(names, 1):
            for name in spellings:
                out.setdefault(name, set()).add(number)
    return out


_MONTH = _names(MONTHS)
_WEEKDAY = _names(WEEKDAYS)
_WORD = r"[a-z]+\.?"
_YEAR = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})"
_SOURCES = (
    rf"{_YEAR}-(?P<month>\d{{2}})-(?P<day>\d{{2}})",
    rf"{_DAY}\.(?P<month>\d{{1,2}})\.{_YEAR}",
    rf"{_DAY}/(?P<month>\d{{1,2}})/{_YEAR}",
    # 23 octobre 2025, 1er mars 2025, 23. Oktober 2025, 23 de octubre de 2025, 23rd October 2025
    rf"{_DAY}(?:er|o|º|°|st|nd|rd|th|\.)? (?:de )?(?P<name>{_WORD}) (?:de |del )?{_YEAR}",
    # October 23, 2025; Oct. 23rd 2025
    rf"(?P<name>{_WORD}) {_DAY}(?:st|nd|rd|th)?,? {_YEAR}",
)


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """The patterns, compiled when a line with a digit is first looked at."""
    return tuple(re.compile(source) for source in _SOURCES)
_WEEKDAY_PREFIX = re.compile(rf"^(?P<weekday>{_WORD}),? (?P<rest>.+)$")


def parse_date_line(line: str) -> dt.date | None:
    """The date a line consists of, or None when it is anything else."""
    text = " ".join(_fold(line).split()).rstrip(".")
    if not text or len(text) > 48 or not any(c.isdigit() for c in text):
        return None
    found = _date(text)
    if found is not None:
        return found
    prefix = _WEEKDAY_PREFIX.match(text)
    if prefix is None or prefix["weekday"].rstrip(".") not in _WEEKDAY:
        return None
    found = _date(prefix["rest"])
    weekdays = _WEEKDAY[prefix["weekday"].rstrip(".")]
    return found if found is not None and found.isoweekday() in weekdays else None


def _date(text: str) -> dt.date | None:
    for number, pattern in enumerate(_patterns()):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year, day = int(match["year"]), int(match["day"])
        if "name" in pattern.groupindex:
            months = _MONTH.get(match["name"].rstrip("."), set())
            if len(months) != 1:
                return None
            month = next(iter(months))
        else:
            month = int(match["month"])
            if number == 2 and day <= 12 and month <= 12 and day != month:
                return None  # 05/06/2025: the 5th of June or May the 6th; not a guess to make
            if number == 2 and month > 12 >= day:
                day, month = month, day  # 10/23/2025, American order
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None
