"""Teach reportlab's line breaker that U+202F (narrow no-break space) does not break.

reportlab lists U+202F among its breakable spaces (``compat.breakable_spaces``) and splits words with
``str.split``, which also breaks there; U+00A0, the only no-break space it honours, is stretched
like a word space in justified lines. French typography needs a *thin* space that never breaks
(``Sora ?``, ``« mot »``), so this module removes U+202F from the breakable set and protects it
from ``str.split``. The glyph drawn is the font's own narrow no-break space, and text extraction
gives U+202F back. ``tests/render/test_linebreak.py`` guards the patch against reportlab changes.
"""

from __future__ import annotations

from typing import Any

from briefing.pdf.compat import breakable_spaces, set_breakable_spaces, set_word_split, word_split

NARROW_NBSP = "\u202f"
#: The spaces a line may break at: reportlab's own set, without U+202F.
BREAKABLE_SPACES = breakable_spaces().replace(NARROW_NBSP, "")
_PLACEHOLDER = "\ue000"  # a private-use character that no whitespace rule knows
_installed = False


def install() -> None:
    """Patch reportlab's paragraph module once per process."""
    global _installed
    if _installed:
        return
    set_breakable_spaces(breakable_spaces().replace(NARROW_NBSP, ""))
    original = word_split()

    def split(text: Any, delim: Any = None) -> list[str]:
        if isinstance(text, str) and NARROW_NBSP in text:
            words: list[str] = original(text.replace(NARROW_NBSP, _PLACEHOLDER), delim)
            return [w.replace(_PLACEHOLDER, NARROW_NBSP) for w in words]
        result: list[str] = original(text, delim)
        return result

    set_word_split(split)
    _installed = True
