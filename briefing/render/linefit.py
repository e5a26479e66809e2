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
from collections.abc import MutableSequence, Sequence
from dataclasses import dataclass, field

#: Kinds of breakpoints.
START, GLUE, HYPHEN, EXPLICIT, SOFT, CHAR, FORCED, END = range(8)
#: A penalty at or above this forbids the break (except in the emergency pass).
FORBIDDEN = 10_000.0
#: Badness of a line that cannot stretch enough (TeX's "infinitely bad").
INF_BAD = 10_000.0
_INFINITY = float("inf")


@dataclass(slots=True)
class Breakpoints:
    """A paragraph's candidate breakpoints, in order; index 0 is the paragraph's start.

    Cumulative widths run from the paragraph's start: a line that ends at ``b`` ends at
    ``end_x[b]`` and the next one starts at ``start_x[b]`` (a word space at a break is dropped).
    """

    end_x: MutableSequence[float] = field(default_factory=list)
    start_x: MutableSequence[float] = field(default_factory=list)
    end_stretch: MutableSequence[float] = field(default_factory=list)
    start_stretch: MutableSequence[float] = field(default_factory=list)
    end_shrink: MutableSequence[float] = field(default_factory=list)
    start_shrink: MutableSequence[float] = field(default_factory=list)
    extra: MutableSequence[float] = field(default_factory=list)  # width added at the end
    penalty: MutableSequence[float] = field(default_factory=list)
    kind: MutableSequence[int] = field(default_factory=list)
    #: The token the next line starts in, and whether the break is inside it.
    token: MutableSequence[int] = field(default_factory=list)
    inside: MutableSequence[bool] = field(default_factory=list)
    #: Where the break is inside its token (a character offset), for the caller.
    offset: MutableSequence[int] = field(default_factory=list)
    #: Per token: where it ends (cumulative width) and the range of its inner breakpoints.
    token_end: Sequence[float] = ()
    token_lo: Sequence[int] = ()
    token_hi: Sequence[int] = ()

    def add(self, end_x: float, start_x: float, end_stretch: float, start_stretch: float,
            end_shrink: float, start_shrink: float, extra: float, penalty: float, kind: int,
            token: int, inside: bool, offset: int = 0) -> None:
        self.end_x.append(end_x)
        self.start_x.append(start_x)
        self.end_stretch.append(end_stretch)
        self.start_stretch.append(start_stretch)
        self.end_shrink.append(end_shrink)
        self.start_shrink.append(start_shrink)
        self.extra.append(extra)
        self.penalty.append(penalty)
        self.kind.append(kind)
        self.token.append(token)
        self.inside.append(inside)
        self.offset.append(offset)

    def __len__(self) -> int:
        return len(self.end_x)


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
    #: The last passes: any stretch, forbidden breaks allowed; then (``desperate``) the
    #: hyphen rules too, at a cost (never needed while every token can be cut).
    emergency: bool = False
    desperate: bool = False


# A node: (breakpoint, line number, fitness class, hyphenated ends in a row, total demerits,
# previous node).
Node = tuple[int, int, int, int, float, "Node | None"]


def total_fit(bp: Breakpoints, widths: tuple[float, float], params: Params) -> list[int] | None:
    """The breakpoints (indices, the paragraph's end included) of the best way to set the
    paragraph, or None when no way meets the rules (try again with more breakpoints, a higher
    tolerance, or ``emergency``)."""
    first_width, width = widths
    count = len(bp)
    end_x, start_x = bp.end_x, bp.start_x
    end_st, start_st = bp.end_stretch, bp.start_stretch
    end_sh, start_sh = bp.end_shrink, bp.start_shrink
    extra, penalty, kinds = bp.extra, bp.penalty, bp.kind
    tokens, inside = bp.token, bp.inside
    mode = params.mode
    ragged = mode != "justify"
    display = mode == "display"
    emergency = params.emergency or params.desperate
    desperate = params.desperate
    tolerance = _INFINITY if emergency else params.tolerance
    line_penalty = params.line_penalty
    max_hyphens = params.max_hyphens
    max_lines = params.max_lines if display else 0
    adj = params.adj_demerits
    double_hyphen = params.double_hyphen_demerits
    final_hyphen = params.final_hyphen_demerits

    active: list[Node] = []
    pending: dict[int, list[Node]] = {}
    start: Node = (0, 0, 2, 0, 0.0, None)
    if not _chain(start, bp, first_width, params, pending):
        active.append(start)
    head = 0
    best_final: Node | None = None

    for b in range(1, count):
        kind = kinds[b]
        pen = penalty[b]
        if pen >= FORBIDDEN and not emergency:
            if b in pending:  # a greedy line inside a long token must still be set
                pen = FORBIDDEN
            else:
                continue
        last = kind == END or kind == FORCED
        flagged = kind == HYPHEN or kind == EXPLICIT
        bx = end_x[b] + extra[b]
        bst = end_st[b]
        bsh = end_sh[b]
        btoken = tokens[b] if inside[b] else -1
        candidates: dict[tuple[int, int, int], Node] = {}
        best_total = _INFINITY

        def consider(a: Node, ratio: float, bad: float, fit: int) -> None:
            nonlocal best_total
            a_bp, a_line, a_fit, a_run, a_total, _ = a
            run = a_run + 1 if flagged else 0
            a_flagged = a_run > 0
            demerits = line_penalty + bad
            demerits *= demerits
            if pen > 0:
                demerits += pen * pen
            elif pen > -FORBIDDEN:
                demerits -= pen * pen
            if a_flagged:
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
            if (fit - a_fit > 1 or a_fit - fit > 1) and not display:
                demerits += adj
            total = a_total + demerits
            line = a_line + 1
            if max_lines and line > max_lines:
                return
            key = (fit, run, line if display else 0)
            old = candidates.get(key)
            if old is None or total < old[4]:
                candidates[key] = (b, line, fit, run, total, a)
            if total < best_total:
                best_total = total

        # Greedy lines inside a long token.
        chained = pending.pop(b, None)
        if chained:
            for a in chained:
                consider(a, 0.0, 0.0, 2)

        # Lines with word spaces: the active nodes still in reach, oldest first.
        i = head
        n_active = len(active)
        while i < n_active:
            a = active[i]
            a_bp = a[0]
            if btoken >= 0 and tokens[a_bp] == btoken:
                break  # a line inside one token: only the greedy one (above)
            line_width = first_width if a[1] == 0 else width
            natural = bx - start_x[a_bp]
            if natural > line_width:
                shrink = 0.0 if ragged else bsh - start_sh[a_bp]
                if natural - shrink > line_width + 1e-6:
                    if i == head:
                        head += 1  # too long now, and longer for every later break
                    i += 1
                    continue
                ratio = (line_width - natural) / shrink if shrink > 0 else 0.0
                bad = 100.0 * (-ratio) ** 3
                fit = 3 if ratio < -0.5 else 2
            else:
                slack = line_width - natural
                if last and not display:
                    ratio = 0.0
                    bad = 0.0
                elif display:
                    # Even lines: the squares of what each line leaves empty add up.
                    ratio = slack / line_width
                    bad = 100.0 * ratio
                else:
                    stretch = width * params.ragged_stretch if ragged else bst - start_st[a_bp]
                    if stretch > 0:
                        ratio = slack / stretch
                    else:
                        ratio = _INFINITY if slack > 1e-6 else 0.0
                    if ratio > tolerance:
                        if last:
                            i += 1
                            continue
                        break  # too short, and shorter for every later node
                    if kind == CHAR and slack > width * params.token_slack:
                        i += 1  # a token is cut anywhere only to fill a line
                        continue
                    bad = INF_BAD if ratio > 4.6 else 100.0 * ratio ** 3
                if display or ratio <= 0.5:
                    fit = 2
                elif ratio > 1:
                    fit = 0
                else:
                    fit = 1
            consider(a, ratio, bad, fit)
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
    if best_final is None:
        return None
    out: list[int] = []
    node: Node | None = best_final
    while node is not None and node[0] != 0:
        out.append(node[0])
        node = node[5]
    out.reverse()
    return out


def _chain(node: Node, bp: Breakpoints, width: float, params: Params,
           pending: dict[int, list[Node]]) -> bool:
    """If the rest of the token a line starts in does not fit on the line, the line is filled
    greedily: schedule the node for that one breakpoint and return True."""
    a = node[0]
    token = bp.token[a]
    if token >= len(bp.token_end):
        return False
    start = bp.start_x[a]
    if bp.token_end[token] - start <= width:
        return False
    lo = bp.token_lo[token]
    hi = bp.token_hi[token]
    end_x, extra, kinds = bp.end_x, bp.extra, bp.kind
    # The first breakpoint inside the token after the line's start.
    first = bisect_right(end_x, start + 1e-9, lo, hi)
    if first >= hi:
        return False
    limit = start + width
    b = bisect_right(end_x, limit, first, hi) - 1
    while b >= first and end_x[b] + extra[b] > limit:
        b -= 1
    if b < first:
        b = first  # not even one character fits: set it anyway
    elif kinds[b] == CHAR:
        # A soft break (after "/", ".", a hyphen...) that leaves at most a quarter empty.
        floor = limit - width * params.token_slack
        k = b
        while k >= first and end_x[k] >= floor:
            if kinds[k] != CHAR and end_x[k] + extra[k] <= limit:
                b = k
                break
            k -= 1
    pending.setdefault(b, []).append(node)
    return True
