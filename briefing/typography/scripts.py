"""Writing systems: which scripts a text is written in, and its runs by script and by font.

- ``script_of(char)``: the Unicode Script property (ISO 15924 code: ``Latn``, ``Arab``,
  ``Hebr``, ``Deva``, ``Hani``, ``Hira``, ``Kana``, ``Hang``; ``Zyyy`` for characters common to
  all scripts, such as digits, spaces and punctuation; ``Zinh`` for marks that take the script of
  their base), from a range table generated from the Unicode Character Database
  (``script_table``), so no dependency is needed at run time.
- ``script_counts(texts)``: the letters of each script in a document; ``main_script`` the one
  most letters are in. Text that is all Latin (the common case) is recognised by one regular
  expression, without looking at each character.
- ``script_runs(text)``: maximal runs of one script, characters common to all scripts and
  combining marks taking the script of the run they are in (UAX #24's way, as HarfBuzz's
  itemiser does); ``font_runs(text, chain)`` splits them further by the first font of a
  ``FontChain`` that has each character: the script's own fonts, then the body font, then the
  fallback fonts. A Latin word, a number or an address inside Arabic thus goes to the body font
  (the Arabic font has no Latin letters; the Hebrew one not even digits), the Arabic to the
  Arabic font, an emoji to the emoji font; a cluster (a base and its marks, joiners and
  variation selectors) is never split between fonts.
- What each script needs: its direction (``is_rtl``), whether its glyphs must be shaped
  (``needs_shaping``), and whether briefing can set it at all (``SUPPORTED``); ``unsupported``
  names the others, for a one-line refusal.

The module is pure (no reportlab, no font files): fonts are described by their name and the set
of characters they have, which ``briefing.render.fonts.RegisteredFont`` provides.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from briefing.typography import script_table

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
_STARTS = script_table.STARTS
_SCRIPTS = script_table.SCRIPTS
_CODES = script_table.CODES


def script_of(char: str) -> str:
    """The ISO 15924 code of a character's Unicode Script property."""
    return _CODES[_SCRIPTS[bisect_right(_STARTS, ord(char)) - 1]]


def script_name(code: str) -> str:
    """A script's name in English ("Arabic", "Devanagari"; "Han" for Chinese characters)."""
    return script_table.NAMES.get(code, code)


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
            letters = sum(1 for c in text if c.isalpha())
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


# --- runs -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScriptRun:
    """``text[start:end]`` is in one script (common characters resolved)."""

    start: int
    end: int
    script: str


def _clings(char: str) -> bool:
    """Whether a character belongs with the one before it, whatever its script: combining
    marks, joiners, variation selectors, emoji modifiers and tags."""
    code = ord(char)
    return (unicodedata.category(char) in ("Mn", "Me", "Mc")
            or code in (0x200C, 0x200D, 0x034F)
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
            or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F)


def _resolved_scripts(text: str) -> list[str]:
    """Each character's script, with common characters and marks taking the script of the run
    they are in (the one before; at the start, the first real script after)."""
    scripts = [script_of(c) for c in text]
    current: str | None = None
    for i, script in enumerate(scripts):
        if script in (COMMON, INHERITED, UNKNOWN):
            if current is not None:
                scripts[i] = current
        else:
            current = script
    first = next((s for s in scripts if s not in (COMMON, INHERITED, UNKNOWN)), COMMON)
    for i, script in enumerate(scripts):
        if script not in (COMMON, INHERITED, UNKNOWN):
            break
        scripts[i] = first
    return scripts


def script_runs(text: str) -> list[ScriptRun]:
    """The maximal runs of one script in a text, common characters resolved."""
    runs: list[ScriptRun] = []
    if not text:
        return runs
    scripts = _resolved_scripts(text)
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or scripts[i] != scripts[start]:
            runs.append(ScriptRun(start, i, scripts[start]))
            start = i
    return runs


class Face(Protocol):
    """A font as the run splitter sees it: its name and the characters it has."""

    @property
    def name(self) -> str: ...

    @property
    def charset(self) -> Container[int]: ...


@dataclass(frozen=True, slots=True)
class FontChain:
    """Which fonts may set a character: the fonts of its script (``scripts``, by ISO 15924
    code: a theme's per-script fonts), then the body font, then the fallback chain."""

    body: Face
    scripts: Mapping[str, Sequence[Face]] = field(default_factory=dict)
    fallback: Sequence[Face] = ()

    def candidates(self, script: str) -> list[Face]:
        return [*self.scripts.get(script, ()), self.body, *self.fallback]


@dataclass(frozen=True, slots=True)
class FontRun:
    """``text[start:end]``: one script, one font (``font`` None: no font has these)."""

    start: int
    end: int
    script: str
    font: str | None


def _ignorable(char: str) -> bool:
    code = ord(char)
    return (code in (0x00AD, 0x034F, 0x061C, 0x180E, 0xFEFF) or 0x200B <= code <= 0x200F
            or 0x202A <= code <= 0x202E or 0x2060 <= code <= 0x206F
            or 0xFE00 <= code <= 0xFE0F or 0xE0000 <= code <= 0xE0FFF)


def font_runs(text: str, chain: FontChain) -> list[FontRun]:
    """The runs of a text by script and by the first font of the chain that has each character.

    A character that clings to the one before it (a mark, a joiner, a variation selector, an
    emoji modifier) stays in that character's run when its font has it or when it is invisible
    (a joiner, a selector: nothing to draw); a space or punctuation stays in the run's font
    when that font has it. Characters no font has get a run with ``font=None``.
    """
    out: list[FontRun] = []
    if not text:
        return out
    scripts = _resolved_scripts(text)
    fonts: list[str | None] = []
    for i, char in enumerate(text):
        code = ord(char)
        previous = fonts[-1] if fonts else None
        if i and previous is not None and _clings(char):
            face = _face_named(chain, scripts[i - 1], previous)
            if face is not None and (code in face.charset or _ignorable(char)):
                fonts.append(previous)
                continue
        candidates = chain.candidates(scripts[i])
        if previous is not None and script_of(char) in (COMMON, INHERITED):
            # Punctuation and spaces keep the run's font when it has them.
            face = _face_named(chain, scripts[i], previous)
            if face is not None and code in face.charset:
                fonts.append(previous)
                continue
        fonts.append(next((f.name for f in candidates if code in f.charset), None))
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or fonts[i] != fonts[start] or scripts[i] != scripts[start]:
            out.append(FontRun(start, i, scripts[start], fonts[start]))
            start = i
    return out


def _face_named(chain: FontChain, script: str, name: str) -> Face | None:
    for face in chain.candidates(script):
        if face.name == name:
            return face
    for faces in chain.scripts.values():
        for face in faces:
            if face.name == name:
                return face
    return None
