"""Hyphenation: one cached Pyphen dictionary per language, in the form reportlab calls.

Given a language name, reportlab makes a new Pyphen object for every paragraph it wraps, then
measures the head of every hyphenation point of a word that does not fit: quadratic in the
word's length, seconds for a pasted 3,000-character token. Here the dictionary is loaded once
per language, the points of a word are remembered, and words longer than ``MAX_WORD`` are not
hyphenated: no dictionary word is that long, and reportlab's ``splitLongWords`` breaks such
tokens at the column's edge instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

import pyphen

from briefing.cache import Codec, cached

#: Longest word offered to the hyphenation dictionary.
MAX_WORD = 40

Hyphenator = Callable[[str], tuple[tuple[str, str], ...]]


@cache
def hyphenator(lang: str) -> Hyphenator | None:
    """reportlab's ``hyphenationLang`` callable for a pyphen language, or None if unknown."""
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
    dictionary = pyphen.Pyphen(lang=found, left=3, right=3)

    @lru_cache(maxsize=8192)
    def pairs(word: str) -> tuple[tuple[str, str], ...]:
        if len(word) > MAX_WORD:
            return ()
        return tuple(dictionary.iterate(word))

    return pairs


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
