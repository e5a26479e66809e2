"""Guessing a text's language: by its script first, then by its words.

1. The script most of its letters are in (``scripts.script_counts``) settles most languages:
   Hebrew is Hebrew; Hangul is Korean, kana Japanese, Han alone Chinese; Greek is Greek.
2. Arabic script is Arabic, Persian or Urdu, and Devanagari Hindi or Marathi: the statistical
   detector py3langid (``briefing[scripts]``, which such a document needs anyway for shaping)
   decides among them; without it, the letters and words only one of them uses (Urdu's ے ں ٹ,
   Persian's پ چ ژ گ with ی and ک, Arabic's ة and ي; Marathi's ळ and आहे) decide.
3. Latin script: a vote of the most common short words of French, English, German, Spanish and
   Italian. A clear vote (at least ``CONFIDENT`` words, twice the runner-up's) is taken as it
   is: no detector is loaded for an ordinary article. A weak one ("Storm warning. Lead. Para.":
   one Spanish "para") asks py3langid among the same languages when it is installed, and
   otherwise stands only with at least two words; else the default language.

py3langid is imported (and its model read, about 0.8 s) only when a text needs it.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from briefing.typography.languages import DEFAULT_LANGUAGE, LANGUAGES
from briefing.typography.scripts import cjk_language, is_cjk, script_counts

_WORD = re.compile(r"[^\W\d_]+")
#: A word of any script, marks included (``\w`` splits Devanagari at its vowel signs).
_ANY_WORD = re.compile(r"[^\s\d.,;:!?()\[\]«»“”\"'\-–—।॥۔،؛؟]+")

#: A word vote this large, and twice the runner-up's, needs no detector.
CONFIDENT = 3

#: Languages told apart within a script, by the detector or, without it, by letters and words.
ARABIC_SCRIPT = ("ar", "fa", "ur")
DEVANAGARI = ("hi", "mr")

#: Letters (and words) only one language of a script uses, as evidence when no detector is
#: installed: each occurrence is one vote.
_MARKERS: dict[str, dict[str, str]] = {
    "Arab": {"ur": "ےۓںٹڈڑھ۔", "fa": "پچژگ", "ar": "ةيكى"},
    "Deva": {"mr": "ळ"},
}
_MARKER_WORDS: dict[str, dict[str, frozenset[str]]] = {
    "Arab": {"fa": frozenset("این است را که از با برای می".split()),
             "ur": frozenset("ہے کے کی میں اور کو سے".split()),
             "ar": frozenset("في من على إلى هذا التي الذي".split())},
    "Deva": {"mr": frozenset("आहे आणि आहेत या हे व".split()),
             "hi": frozenset("है और के की में हैं को से".split())},
}
#: Persian and Urdu share ی and ک (Arabic writes ي and ك): a sign of one of them.
_NOT_ARABIC = "یک"


def detect_language(texts: Iterable[str], default: str = DEFAULT_LANGUAGE) -> str:
    """The language of the texts (a primary language subtag), or ``default``."""
    texts = list(texts)
    counts = script_counts(texts)
    if not counts:
        return default
    script = counts.most_common(1)[0][0]
    if script == "Latn":
        return _latin(texts, default)
    if script == "Hebr":
        return "he"
    if script == "Grek":
        return "el"
    if is_cjk(script):
        return cjk_language(counts) or default
    if script == "Arab":
        return _within(texts, "Arab", ARABIC_SCRIPT)
    if script == "Deva":
        return _within(texts, "Deva", DEVANAGARI)
    found = _detector(())  # another script (Cyrillic, Thai...): any language py3langid knows
    return found(" ".join(texts)) if found else default


def word_votes(texts: Iterable[str]) -> Counter[str]:
    """How many of the common short words of each language with word lists the texts have."""
    voters: dict[str, list[str]] = {}  # word -> the languages it votes for, in their order
    for code, lang in LANGUAGES.items():
        for word in lang.stop_words:
            voters.setdefault(word, []).append(code)
    votes: Counter[str] = Counter()
    for text in texts:
        for word in _WORD.findall(text.lower()):
            for code in voters.get(word, ()):
                votes[code] += 1
    return votes


def _latin(texts: Sequence[str], default: str) -> str:
    ranked = word_votes(texts).most_common(2)
    best, votes = ranked[0] if ranked else (default, 0)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if votes >= CONFIDENT and votes >= 2 * runner_up:
        return best
    detector = _detector(tuple(LANGUAGES))
    if detector is not None:
        return detector(" ".join(texts))
    return best if votes >= 2 and votes > runner_up else default


def _within(texts: Sequence[str], script: str, candidates: tuple[str, ...]) -> str:
    detector = _detector(candidates)
    if detector is not None:
        return detector(" ".join(texts))
    return by_markers(texts, script, candidates)


def by_markers(texts: Sequence[str], script: str, candidates: tuple[str, ...]) -> str:
    """Which of the candidate languages of a script the texts are in, by the letters and words
    only one of them uses (the first candidate when nothing tells)."""
    votes: Counter[str] = Counter()
    for text in texts:
        for code, letters in _MARKERS.get(script, {}).items():
            votes[code] += sum(text.count(c) for c in letters)
        words = _ANY_WORD.findall(text)
        for code, known in _MARKER_WORDS.get(script, {}).items():
            votes[code] += sum(1 for w in words if w in known)
        if script == "Arab" and not votes["ur"] and not votes["fa"]:
            votes["fa"] += sum(text.count(c) for c in _NOT_ARABIC) // 2
    ranked = [code for code, n in votes.most_common() if n and code in candidates]
    return ranked[0] if ranked else candidates[0]


def _detector(languages: tuple[str, ...]) -> Callable[[str], str] | None:
    """py3langid restricted to these languages (none: all it knows), or None when it is not
    installed."""
    identifier = _identifier()
    if identifier is None:
        return None

    def classify(text: str) -> str:
        with _LOCK:
            identifier.set_languages(list(languages) if languages else None)
            code: str = identifier.classify(text)[0]
        return code

    return classify


_LOCK = threading.Lock()


@cache
def _identifier() -> Any:
    """py3langid's identifier, its model read once per process; None when not installed."""
    if importlib.util.find_spec("py3langid") is None:
        return None
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # only when a text needs it

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
