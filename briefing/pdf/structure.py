"""The structure tree of a tagged PDF (PDF/UA-1), written into reportlab's document.

While the story is drawn, ``render/tagging.py`` marks content on the canvas and records, for
every structure element, the pieces that belong to it: marked-content sequences (``MC``) and
link annotations (``Annot``), in reading order. Here, before reportlab writes the file, that
record becomes the StructTreeRoot with its ParentTree, as reportlab objects written with the
rest (re-parsing and re-writing the PDF with pikepdf doubled the cost of tagging).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol, TypeVar

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFString,
    PDFtrue,
)

from briefing.pdf.compat import allow_keys


class MC(NamedTuple):
    """A marked-content sequence: page index and MCID."""

    page: int
    mcid: int


class Annot(NamedTuple):
    """A link annotation: page index and position in the page's /Annots."""

    page: int
    slot: int  # position in the page's /Annots


class Element(Hashable, Protocol):
    """A structure element as the renderer builds it (``render.structure.StructNode``)."""

    @property
    def role(self) -> str: ...  # the PDF structure type: H1, P, L, Link...
    @property
    def parent(self) -> object | None: ...
    @property
    def children(self) -> Sequence[Element]: ...
    @property
    def alt(self) -> str | None: ...
    @property
    def lang(self) -> str | None: ...
    @property
    def text(self) -> str: ...
    @property
    def href(self) -> str | None: ...
    @property
    def numbering(self) -> str | None: ...


E = TypeVar("E", bound=Element)


def annotation_dicts(doc: Any) -> list[Any]:
    """The annotation dictionaries of every page of reportlab's document."""
    out = []
    for page in doc.Pages.pages:
        for ref in getattr(page, "Annots", None) or ():
            annot = doc.idToObject.get(getattr(ref, "name", None))
            if annot is not None:
                out.append(annot)
    return out


def write_structure(doc: Any, pages: list[Any], root: E,
                    content: Mapping[E, Sequence[MC | Annot | E]],
                    owners: Sequence[Sequence[E]]) -> list[str]:
    """Write the structure tree of ``root``; the broken invariants found on the way.

    ``content`` gives each element's drawn pieces (marked content, link annotations, inline
    child elements) in reading order, ``owners`` the element of each MCID, page by page.
    """
    page_refs = [doc.Reference(page) for page in pages]
    owner: dict[E, Any] = {}  # node -> reference of its StructElem
    annot_owner: list[tuple[Any, Any]] = []  # (annotation dictionary, Link elem reference)
    notes = 0

    def build(node: E, parent: Any) -> Any | None:
        nonlocal notes
        ref = _Deferred()  # registered only if the element has content (keeps numbers dense)
        kids: list[Any] = []  # parts of the /K array
        first_page: int | None = None
        for child in node.children:
            built = build(child, ref)  # type: ignore[arg-type]  # children are Es too
            if built is not None:
                kids += [built, b" "]
        for kid in content.get(node, ()):
            if isinstance(kid, MC):
                if first_page is None:
                    first_page = kid.page
                if kid.page == first_page:
                    kids.append(b"%d " % kid.mcid)
                else:
                    kids += [b"<< /Type /MCR /Pg ", page_refs[kid.page],
                             b" /MCID %d >> " % kid.mcid]
            elif isinstance(kid, Annot):
                annot_ref = pages[kid.page].Annots[kid.slot]
                annot = doc.idToObject[annot_ref.name]
                kids += [b"<< /Type /OBJR /Pg ", page_refs[kid.page], b" /Obj ", annot_ref, b" >> "]
                annot_owner.append((annot, ref))
                annot.dict["Contents"] = PDFString(_link_contents(node))
            else:
                built = build(kid, ref)
                if built is not None:
                    kids += [built, b" "]
        # An element with nothing drawn is left out, except a table cell: rows keep their shape.
        if not kids and node.parent is not None and node.role not in ("TD", "TH"):
            return None
        role = node.role
        parts: list[Any] = [b"<< /Type /StructElem /S /" + role.encode("ascii") + b" /P ", parent]
        if first_page is not None:
            parts += [b" /Pg ", page_refs[first_page]]
        parts += [b" /K [", *kids, b"]"]
        if node.alt:
            parts += [b" /Alt ", PDFString(node.alt)]
        if node.lang:
            parts += [b" /Lang ", PDFString(node.lang)]
        if role == "L":
            parts.append(b" /A << /O /List /ListNumbering /"
                         + (node.numbering or "Disc").encode("ascii") + b" >>")
        elif role == "TH":
            parts.append(b" /A << /O /Table /Scope /Column >>")
        elif role == "Note":
            notes += 1
            parts += [b" /ID ", PDFString(f"note-{notes}")]
        parts.append(b" >>")
        ref.name = doc.Reference(_Raw(parts)).name
        owner[node] = ref
        return ref

    tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    tree_ref = doc.Reference(tree_root)
    document = build(root, tree_ref)
    assert document is not None
    nums: list[Any] = []
    strays: dict[str, int] = {}  # marked content whose element the tree does not reach
    for i, page in enumerate(pages):
        allow_keys(page, "StructParents", "Tabs")
        page.StructParents = i
        page.Tabs = PDFName("S")
        page_owners = owners[i] if i < len(owners) else []  # furniture-only pages: none
        array: list[Any] = [b"["]
        for n in page_owners:
            ref = owner.get(n)
            if ref is None:
                strays[n.role] = strays.get(n.role, 0) + 1
                array.append(b"null ")
            else:
                array += [ref, b" "]
        nums += [i, doc.Reference(_Raw([*array, b"]"]))]
    key = len(pages)
    for annot, elem in annot_owner:
        annot.dict["StructParent"] = key
        annot.dict["F"] = 4  # print: PDF/A wants annotations printable
        nums += [key, elem]
        key += 1
    tree_root.dict["K"] = PDFArray([document])
    tree_root.dict["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
    tree_root.dict["ParentTreeNextKey"] = key
    doc.Catalog.StructTreeRoot = tree_ref
    doc.Catalog.MarkInfo = PDFDictionary({"Marked": PDFtrue})
    problems = [f"{count} marked-content sequence{'s' if count > 1 else ''} of {role} "
                "elements not in the structure tree" for role, count in sorted(strays.items())]
    links = sum(1 for annot in annotation_dicts(doc)
                if str(annot.dict.get("Subtype", "")) in ("/Link", "Link"))
    if len(annot_owner) != links:
        problems.append(f"{links - len(annot_owner)} link annotation(s) without a Link element")
    return problems


class _Raw(PDFObject):  # type: ignore[misc]
    """An object written from ready bytes and references: the structure tree has hundreds of
    small dictionaries, and reportlab's generic formatting of each key cost more than the
    rest of tagging."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts

    def format(self, document: Any) -> bytes:
        return b"".join(p if isinstance(p, bytes) else p.format(document) for p in self.parts)


class _Deferred(PDFObjectReference):  # type: ignore[misc]
    """A reference whose object number is known only once its element is complete.

    Children point to their parent (/P) before the parent is registered; the name is set
    when it is, and reportlab formats references only when the file is written.
    """

    def __init__(self) -> None:
        self.name = ""


def _link_contents(node: Element) -> str:
    href = node.href or ""
    text = node.text.strip()
    if text and text != href:
        return f"{text} ({href})" if href else text
    return f"Link: {href}"
