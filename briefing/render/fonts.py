"""A theme's fonts: the reportlab names of its faces by role and weight, the weight of emphasis,
and the fallback chain for characters the main face lacks.

Declaring, loading and naming the font files is the PDF back end's (``pdf/fonts.py``): a
theme's dozen faces are declared at once and parsed only when first used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefing.pdf.fonts import (
    RegisteredFont,
    declare_family,
    declare_font,
    font_name,
    register_font,
)
from briefing.theme import WEIGHTS, Theme

__all__ = ["FontSet", "RegisteredFont", "emphasis_weight", "font_name", "register_font",
           "register_theme_fonts"]


#: The weight of a style or span, from whether it is bold and whether it is italic.
_WEIGHT = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
           (True, True): "bold_italic"}


def emphasis_weight(base: str, bold: bool, italic: bool, *, code: bool = False) -> str:
    """The weight of a span set in a style of weight ``base``.

    Bold adds weight (bold inside bold stays the family's bold). Italic inside italic text is
    set upright, as typographers set emphasis in an italic passage, so that it still shows.
    Code takes the text's weight but never its slant: only an italic code span is italic.
    """
    base_bold = base in ("bold", "bold_italic")
    base_italic = base in ("italic", "bold_italic") and not code
    return _WEIGHT[(base_bold or bold, base_italic != italic)]


@dataclass(frozen=True, slots=True)
class FontSet:
    """The reportlab font names of a theme, by role and weight, and its fallback chain."""

    files: dict[str, dict[str, Path]]  # role -> weight -> file
    fallback_files: tuple[Path, ...]
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> weights the
    # theme does not give (set in a near face: see ``theme.FontFamily``)
    theme_name: str = ""
    _fallback: list[RegisteredFont] = field(default_factory=list)
    #: Names and faces asked for, kept for the set's life (one layout): a file's state is
    #: read once a layout, not once a paragraph.
    _names: dict[tuple[str, str], str] = field(default_factory=dict)
    _faces: dict[tuple[str, str], RegisteredFont] = field(default_factory=dict)

    def name(self, role: str, weight: str = "regular") -> str:
        """The reportlab name of a face; it is loaded when reportlab first uses it."""
        found = self._names.get((role, weight))
        if found is None:
            found = self._names[role, weight] = font_name(self.files[role][weight])
        return found

    def face(self, role: str, weight: str = "regular") -> RegisteredFont:
        """A face, loaded now (its character set is needed)."""
        found = self._faces.get((role, weight))
        if found is None:
            found = self._faces[role, weight] = register_font(self.files[role][weight])
        return found

    @property
    def fallback(self) -> list[RegisteredFont]:
        """The fallback chain, loaded the first time a character is missing."""
        if not self._fallback and self.fallback_files:
            self._fallback.extend(register_font(p) for p in self.fallback_files)
        return self._fallback


def register_theme_fonts(theme: Theme) -> FontSet:
    """Declare every font of a theme and map each family's weights for <b> and <i>."""
    files: dict[str, dict[str, Path]] = {}
    for role, family in theme.fonts.items():
        files[role] = {w: getattr(family, w) for w in WEIGHTS}
        regular, bold, italic, bold_italic = (declare_font(files[role][w]) for w in WEIGHTS)
        # So that <b> and <i> inside a paragraph of any weight find the sibling face.
        declare_family((regular, bold, italic, bold_italic))
    for path in theme.fallback_fonts:
        declare_font(path)
    return FontSet(files, tuple(theme.fallback_fonts),
                   {role: family.missing for role, family in theme.fonts.items()}, theme.name)
