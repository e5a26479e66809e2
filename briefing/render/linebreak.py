"""Teach reportlab's line breaker that U+202F (narrow no-break space) does not break.

reportlab lists U+202F among its breakable spaces (``paragraph._wsc``) and splits words with
``str.split``, which also breaks there; U+00A0, the only no-break space it honours, is stretched
like a word space in justified lines. French typography needs a *thin* space that never breaks
(``Sora ?``, ``« mot »``), so this module removes U+202F from the breakable set and protects it
from ``str.split``. The glyph drawn is the font's own narrow no-break space, and text extraction
gives U+202F back. ``tests/render/test_linebreak.py`` guards the patch against reportlab changes.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.platypus import paragraph

NARROW_NBSP = "\u202f"
#: The spaces a line may break at: reportlab's own set, without U+202F.
BREAKABLE_SPACES = paragraph._wsc.replace(NARROW_NBSP, "")
_PLACEHOLDER = "\ue000"  # a private-use character that no whitespace rule knows
_installed = False


def install() -> None:
    """Patch reportlab's paragraph module once per process."""
    global _installed
    if _installed:
        return
    wsc = paragraph._wsc.replace(NARROW_NBSP, "")
    paragraph._wsc = wsc
    paragraph._wsc_re_split = re.compile(f"[{re.escape(wsc)}]+").split
    paragraph._wsc_end_search = re.compile(f"[{re.escape(wsc)}]+$").search
    original = paragraph.split

    def split(text: Any, delim: Any = None) -> list[str]:
        if isinstance(text, str) and NARROW_NBSP in text:
            words: list[str] = original(text.replace(NARROW_NBSP, _PLACEHOLDER), delim)
            return [w.replace(_PLACEHOLDER, NARROW_NBSP) for w in words]
        result: list[str] = original(text, delim)
        return result

    paragraph.split = split
    _installed = True
