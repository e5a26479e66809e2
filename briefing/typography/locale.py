"""Dates and numbers the language's way, from the Unicode CLDR through Babel.

Babel is imported the first time a date or a number is written in a language that needs it
(the five languages of ``languages.LANGUAGES`` carry their own month names, so a build in
French or English never imports it: about 40 ms saved on each cold build).

Digits: ``digits="locale"`` writes the digits CLDR gives the locale by default (Western for
``ar``, ``ur``, ``he``, ``hi``; Arabic-Indic ``٠١٢`` for ``ar-EG`` and ``ar-SA``; Persian
``۰۱۲`` for ``fa``; Devanagari ``०१२`` for ``mr``); ``"latn"`` always Western digits;
``"native"`` the locale's own digits where it has them (``hi`` → ``०१२``, ``ar`` → ``٠١٢``).
Babel formats numbers with the locale's separators but leaves the digits Western, so the digits
are put in here, from ``DIGITS``.

Dates are CLDR's long format ("1 ديسمبر 2026", "2026年12月1日", "1 डिसेंबर, 2026"), in the
Gregorian calendar (Babel has no other).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

DigitStyle = Literal["locale", "latn", "native"]
DIGIT_STYLES: tuple[DigitStyle, ...] = ("locale", "latn", "native")

#: The ten digits of CLDR's decimal numbering systems that the supported languages use.
DIGITS: dict[str, str] = {
    "latn": "0123456789",
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
    "deva": "०१२३४५६७८९",
    "beng": "০১২৩৪৫৬৭৮৯",
    "thai": "๐๑๒๓๔๕๖๗๘๙",
    "fullwide": "０１２３４５６７８９",
}


class LocaleError(ValueError):
    """A language tag Babel does not know."""


@cache
def babel_locale(tag: str) -> Locale:
    """Babel's locale for a BCP 47 tag ("ar-EG", "zh-Hant", "fa"), imported on first use."""
    from babel import Locale, UnknownLocaleError  # Babel only when needed

    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise LocaleError(f"no locale data for language {tag!r}") from None


def numbering_system(tag: str, digits: DigitStyle = "locale") -> str:
    """The numbering system digits are written in: "latn", "arab", "arabext", "deva"…"""
    if digits == "latn":
        return "latn"
    locale = babel_locale(tag)
    if digits == "native":
        native = locale.other_numbering_systems.get("native", locale.default_numbering_system)
        return native if native in DIGITS else "latn"
    system: str = locale.default_numbering_system
    return system if system in DIGITS else "latn"


def localize_digits(text: str, tag: str, digits: DigitStyle = "locale") -> str:
    """``text`` with its Western digits written in the locale's digits."""
    system = numbering_system(tag, digits)
    if system == "latn":
        return text
    return text.translate(_digit_table(system))


@cache
def _digit_table(system: str) -> dict[int, str]:
    return {ord(w): n for w, n in zip(DIGITS["latn"], DIGITS[system], strict=True)}


def format_date(date: dt.date, tag: str, digits: DigitStyle = "locale") -> str:
    """A date as running text, CLDR's long format for the language, in its digits."""
    from babel.dates import format_date as babel_format_date

    return localize_digits(babel_format_date(date, format="long", locale=babel_locale(tag)),
                           tag, digits)


def format_number(number: int | float, tag: str, digits: DigitStyle = "locale") -> str:
    """A number with the locale's separators and digits ("1 234,5", "١٬٢٣٤٫٥")."""
    from babel.numbers import UnsupportedNumberingSystemError, format_decimal

    locale = babel_locale(tag)
    system = numbering_system(tag, digits)
    try:
        text = format_decimal(number, locale=locale, numbering_system=system)
    except UnsupportedNumberingSystemError:  # no separators of its own: the default ones
        text = format_decimal(number, locale=locale)
    return localize_digits(text, tag, digits)
