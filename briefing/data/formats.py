"""Numbers, percentages and dates in the briefing's language: reading cells, writing values.

Reading (``CellParser``): what a CSV cell may say, per language, from Babel's locale data:

- integers and decimals with the language's separators (``1 204,5`` in French, ``1,204.5`` in
  English, ``1.204,5`` in German); a space, no-break space or narrow no-break space also groups
  digits in every language; the sign may be ``-``, ``+`` or ``−`` (U+2212);
- "machine" numbers and percentages (``1204.5``, ``14.5%``, no grouping), when a whole
  column is written so;
- percentages (``12 %``, ``12,5%``), held as fractions (``Decimal("0.125")``);
- dates: ISO (``2026-12-02``), numeric in the language's order (``02/12/2026`` in French,
  ``12/2/2026`` in English, 4-digit years only), and written out with the language's or
  English month names (``2 décembre 2026``, ``1er décembre 2026``, ``December 2, 2026``,
  ``2. Dezember 2026``, ``2 de diciembre de 2026``, weekday names allowed); a month alone
  (``décembre 2026``, ``2026-12``) is a month.

Writing: ``number``, ``percent``, ``change``, ``date`` and ``value`` (by column type), with
Babel. Rounding is half up (``0.125`` → ``13 %`` at no decimals), never half even.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from briefing.data import missing_extra
from briefing.data.values import ColumnType, Month, Percent, Problem, Year, is_number

try:
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date, format_skeleton
    from babel.numbers import NumberPattern, parse_pattern
except ImportError:  # pragma: no cover - the data extra is missing
    raise missing_extra("Babel") from None

#: Characters that group digits in any language, beside the language's own.
_SPACES = " \u00a0\u202f\u2009"
_MINUS = "-\u2212"

#: Named date formats of the ``date`` filter and of table columns.
DATE_STYLES = ("short", "medium", "long", "full", "month", "day")
_SKELETONS = {"month": "yMMMM", "day": "MMMMd"}


@lru_cache(maxsize=32)
def locale_of(lang: str) -> Locale:
    """Babel's locale for a language tag (``fr``, ``fr-CA``), English when Babel has none."""
    for tag in (lang.replace("-", "_"), lang.split("-")[0].split("_")[0]):
        try:
            return Locale.parse(tag)
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return Locale.parse("en")


# --- reading cells ---------------------------------------------------------------------------


Parse = Callable[[str], Any]  # a cell's text → its value, or None when it does not match


@dataclass(frozen=True, slots=True)
class CellParser:
    """The parsers of one language, tried in this order; the first that reads every cell of a
    column gives the column its type."""

    parsers: tuple[tuple[ColumnType, Parse], ...]


@lru_cache(maxsize=32)
def cell_parser(lang: str) -> CellParser:
    """The cell parsers of a language."""
    locale = locale_of(lang)
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    decimal = symbols.get("decimal", ".")
    group = symbols.get("group", ",")
    groups = "".join(sorted(set(group + _SPACES) - {decimal}))
    g, d = re.escape(groups), re.escape(decimal)
    sign = f"[+{re.escape(_MINUS)}]?"
    whole = rf"(?:\d{{1,3}}(?:[{g}]\d{{3}})+|\d+)"
    integer = re.compile(rf"{sign}{whole}")
    number = re.compile(rf"{sign}{whole}(?:{d}\d+)?")
    percent = re.compile(rf"({sign}{whole}(?:{d}\d+)?)[{_SPACES}]?%")
    machine = re.compile(rf"{sign}\d+(?:\.\d+)?")
    machine_percent = re.compile(rf"({sign}\d+(?:\.\d+)?)[{_SPACES}]?%")
    strip = str.maketrans({c: None for c in groups})

    def to_decimal(text: str) -> Decimal:
        text = text.translate(strip).replace(decimal, ".")
        return Decimal(text.replace("\u2212", "-"))

    def read_integer(text: str) -> int | None:
        return int(to_decimal(text)) if integer.fullmatch(text) else None

    def read_number(text: str) -> Decimal | None:
        return to_decimal(text) if number.fullmatch(text) else None

    def read_percent(text: str) -> Decimal | None:
        found = percent.fullmatch(text)
        return to_decimal(found.group(1)).scaleb(-2) if found else None

    def read_machine(text: str) -> Decimal | None:
        return Decimal(text.replace("\u2212", "-")) if machine.fullmatch(text) else None

    def read_machine_percent(text: str) -> Decimal | None:
        found = machine_percent.fullmatch(text)
        return Decimal(found.group(1).replace("\u2212", "-")).scaleb(-2) if found else None

    dates = _date_reader(locale)

    def read_day(text: str) -> dt.date | None:
        found = dates(text)
        return found[0] if found and found[1] == "day" else None

    def read_month(text: str) -> dt.date | None:
        found = dates(text)
        return found[0] if found and found[1] == "month" else None

    return CellParser((
        (ColumnType.INTEGER, read_integer),
        (ColumnType.DECIMAL, read_number),
        (ColumnType.PERCENT, read_percent),
        (ColumnType.DECIMAL, read_machine),
        (ColumnType.PERCENT, read_machine_percent),
        (ColumnType.DATE, read_day),
        (ColumnType.MONTH, read_month),
    ))


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_NUMERIC = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_TOKENS = re.compile(r"[\s,./]+")
_DAY = re.compile(r"(\d{1,2})(?:er|re|st|nd|rd|th|º|°|o|e)?")
_FILLERS = frozenset({"de", "del", "of", "the", "le", "el", "il", "den", "am"})


def _names(locale: Locale) -> tuple[dict[str, int], frozenset[str]]:
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    for loc in (locale, Locale.parse("en")):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in loc.months[context][width].items():
                    months.setdefault(name.lower().rstrip("."), number)
                weekdays.update(n.lower().rstrip(".") for n in loc.days[context][width].values())
    return months, frozenset(weekdays)


def _date_reader(locale: Locale) -> Callable[[str], tuple[dt.date, str] | None]:
    """A reader of dates in a language: a cell's text → (date, "day" | "month"), or None."""
    months, weekdays = _names(locale)
    short = locale.date_formats["short"].pattern
    day_first = short.find("d") < short.find("M")

    def read(text: str) -> tuple[dt.date, str] | None:
        if not text or len(text) > 40 or not any(c.isdigit() for c in text):
            return None
        try:
            if found := _ISO_DAY.fullmatch(text):
                return dt.date(*map(int, found.groups())), "day"
            if found := _ISO_MONTH.fullmatch(text):
                return dt.date(int(found[1]), int(found[2]), 1), "month"
            if found := _NUMERIC.fullmatch(text):
                a, b, year = map(int, found.groups())
                day, month = (a, b) if day_first else (b, a)
                return dt.date(year, month, day), "day"
            return _written(text)
        except ValueError:  # a day or month out of range: not a date
            return None

    def _written(text: str) -> tuple[dt.date, str] | None:
        tokens = [t for t in _TOKENS.split(text.lower()) if t and t not in _FILLERS
                  and t not in weekdays]
        month = year = day = None
        for token in tokens:
            if token in months and month is None:
                month = months[token]
            elif len(token) == 4 and token.isdigit() and year is None:
                year = int(token)
            elif (found := _DAY.fullmatch(token)) and day is None:
                day = int(found[1])
            else:
                return None
        if month is None or year is None:
            return None
        if day is None:
            return dt.date(year, month, 1), "month"
        return dt.date(year, month, day), "day"

    return read


# --- writing values --------------------------------------------------------------------------


#: Largest magnitude printed (a quadrillion): past it, a figure is a mistake.
_LARGEST = Decimal(10) ** 15


def _decimal(value: object, what: str) -> Decimal:
    if not is_number(value):
        raise Problem(f"{what}: {_shown(value)} is not a number")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - str() of a number is a valid Decimal
        raise Problem(f"{what}: {_shown(value)} is not a number") from None
    if not amount.is_finite() or abs(amount) >= _LARGEST:
        raise Problem(f"{what}: the number is too large to print")
    return amount


def _shown(value: object) -> str:
    if value is None:
        return "an empty cell"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _digits(digits: object, default: int) -> int:
    if digits is None:
        return default
    if not isinstance(digits, int) or isinstance(digits, bool) or not 0 <= digits <= 6:
        raise Problem(f"digits must be a whole number from 0 to 6, not {_shown(digits)}")
    return digits


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return min(6, -exponent) if isinstance(exponent, int) and exponent < 0 else 0


@lru_cache(maxsize=256)
def _parsed(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def _apply(pattern: str, amount: Decimal, locale: Locale) -> str:
    """Babel's formatting with a pattern parsed once (a table prints thousands of cells)."""
    return str(_parsed(pattern).apply(amount, locale, decimal_quantization=False))


def _pattern(digits: int, suffix: str = "") -> str:
    return "#,##0" + ("." + "0" * digits if digits else "") + suffix


def number(value: object, lang: str, digits: int | None = None) -> str:
    """A number in the language: ``1 204,5`` (fr), ``1,204.5`` (en). Without ``digits``,
    as many decimals as the data has (``12.50`` stays ``12,50``)."""
    amount = _decimal(value, "number")
    places = _digits(digits, _places(amount))
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _apply(_pattern(places), rounded, locale_of(lang))


def percent(value: object, lang: str, digits: int | None = None) -> str:
    """A fraction as a percentage in the language: 0.125 → ``12,5 %`` (fr), ``12.5%`` (en).
    Without ``digits``, as many decimals as the data has."""
    amount = _decimal(value, "percent")
    places = _digits(digits, max(0, _places(amount) - 2))
    rounded = amount.scaleb(2).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    locale = locale_of(lang)
    return _apply(_percent_pattern(locale, places), rounded.scaleb(-2), locale)


def _percent_pattern(locale: Locale, digits: int) -> str:
    """The language's percent pattern (``#,##0 %`` in French) with ``digits`` decimals."""
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    zeros = "." + "0" * digits if digits else ""
    return re.sub(r"[#,0.]+", lambda m: "#,##0" + zeros, pattern, count=1)


def change(new: object, old: object, lang: str, digits: int | None = None) -> str:
    """The relative change from ``old`` to ``new``, signed, in the language's percent format:
    ``+12 %`` (fr, with its no-break space), ``-3%`` (en), ``0 %`` for no change."""
    a, b = _decimal(new, "change"), _decimal(old, "change")
    if b == 0:
        raise Problem("change: the earlier value is 0, so no percentage can be given")
    places = _digits(digits, 0)
    ratio = ((a - b) / abs(b)).scaleb(2).quantize(Decimal(1).scaleb(-places),
                                                  rounding=ROUND_HALF_UP)
    locale = locale_of(lang)
    text = _apply(_percent_pattern(locale, places), abs(ratio).scaleb(-2), locale)
    if ratio == 0:
        return text
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    sign = symbols.get("plusSign", "+") if ratio > 0 else symbols.get("minusSign", "-")
    return str(sign) + text


def date(value: object, lang: str, style: str = "long") -> str:
    """A date in the language: ``long`` (``2 décembre 2026``), ``short``, ``medium``,
    ``full``, ``month`` (``décembre 2026``) or ``day`` (``2 décembre``). ISO text is read too."""
    if isinstance(value, str) and (found := _ISO_DAY.fullmatch(value.strip())):
        try:
            value = dt.date(*map(int, found.groups()))
        except ValueError:
            raise Problem(f"date: {_shown(value)} is not a date") from None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise Problem(f"date: {_shown(value)} is not a date")
    if style not in DATE_STYLES:
        raise Problem(f"date: {_shown(style)} is not a date format; use one of "
                      f"{', '.join(DATE_STYLES)}")
    locale = locale_of(lang)
    if style in _SKELETONS:
        return str(format_skeleton(_SKELETONS[style], value, locale=locale))
    return str(format_date(value, style, locale=locale))


def value(data: object, kind: ColumnType | None, lang: str, style: str | None = None) -> str:
    """A value as text, by its column's type (or its own): numbers and dates in the language
    (dates in ``style``, default ``long``, or ``month`` for months), text as is, an empty cell
    as an empty string."""
    if data is None:
        return ""
    if kind is ColumnType.PERCENT or isinstance(data, Percent):
        return percent(data, lang)
    if (kind is ColumnType.YEAR or isinstance(data, Year)) and isinstance(data, int):
        return str(int(data))
    if isinstance(data, dt.date):
        monthly = kind is ColumnType.MONTH or isinstance(data, Month)
        return date(data, lang, "month" if monthly else style or "long")
    if is_number(data):
        return number(data, lang)
    if isinstance(data, bool):
        raise Problem("a yes/no value cannot be printed; compare it in a condition instead")
    if isinstance(data, str):
        return data
    raise Problem("this does not give one value (a number, a date or a text); pick one, "
                  "for example | first, | sum(\"column\"), | latest(\"column\")")
