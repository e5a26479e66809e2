"""Optional dependencies, imported only when a document needs them.

``briefing[scripts]`` brings HarfBuzz (``uharfbuzz``), the Unicode bidirectional algorithm
(``python-bidi``) and a language detector (``py3langid``): Arabic, Persian, Urdu, Hebrew and
Devanagari need them; Latin, Greek, Cyrillic and CJK text never imports them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from briefing.errors import MissingExtraError

#: The extra each optional module comes with, and its package name.
EXTRAS: dict[str, tuple[str, str]] = {
    "uharfbuzz": ("scripts", "uharfbuzz"),
    "bidi": ("scripts", "python-bidi"),
    "py3langid": ("scripts", "py3langid"),
    "distributed": ("cluster", "dask[distributed]"),
}


def require(module: str, purpose: str) -> ModuleType:
    """Import an optional module, or fail with one line naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra, package = EXTRAS[module]
        raise MissingExtraError(
            f"{purpose} needs {package}, which is not installed: "
            f"pip install 'briefing[{extra}]'"
        ) from None
