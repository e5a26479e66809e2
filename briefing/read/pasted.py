"""Text pasted from elsewhere (a web page, a chat, a word processor) into a plain-text source.

On top of the plain-text format's rules (``briefing.read.text``), the reader recognises:

- **Markdown**: ``#`` headings (and headings underlined with ``===`` or ``---``), emphasis,
  links, images and inline code (read by the Markdown reader's inline machinery), fenced code
  (```` ``` ````), quotations (``>``), and separator lines (``---``, ``***``), which print
  nothing;
- **tables**: runs of tab-separated lines (as a table copied from a web page or a spreadsheet
  pastes) and pipe tables (``| a | b |``), with a header row when the first row reads as one
  (the ``|---|`` row of a Markdown table; or short first-row cells above numbers or longer
  text);
- **lists**: lines opening with ``- ``, ``* ``, ``+ ``, ``• ``, ``– ``, ``1. ``, ``1) `` or
  ``a) ``, nested by indentation (a single numbered line is not a list: it reads as a
  numbered heading);
- **a date alone on a line** among the first lines: the briefing's date, not a heading (see
  ``briefing.read.dates`` for the forms understood);
- **the title repeated** as the first line of the body: printed once;
- **headings in a row**: a section heading, then its sub-headings.

Every guess is a ``Decision`` with its line numbers, which ``briefing check`` lists; the
``literal`` option turns them all off. Nothing is dropped: every word of the source lands in
the model (list markers, table pipes and Markdown's punctuation are markup, not words; a link's
address becomes its target; a separator line has no words).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from briefing.model import (
    Block,
    Briefing,
    CodeBlock,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Quote,
    Span,
    Table,
    plain,
)
from briefing.read.dates import parse_date_line
from briefing.read.text import (
    Decision,
    Guesses,
    Line,
    Piece,
    Title,
    Unit,
    assemble,
    continues,
)

#: The date is looked for among this many first non-blank lines.
DATE_LINES = 6
#: More columns than this do not fit a page: such tab-separated lines stay text.
MAX_COLUMNS = 12
#: Deepest nesting of lists and quotations; deeper lines are read one level up.
MAX_DEPTH = 12

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
_ATX = re.compile(r"^ {0,3}(?P<marks>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
_SEPARATOR = re.compile(r"^ {0,3}(?P<char>[-*_=])(?:[ \t]*(?P=char)){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)"
    r"(?:(?P<bullet>[-*+•·◦▪▫‣–])|(?P<number>\d{1,3})[.)]|(?P<letter>[a-zA-Z])\))"
    r"[ \t]+(?P<text>\S.*)$"
)
_PIPE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"
                             r"|^ {0,3}\|[ \t]*:?-+:?[ \t]*\|[ \t]*$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_NUMBER = (r"^[~≈<>≤≥+\-−]?\s*[$€£¥]?\s*\d[\d\s.,'\u00a0\u202f]*\s*"
           r"(?:%|‰|[$€£¥]|[^\W\d_]{1,4}\.?)?$")


@cache
def _numeric() -> re.Pattern[str]:
    """A number, an amount or a measure ("1 200 €", "12 %", "30 min"); compiled when a table
    needs it (its Unicode classes take a while to compile)."""
    return re.compile(_NUMBER)
#: Characters without which a line holds no inline Markdown: lines without them are never
#: handed to the Markdown machinery (and a plain text never loads it).
_MAYBE_MARKUP = re.compile(r"[*_`\[<]")


def read_pasted(text: str, *, name: str = "<text>", title: str | None = None) -> tuple[
        Briefing, list[Decision]]:
    """Understand a plain-text source, guessing what pasted text means; the decisions are
    returned in line order."""
    guesses = Guesses(enabled=True)
    scanner = _Scanner(name, guesses)
    units = scanner.scan(text.split("\n"), 1, depth=0)
    briefing = assemble(units, title=title, meta=Meta(date=scanner.date), guesses=guesses)
    scanner.note_markup()
    return briefing, sorted(guesses.decisions, key=lambda d: (d.first, d.last))


@dataclass(frozen=True, slots=True)
class _Entry:
    """One list item as typed."""

    indent: int
    ordered: bool
    number: int
    marker: str
    text: str
    first: int
    last: int


@dataclass
class _Scanner:
    name: str
    guesses: Guesses
    date: dt.date | None = None
    seen: int = 0  # non-blank lines met at the top level, for the date's place
    markup: dict[int, tuple[int, frozenset[str]]] = field(default_factory=dict)

    # --- lines to units ------------------------------------------------------------------

    def scan(self, lines: list[str], offset: int, depth: int) -> list[Unit]:
        """The units of some lines; ``offset`` is the source line number of ``lines[0]``."""
        units: list[Unit] = []
        joinable = False  # the previous line was a plain line (no blank line since)
        i = 0
        while i < len(lines):
            raw = lines[i]
            number = offset + i
            if not raw.strip():
                joinable = False
                i += 1
                continue
            if depth == 0:
                self.seen += 1
            found = self._block(lines, i, offset, depth, units, joinable)
            if found is not None:
                i = found
                joinable = False
                continue
            line = " ".join(raw.split())
            last = units[-1] if units else None
            if joinable and isinstance(last, Line) and continues(last.text, line):
                units[-1] = Line(f"{last.text} {line}", last.first, number)
            else:
                units.append(Line(line, number, number))
            joinable = True
            i += 1
        return [self._inline(unit) for unit in units]

    def _block(self, lines: list[str], i: int, offset: int, depth: int, units: list[Unit],
               joinable: bool) -> int | None:
        """A block starting at ``lines[i]``, added to ``units``; the index after it, or None
        when the line is a plain line."""
        raw = lines[i]
        number = offset + i
        if (fence := _FENCE.match(raw)) and (end := _fence_end(lines, i, fence["fence"])):
            indent = len(fence["indent"])
            code = "\n".join(_dedent(line, indent) for line in lines[i + 1:end])
            language = fence["info"].split()[0] if fence["info"].strip() else None
            units.append(Piece((CodeBlock(code, language),), number, offset + end))
            self.guesses.note(number, offset + end, "read as code (a Markdown ``` fence)")
            return end + 1
        if _SEPARATOR.match(raw):
            last = units[-1] if units else None
            char = raw.strip()[0]
            if joinable and isinstance(last, Line) and char in "=-" and last.last == number - 1:
                units[-1] = Title(last.text, 1 if char == "=" else 2, last.first, number)
                what = "title" if char == "=" else "section heading"
                self.guesses.note(last.first, number, f"read as a {what} (underlined)")
            else:
                self.guesses.note(number, number, f"a separator line ({raw.strip()}): "
                                  "nothing to print")
            return i + 1
        if depth == 0 and self.date is None and self.seen <= DATE_LINES and (
                day := parse_date_line(raw)):
            self.date = day
            self.guesses.note(number, number, f"read as the briefing's date ({day.isoformat()})")
            return i + 1
        if (atx := _ATX.match(raw)) and atx["text"].strip():
            marks = len(atx["marks"])
            units.append(Title(atx["text"].strip(), marks, number, number))
            self.guesses.note(number, number, f"read as a heading (Markdown, level {marks})")
            return i + 1
        if depth < MAX_DEPTH and _QUOTE.match(raw):
            end = i
            while end < len(lines) and _QUOTE.match(lines[end]):
                end += 1
            inner = [_QUOTE.sub("", line, count=1) for line in lines[i:end]]
            blocks = _blocks(self.scan(inner, number, depth + 1))
            units.append(Piece((Quote(blocks),), number, offset + end - 1))
            self.guesses.note(number, offset + end - 1, "read as a quotation (Markdown >)")
            return end
        if _ITEM.match(raw) and (listed := self._list(lines, i, offset, depth)):
            piece, end, description = listed
            units.append(piece)
            self.guesses.note(piece.first, piece.last, description)
            return end
        if (table := self._table(lines, i, offset)) is not None:
            piece, end, description = table
            units.append(piece)
            self.guesses.note(piece.first, piece.last, description)
            return end
        return None

    # --- tables --------------------------------------------------------------------------

    def _table(self, lines: list[str], i: int, offset: int) -> tuple[Piece, int, str] | None:
        raw = lines[i]
        if "|" in raw and i + 1 < len(lines) and _PIPE_DELIMITER.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            rows = [_pipe_cells(line) for line in (lines[i], *lines[i + 2:end])]
            align = tuple(_align(cell) for cell in _pipe_cells(lines[i + 1]))
            return self._make_table(rows, i, end, offset, "pipe table", header=True, align=align)
        if _is_pipe_row(raw) and i + 1 < len(lines) and _is_pipe_row(lines[i + 1]):
            end = i
            while end < len(lines) and _is_pipe_row(lines[end]):
                end += 1
            rows = [_pipe_cells(line) for line in lines[i:end]]
            return self._make_table(rows, i, end, offset, "pipe table")
        if _is_tab_row(raw) and i + 1 < len(lines) and _is_tab_row(lines[i + 1]):
            end = i
            while end < len(lines) and _is_tab_row(lines[end]):
                end += 1
            rows = [_tab_cells(line) for line in lines[i:end]]
            return self._make_table(rows, i, end, offset, "tab-separated")
        return None

    def _make_table(self, rows: list[list[str]], i: int, end: int, offset: int, how: str, *,
                    header: bool | None = None, align: tuple[str, ...] = ()) -> tuple[
                        Piece, int, str] | None:
        columns = max(len(row) for row in rows)
        first, last = offset + i, offset + end - 1
        if columns > MAX_COLUMNS:
            self.guesses.note(first, last, f"{how} lines of {columns} columns: too many for a "
                              "page, kept as text")
            return None
        if columns < 2:
            return None
        if header is None:
            header = _reads_as_header(rows)
        cells = [tuple(self._cell(cell, offset + i + r) for cell in row)
                 for r, row in enumerate(rows)]
        head, body = (cells[0], cells[1:]) if header else ((), cells)
        with_header = "with a header row" if header else "no header row"
        table = Table(head, tuple(body), align if header else ())
        return (Piece((table,), first, last), end,
                f"read as a table, {how}, {columns} columns, {with_header}")

    def _cell(self, text: str, number: int) -> Inline:
        text = " ".join(text.split())
        if not text or not _MAYBE_MARKUP.search(text):
            return (Span(text),) if text else ()
        from briefing.read.markdown import read_inline_spans

        spans, kinds = read_inline_spans(text, self.name)
        self._markup(number, number, kinds)
        return spans

    # --- lists ---------------------------------------------------------------------------

    def _list(self, lines: list[str], i: int, offset: int, depth: int) -> tuple[
            Piece, int, str] | None:
        entries: list[_Entry] = []
        end = i
        while end < len(lines):
            raw = lines[end]
            item = _ITEM.match(raw)
            if item and not _SEPARATOR.match(raw):
                entries.append(_entry(item, offset + end))
                end += 1
                continue
            if not raw.strip():
                # A blank line inside a list: it goes on if an item follows.
                after = end + 1
                if after < len(lines) and _ITEM.match(lines[after]) and entries:
                    end = after
                    continue
                break
            indent = _indent(raw)
            under = indent > entries[-1].indent or 0 < indent == entries[-1].indent
            if entries and under and not _FENCE.match(raw):
                # An indented line under an item continues it (a wrapped line); at the top
                # level, a line must be indented to belong to the item above it.
                last = entries[-1]
                entries[-1] = _Entry(last.indent, last.ordered, last.number, last.marker,
                                     f"{last.text} {' '.join(raw.split())}", last.first,
                                     offset + end)
                end += 1
                continue
            break
        head = entries[0]
        if len(entries) == 1 and (head.ordered or head.marker not in "-*•"):
            return None  # "1. Introduction" alone is a numbered heading, "– Oui." a line
        if head.marker.isalpha() and head.marker.lower() != "a":
            return None
        lists: list[ListBlock] = []
        k = 0
        while k < len(entries):
            listed, k = self._build(entries, k, entries[k].indent, depth + 1)
            lists.append(listed)
        piece = Piece(tuple(lists), entries[0].first, entries[-1].last)
        return piece, end, _describe_lists(lists, entries)

    def _build(self, entries: list[_Entry], k: int, indent: int, depth: int) -> tuple[
            ListBlock, int]:
        """The list whose items are at ``indent``, starting at ``entries[k]``; deeper entries
        nest under the item before them."""
        head = entries[k]
        items: list[list[Block]] = []
        while k < len(entries):
            entry = entries[k]
            if entry.indent < indent:
                break
            if entry.indent > indent and items and depth < MAX_DEPTH:
                sub, k = self._build(entries, k, entry.indent, depth + 1)
                items[-1].append(sub)
                continue
            if items and _family(entry) != _family(head):
                break  # a list of another kind starts here (bullets, numbers, letters)
            items.append(self._item_blocks(entry))
            k += 1
        return ListBlock(tuple(ListItem(tuple(b)) for b in items), head.ordered,
                         head.number if head.ordered else 1), k

    def _item_blocks(self, entry: _Entry) -> list[Block]:
        unit = self._inline(Line(" ".join(entry.text.split()), entry.first, entry.last))
        return list(_blocks([unit]))

    # --- inline Markdown -----------------------------------------------------------------

    def _inline(self, unit: Unit) -> Unit:
        """A line or heading with its inline Markdown read. Where only text fits (a heading,
        a question, the title), a link keeps its address after its words and an image its
        description."""
        if isinstance(unit, Piece) or not _MAYBE_MARKUP.search(unit.text):
            return unit
        from briefing.read.markdown import read_inline, read_inline_spans

        if isinstance(unit, Title):
            spans, kinds = read_inline_spans(unit.text, self.name)
            self._markup(unit.first, unit.last, kinds)
            return Title(_written(spans), unit.level, unit.first, unit.last) if kinds else unit
        blocks, kinds = read_inline(unit.text, self.name)
        if not kinds:
            return unit
        self._markup(unit.first, unit.last, kinds)
        if len(blocks) == 1 and isinstance(blocks[0], Paragraph):
            spans = blocks[0].spans
            return Line(plain(spans), unit.first, unit.last, spans, _written(spans))
        # Images among the text: each block in turn.
        return Piece(tuple(blocks), unit.first, unit.last)

    def _markup(self, first: int, last: int, kinds: frozenset[str]) -> None:
        if kinds:
            _, known = self.markup.get(first, (last, frozenset()))
            self.markup[first] = (last, known | kinds)

    def note_markup(self) -> None:
        """One decision per run of lines with inline Markdown of the same kinds."""
        runs: list[tuple[int, int, frozenset[str]]] = []
        for first in sorted(self.markup):
            last, kinds = self.markup[first]
            if runs and runs[-1][2] == kinds and runs[-1][1] + 1 >= first:
                runs[-1] = (runs[-1][0], max(last, runs[-1][1]), kinds)
            else:
                runs.append((first, last, kinds))
        for first, last, kinds in runs:
            self.guesses.note(first, last, "read as Markdown: " + ", ".join(sorted(kinds)))


# --- helpers ------------------------------------------------------------------------------


def _written(spans: Inline) -> str:
    """Spans as plain text, each link's address after its words (unless they say it)."""
    out: list[str] = []
    k = 0
    while k < len(spans):
        href = spans[k].href
        run = [spans[k]]
        while href and k + 1 < len(spans) and spans[k + 1].href == href:
            k += 1
            run.append(spans[k])
        words = "".join(span.text for span in run)
        target = href.removeprefix("mailto:") if href else ""
        out.append(f"{words} ({href})" if href and target not in words else words)
        k += 1
    return "".join(out)


def _fence_end(lines: list[str], i: int, fence: str) -> int | None:
    """The index of the line closing a fence opened at ``lines[i]``; None when it is never
    closed (then the fence line is text: a lone ``` must not turn the rest into code)."""
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for end in range(i + 1, len(lines)):
        if closing.match(lines[end]):
            return end
    return None


def _dedent(line: str, indent: int) -> str:
    strip = len(line) - len(line.lstrip(" "))
    return line[min(strip, indent):]


def _indent(raw: str) -> int:
    expanded = raw.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def _entry(item: re.Match[str], number: int) -> _Entry:
    indent = len(item["indent"].expandtabs(4))
    if item["number"]:
        return _Entry(indent, True, int(item["number"]), "1", item["text"], number, number)
    if item["letter"]:
        letter = item["letter"]
        return _Entry(indent, True, ord(letter.lower()) - ord("a") + 1, letter, item["text"],
                      number, number)
    return _Entry(indent, False, 1, item["bullet"], item["text"], number, number)


def _family(entry: _Entry) -> str:
    return "letter" if entry.marker.isalpha() else "number" if entry.ordered else "bullet"


def _describe_lists(lists: list[ListBlock], entries: list[_Entry]) -> str:
    top = min(e.indent for e in entries)
    families = [_family(e) for e in entries if e.indent == top]
    kinds = [f for k, f in enumerate(families) if k == 0 or f != families[k - 1]]
    names = {"bullet": "bulleted", "number": "numbered", "letter": "lettered"}
    levels = max(_levels(b) for b in lists)
    nested = f", nested {levels} levels" if levels > 1 else ""
    count = len(entries)
    items = f"{count} item{'s' if count != 1 else ''}{nested}"
    letters = " (letters printed as numbers)" if "letter" in kinds else ""
    if len(lists) == 1:
        return f"read as a {names[kinds[0]]} list, {items}{letters}"
    return (f"read as {len(lists)} lists in a row ({', '.join(names[k] for k in kinds)}), "
            f"{items}{letters}")


def _levels(block: ListBlock) -> int:
    deepest = 0
    for item in block.items:
        for inner in item.blocks:
            if isinstance(inner, ListBlock):
                deepest = max(deepest, _levels(inner))
    return 1 + deepest


def _is_pipe_row(raw: str) -> bool:
    text = raw.strip()
    return len(text) > 2 and text.startswith("|") and text.endswith("|") and (
        len(_PIPE_SPLIT.split(text)) > 3)


def _pipe_cells(raw: str) -> list[str]:
    text = raw.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _PIPE_SPLIT.split(text)]


def _align(cell: str) -> str:
    left, right = cell.startswith(":"), cell.endswith(":")
    return "center" if left and right else "right" if right else "left" if left else ""


def _is_tab_row(raw: str) -> bool:
    return "\t" in raw.strip() and not _ITEM.match(raw)


def _tab_cells(raw: str) -> list[str]:
    cells = raw.rstrip(" \r").split("\t")
    while len(cells) > 1 and not cells[-1].strip():
        cells.pop()  # the tab a spreadsheet leaves at a row's end
    return cells


def _reads_as_header(rows: list[list[str]]) -> bool:
    """Whether the first row of a table without a marked header reads as one: short cells,
    none a number or a sentence, above columns of numbers or of longer text."""
    if len(rows) < 2:
        return False
    first = [" ".join(c.split()) for c in rows[0]]
    named = [c for c in first if c]
    if not named or any(not c for c in first[1:]):
        return False
    if any(_numeric().match(c) or len(c.split()) > 5 or c[-1] in ".!?;:" for c in named):
        return False
    body = rows[1:]
    for j in range(len(first)):
        column = [" ".join(row[j].split()) for row in body if j < len(row) and row[j].strip()]
        if column and sum(bool(_numeric().match(c)) for c in column) * 2 >= len(column):
            return True
    words = sum(len(c.split()) for row in body for c in row)
    cells = sum(1 for row in body for c in row if c.strip())
    return bool(cells) and words / cells > sum(len(c.split()) for c in named) / len(named)


def _blocks(units: list[Unit]) -> tuple[Block, ...]:
    out: list[Block] = []
    for unit in units:
        if isinstance(unit, Piece):
            out.extend(unit.blocks)
        elif isinstance(unit, Title):
            out.append(Heading(unit.text, max(3, unit.level)))
        else:
            out.append(unit.paragraph())
    return tuple(out)
