"""Reading a tagged PDF's lines as a reader gets them, to check how the text was broken.

Each character comes from pdfium with its position (origin, advance box, size); the marked
content it was drawn in (its MCID) leads, through the PDF's ParentTree, to the structure
element it belongs to, and up to its block (a paragraph, a heading, a table cell). Lines are
the runs of a block's characters on one baseline, in the order they were drawn.

From the lines: the word spaces' widths against their natural width, the lines that end with
a hyphen, where lines were broken.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import re
from dataclasses import dataclass, field
from functools import cache

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from briefing.typography.hyphenation import hyphenator

#: Structure types that hold lines of text.
BLOCKS = {"P", "H1", "H2", "H3", "H4", "TD", "TH", "Caption", "Code"}
#: What pdfium reports for a soft hyphen drawn at a line end, and the hyphens.
HYPHENS = ("\x02", "\u00ad", "-", "\u2010")


@dataclass
class Char:
    char: str
    x: float  # origin
    right: float  # right edge of pdfium's loose box
    size: float
    advance: float = 0.0  # to the next character's origin (the last: the loose box)


@dataclass
class Line:
    block: tuple[int, int]  # the block element (object number, generation)
    role: str
    page: int
    y: float
    chars: list[Char] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)

    @property
    def left(self) -> float:
        return self.chars[0].x

    @property
    def right(self) -> float:
        """The right edge of the line's last character that is not a space (a tagged PDF
        ends lines with a space, for reading)."""
        ink = [c.x + c.advance for c in self.chars if c.char != " "]
        return max(ink) if ink else self.chars[0].x

    def hyphenated(self) -> bool:
        text = self.text.rstrip(" ")
        return len(text) > 1 and text.endswith(HYPHENS) and text[-2].isalpha()

    def space_ratios(self) -> list[float]:
        """Each word space's drawn width over its natural width."""
        out = []
        chars = [c for c in self.chars]
        while chars and chars[-1].char == " ":
            chars.pop()
        for i, c in enumerate(chars[:-1]):
            if c.char == " " and c.right > c.x:
                out.append((chars[i + 1].x - c.x) / (c.right - c.x))
        return out

    def slack(self) -> float:
        """How much wider the word spaces are drawn than their natural width, in all."""
        total = 0.0
        chars = [c for c in self.chars]
        while chars and chars[-1].char == " ":
            chars.pop()
        for i, c in enumerate(chars[:-1]):
            if c.char == " ":
                total += (chars[i + 1].x - c.x) - (c.right - c.x)
        return total


def _block_of(elem: pikepdf.Object) -> pikepdf.Object | None:
    seen = 0
    while isinstance(elem, pikepdf.Dictionary) and seen < 50:
        if str(elem.get("/S", "")).lstrip("/") in BLOCKS:
            return elem
        elem = elem.get("/P")
        seen += 1
    return None


def read_lines(pdf: bytes) -> list[Line]:
    """The lines of every block of a tagged PDF, in drawing order (artifacts left out)."""
    owners: list[dict[int, tuple[tuple[int, int], str]]] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        tree = doc.Root.StructTreeRoot.ParentTree
        nums = tree.Nums
        table = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in doc.pages:
            owner: dict[int, tuple[tuple[int, int], str]] = {}
            key = page.obj.get("/StructParents")
            array = table.get(int(key)) if key is not None else None
            if array is not None:
                for mcid, elem in enumerate(array):
                    block = _block_of(elem)
                    if block is not None:
                        owner[mcid] = (block.objgen, str(block.S).lstrip("/"))
            owners.append(owner)
    lines: list[Line] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            x = ctypes.c_double()
            y = ctypes.c_double()
            box = pdfium_c.FS_RECTF()
            open_lines: dict[tuple[int, int], Line] = {}  # each block's last line on the page
            for i in range(text.count_chars()):
                if pdfium_c.FPDFText_IsGenerated(text, i):
                    continue
                char = chr(pdfium_c.FPDFText_GetUnicode(text, i))
                if char in "\r\n":
                    continue
                obj = pdfium_c.FPDFText_GetTextObject(text, i)
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj) if obj else -1
                found = owners[index].get(mcid)
                if found is None:
                    continue
                pdfium_c.FPDFText_GetCharOrigin(text, i, x, y)
                pdfium_c.FPDFText_GetLooseCharBox(text, i, box)
                size = pdfium_c.FPDFText_GetFontSize(text, i)
                c = Char(char, x.value, max(box.right, x.value), size)
                block, role = found
                # A line goes on after a character of another element drawn inside it (a
                # footnote reference), on its baseline or raised above it.
                current = open_lines.get(block)
                if (current is None or x.value < current.chars[-1].x - 1
                        or (abs(current.y - y.value) > 0.5 * max(size, 1)
                            and not _raised(current, y.value, size))):
                    current = open_lines[block] = Line(block, role, index, y.value)
                    lines.append(current)
                current.chars.append(c)
    finally:
        document.close()
    for line in lines:
        chars = line.chars
        for c, nxt in itertools.pairwise(chars):
            c.advance = nxt.x - c.x if c.char != " " else c.right - c.x
        if chars:
            chars[-1].advance = chars[-1].right - chars[-1].x
    return lines


def _raised(line: Line, y: float, size: float) -> bool:
    """A superscript (a footnote reference, the space after it) on the same line: higher and
    smaller than the line's text."""
    base = line.chars[0].size
    return size < 0.9 * base and 0 < y - line.y < base


def blocks(lines: list[Line]) -> dict[tuple[int, int], list[Line]]:
    out: dict[tuple[int, int], list[Line]] = {}
    for line in lines:
        out.setdefault(line.block, []).append(line)
    return out


# --- the rules ------------------------------------------------------------------------------

_WORD = re.compile(r"\S+")


@cache
def _points(lang: str) -> object:
    found = hyphenator(lang)
    return found.points if found is not None else (lambda word: ())


def _smallest_head(word: str, lang: str, hyphens_allowed: bool) -> str:
    """The shortest part of a line's first word that could end the line before it."""
    if hyphens_allowed:
        letters = re.match(r"\W*([^\W\d_]+)", word)
        if letters and len(letters.group(1)) >= 6:
            points = _points(lang)(letters.group(1))  # type: ignore[operator]
            if points:
                return word[:letters.start(1) + points[0]] + "-"
    return word


def loose_lines(lines: list[Line], lang: str, limit: float = 1.5) -> list[str]:
    """Lines whose word spaces are wider than ``limit`` times their natural width, unless
    the next line's first word (or the shortest hyphenated head of it the other rules allow)
    could not have been brought up onto the line."""
    problems = []
    for block in blocks(lines).values():
        for i, line in enumerate(block[:-1]):
            ratios = line.space_ratios()
            if not ratios or max(ratios) <= limit + 0.01:
                continue
            nxt = block[i + 1]
            first = _WORD.match(nxt.text.lstrip())
            if first is None:
                continue
            penultimate = i + 1 == len(block) - 1
            run = sum(1 for prev in block[max(0, i - 2):i] if prev.hyphenated())
            head = _smallest_head(first.group(), lang, not penultimate and run < 2)
            chars = nxt.chars[:len(head)] if not head.endswith("-") else nxt.chars[:len(head) - 1]
            width = chars[-1].right - chars[0].x if chars else 0.0
            if head.endswith("-"):
                width += 0.33 * chars[0].size
            space = next((c.right - c.x for c in line.chars if c.char == " "), 0.0)
            if width + space <= line.slack() + 0.5:
                problems.append(f"page {line.page + 1}: spaces {max(ratios):.2f}× in "
                                f"{line.text!r}, though {head!r} fitted")
    return problems


def penultimate_hyphens(lines: list[Line]) -> list[str]:
    """Blocks whose penultimate line ends with a hyphen (their last line: a word's tail)."""
    return [f"page {b[-2].page + 1}: {b[-2].text!r} / {b[-1].text!r}"
            for b in blocks(lines).values() if len(b) >= 2 and b[-2].hyphenated()]


def hyphen_runs(lines: list[Line], most: int = 2) -> list[str]:
    """Runs of more than ``most`` hyphenated line ends in a block."""
    problems = []
    for block in blocks(lines).values():
        run = 0
        for line in block:
            run = run + 1 if line.hyphenated() else 0
            if run > most:
                problems.append(f"page {line.page + 1}: {run} hyphens in a row at {line.text!r}")
    return problems


def broken_ties(lines: list[Line], tied: set[tuple[str, str]]) -> list[str]:
    """Line breaks between two words that the text ties with a no-break space, or before
    punctuation that a no-break space keeps with its word."""
    problems = []
    for block in blocks(lines).values():
        for line, nxt in itertools.pairwise(block):
            text, following = line.text.rstrip(), nxt.text.lstrip()
            if text.endswith(HYPHENS):
                continue
            last = text.split()[-1] if text.split() else ""
            first = following.split()[0] if following.split() else ""
            if (last, first) in tied or (following and following[0] in "?!;:»%") or last.endswith("«"):
                problems.append(f"page {line.page + 1}: {text!r} / {following!r}")
    return problems


_TIE = re.compile(r"(\S+)[\u00a0\u202f](?=(\S+))")


def tied_pairs(texts: list[str]) -> set[tuple[str, str]]:
    """The pairs of words a no-break space ties in some texts."""
    out: set[tuple[str, str]] = set()
    for text in texts:
        for match in _TIE.finditer(text):
            left = match.group(1).split("\u00a0")[-1].split("\u202f")[-1]
            right = match.group(2).split("\u00a0")[0].split("\u202f")[0]
            out.add((left, right))
    return out


def settable(block: list[Line], lang: str, tied: set[tuple[str, str]], limit: float = 1.5,
             shrink: float = 0.75) -> bool:
    """Whether the words of a justified block could be set on lines of its width with every
    word space between ``shrink`` and ``limit`` times its natural width, no hyphen on the
    penultimate line and at most two hyphenated line ends in a row (breaking only at word
    spaces that the text does not tie, and at the dictionary's hyphenation points).

    Widths are read from the page: each character's advance, the natural space. pdfium's
    widths differ from the breaker's by about 0.1 %: a setting counts only with a margin of
    0.3 % of the line to spare."""
    width = max(line.right - line.left for line in block)
    margin = 0.003 * width
    spaces = [c.right - c.x for line in block for c in line.chars if c.char == " "]
    if not spaces:
        return True
    space = sorted(spaces)[len(spaces) // 2]
    size = block[0].chars[0].size
    hyphen = 0.33 * size
    # The words, with their characters' advances, rejoined across hyphenated line ends.
    words: list[tuple[str, list[float]]] = []
    carry: tuple[str, list[float]] | None = None
    for line in block:
        chars = list(line.chars)
        while chars and chars[-1].char == " ":
            chars.pop()
        hyphenated = line.hyphenated()
        if hyphenated:
            chars.pop()
        current: tuple[str, list[float]] = ("", [])
        pieces: list[tuple[str, list[float]]] = []
        for c in chars:
            if c.char == " ":
                pieces.append(current)
                current = ("", [])
            else:
                current = (current[0] + c.char, [*current[1], c.advance])
        pieces.append(current)
        if carry is not None:
            pieces[0] = (carry[0] + pieces[0][0], carry[1] + pieces[0][1])
            carry = None
        if hyphenated:
            carry = pieces.pop()
        words += [p for p in pieces if p[0]]
    if carry is not None:
        words.append(carry)
    # Breakpoints: where a line ending there ends, where the next starts, the word spaces
    # before it, and whether it hyphenates.
    points = _points(lang)
    breaks: list[tuple[float, float, int, bool]] = []  # end x, next start x, spaces so far, hy
    x = 0.0
    count = 0
    for i, (word, advances) in enumerate(words):
        letters = re.match(r"\W*([^\W\d_]+)", word)
        if letters and len(letters.group(1)) >= 6 and not letters.group(1).isupper():
            for p in points(letters.group(1)):  # type: ignore[operator]
                k = letters.start(1) + p
                breaks.append((x + sum(advances[:k]) + hyphen, x + sum(advances[:k]), count,
                               True))
        x += sum(advances)
        if i < len(words) - 1:
            tie = (word, words[i + 1][0]) in tied
            if not tie:
                breaks.append((x, x + space, count, False))
            x += space
            count += 1
    end = (x, x, count, False)
    # Reachable states: (break index, hyphens in a row); -1 is the start.
    frontier = [(-1, 0)]
    nodes = [*breaks, end]
    seen = {(-1, 0)}
    while frontier:
        a, run = frontier.pop()
        ax, an = (0.0, 0) if a < 0 else (nodes[a][1], nodes[a][2] + (0 if nodes[a][3] else 1))
        for b in range(a + 1, len(nodes)):
            bx, _, bn, hy = nodes[b]
            natural = bx - ax
            gaps = bn - an
            if natural - gaps * space * (1 - shrink) > width - margin:
                break
            if b == len(nodes) - 1:
                if a < 0 or not nodes[a][3]:  # no hyphen on the penultimate line
                    return True
                continue
            if width - natural > gaps * space * (limit - 1) - margin:
                continue
            new_run = run + 1 if hy else 0
            if new_run > 2 or (b, new_run) in seen:
                continue
            seen.add((b, new_run))
            frontier.append((b, new_run))
    return False
