"""Which section a heading names, by its words, in several languages.

Data, not code: add a language by adding words. Matching ignores case and accents, and
looks for whole words or phrases inside the heading.
"""

from __future__ import annotations

import re
import unicodedata

from briefing.model import Block, FaqEntry, Section, SectionKind

#: Checked in this order: FAQ before the others (an FAQ heading often says "questions").
HEADING_WORDS: tuple[tuple[SectionKind, tuple[str, ...]], ...] = (
    (
        SectionKind.FAQ,
        (
            "faq", "questions frequentes", "foire aux questions", "questions reponses",
            "questions et reponses", "frequently asked questions", "questions and answers",
            "q&a", "haufige fragen", "haufig gestellte fragen", "preguntas frecuentes",
            "domande frequenti",
        ),
    ),
    (
        SectionKind.CONCLUSION,
        (
            "conclusion", "conclusions", "en resume", "en bref", "pour conclure", "a retenir",
            "summary", "in summary", "to conclude", "key takeaways", "takeaways", "fazit",
            "zusammenfassung", "conclusiones", "en resumen", "conclusione",
            "conclusioni", "in sintesi", "in conclusione",
        ),
    ),
    (
        SectionKind.ADVICE,
        (
            "avis", "conseil", "conseils", "recommandation", "recommandations", "que faire",
            "nos conseils", "advice", "what to do", "recommendation", "recommendations", "tips",
            "what you can do", "ratschlage", "empfehlungen", "empfehlung", "was tun", "consejos",
            "recomendaciones", "que hacer", "consigli", "raccomandazioni", "cosa fare",
        ),
    ),
)


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation turned into spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w&]+", " ", bare).split())


_PATTERNS = tuple(
    (kind, re.compile(r"\b(?:" + "|".join(re.escape(fold(w)) for w in words) + r")\b"))
    for kind, words in HEADING_WORDS
)


def section_kind(heading: str) -> SectionKind | None:
    """The kind of section a heading names, or None for an ordinary article sub-section."""
    folded = fold(heading)
    for kind, pattern in _PATTERNS:
        if pattern.search(folded):
            return kind
    return None


class SectionCollector:
    """Collects sections in source order while a reader walks its source."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.kind = SectionKind.ARTICLE
        self.heading: str | None = None
        self.blocks: list[Block] = []
        self.entries: list[FaqEntry] = []

    def open(self, kind: SectionKind, heading: str | None) -> None:
        """Start a new section (the current one is kept if it holds anything)."""
        self.close()
        self.kind, self.heading = kind, heading

    def close(self) -> None:
        if self.blocks or self.entries or self.heading:
            self.sections.append(
                Section(self.kind, self.heading, tuple(self.blocks), tuple(self.entries))
            )
        self.blocks, self.entries, self.heading = [], [], None

    def ask(self, question: str, answer: tuple[Block, ...] = ()) -> None:
        """An FAQ entry."""
        self.entries.append(FaqEntry(question, answer))

    def append(self, block: Block) -> None:
        """A block: it continues the last FAQ answer, if there is one, else the section."""
        if self.entries:
            last = self.entries[-1]
            self.entries[-1] = FaqEntry(last.question, (*last.answer, block))
        else:
            self.blocks.append(block)
