"""Hyphenation: one cached Pyphen dictionary per language, for reportlab and for the line breaker.

Given a language name, reportlab makes a new Pyphen object for every paragraph it wraps, then
measures the head of every hyphenation point of a word that does not fit: quadratic in the
word's length, seconds for a pasted 3,000-character token. Here the dictionary is loaded once
per language, the points of a word are remembered, and words longer than ``MAX_WORD`` are not
hyphenated: no dictionary word is that long, and reportlab's ``splitLongWords`` breaks such
tokens at the column's edge instead.

``Hyphenator`` is both: called with a word it gives reportlab's ``(head, tail)`` pairs, and its
``points`` gives the positions where the word may be hyphenated, for the total-fit line breaker
(``briefing.render.paragraph``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

import pyphen

from briefing.cache import Codec, cached

#: Longest word offered to the hyphenation dictionary.
MAX_WORD = 40


def unbreakable(word: str) -> bool:
    """Words never hyphenated: tokens longer than any word, and names with a capital inside
    or in capitals (``OpenAI``, ``ChatGPT``, ``UNESCO``): a dictionary made for common words
    cuts them where a reader does not ("Ope- / nAI")."""
    return len(word) > MAX_WORD or any(c.isupper() for c in word[1:])


class Hyphenator:
    """The hyphenation points of one language's words, remembered per word."""

    __slots__ = ("language", "pairs", "points")

    def __init__(self, language: str, dictionary: pyphen.Pyphen) -> None:
        self.language = language

        @lru_cache(maxsize=8192)
        def pairs(word: str) -> tuple[tuple[str, str], ...]:
            if unbreakable(word):
                return ()
            return tuple(dictionary.iterate(word))

        @lru_cache(maxsize=16384)
        def points(word: str) -> tuple[int, ...]:
            """Where ``word`` may be hyphenated: the lengths of the heads (at least three
            letters on each side); spellings that change at the break are left out."""
            if unbreakable(word):
                return ()
            return tuple(int(p) for p in dictionary.positions(word)
                         if getattr(p, "data", None) is None)

        self.pairs: Callable[[str], tuple[tuple[str, str], ...]] = pairs
        self.points: Callable[[str], tuple[int, ...]] = points

    def __call__(self, word: str) -> tuple[tuple[str, str], ...]:
        return self.pairs(word)


@cache
def hyphenator(lang: str) -> Hyphenator | None:
    """The hyphenator of a pyphen language (reportlab's ``hyphenationLang`` callable), or None
    if unknown."""
    found = pyphen.language_fallback(lang) if lang else None
    if found is None:
        return None
    # Parsing the dictionary file is most of the cost; pyphen keeps parsed dictionaries in
    # its module cache, which is filled from the on-disk cache.
    path = pyphen.LANGUAGES[found]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = cached("pyphen", f"{found}-{pyphen.VERSION}".encode(),
                                      lambda: pyphen.HyphDict(path), PATTERNS)
    # At least three letters on each side of a hyphen: no "ré-" or "-ne" fragments.
    return Hyphenator(found, pyphen.Pyphen(lang=found, left=3, right=3))


def _encode(dictionary: pyphen.HyphDict) -> dict[str, Any]:
    patterns = []
    for key, (start, values) in dictionary.patterns.items():
        if not all(type(value) is int for value in values):
            raise TypeError("nonstandard hyphenation data")  # rare; such a dictionary is not cached
        patterns.append([key, start, list(values)])
    return {"maxlen": dictionary.maxlen, "patterns": patterns}


def _decode(data: Any) -> pyphen.HyphDict:
    patterns: dict[str, tuple[int, tuple[int, ...]]] = {}
    for key, start, values in data["patterns"]:
        if not (isinstance(key, str) and type(start) is int
                and all(type(value) is int for value in values)):
            raise TypeError(f"not a hyphenation pattern: {key!r}")
        patterns[key] = (start, tuple(values))
    maxlen = data["maxlen"]
    if not patterns or type(maxlen) is not int or maxlen != max(map(len, patterns)):
        raise ValueError("not a hyphenation dictionary")
    dictionary: pyphen.HyphDict = pyphen.HyphDict.__new__(pyphen.HyphDict)
    dictionary.patterns, dictionary.cache, dictionary.maxlen = patterns, {}, maxlen
    return dictionary


#: A pyphen dictionary as plain data: its patterns (string → start, values) and longest one.
PATTERNS: Codec[pyphen.HyphDict] = Codec(_encode, _decode)
