"""``{{ … }}`` expressions kept out of a markup parser's reach, and given back afterwards.

A Markdown parser would read an expression's ``*``, ``_``, ``|`` or ``[`` as markup
(``{{ a * b }}`` as emphasis, ``{{ x | number }}`` as a table cell). ``hide`` swaps each
expression that opens and closes on one line for a placeholder: ``U+E000``, the expression's
characters each moved to Unicode's private use plane 15 (letters to any parser, never
punctuation or space), ``U+E001``. ``reveal`` turns placeholders back into the expressions
as written, wherever the parser put them (a paragraph, a heading, a table cell, a code span,
a link target). A placeholder is self-contained, so no list of expressions travels beside
the model. An expression holding a character beyond the Basic Multilingual Plane, or a
placeholder's own marks, is left as it is.

Pure Python, no dependency: the readers use it for every Markdown source.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

OPEN, CLOSE = "\ue000", "\ue001"
_SHIFT = 0xF0000
#: An expression that opens and closes on one line.
EXPRESSION = re.compile(r"\{\{[^\n]*?\}\}")
_PLACEHOLDER = re.compile(f"{OPEN}([\U000f0000-\U000fffff]*){CLOSE}")


def _hidden(match: re.Match[str]) -> str:
    text = match.group(0)
    if any(ord(c) > 0xFFFD or c in (OPEN, CLOSE) for c in text):
        return text
    return OPEN + "".join(chr(_SHIFT + ord(c)) for c in text) + CLOSE


def hide(text: str) -> str:
    """``text`` with each one-line ``{{ … }}`` swapped for a placeholder."""
    return EXPRESSION.sub(_hidden, text) if "{{" in text else text


def reveal(text: str) -> str:
    """``text`` with each placeholder turned back into the expression as written."""
    if OPEN not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: "".join(chr(ord(c) - _SHIFT) for c in m.group(1)), text)


_URL_SAFE = ";/?:@&=+$,-_.!~*'()#"
_ENCODED = re.compile(r"%EE%80%80((?:%[0-9A-Fa-f]{2})*?)%EE%80%81", re.IGNORECASE)


def reveal_link(target: str) -> str:
    """A link target with each placeholder turned back into the expression as written, also
    when the parser percent-encoded it (as Markdown link destinations are)."""
    if "%" in target:  # encoded again as the parser encodes link destinations
        target = _ENCODED.sub(lambda m: quote(reveal(unquote(m.group(0))), safe=_URL_SAFE),
                              target)
    return reveal(target)


def has_hidden(text: str) -> bool:
    """Whether ``text`` holds a placeholder."""
    return OPEN in text
