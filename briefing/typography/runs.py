"""A text's runs by script and by font: where a paragraph changes script (and so, often, font
and direction).

``script_runs(text)``: maximal runs of one script, characters common to all scripts and
combining marks taking the script of the run they are in (UAX #24's way, as HarfBuzz's itemiser
does); ``font_runs(text, chain)`` splits them further by the first font of a ``FontChain`` that
has each character: the script's own fonts, then the body font, then the fallback fonts. A
Latin word, a number or an address inside Arabic thus goes to the body font (the Arabic font
has no Latin letters; the Hebrew one not even digits), the Arabic to the Arabic font, an emoji
to the emoji font; a cluster (a base and its marks, joiners and variation selectors) is never
split between fonts.

Pure (no reportlab, no font files): fonts are described by their name and the set of characters
they have, which ``briefing.render.fonts.RegisteredFont`` provides.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from briefing.typography.scripts import COMMON, INHERITED, UNKNOWN, script_of


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
