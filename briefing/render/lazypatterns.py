"""reportlab's paragraph module, imported with its slowest pattern compiled on first use.

``reportlab.platypus.paragraph`` compiles at import a URL validator (``uri_pat``) that is
case-insensitive over the whole Basic Multilingual Plane (``[a-z\\xa1-\\uffff]`` with
``re.I``): Python's ``re`` folds the case of every character of that range, which costs a
cold build about 40 ms, a tenth of it. reportlab uses it only to split long URLs in its own
line breaker. Imported through this module (first thing in ``briefing.render``), such a pattern
is compiled the first time it is used; every other pattern is compiled as usual, and
``re.compile`` is reportlab's own again once the import is done.
"""

from __future__ import annotations

import re
import sys
from typing import Any

#: The module whose import is patched.
MODULE = "reportlab.platypus.paragraph"


class LazyPattern:
    """A compiled pattern made the first time one of its methods is asked for."""

    __slots__ = ("_compiled", "flags_given", "source")

    def __init__(self, source: str, flags: int) -> None:
        self.source = source
        self.flags_given = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.source, self.flags_given)
        return getattr(compiled, name)


def _slow(pattern: object, flags: int) -> bool:
    """A case-insensitive pattern over the whole BMP: slow to compile."""
    return isinstance(pattern, str) and bool(flags & re.IGNORECASE) and "\xa1-\uffff" in pattern


def import_paragraph_module() -> None:
    """Import reportlab's paragraph module (once) with its slow patterns made lazy."""
    if MODULE in sys.modules:
        return
    original = re.compile

    def compile_lazily(pattern: Any, flags: int = 0) -> Any:
        if _slow(pattern, flags):
            return LazyPattern(pattern, flags)
        return original(pattern, flags)

    re.compile = compile_lazily
    try:
        __import__(MODULE)
    finally:
        re.compile = original


import_paragraph_module()
