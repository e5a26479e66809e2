"""Checks of a tagged PDF that the tests share: marked content, structure tree, its text."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pikepdf
import pytest

#: Operators that paint (text showing, path painting, shading, XObjects, inline images).
PAINTING = {"Tj", "TJ", "'", '"', "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do",
            "INLINE IMAGE", "BI"}


@dataclass
class MarkedContent:
    """What the content streams hold: MCIDs per page (with whether they paint)."""

    mcids: list[set[int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def walk_content(pdf: pikepdf.Pdf) -> MarkedContent:
    """Walk every page's content stream and report painting outside tagged content."""
    result = MarkedContent()
    for number, page in enumerate(pdf.pages, 1):
        owners = parent_tree_array(pdf, page)
        seen: set[int] = set()
        stack: list[tuple[str, int | None]] = []  # (tag, mcid) of open marked content
        bt_depth: int | None = None
        for instruction in pikepdf.parse_content_stream(page):
            op = str(instruction.operator)
            if op in ("BDC", "BMC"):
                tag = str(instruction.operands[0])
                mcid = None
                if op == "BDC":
                    props = instruction.operands[1]
                    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                        mcid = int(props.MCID)
                inside_mcid = any(m is not None for _, m in stack)
                inside_artifact = any(t == "/Artifact" for t, _ in stack)
                if mcid is not None and (inside_mcid or inside_artifact):
                    result.problems.append(f"page {number}: MCID {mcid} nested in marked content")
                if tag == "/Artifact" and inside_mcid:
                    result.problems.append(f"page {number}: artifact inside tagged content")
                if mcid is not None:
                    if mcid in seen:
                        result.problems.append(f"page {number}: MCID {mcid} used twice")
                    seen.add(mcid)
                    if mcid >= len(owners) or owners[mcid] is None:
                        result.problems.append(f"page {number}: MCID {mcid} not in the ParentTree")
                stack.append((tag, mcid))
            elif op == "EMC":
                if not stack:
                    result.problems.append(f"page {number}: EMC without BDC/BMC")
                else:
                    stack.pop()
                if bt_depth is not None and len(stack) < bt_depth:
                    result.problems.append(f"page {number}: EMC crosses BT/ET")
            elif op == "BT":
                bt_depth = len(stack)
            elif op == "ET":
                if bt_depth is not None and len(stack) != bt_depth:
                    result.problems.append(f"page {number}: marked content crosses BT/ET")
                bt_depth = None
            elif op in PAINTING:
                tagged = any(m is not None for _, m in stack)
                artifact = any(t == "/Artifact" for t, _ in stack)
                if not (tagged or artifact):
                    result.problems.append(f"page {number}: {op} outside marked content")
        if stack:
            result.problems.append(f"page {number}: unclosed marked content")
        result.mcids.append(seen)
    return result


def parent_tree_array(pdf: pikepdf.Pdf, page: pikepdf.Page) -> list[pikepdf.Object | None]:
    """The ParentTree entry of a page: the element owning each MCID."""
    if "/StructParents" not in page.obj:
        return []
    key = int(page.obj.StructParents)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for i in range(0, len(nums), 2):
        if int(nums[i]) == key:
            return list(nums[i + 1])
    return []


def tree_mcids(pdf: pikepdf.Pdf) -> Iterator[tuple[int, int]]:
    """Every (page index, MCID) the structure tree refers to."""
    page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

    def walk(elem: pikepdf.Object, page: int | None) -> Iterator[tuple[int, int]]:
        if "/Pg" in elem:
            page = page_index[elem.Pg.objgen]
        kids = elem.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                assert page is not None, "MCID without a page"
                yield page, int(kid)
            elif isinstance(kid, pikepdf.Dictionary):
                kind = kid.get("/Type")
                if kind == "/MCR":
                    yield page_index[kid.Pg.objgen], int(kid.MCID)
                elif kind == "/OBJR":
                    continue
                else:
                    yield from walk(kid, page)

    yield from walk(pdf.Root.StructTreeRoot, None)


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element, in tree order."""

    def walk(elem: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
        kids = elem.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else ([kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                yield kid
                yield from walk(kid)

    yield from walk(pdf.Root.StructTreeRoot)


def check_tagged(data: bytes) -> pikepdf.Pdf:
    """Assert the marked-content invariants; return the open PDF for more checks."""
    pdf = pikepdf.open(io.BytesIO(data))
    assert pdf.Root.MarkInfo.Marked is True
    content = walk_content(pdf)
    assert not content.problems, "\n".join(content.problems[:20])
    for page_index, mcid in tree_mcids(pdf):
        assert mcid in content.mcids[page_index], f"tree refers to missing MCID {mcid} on page {page_index + 1}"
    for page in pdf.pages:
        assert "/StructParents" in page.obj
        assert page.obj.Tabs == "/S"
    return pdf


# --- the text of the structure tree ---------------------------------------------------

_QUOTED = re.compile(r'^(\s*)"(.*)"\s*$')
_ELEMENT = re.compile(r"^(\s*)(\w+)")


def struct_text(path: str, skip: Iterable[str] = ("Lbl",)) -> str:
    """The text of the structure tree in tree order, as poppler reads it (minus list labels)."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        pytest.skip("poppler's pdfinfo is not installed (scripts/install-test-tools)")
    out = subprocess.run([pdfinfo, "-struct-text", path], capture_output=True, text=True,
                         check=True).stdout
    texts: list[str] = []
    skipping: int | None = None  # indentation of a skipped element
    for line in out.splitlines():
        quoted = _QUOTED.match(line)
        indent = len(line) - len(line.lstrip())
        if skipping is not None and indent <= skipping:
            skipping = None
        if quoted:
            if skipping is None:
                texts.append(quoted.group(2))
            continue
        if "(inline)" not in line and not line.lstrip().startswith("Object "):
            texts.append(" ")  # a new block: pieces of one element and inline ones join as they are
        element = _ELEMENT.match(line)
        if element and element.group(2) in skip and skipping is None:
            skipping = indent
    return "".join(texts)


def words(text: str) -> list[str]:
    """Words for comparison: soft hyphens and no-break spaces are not differences."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return text.replace("\u00a0", " ").replace("\u202f", " ").split()
