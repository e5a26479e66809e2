"""Guessing a text's language by a vote of its most common short words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from briefing.typography.languages import DEFAULT_LANGUAGE, LANGUAGES

_WORD = re.compile(r"[^\W\d_]+")


def detect_language(texts: Iterable[str], default: str = DEFAULT_LANGUAGE) -> str:
    """The language whose stop words occur most often in the texts."""
    votes = dict.fromkeys(LANGUAGES, 0)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(_WORD.findall(text.lower()))
    for word, count in counts.items():  # each distinct word once
        for code, lang in LANGUAGES.items():
            if word in lang.stop_words:
                votes[code] += count
    best = max(votes, key=lambda code: votes[code])
    return best if votes[best] else default
