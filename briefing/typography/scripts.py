"""Writing systems: which scripts a text is written in, and its runs by script and by font.

- ``script_of(char)``: the Unicode Script property (ISO 15924 code: ``Latn``, ``Arab``,
  ``Hebr``, ``Deva``, ``Hani``, ``Hira``, ``Kana``, ``Hang``; ``Zyyy`` for characters common to
  all scripts, such as digits, spaces and punctuation; ``Zinh`` for marks that take the script of
  their base), from a range table generated from the Unicode Character Database
  (``script_table``), so no dependency is needed at run time.
- ``script_counts(texts)``: the letters of each script in a document; ``main_script`` the one
  most letters are in. Text that is all Latin (the common case) is recognised by one regular
  expression, without looking at each character.
- runs of a text by script and by font: ``briefing.typography.runs``.
- What each script needs: its direction (``is_rtl``), whether its glyphs must be shaped
  (``needs_shaping``), and whether briefing can set it at all (``SUPPORTED``); ``unsupported``
  names the others, for a one-line refusal.

The range table is imported the first time a character outside Latin text is looked at, so a
Latin build does not pay for it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache

COMMON = "Zyyy"
INHERITED = "Zinh"
UNKNOWN = "Zzzz"

#: Scripts written right to left (those briefing may meet; the Unicode list is longer, and
#: every one of them outside ``SUPPORTED`` is refused anyway).
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Samr",
                         "Mand", "Yezi"})
#: Scripts whose glyphs depend on their neighbours (joining, conjuncts, reordered vowels):
#: they must go through HarfBuzz before they are drawn.
SHAPED_SCRIPTS = frozenset({"Arab", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mong", "Deva",
                            "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym",
                            "Sinh", "Tibt", "Mymr", "Khmr", "Laoo", "Thai", "Bali", "Java"})
#: Scripts briefing sets: Latin, Greek and Cyrillic as ever; Arabic and Hebrew right to left;
#: Devanagari shaped; Chinese, Japanese and Korean with a system font.
SUPPORTED = frozenset({"Latn", "Grek", "Cyrl", "Arab", "Hebr", "Deva", "Hani", "Hira", "Kana",
                       "Hang", "Bopo", COMMON, INHERITED})
#: Scripts that share CJK typesetting (characters as break opportunities, kinsoku).
CJK_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Hang", "Bopo"})

#: Characters of Latin text, digits, punctuation and spacing: a text made of these alone is
#: Latin (or has no letters at all), and is not looked at character by character.
_LATIN_ONLY = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]*"
)


@cache
def _table() -> tuple[tuple[int, ...], bytes, tuple[str, ...], dict[str, str]]:
    from briefing.typography import script_table  # when first needed: see the docstring

    return script_table.STARTS, script_table.SCRIPTS, script_table.CODES, script_table.NAMES


def script_of(char: str) -> str:
    """The ISO 15924 code of a character's Unicode Script property."""
    starts, scripts, codes, _ = _table()
    return codes[scripts[bisect_right(starts, ord(char)) - 1]]


def script_name(code: str) -> str:
    """A script's name in English ("Arabic", "Devanagari"; "Han" for Chinese characters)."""
    return _table()[3].get(code, code)


def is_rtl(script: str) -> bool:
    return script in RTL_SCRIPTS


def needs_shaping(script: str) -> bool:
    return script in SHAPED_SCRIPTS


def is_cjk(script: str) -> bool:
    return script in CJK_SCRIPTS


def script_counts(texts: Iterable[str]) -> Counter[str]:
    """How many letters (and other non-common characters) of each script the texts have."""
    counts: Counter[str] = Counter()
    for text in texts:
        if _LATIN_ONLY.fullmatch(text):
            letters = sum(map(str.isalpha, text))
            if letters:
                counts["Latn"] += letters
            continue
        for char in text:
            script = script_of(char)
            if script not in (COMMON, INHERITED, UNKNOWN):
                counts[script] += 1
    return counts


def main_script(texts: Iterable[str]) -> str | None:
    """The script most letters of the texts are in (None if they have no letters). Han counts
    with kana toward Japanese: a text with any kana is Japanese, whose Han letters may be the
    majority; ``cjk_language`` decides between Chinese, Japanese and Korean."""
    counts = script_counts(texts)
    return counts.most_common(1)[0][0] if counts else None


def cjk_language(counts: Mapping[str, int]) -> str | None:
    """Chinese, Japanese or Korean from the letters of a text: Hangul is Korean, kana Japanese
    (kana are a fifth or more of Japanese prose; a few in Chinese text are quotations), Han
    alone Chinese."""
    han, kana = counts.get("Hani", 0), counts.get("Hira", 0) + counts.get("Kana", 0)
    hangul = counts.get("Hang", 0)
    total = han + kana + hangul + counts.get("Bopo", 0)
    if not total:
        return None
    if hangul >= max(han, kana):
        return "ko"
    if kana and kana * 10 >= total:
        return "ja"
    return "zh"


def unsupported(text: str) -> list[str]:
    """The scripts of a text briefing cannot set, by name, in order of appearance."""
    if _LATIN_ONLY.fullmatch(text):
        return []
    seen: dict[str, None] = {}
    for char in text:
        script = script_of(char)
        if script not in SUPPORTED and script != UNKNOWN:
            seen.setdefault(script_name(script))
    return list(seen)
