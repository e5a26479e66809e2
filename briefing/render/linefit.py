"""Total-fit line breaking (Knuth and Plass, "Breaking paragraphs into lines", 1981).

This module knows nothing of fonts or reportlab: it is given a paragraph's candidate
breakpoints, in order, with cumulative widths, and returns the breakpoints that minimise the
paragraph's total demerits. ``paragraph.py`` builds the breakpoints from reportlab's text and
turns the chosen ones back into reportlab's lines.

A line runs from the breakpoint before it to the one that ends it. Its natural width is
``end_x[b] - start_x[a] + extra[b]`` (``extra``: a hyphen inserted at the break), what its word
spaces may stretch and shrink likewise. Its adjustment ratio ``r`` is the slack over the
stretch (or shrink), its badness ``100·|r|³``, and its demerits ``(line_penalty + badness)²``
plus the break's penalty squared, plus extra demerits for two hyphenated line ends in a row and
for lines of very different tightness side by side (fitness classes). Rules that are never
broken unless nothing else is possible (the ``emergency`` pass):

- a line stretches at most ``tolerance`` (so a word space is at most 1.5× its natural width
  with ``tolerance=1`` and a stretch of half a space);
- breakpoints with a penalty of ``FORBIDDEN`` or more are not used.

and rules kept even then (only a ``desperate`` pass, which cannot be needed while every long
token can be cut, gives them up):

- no hyphen on the paragraph's penultimate line (nor before a forced line break), so that no
  last line is made of a word's tail;
- at most ``max_hyphens`` hyphenated line ends in a row.

Work stays linear in the paragraph's length: the active breakpoints are kept in order of
position, so the ones a line can no longer reach are dropped from the front and the scan stops
at the first one too close to make a full line. Inside a token too long for one line (a
pasted URL), the lines hold no word space and nothing can be balanced: each is filled as far
as it goes (``greedy``), preferring a soft break point (after ``/``, ``.``...) when it leaves
less than a quarter of the line empty.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: Kinds of breakpoints.
START, GLUE, HYPHEN, EXPLICIT, SOFT, CHAR, FORCED, END = range(8)
#: A penalty at or above this forbids the break (except in the emergency pass).
FORBIDDEN = 10_000.0
#: Badness of a line that cannot stretch enough (TeX's "infinitely bad").
INF_BAD = 10_000.0
_INFINITY = float("inf")


#: The fields of a breakpoint row, in order.
END_X, START_X, END_STRETCH, START_STRETCH, END_SHRINK, START_SHRINK, EXTRA, PENALTY, KIND, \
    TOKEN, INSIDE, OFFSET = range(12)
Row = tuple[Any, ...]  # float x8, then int, int, bool, int


@dataclass(slots=True)
class Breakpoints:
    """A paragraph's candidate breakpoints, in order; index 0 is the paragraph's start.

    Each is a row (a tuple, see ``END_X``...): cumulative widths run from the paragraph's
    start; a line that ends at ``b`` ends at ``END_X`` and the next one starts at ``START_X``
    (a word space at a break is dropped); likewise the stretch and shrink of the word spaces;
    ``EXTRA`` is a width added at the line's end (an inserted hyphen); ``TOKEN`` the token the
    next line starts in, ``INSIDE`` whether the break is inside it, ``OFFSET`` where (a
    character offset, for the caller).
    """

    rows: list[Row] = field(default_factory=list)
    #: Per token: where it ends (cumulative width) and the range of its inner breakpoints.
    token_end: Sequence[float] = ()
    token_lo: Sequence[int] = ()
    token_hi: Sequence[int] = ()
    _ends: list[float] | None = None

    def add(self, end_x: float, start_x: float, end_stretch: float, start_stretch: float,
            end_shrink: float, start_shrink: float, extra: float, penalty: float, kind: int,
            token: int, inside: bool, offset: int = 0) -> None:
        self.rows.append((end_x, start_x, end_stretch, start_stretch, end_shrink, start_shrink,
                          extra, penalty, kind, token, inside, offset))

    def ends(self) -> list[float]:
        """``END_X`` of every row, built once (for searching inside long tokens)."""
        if self._ends is None or len(self._ends) != len(self.rows):
            self._ends = [row[0] for row in self.rows]
        return self._ends

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class Params:
    """How lines are judged."""

    #: "justify": word spaces stretch and shrink; "ragged": lines keep natural spaces and are
    #: judged by how much of the line they leave empty; "display": ragged, the last line
    #: included, in as few lines as possible (titles and headings).
    mode: str = "justify"
    tolerance: float = 1.0
    line_penalty: float = 10.0  # (display lines: 0, their count is fixed)
    double_hyphen_demerits: float = 10_000.0
    adj_demerits: float = 10_000.0
    final_hyphen_demerits: float = 50_000.0
    max_hyphens: int = 2
    #: Ragged lines: the empty part of a line that counts as a ratio of 1, in line widths.
    ragged_stretch: float = 0.33
    #: Lines entirely inside one token may leave this much of the line empty for a soft break.
    token_slack: float = 0.25
    #: Display lines: at most this many (the fewest a greedy fill needs).
    max_lines: int = 0
    #: Demerits of each line looser than a ratio of 1 (word spaces beyond 1.5×), for a pass
    #: at a higher tolerance: so large that it sets the fewest such lines, and, when none is
    #: needed, exactly the lines a pass at tolerance 1 would, in one pass instead of two.
    #: ``UNFORCED`` times more for such a line that the next word (or its first piece) would
    #: have fitted on at natural spacing: a loose line is set only where the text forces it,
    #: if the paragraph allows.
    loose_demerits: float = 0.0
    #: The last passes: forbidden breaks allowed (``emergency``: at ``tolerance``, which an
    #: emergency pass raises, infinite at last); then (``desperate``) any stretch and the
    #: hyphen rules given up too, at a cost (never needed while every token can be cut).
    emergency: bool = False
    desperate: bool = False


#: How many times a loose line's demerits one the next word would have fitted on costs.
UNFORCED = 100.0


def _next_fits(rows: list[Row], a: int, b: int, line_width: float) -> bool:
    """Whether the line from breakpoint ``a`` could have ended at the next allowed breakpoint
    after ``b`` (the next word, or its first piece) at natural spacing."""
    c = b + 1
    count = len(rows)
    while c < count and rows[c][PENALTY] >= FORBIDDEN:
        c += 1
    if c >= count:
        return False
    natural: float = rows[c][END_X] + rows[c][EXTRA] - rows[a][START_X]
    return natural <= line_width + 0.5


# A node: (breakpoint, line number, fitness class, hyphenated ends in a row, total demerits,
# previous node).
Node = tuple[int, int, int, int, float, "Node | None"]


def total_fit(bp: Breakpoints, widths: tuple[float, float], params: Params) -> list[int] | None:
    """The breakpoints (indices, the paragraph's end included) of the best way to set the
    paragraph, or None when no way meets the rules (try again with a higher tolerance, or
    ``emergency``)."""
    first_width, width = widths
    rows = bp.rows
    count = len(rows)
    mode = params.mode
    ragged = mode != "justify"
    display = mode == "display"
    emergency = params.emergency or params.desperate
    desperate = params.desperate
    tolerance = _INFINITY if desperate else params.tolerance
    line_penalty = params.line_penalty
    max_hyphens = params.max_hyphens
    max_lines = params.max_lines if display else 0
    adj = params.adj_demerits
    loose = params.loose_demerits
    double_hyphen = params.double_hyphen_demerits
    final_hyphen = params.final_hyphen_demerits
    ragged_stretch = width * params.ragged_stretch
    char_slack = width * params.token_slack

    active: list[Node] = []
    pending: dict[int, list[Node]] = {}
    start: Node = (0, 0, 2, 0, 0.0, None)
    if not _chain(start, bp, first_width, params, pending):
        active.append(start)
    head = 0
    best_final: Node | None = None
    candidates: dict[tuple[int, int, int], Node] = {}
    # What the breakpoint being looked at is; read by ``consider``.
    b = 0
    pen = 0.0
    last = flagged = False

    def consider(a: Node, bad: float, fit: int) -> None:
        a_run = a[3]
        run = a_run + 1 if flagged else 0
        demerits = line_penalty + bad
        demerits *= demerits
        if pen > 0:
            demerits += pen * pen
        elif pen > -FORBIDDEN:
            demerits -= pen * pen
        if a_run:
            if flagged:
                demerits += double_hyphen
                if run > max_hyphens:
                    if not desperate:
                        return
                    demerits += final_hyphen
            if last:
                if not desperate:
                    return
                demerits += final_hyphen
        a_fit = a[2]
        if (fit - a_fit > 1 or a_fit - fit > 1) and not display:
            demerits += adj
        if fit == 0 and loose:  # looser than a ratio of 1 (only a justified line can be)
            demerits += loose
            if _next_fits(rows, a[0], b, first_width if a[1] == 0 else width):
                demerits += loose * UNFORCED  # a looser line than the text forces
        line = a[1] + 1
        if max_lines and line > max_lines:
            return
        total = a[4] + demerits
        key = (fit, run, line if display else 0)
        old = candidates.get(key)
        if old is None or total < old[4]:
            candidates[key] = (b, line, fit, run, total, a)

    for b in range(1, count):
        row = rows[b]
        kind = row[KIND]
        pen = row[PENALTY]
        if pen >= FORBIDDEN and not emergency:
            if b in pending:  # a greedy line inside a long token must still be set
                pen = FORBIDDEN
            else:
                continue
        last = kind in (END, FORCED)
        flagged = kind in (HYPHEN, EXPLICIT)
        bx = row[END_X] + row[EXTRA]
        bst = row[END_STRETCH]
        bsh = row[END_SHRINK]
        btoken = row[TOKEN] if row[INSIDE] else -1

        # Greedy lines inside a long token.
        chained = pending.pop(b, None) if pending else None
        if chained:
            for a in chained:
                consider(a, 0.0, 2)

        # Lines with word spaces: the active nodes still in reach, oldest first.
        i = head
        n_active = len(active)
        while i < n_active:
            a = active[i]
            arow = rows[a[0]]
            if btoken >= 0 and arow[TOKEN] == btoken:
                break  # a line inside one token: only the greedy one (above)
            line_width = first_width if a[1] == 0 else width
            natural = bx - arow[START_X]
            if natural > line_width:
                shrink = 0.0 if ragged else bsh - arow[START_SHRINK]
                if natural - shrink > line_width + 1e-6:
                    if i == head:
                        head += 1  # too long now, and longer for every later break
                    i += 1
                    continue
                ratio = (line_width - natural) / shrink if shrink > 0 else 0.0
                bad = -100.0 * ratio * ratio * ratio
                fit = 3 if ratio < -0.5 else 2
            else:
                slack = line_width - natural
                if last and not display:
                    consider(a, 0.0, 2)
                    i += 1
                    continue
                if display:
                    # Even lines: the squares of what each line leaves empty add up.
                    consider(a, 100.0 * slack / line_width, 2)
                    i += 1
                    continue
                stretch = ragged_stretch if ragged else bst - arow[START_STRETCH]
                ratio = slack / stretch if stretch > 0 else _INFINITY if slack > 1e-06 else 0.0
                if ratio > tolerance:
                    break  # too short, and shorter for every later node
                if kind == CHAR and slack > char_slack:
                    i += 1  # a token is cut anywhere only to fill a line
                    continue
                bad = INF_BAD if ratio > 4.6 else 100.0 * ratio * ratio * ratio
                fit = 2 if ratio <= 0.5 else (1 if ratio <= 1 else 0)
            consider(a, bad, fit)
            i += 1

        if last:
            head = n_active  # nothing reaches past a forced break
        if head > 256:
            del active[:head]
            head = 0
        if not candidates:
            if head >= len(active) and not pending:
                return None  # no way to go on: a dead end
            continue
        for node in candidates.values():
            if kind == END:
                if best_final is None or node[4] < best_final[4]:
                    best_final = node
                continue
            if _chain(node, bp, width, params, pending):
                continue
            active.append(node)
        candidates.clear()
    if best_final is None:
        return None
    out: list[int] = []
    walk: Node | None = best_final
    while walk is not None and walk[0] != 0:
        out.append(walk[0])
        walk = walk[5]
    out.reverse()
    return out


def _chain(node: Node, bp: Breakpoints, width: float, params: Params,
           pending: dict[int, list[Node]]) -> bool:
    """If the rest of the token a line starts in does not fit on the line, the line is filled
    greedily: schedule the node for that one breakpoint and return True."""
    rows = bp.rows
    row = rows[node[0]]
    token = row[TOKEN]
    if token >= len(bp.token_end):
        return False
    start = row[START_X]
    if bp.token_end[token] - start <= width:
        return False
    lo = bp.token_lo[token]
    hi = bp.token_hi[token]
    ends = bp.ends()
    # The first breakpoint inside the token after the line's start.
    first = bisect_right(ends, start + 1e-9, lo, hi)
    if first >= hi:
        return False
    limit = start + width
    b = bisect_right(ends, limit, first, hi) - 1
    while b >= first and ends[b] + rows[b][EXTRA] > limit:
        b -= 1
    if b < first:
        b = first  # not even one character fits: set it anyway
    elif rows[b][KIND] == CHAR:
        # A soft break (after "/", ".", a hyphen...) that leaves at most a quarter empty.
        floor = limit - width * params.token_slack
        k = b
        while k >= first and ends[k] >= floor:
            if rows[k][KIND] != CHAR and ends[k] + rows[k][EXTRA] <= limit:
                b = k
                break
            k -= 1
    pending.setdefault(b, []).append(node)
    return True
