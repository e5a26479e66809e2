"""Paragraphs broken into lines by total fit, drawn by reportlab as its own.

``FitParagraph`` is a reportlab ``Paragraph`` whose ``breakLines`` chooses the breaks of the
whole paragraph at once (``linefit.total_fit``) and returns reportlab's own line structures
(``ParaLines`` of kind 0 for text in one style, ``FragLine``s of kind 1 for markup), so that
reportlab draws them, and the tagging layer's hooks, unchanged.

From reportlab's text (its "frags") to breakpoints:

- **tokens** are the runs of text between breakable spaces (reportlab's own set, without U+202F;
  U+00A0 and U+202F never break: they are inside tokens, and U+00A0 stretches like a word
  space, as reportlab draws it);
- **inside a token**: the language's hyphenation points, found in the letters of the token
  (so a word glued to ``«``, ``(`` or a full stop is hyphenated too), never in code (text in
  ``<nobr>``) nor in URL-like tokens, only in justified text, with a penalty that keeps them
  for lines that need them; a break after a hyphen that is
  part of a word (``porte-/parole``); after ``/ . - ? & = _`` in URL-like tokens and in any
  token too long for the line, without adding a hyphen; and, in tokens too long for the line,
  after any character as a last resort.

Every width comes from ``measure.run_measure``: the width of a text run is asked of the run's
font at its size.

The lines of a paragraph are computed once per width. Pieces of a paragraph split across pages
keep the lines they were given, so a split never re-breaks the text (which could change its
height, and with a total fit, which made splitting a long paragraph quadratic).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.rl_accel import sameFrag
from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.platypus.paragraph import FragLine, Paragraph, ParaLines

from briefing.pdf.compat import (
    UNSHAPED_CHAR,
    SplitWordHY,
    justifies_last_line,
    mark_split_paragraph,
    set_line_width_max,
)
from briefing.render.linebreak import BREAKABLE_SPACES
from briefing.render.linefit import (
    CHAR,
    END,
    END_X,
    EXPLICIT,
    EXTRA,
    FORBIDDEN,
    FORCED,
    GLUE,
    HYPHEN,
    INSIDE,
    KIND,
    OFFSET,
    SOFT,
    START,
    START_X,
    TOKEN,
    Breakpoints,
    Params,
    total_fit,
)
from briefing.render.measure import CACHED_LENGTH, Measure, run_measure

if TYPE_CHECKING:
    from briefing.render.shaping import Direction

NBSP = "\u00a0"
NNBSP = "\u202f"

#: Justified word spaces: how far they may stretch and shrink, in natural widths (at most
#: 1.5× within tolerance, at least 0.75×).
STRETCH = 0.5
SHRINK = 0.25
#: Justified lines looser than 1.5× spaces are set only when nothing else works: word spaces
#: at most twice their width (ratio 2), then 2.5 times; each such line costs
#: ``LOOSE_DEMERITS``, so that the fewest are set (see ``linefit.Params.loose_demerits``).
LOOSE = (2.0, 3.0)
LOOSE_DEMERITS = 1e12
#: Then forbidden breaks are allowed too, with spaces up to 5× their width (a finite
#: tolerance keeps the work linear: lines too short for it are not tried), and at last any.
EMERGENCY = 8.0
#: Penalties of the kinds of breaks inside tokens.
HYPHEN_PENALTY = 100.0
EXPLICIT_PENALTY = 50.0
SOFT_PENALTY = 100.0
CHAR_PENALTY = 500.0
#: Display lines: a break after a colon or a dash is preferred.
DISPLAY_BONUS = -30.0
#: Titles and headings longer than this many lines are set as ragged text.
DISPLAY_LINES = 6
#: Words shorter than this are not hyphenated.
MIN_HYPHENATED = 6
#: A token wider than this share of the line may be broken anywhere.
LONG_TOKEN = 0.5
#: The characters after which a URL-like or long token may break.
SOFT_CHARS = "/.-?&=_"

_SPLIT = re.compile(f"[{re.escape(BREAKABLE_SPACES)}]+").split
_LETTERS = re.compile(r"[^\W\d_]+")
_URL_LIKE = re.compile(r"://|^www\.|^[\w.+-]+@[\w-]+\.|\w[/\\]\w.*[/\\]|\w\.\w+/")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DASHES = "\u2013\u2014"
_HYPHENS = "-\u2010"
_EDGE_PUNCTUATION = "«»“”„‘’‚\"'()[]{}¿¡.,;:!?…" + NBSP + NNBSP
_STRUCT_ROLES_DISPLAY = ("H1", "H2", "H3")

_ascent_descent: dict[tuple[str, float], tuple[float, float]] = {}
#: Breakpoints inside tokens, by text, fonts and pass (words repeat: "entreprises").
_POINTS: dict[tuple[Any, ...], tuple[tuple[int, int, float, float, float, int], ...]] = {}


def _metrics(font_name: str, size: float) -> tuple[float, float]:
    key = (font_name, size)
    found = _ascent_descent.get(key)
    if found is None:
        found = _ascent_descent[key] = getAscentDescent(font_name, size)
    return found


def _unsupported(frags: Sequence[Any], style: Any, bullet: Any) -> bool:
    """What reportlab's own breaker keeps: bullets, images, dots, other scripts' wrapping."""
    if bullet or style.endDots or (style.wordWrap or "") not in ("", "LTR"):
        return True
    if getattr(style, "shaping", 0):  # shaped text: reportlab measures what HarfBuzz draws
        return True
    if getattr(style, "autoLeading", "") not in ("", "off", None):
        return True
    for f in frags:
        cb = getattr(f, "cbDefn", None)
        if cb is not None and cb.__dict__.get("width"):
            return True
    return False


class Source:
    """A paragraph's text as tokens, measured once, and its breakpoints."""

    __slots__ = ("_specials", "_widest", "cjk", "display", "forced", "frag", "hyphenate",
                 "justify", "measures", "nbsp", "pieces", "simple", "spaces", "texts", "widths")

    def __init__(self, frags: Sequence[Any], style: Any, display: bool,
                 bidi: bool = False, cjk: str | None = None) -> None:
        self.cjk = cjk  # Chinese, Japanese or Korean text: its language (breaks inside tokens)
        self.justify = style.alignment == TA_JUSTIFY and not display
        self.display = display
        hyphenator = getattr(style, "hyphenationLang", None)
        self.hyphenate = getattr(hyphenator, "points", None) if self.justify else None
        self.frag = frags[0]
        # Lines to be reordered (``shaped.visual_line``) or justified between CJK characters
        # are made of frags.
        self.simple = not bidi and cjk is None and len(frags) == 1 and not hasattr(frags[0], "cbDefn") and not getattr(
            frags[0], "backColor", None) and not hasattr(frags[0], "lineBreak")
        #: Per token: its text, its pieces (frag, text) when the paragraph has markup, its
        #: width, the width of the space after it (0: none), its no-break spaces.
        self.texts: list[str] = []
        self.pieces: list[list[tuple[Any, str]]] = []
        self.widths: list[float] = []
        self.spaces: list[float] = []
        self.nbsp: list[int] = []
        self.measures: list[Measure] = []  # simple: one per token (the same); else unused
        self.forced: dict[int, Any] = {}  # token -> the <br/> frag that ends its line
        self._specials: list[list[bool] | None] = [None, None]
        self._widest = -1.0
        if self.simple:
            self._tokens_simple(frags[0])
        else:
            self._tokens_frags(frags)

    # --- tokens -----------------------------------------------------------------------

    def _tokens_simple(self, f: Any) -> None:
        words = [w for w in _SPLIT(f.text) if w]
        measure = run_measure(f.fontName, f.fontSize)
        width = measure.width
        space = width(" ")
        self.texts = words
        self.widths = [width(w) for w in words]
        self.spaces = [space] * len(words)
        if words:
            self.spaces[-1] = 0.0
        self.nbsp = [w.count(NBSP) if NBSP in w else 0 for w in words]
        self.measures = [measure]

    def _tokens_frags(self, frags: Sequence[Any]) -> None:
        pieces: list[tuple[Any, str]] = []
        spaced = False  # a space came after the last token, and nothing since

        def close() -> None:
            nonlocal pieces
            if pieces:
                self._add_token(pieces)
                pieces = []

        for f in frags:
            if hasattr(f, "lineBreak"):
                close()
                if not self.pieces or (len(self.pieces) - 1) in self.forced:
                    self._add_token([(f, "")])  # an empty line
                self.forced[len(self.pieces) - 1] = f
                spaced = False
                continue
            if hasattr(f, "cbDefn"):
                if not pieces and spaced:
                    # A marker after a space belongs to the word before it (as reportlab).
                    self.pieces[-1].append((f, ""))
                else:
                    pieces.append((f, ""))
                continue
            parts = _SPLIT(f.text)
            if parts[0]:
                pieces.append((f, parts[0]))
                spaced = False
            if len(parts) > 1:
                close()
                spaced = bool(self.pieces) and (len(self.pieces) - 1) not in self.forced
                for part in parts[1:-1]:
                    if part:
                        self._add_token([(f, part)])
                if parts[-1]:
                    pieces = [(f, parts[-1])]
                    spaced = False
        close()
        for i in range(len(self.pieces) - 1):
            if i not in self.forced:
                self.spaces[i] = self._space_after(i)

    def _add_token(self, pieces: list[tuple[Any, str]]) -> None:
        self.pieces.append(pieces)
        text = "".join(t for _, t in pieces)
        self.texts.append(text)
        self.widths.append(sum(run_measure(f.fontName, f.fontSize).width(t)
                               for f, t in pieces if t))
        self.spaces.append(0.0)
        self.nbsp.append(text.count(NBSP) if NBSP in text else 0)

    def _space_after(self, i: int) -> float:
        """The word space after token ``i``: drawn in the font of its last text (a zero-width
        marker after it does not count)."""
        pieces = self.pieces[i]
        f = next((f for f, text in reversed(pieces) if text), pieces[-1][0])
        if getattr(f, "rise", 0) and i + 1 < len(self.pieces):
            # After a raised note the space is set in the next word's font (``_frag_line``).
            following = self.pieces[i + 1]
            f = next((f for f, text in following if text), following[0][0])
        return run_measure(f.fontName, f.fontSize).width(" ")

    def __len__(self) -> int:
        return len(self.texts)

    # --- measuring inside tokens ----------------------------------------------------------

    def prefix_width(self, t: int, k: int) -> float:
        """Width of the first ``k`` characters of token ``t``."""
        if k <= 0:
            return 0.0
        if self.simple:
            return self.measures[0].width(self.texts[t][:k])
        total = 0.0
        for f, text in self.pieces[t]:
            if not text:
                continue
            measure = run_measure(f.fontName, f.fontSize)
            if k <= len(text):
                return total + measure.width(text[:k])
            total += measure.width(text)
            k -= len(text)
        return total

    def char_widths(self, t: int) -> list[float]:
        """Width of each character of token ``t``."""
        if self.simple:
            return self.measures[0].advances(self.texts[t])
        out: list[float] = []
        for f, text in self.pieces[t]:
            if text:
                out += run_measure(f.fontName, f.fontSize).advances(text)
        return out

    def hyphen_width(self, t: int, k: int) -> float:
        """Width of a hyphen in the font of the character before offset ``k`` of token ``t``."""
        if self.simple:
            return self.measures[0].width("-")
        f = self._frag_at(t, k)
        return run_measure(f.fontName, f.fontSize).width("-")

    def _frag_at(self, t: int, k: int) -> Any:
        frag = self.pieces[t][0][0]
        for f, text in self.pieces[t]:
            if not text:
                continue
            frag = f
            if k <= len(text):
                return f
            k -= len(text)
        return frag

    def is_code(self, t: int) -> bool:
        return not self.simple and any(getattr(f, "nobr", False) for f, _ in self.pieces[t])

    # --- breakpoints ---------------------------------------------------------------------

    def breakpoints(self, span: Span, hyphenate: bool, width: float) -> Breakpoints:
        """The candidate breakpoints of the text in ``span``, for lines of ``width`` (not
        kept: a paragraph's lines are kept instead)."""
        return self._breakpoints(span, hyphenate, width * LONG_TOKEN)

    def widest(self) -> float:
        if self._widest < 0:
            self._widest = max(self.widths, default=0.0)
        return self._widest

    def _special(self, hyphenate: bool) -> list[bool]:
        """Per token: whether it may have breakpoints inside (a cheap test, done once)."""
        key = 1 if hyphenate and self.hyphenate is not None else 0
        found = self._specials[key]
        if found is None:
            found = self._specials[key] = [
                ("-" in text or "/" in text or "@" in text or "\u2013" in text
                 or "\u2014" in text or "\u2010" in text or text.startswith("www.")
                 or (key == 1 and len(text) >= MIN_HYPHENATED))
                for text in self.texts]
            if not self.simple:
                for t in range(len(self.texts)):
                    if not found[t] and (self.is_code(t) or (
                            self.cjk is not None and not self.texts[t].isascii())):
                        found[t] = True
        return found

    def _breakpoints(self, span: Span, hyphenate: bool, long_limit: float) -> Breakpoints:
        bp = Breakpoints()
        justify = self.justify
        display = self.display
        t0, k0, t1, k1 = span.t0, span.k0, span.t1, span.k1
        last = min(t1, len(self) - 1)
        token_end = [0.0] * (last + 1)
        token_lo = [0] * (last + 1)
        token_hi = [0] * (last + 1)
        x = stretch = shrink = 0.0
        bp.add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, START, t0, k0 > 0, k0)
        widths, spaces, nbsp, _texts = self.widths, self.spaces, self.nbsp, self.texts
        special = self._special(hyphenate)
        forced = self.forced
        add = bp.rows.append
        st_unit = STRETCH if justify else 0.0
        sh_unit = SHRINK if justify else 0.0
        for t in range(t0, last + 1):
            width = widths[t]
            token_lo[t] = token_hi[t] = len(bp.rows)
            if (special[t] or width > long_limit or t in (t0, t1) or (justify and nbsp[t])):
                x, stretch, shrink = self._token_points(bp, span, t, x, stretch, shrink,
                                                        hyphenate, long_limit)
                token_hi[t] = len(bp.rows)
            else:
                x += width
            token_end[t] = x
            if t == last:
                break
            if t in forced:
                add((x, x, stretch, stretch, shrink, shrink, 0.0, 0.0, FORCED, t + 1, False, 0))
                continue
            space = spaces[t]
            st = stretch + space * st_unit
            sh = shrink + space * sh_unit
            add((x, x + space, stretch, st, shrink, sh, 0.0,
                 self._display_penalty(t, last) if display else 0.0, GLUE, t + 1, False, 0))
            x += space
            stretch = st
            shrink = sh
        end_extra = 0.0
        if span.hyphen and last >= 0:
            end_extra = self.hyphen_width(last, k1)
        bp.add(x, x, stretch, stretch, shrink, shrink, end_extra, 0.0, END, last + 1, False, 0)
        bp.token_end = token_end
        bp.token_lo = token_lo
        bp.token_hi = token_hi
        return bp

    def _token_points(self, bp: Breakpoints, span: Span, t: int, x: float, stretch: float,
                      shrink: float, hyphenate: bool,
                      long_limit: float) -> tuple[float, float, float]:
        """Add the breakpoints inside token ``t`` (of ``span``); return the running width,
        stretch and shrink at its end."""
        text = self.texts[t]
        start = span.k0 if t == span.t0 else 0
        stop = span.k1 if (t == span.t1 and span.k1 >= 0) else len(text)
        if not start and stop == len(text) and len(text) <= CACHED_LENGTH:
            # A whole short token: its inner points are remembered per text and fonts.
            points = self._known_points(t, hyphenate, self.widths[t] > long_limit)
            add = bp.rows.append
            unit = 0.0
            if self.justify and self.nbsp[t]:
                unit = self.measures[0].width(" ") if self.simple else self._nbsp_unit(t)
            for k, kind, pen, width, extra, nbsp in points:
                px = x + width
                if nbsp:
                    st = stretch + nbsp * unit * STRETCH
                    sh = shrink + nbsp * unit * SHRINK
                    add((px, px, st, st, sh, sh, extra, pen, kind, t, True, k))
                else:
                    add((px, px, stretch, stretch, shrink, shrink, extra, pen, kind, t, True, k))
            if unit:
                stretch += self.nbsp[t] * unit * STRETCH
                shrink += self.nbsp[t] * unit * SHRINK
            return x + self.widths[t], stretch, shrink
        prefix = (list(accumulate(self.char_widths(t), initial=0.0))
                  if len(text) > CACHED_LENGTH else None)
        head = (prefix[start] if prefix else self.prefix_width(t, start)) if start else 0.0
        full = self.widths[t] if stop == len(text) else (
            prefix[stop] if prefix else self.prefix_width(t, stop))
        token_w = full - head
        justify = self.justify
        n_nb = self.nbsp[t] if justify else 0
        unit = 0.0
        if n_nb:
            unit = self.measures[0].width(" ") if self.simple else self._nbsp_unit(t)
        for k, kind, pen in self._inner(t, hyphenate, token_w > long_limit, start, stop):
            px = x + (prefix[k] if prefix else self.prefix_width(t, k)) - head
            extra = self.hyphen_width(t, k) if kind == HYPHEN else 0.0
            st = sh = 0.0
            if n_nb:
                nb = text.count(NBSP, start, k) * unit
                st, sh = nb * STRETCH, nb * SHRINK
            bp.add(px, px, stretch + st, stretch + st, shrink + sh, shrink + sh, extra, pen,
                   kind, t, True, k)
        if n_nb:
            nb = text.count(NBSP, start, stop) * unit
            stretch += nb * STRETCH
            shrink += nb * SHRINK
        return x + token_w, stretch, shrink

    def _known_points(self, t: int, hyphenate: bool,
                      long: bool) -> tuple[tuple[int, int, float, float, float, int], ...]:
        """The breakpoints inside a whole token: offset, kind, penalty, width of the head,
        hyphen width, no-break spaces in the head; remembered across paragraphs."""
        text = self.texts[t]
        if self.simple:
            f = self.frag
            key: tuple[Any, ...] = (text, f.fontName, f.fontSize, hyphenate and self.hyphenate,
                                    long)
        else:
            key = (tuple((f.fontName, f.fontSize, bool(getattr(f, "nobr", False)), s)
                         for f, s in self.pieces[t]), hyphenate and self.hyphenate, long,
                   self.cjk)
        found = _POINTS.get(key)
        if found is None:
            found = tuple(
                (k, kind, pen, self.prefix_width(t, k),
                 self.hyphen_width(t, k) if kind == HYPHEN else 0.0,
                 text.count(NBSP, 0, k) if NBSP in text else 0)
                for k, kind, pen in self._inner(t, hyphenate, long, 0, len(text)))
            if len(_POINTS) >= 20_000:
                _POINTS.clear()
            _POINTS[key] = found
        return found

    def _nbsp_unit(self, t: int) -> float:
        f = self.pieces[t][0][0] if not self.simple else self.frag
        return run_measure(f.fontName, f.fontSize).width(" ")

    def _display_penalty(self, t: int, last: int) -> float:
        """Display lines never end on a short word, nor leave one word alone on the last
        line; a break after a colon or a dash is welcome."""
        text = self.texts[t]
        core = text.strip(_EDGE_PUNCTUATION)
        if t == last - 1 and last >= 2:
            return FORBIDDEN  # one word alone on the last line
        if core and len(core) <= 3 and core.isalpha():
            return FORBIDDEN
        if text.endswith(":") or text[-1:] in _DASHES:
            return DISPLAY_BONUS
        return 0.0

    def _inner(self, t: int, hyphenate: bool, long: bool, start: int,
               stop: int) -> list[tuple[int, int, float]]:
        """The breakpoints inside token ``t`` (offsets in its text, kinds, penalties), between
        ``start`` and ``stop``."""
        text = self.texts[t]
        if stop - start < 2:
            return []
        code = self.is_code(t)
        url = not code and _URL_LIKE.search(text) is not None
        points: dict[int, tuple[int, float]] = {}
        if self.cjk is not None and not code and not text.isascii():
            # Between CJK characters, by the language's line-start and line-end rules.
            from briefing.typography.cjk import break_opportunities  # only for CJK text

            for i in break_opportunities(text, self.cjk):
                if start < i < stop:
                    points[i] = (SOFT, 0.0)
        if url or long:
            scheme = _SCHEME.match(text)
            first = scheme.end() if scheme else 1
            for i in range(max(first, start + 1), stop - 1):
                if text[i - 1] in SOFT_CHARS and text[i] not in SOFT_CHARS:
                    points[i] = (SOFT, SOFT_PENALTY)
        if not url and not code:
            if "-" in text or "\u2010" in text or "\u2013" in text or "\u2014" in text:
                for i in range(max(2, start + 1), stop - 1):
                    before = text[i - 1]
                    if before in _HYPHENS:
                        if text[i - 2].isalpha() and text[i].isalpha() and i >= 3 \
                                and len(text) - i >= 2:
                            points[i] = (EXPLICIT, EXPLICIT_PENALTY)
                    elif before in _DASHES and text[i] not in _DASHES:
                        points[i] = (SOFT, EXPLICIT_PENALTY)
            if hyphenate and self.hyphenate is not None and len(text) >= MIN_HYPHENATED:
                for run in _LETTERS.finditer(text):
                    word = run.group()
                    if len(word) < MIN_HYPHENATED or word.isupper():
                        continue
                    base = run.start()
                    for p in self.hyphenate(word):
                        i = base + p
                        if start < i < stop and i not in points:
                            points[i] = (HYPHEN, HYPHEN_PENALTY)
        out = [(i, kind, pen) for i, (kind, pen) in points.items()]
        if long:
            soft = {i for i, _, _ in out}
            out += [(i, CHAR, CHAR_PENALTY) for i in _char_points(text, start, stop)
                    if i not in soft]
        out.sort()
        return out


_NO_CUT_BEFORE = (NBSP, NNBSP, "\u200d", "\u2060")
_NO_CUT_AFTER = (NBSP, NNBSP, "\u200d", "\u2060")


def _char_points(text: str, start: int, stop: int) -> list[int]:
    """Offsets where a token may be cut as a last resort: not next to a no-break space, not
    before a combining mark or a joiner."""
    out: list[int] = []
    append = out.append
    before = text[start] if start < len(text) else ""
    for i in range(start + 1, stop):
        char = text[i]
        if char < "\u0300":
            if char != NBSP and before not in _NO_CUT_AFTER:
                append(i)
        elif not (char in _NO_CUT_BEFORE or before in _NO_CUT_AFTER
                  or unicodedata.combining(char) or 0xFE00 <= ord(char) <= 0xFE0F):
            append(i)
        before = char
    return out


class Span:
    """A stretch of a source: from token ``t0`` at offset ``k0`` to token ``t1`` at offset
    ``k1`` (``k1 < 0``: the whole token), ending with an inserted hyphen or not."""

    __slots__ = ("hyphen", "k0", "k1", "t0", "t1")

    def __init__(self, t0: int, k0: int, t1: int, k1: int, hyphen: bool = False) -> None:
        self.t0, self.k0, self.t1, self.k1, self.hyphen = t0, k0, t1, k1, hyphen

    def _key(self) -> tuple[int, int, int, int, bool]:
        return (self.t0, self.k0, self.t1, self.k1, self.hyphen)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class Fit:
    """A paragraph's lines at one width: reportlab's structure and where each line starts."""

    __slots__ = ("bl", "ends", "key", "starts")

    def __init__(self, key: tuple[float, ...], bl: Any, starts: list[tuple[int, int]],
                 ends: list[tuple[int, int, bool]]) -> None:
        self.key = key
        self.bl = bl
        self.starts = starts  # (token, offset) where each line starts
        self.ends = ends  # (token, offset, hyphen) where each line ends


class FitParagraph(Paragraph):  # type: ignore[misc]
    """A reportlab paragraph broken by total fit (see the module's docstring)."""

    #: Titles and headings: balanced lines (set by the story, from the structure role).
    display = False
    #: Shaped or right-to-left text: the paragraph's base direction, its lines drawn in
    #: visual order (``shaped.visual_line``); None: text drawn as it is broken.
    bidi: Direction | None = None
    #: Chinese, Japanese or Korean text: its language (zh, ja, ko), for breaking between
    #: characters and justifying between them (``cjk_justify``); None: other text.
    cjk: str | None = None

    _source: Source | None = None
    _span: Span | None = None
    _fit: Fit | None = None
    _plain = False  # reportlab's own breaker (features this one leaves to it)

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        super()._setup(text, style, bulletText, frags, cleaner)
        self._plain = _unsupported(self.frags, self.style, self.bulletText)

    # --- breaking ------------------------------------------------------------------------

    def breakLines(self, width: Any) -> Any:
        if self._plain or not self.frags:
            return super().breakLines(width)
        widths = width if isinstance(width, (list, tuple)) else [width]
        key = tuple(float(w) for w in widths)
        fit = self._fit
        if fit is not None and fit.key == key:
            return fit.bl
        source = self._source
        if source is None:
            source = self._source = Source(self.frags, self.style, self.display,
                                           self.bidi is not None, self.cjk)
        span = self._span
        if span is None:
            span = self._span = Span(0, 0, len(source) - 1, -1)
        if len(source) == 0:
            return super().breakLines(width)
        self._fit = fit = _fit_lines(source, span, key)
        if self.bidi is not None:
            from briefing.render.shaped import visual_line  # only for such text

            for line in fit.bl.lines:
                visual_line(line, self.bidi)
        elif self.cjk is not None and source.justify and fit.bl.kind == 1:
            ends_paragraph = span.t1 >= len(source) - 1 and span.k1 < 0
            lines = fit.bl.lines
            for i, line in enumerate(lines):
                if not (getattr(line, "lineBreak", False) or (i == len(lines) - 1 and ends_paragraph)):
                    cjk_justify(line)
        set_line_width_max(self, max((self._line_width(line, fit) for line in fit.bl.lines),
                                     default=0))
        return fit.bl

    def line_measures(self) -> list[float] | None:
        """The width each line was broken for (None: reportlab broke the lines itself)."""
        fit = self._fit
        if fit is None or fit.bl is not getattr(self, "blPara", None):
            return None
        key, count = fit.key, len(fit.starts)
        return [float(key[0] if i == 0 else key[-1]) for i in range(count)]

    def line_texts(self) -> list[str] | None:
        """The text of each line in reading order, a hyphen added where the breaker put one
        (a right-to-left line is drawn in visual order, as shaped glyphs); None: reportlab
        broke the lines itself."""
        fit, source = self._fit, self._source
        if fit is None or source is None or fit.bl is not getattr(self, "blPara", None):
            return None
        texts = source.texts
        out = []
        for (ta, ka), (tb, kb, hyphen) in zip(fit.starts, fit.ends, strict=True):
            if ta == tb:
                words = [texts[ta][ka:kb] if kb >= 0 else texts[ta][ka:]]
            else:
                words = list(texts[ta:tb + 1])
                words[0] = words[0][ka:]
                if kb >= 0:
                    words[-1] = words[-1][:kb]
            out.append(" ".join(w for w in words if w) + ("-" if hyphen else ""))
        return out

    @staticmethod
    def _line_width(line: Any, fit: Fit) -> float:
        if fit.bl.kind == 0:
            return float(fit.key[-1] - line[0])
        return float(line.maxWidth - line.extraSpace)

    def drawPara(self, debug: int = 0) -> None:
        record = getattr(self.canv, "layout_record", None)
        if record is not None:  # the layout report asked for (``render.record``)
            record.paragraph(self, self.canv.getPageNumber())
        if self.bidi is not None and not self._plain:
            from briefing.render.shaped import MARKS_CALLBACK, draw_marks

            self.canv.setNamedCB(MARKS_CALLBACK, draw_marks)
            if self.bidi == "rtl":
                self._offsets = _right_edges(self)
        super().drawPara(debug)

    # --- splitting -----------------------------------------------------------------------

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if self._plain:
            return list(super().split(availWidth, availHeight))
        if not self.frags or availWidth < 1e-8 or availHeight < 1e-8:
            return []
        if getattr(self, "_fit", None) is None or self._fit is None or getattr(
                self, "blPara", None) is not self._fit.bl:
            self.wrap(availWidth, availHeight)
        fit = self._fit
        if fit is None:  # reportlab's breaker was used after all (an empty paragraph)
            return list(super().split(availWidth, availHeight))
        style = self.style
        lines = fit.bl.lines
        n = len(lines)
        s = int(availHeight / style.leading)
        allow_orphans = getattr(self, "allowOrphans", getattr(style, "allowOrphans", 0))
        if (not allow_orphans and s <= 1) or s == 0:
            return []
        if n <= s:
            return [self]
        if not getattr(self, "allowWidows", getattr(style, "allowWidows", 1)) and n == s + 1:
            if (allow_orphans and n == 3) or n > 3:
                s -= 1
            else:
                return []
        first = self._piece(fit, 0, s, availWidth)
        last_line = lines[s - 1]
        mark_split_paragraph(
            first, justify_last=not (fit.bl.kind == 1 and getattr(last_line, "lineBreak", False)))
        rest = self._piece(fit, s, n, availWidth)
        return [first, rest]

    def _piece(self, fit: Fit, i: int, j: int, width: float) -> FitParagraph:
        style = self.style
        piece = self.__class__(None, style, frags=self.frags)
        piece.display = self.display
        piece.bidi = self.bidi
        piece.cjk = self.cjk
        piece._source = self._source
        t0, k0 = fit.starts[i]
        t1, k1, hyphen = fit.ends[j - 1]
        piece._span = Span(t0, k0, t1, k1, hyphen)
        lines = fit.bl.lines[i:j]
        bl = fit.bl.clone(lines=lines)
        key = fit.key if i == 0 else (fit.key[-1], fit.key[-1])
        piece._fit = Fit(key, bl, fit.starts[i:j], fit.ends[i:j])
        piece.blPara = bl
        piece.width = width
        piece.height = len(lines) * style.leading
        return piece


def _right_edges(para: FitParagraph) -> list[float]:
    """Where each line of a right-to-left paragraph starts: justified lines at the left edge
    (they fill the measure), the last line and lines before a forced break at their width
    from the right edge, as reportlab sets flush-right text."""
    lines = para.blPara.lines
    if para.style.alignment != TA_JUSTIFY or para.blPara.kind != 1:
        return [0.0] * len(lines)
    justify_last = justifies_last_line(para)
    out = []
    for i, line in enumerate(lines):
        last = (i == len(lines) - 1 and not justify_last) or getattr(line, "lineBreak", False)
        out.append(max(line.extraSpace, 0.0) if last else 0.0)
    return out


def _fit_lines(source: Source, span: Span, key: tuple[float, ...]) -> Fit:
    """Break ``span`` of ``source`` into lines of the widths in ``key``."""
    first_width, width = key[0], key[-1]
    if source.display:
        mode = "display"
    elif source.justify and source.cjk is None:
        mode = "justify"
    else:  # CJK text: lines as full as they go, justified between characters after
        mode = "ragged"
    # Justified text: word spaces within 1.5× if at all possible, else the fewest lines beyond,
    # up to twice their width (``LOOSE``), in one pass.
    params = Params(mode=mode, tolerance=LOOSE[0], loose_demerits=LOOSE_DEMERITS) \
        if mode == "justify" else Params(mode=mode)
    if mode == "display":
        most = _greedy_lines(source, span, (first_width, width))
        if most > DISPLAY_LINES:
            mode = "ragged"  # a paragraph pasted as a title: set as text
            params = Params(mode=mode)
        else:
            params = Params(mode=mode, tolerance=float("inf"), line_penalty=0.0, max_lines=most)
    chosen: list[int] | None = None
    bp = source.breakpoints(span, source.hyphenate is not None, width)
    chosen = total_fit(bp, (first_width, width), params)
    if chosen is None and mode == "display":
        params = Params(mode=mode, tolerance=float("inf"), line_penalty=0.0,
                        max_lines=params.max_lines + 1)
        chosen = total_fit(bp, (first_width, width), params)
    if chosen is None and mode == "justify":
        chosen = total_fit(bp, (first_width, width),
                           Params(mode=mode, tolerance=LOOSE[1], loose_demerits=LOOSE_DEMERITS))
    if chosen is None:
        for tolerance in (EMERGENCY, float("inf")):
            chosen = total_fit(bp, (first_width, width),
                               Params(mode=mode, tolerance=tolerance, emergency=True))
            if chosen is not None:
                break
    if chosen is None:  # cannot happen: every token can be cut; stay safe anyway
        chosen = total_fit(bp, (first_width, width),
                           Params(mode=mode, tolerance=float("inf"), desperate=True))
    if chosen is None:
        chosen = list(range(1, len(bp)))
    return _assemble(source, span, bp, chosen, key)


def _greedy_lines(source: Source, span: Span, widths: tuple[float, float]) -> int:
    """How many lines a first fit takes: display lines are set in no more."""
    lines = 1
    x = 0.0
    line_width = widths[0]
    for t in range(span.t0, min(span.t1, len(source) - 1) + 1):
        w = source.widths[t]
        if x and x + source.spaces[t - 1] + w > line_width:
            lines += 1
            line_width = widths[1]
            x = w
        elif x:
            x += source.spaces[t - 1] + w
        else:
            x = w
        while x > line_width:
            lines += 1
            x -= line_width
    return lines


def _assemble(source: Source, span: Span, bp: Breakpoints, chosen: list[int],
              key: tuple[float, ...]) -> Fit:
    widths = (key[0], key[-1])
    starts: list[tuple[int, int]] = []
    ends: list[tuple[int, int, bool]] = []
    kind = 0 if source.simple else 1
    lines: list[Any] = []
    a = 0
    n_tokens = len(source)
    rows = bp.rows
    for index, b in enumerate(chosen):
        line_width = widths[0] if index == 0 else widths[1]
        brow = rows[b]
        arow = rows[a]
        natural = brow[END_X] + brow[EXTRA] - arow[START_X]
        ta = arow[TOKEN]
        ka = arow[OFFSET] if arow[INSIDE] else 0
        b_kind = brow[KIND]
        if brow[INSIDE]:
            tb, kb = brow[TOKEN], brow[OFFSET]
        else:
            tb, kb = brow[TOKEN] - 1, -1
            if b_kind == END:
                tb = min(span.t1, n_tokens - 1)
                kb = span.k1
        hyphen = b_kind == HYPHEN or (b_kind == END and span.hyphen)
        starts.append((ta, ka))
        ends.append((tb, kb, hyphen))
        joined = b_kind in (SOFT, CHAR) or (b_kind == EXPLICIT)
        if kind == 0:
            lines.append(_simple_line(source, ta, ka, tb, kb, hyphen, joined,
                                      line_width - natural))
        else:
            lines.append(_frag_line(source, ta, ka, tb, kb, hyphen, joined,
                                    line_width - natural, line_width,
                                    b_kind == FORCED or (b_kind == END and tb in source.forced)))
        a = b
    if kind == 0:
        f = source.frag
        ascent, descent = _metrics(f.fontName, f.fontSize)
        bl = f.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=f.fontSize)
    else:
        bl = ParaLines(kind=1, lines=lines)
    return Fit(key, bl, starts, ends)


class SimpleLine(tuple):  # type: ignore[type-arg]
    """A kind-0 line, ``(extraSpace, words)``, that can say how it ends."""

    joined = False  # it ends inside a word without a hyphen: the line end is no word end
    hyphenated = False


def _simple_line(source: Source, ta: int, ka: int, tb: int, kb: int, hyphen: bool,
                 joined: bool, extra: float) -> SimpleLine:
    texts = source.texts
    if ta == tb:
        words = [texts[ta][ka:kb] if kb >= 0 else texts[ta][ka:]]
    else:
        words = texts[ta:tb + 1]
        if ka:
            words[0] = words[0][ka:]
        if kb >= 0:
            words[-1] = words[-1][:kb]
    if hyphen:
        words[-1] = SplitWordHY(words[-1] + "-")
    line = SimpleLine((extra, words))
    if hyphen:
        line.hyphenated = True
    elif joined:
        line.joined = True
    return line


def _frag_line(source: Source, ta: int, ka: int, tb: int, kb: int, hyphen: bool, joined: bool,
               extra: float, width: float, line_break: bool) -> Any:
    words: list[Any] = []
    g: Any = None
    count = 0
    max_size = 0.0
    ascent = 0.0
    descent = 0.0
    for t in range(ta, tb + 1):
        pieces = source.pieces[t]
        start = ka if t == ta else 0
        stop = kb if (t == tb and kb >= 0) else None
        if start or stop is not None:
            pieces = _slice(pieces, start, stop)
        if t == tb and hyphen:
            pieces = _with_hyphen(pieces)
        if not pieces:
            continue
        f, text = pieces[0]
        if text or any(p[1] for p in pieces):
            count += 1
        if g is None:
            g = f.clone()
            g.text = text
            words.append(g)
        elif not sameFrag(g, f):
            lead = ""
            for w in reversed(words):  # the word space goes with the text before it...
                if not hasattr(w, "cbDefn"):
                    if getattr(w, "rise", 0):
                        lead = " "  # ...unless that is raised (a note): then with the next
                    elif not w.text.endswith(" "):
                        w.text += " "
                    break
            g = f.clone()
            g.text = lead + text
            words.append(g)
        elif not g.text.endswith(" "):
            g.text += " " + text
        else:
            g.text += text
        for f2, t2 in pieces[1:]:
            g = f2.clone()
            g.text = t2
            words.append(g)
        for f2, _ in pieces:
            size = f2.fontSize
            a, d = _metrics(f2.fontName, size)
            if size > max_size:
                max_size = size
            if a > ascent:
                ascent = a
            if d < descent:
                descent = d
    if line_break:
        brk = source.forced.get(tb)
        if brk is not None:
            words.append(brk.clone())
    line = FragLine(extraSpace=extra, wordCount=count, lineBreak=line_break, words=words,
                    fontSize=max_size, ascent=ascent, descent=descent, maxWidth=width, sFW=0)
    line.hyphenated = hyphen
    line.joined = joined and not hyphen
    return line


def _slice(pieces: list[tuple[Any, str]], start: int, stop: int | None) -> list[tuple[Any, str]]:
    """The pieces of a token's text from ``start`` to ``stop`` (character offsets)."""
    out: list[tuple[Any, str]] = []
    pos = 0
    for f, text in pieces:
        end = pos + len(text)
        if not text:
            # A zero-width marker goes with the part it is in; one at a cut goes with the text
            # it opens, or with the text it closes.
            closing = getattr(getattr(f, "cbDefn", None), "label", None) == "end"
            if ((start < pos or (pos == start and (not closing or start == 0)))
                    and (stop is None or pos < stop or (pos == stop and closing))):
                out.append((f, text))
            continue
        a = max(start, pos)
        b = end if stop is None else min(stop, end)
        if a < b:
            out.append((f, text[a - pos:b - pos]))
        pos = end
    return out


def _with_hyphen(pieces: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    out = list(pieces)
    for i in range(len(out) - 1, -1, -1):
        f, text = out[i]
        if text:
            out[i] = (f, text + "-")
            return out
    return out



def cjk_justify(line: Any) -> None:
    """Justify a line of CJK text between its characters (never inside a Latin word or a
    number: ``cjk.stretch_points``): its slack is shared out as extra advance after those
    characters, drawn through reportlab's positioned strings; the line then draws as is."""
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    from briefing.typography.cjk import stretch_points  # only for CJK text

    extra = line.extraSpace
    frags = [f for f in line.words if not hasattr(f, "cbDefn") and f.text]
    text = "".join(f.text for f in frags).rstrip(" ")
    points = [p for p in stretch_points(text) if p < len(text)]
    if extra <= 1e-6 or not points:
        return
    gaps = set(points)
    each = extra / len(points)
    offset = 0
    for f in frags:
        widths = run_measure(f.fontName, f.fontSize).advances(f.text)
        scale = 1000.0 / f.fontSize
        data = []
        for i, width in enumerate(widths):
            wide = width * scale
            advance = wide + (each * scale if offset + i + 1 in gaps else 0.0)
            data.append(ShapeData(0, advance, 0, 0, 0, wide) if advance != wide else UNSHAPED_CHAR)
        f.text = ShapedStr(f.text, shapeData=data)
        offset += len(f.text)
    line.extraSpace = 0.0
