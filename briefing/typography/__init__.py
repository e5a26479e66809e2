"""Typography: the language's conventions applied to the model's text.

``typeset`` settles the document's language (given, or detected) and returns the briefing with
its text set the language's way (see ``rules`` for what changes). It touches every text a
reader sees (title, subtitle, lead, headings, paragraphs, list items, quotes, table cells, image
descriptions, FAQ questions and answers, footnotes) and never code spans, code blocks, footnote
references, image paths or link targets. The renderer then only draws what it is given.
"""

from __future__ import annotations

from functools import partial

import msgspec

from briefing.model import Briefing, map_texts, texts
from briefing.typography.dates import format_date
from briefing.typography.detect import detect_language
from briefing.typography.languages import Language, language
from briefing.typography.rules import typeset_spans, typeset_text

__all__ = [
    "Language",
    "detect_language",
    "format_date",
    "language",
    "typeset",
    "typeset_spans",
    "typeset_text",
]


def typeset(briefing: Briefing) -> Briefing:
    """The briefing with its language settled (given, or detected from its prose: code does
    not vote) and its text set by that language's rules."""
    code = briefing.meta.lang or detect_language(texts(briefing, verbatim=False))
    lang = language(code)
    briefing = msgspec.structs.replace(briefing, meta=msgspec.structs.replace(briefing.meta,
                                                                              lang=code))
    return map_texts(briefing, text=partial(typeset_text, lang=lang),
                     spans=partial(typeset_spans, lang=lang))
