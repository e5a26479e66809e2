"""The document's logical structure, built in story order while the story is made.

Each content flowable carries the ``StructNode`` it belongs to (``flowable.struct``), so
reading order is story order; whatever is drawn outside a node is page furniture (an
artifact). The tagging layer records what is drawn for each node (``tagging.py``) and the PDF
back end turns them into the structure tree (``pdf/structure.py``).

One table, ``ROLES``, maps what a block *is* to its style role in the theme and its PDF
structure type; the story builder asks it and never spells either out itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Role(NamedTuple):
    """Where a kind of block goes: its theme style and its PDF structure type."""

    style: str | None
    struct: str


#: What each kind of block is, to the theme and to a screen reader.
ROLES: dict[str, Role] = {
    "document": Role(None, "Document"),
    "title": Role("title", "H1"),
    "subtitle": Role("subtitle", "P"),
    "lead": Role("lead", "P"),
    "section": Role(None, "Sect"),
    "section_heading": Role("h2", "H2"),
    "advice": Role(None, "Sect"),
    "advice_heading": Role("advice_heading", "H2"),
    "advice_paragraph": Role("advice_body", "P"),
    "paragraph": Role("body", "P"),
    "subheading": Role("h3", "H3"),
    "list": Role(None, "L"),
    "list_item": Role(None, "LI"),
    "list_label": Role(None, "Lbl"),
    "list_body": Role(None, "LBody"),
    "quote": Role("quote", "BlockQuote"),
    "quote_paragraph": Role("quote", "P"),
    "code": Role("code", "Code"),
    "figure": Role("caption", "Figure"),
    "figure_caption": Role("caption", "P"),
    "table": Role("table", "Table"),
    "table_row": Role(None, "TR"),
    "table_header_cell": Role("table_header", "TH"),
    "table_cell": Role("table", "TD"),
    "faq": Role(None, "Sect"),
    "faq_question": Role("faq_question", "H3"),
    "faq_answer": Role("faq_answer", "P"),
    "notes": Role(None, "Sect"),
    "notes_heading": Role("caption", "H2"),
    "note": Role(None, "Note"),
    "note_paragraph": Role("footnote", "P"),
    "notice": Role("notice", "P"),
    # Inline elements, created while paragraphs are drawn (see tagging.py).
    "link": Role(None, "Link"),
    "span": Role(None, "Span"),
}


@dataclass(eq=False)
class StructNode:
    """A structure element: its PDF type, its place in the tree, what a reader needs."""

    kind: str  # key of ROLES
    parent: StructNode | None = None
    alt: str | None = None  # figures: the text a screen reader says
    lang: str | None = None  # when it differs from the document's
    text: str = ""  # plain text of the element, for checks and outlines
    href: str | None = None  # links: the target
    numbering: str | None = None  # lists: the PDF /ListNumbering (Disc, Decimal...)
    children: list[StructNode] = field(default_factory=list)

    @property
    def role(self) -> str:
        return ROLES[self.kind].struct

    def add(self, kind: str, *, alt: str | None = None, lang: str | None = None,
            text: str = "") -> StructNode:
        """A new child element, appended in reading order."""
        node = StructNode(kind, self, alt=alt, lang=lang, text=text)
        self.children.append(node)
        return node

    def walk(self) -> list[StructNode]:
        """This node and its descendants, in reading order."""
        out = [self]
        for child in self.children:
            out += child.walk()
        return out
