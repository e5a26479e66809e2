"""Lines of shaped and right-to-left text, as reportlab draws them.

A paragraph in Arabic, Persian, Urdu or Hebrew, or holding Devanagari, is broken into lines in
logical order by the same total-fit breaker as Latin text (``paragraph.py``), measuring its
runs through ``measure.run_measure``: a font that needs shaping is served by ``ShapedWidths``,
HarfBuzz's advances behind the breaker's width function. Each line is then turned into what
the page shows (``visual_line``):

- the bidirectional algorithm (python-bidi, ``shaping.bidi_levels``) gives the line's levels,
  from the paragraph's base direction; the line is cut into runs of one level and one font
  (``shaping.visual_runs``) and the runs are put in the order they are drawn, left to right;
- a run in a shaped font is shaped by HarfBuzz word by word (as it was measured) in the run's
  direction: its glyphs come in drawing order, with their advances and offsets, and are drawn
  through reportlab's ``ShapedStr`` (which positions each glyph, marks included);
- a run of another font (the body font's Latin words, digits, brackets) is drawn as its
  characters, reversed and mirrored when it sits at a right-to-left level;
- each glyph is drawn as a character whose ToUnicode entry is the logical text of its cluster
  (a lam-alef ligature: its two letters; a joined letter: the letter, not a presentation
  form), given to the glyph a reader meets first. Text extraction (pdftotext, PDFium) then
  gives the words back in reading order; ``/ActualText`` in the content stream does not (see
  ``tests/spikes/rtl_actualtext.py``);
- the zero-width markers of links and foreign-language spans follow the runs they enclose.

uharfbuzz and python-bidi (``briefing[scripts]``) are imported when a text first needs them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

from briefing.pdf import tounicode
from briefing.pdf.compat import word_space
from briefing.render import measure
from briefing.render.measure import Measure
from briefing.render.shaping import Direction, ShapedRun, bidi_levels, hb_font, shape, visual_runs

#: Private-use characters of plane 15 stand for shaped glyphs (no font of ours maps them).
FIRST_PRIVATE = 0xF0000
#: The glyph advances of a shaped run are given in thousandths of an em (PDF text space).
PDF_UNITS = 1000.0

#: Font name -> the file HarfBuzz reads.
_SHAPED_FILES: dict[str, Path] = {}
_lock = threading.Lock()


class ShapedWidths(Measure):
    """The width function of a font that needs shaping: HarfBuzz's advances, word by word as
    the line is drawn (``visual_line`` shapes each word on its own)."""

    __slots__ = ("_file",)

    def __init__(self, font_name: str, size: float) -> None:
        super().__init__(font_name, size)
        self._file = _SHAPED_FILES[font_name]

    def width(self, text: str) -> float:
        widths = self._widths
        found = widths.get(text)
        if found is not None:
            return found
        value = sum(_shape_word(word, self._file, self.size, None).width if word != " "
                    else self._space() for word in _words(text))
        if len(text) <= measure.CACHED_LENGTH:
            if len(widths) >= measure.CACHED_ENTRIES:
                widths.clear()
            widths[text] = value
        return value

    def _space(self) -> float:
        found = self._chars.get(" ")
        if found is None:
            found = self._chars[" "] = shape(" ", self._file, self.size).width
        return found

    def advances(self, text: str) -> list[float]:
        out = [0.0] * len(text)
        for glyph in shape(text, self._file, self.size).glyphs:
            out[glyph.cluster] += glyph.x_advance
        return out


def register_shaped(font_name: str, path: Path) -> None:
    """Say that a registered font needs shaping (a script font): its widths and drawing go
    through HarfBuzz from now on."""
    with _lock:
        if font_name in _SHAPED_FILES:
            return
        _SHAPED_FILES[font_name] = path
    measure.serve(font_name, ShapedWidths)


def is_shaped(font_name: str) -> bool:
    return font_name in _SHAPED_FILES


def _words(text: str) -> list[str]:
    """A text cut into words and single spaces (the units shaped on their own)."""
    out: list[str] = []
    start = 0
    for i, char in enumerate(text):
        if char == " ":
            if i > start:
                out.append(text[start:i])
            out.append(" ")
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out


@lru_cache(maxsize=100_000)  # words repeat; bounded for long-running processes (watch)
def _shape_word(word: str, path: Path, size: float, direction: Direction | None) -> ShapedRun:
    return shape(word, path, size, direction)


# --- glyphs as characters ----------------------------------------------------------------------

#: What a glyph that stands for no more text is mapped to: the word joiner (invisible, and
#: neither a word break nor a change of shape), never an empty entry (which PDFium reads as
#: the raw code).
NOTHING = "\u2060"


class _Glyphs:
    """The characters a registered font draws its glyphs with: the character its cmap maps to
    the glyph when that is the text the glyph stands for at its own advance, else a
    private-use one (plane 15) whose ToUnicode entry is that text and whose width is the
    advance HarfBuzz gave (so that reportlab's measure of a drawn run is its shaped width)."""

    def __init__(self, font_name: str) -> None:
        font = getFont(font_name)
        self.face = font.face
        self.name = (font.face.name + font.face.subfontNameX).decode("latin-1")
        self.by_glyph: dict[int, list[int]] = {}
        for char, gid in self.face.charToGlyph.items():
            if char < FIRST_PRIVATE:
                self.by_glyph.setdefault(gid, []).append(char)
        self.private: dict[tuple[int, str, float], int] = {}
        self.lock = threading.Lock()

    def char(self, gid: int, text: str, advance: float) -> int:
        """The character drawn for glyph ``gid`` standing for ``text``, ``advance``
        thousandths of an em wide."""
        advance = round(advance, 2)
        if len(text) == 1 and ord(text) in self.by_glyph.get(gid, ()) and abs(
                self.face.charWidths.get(ord(text), -1) - advance) < 0.01:
            return ord(text)
        key = (gid, text, advance)
        found = self.private.get(key)
        if found is None:
            with self.lock:
                found = self.private.get(key)
                if found is None:
                    found = FIRST_PRIVATE + len(self.private)
                    while found in self.face.charToGlyph:
                        found += 1
                    self.face.charToGlyph[found] = gid
                    self.face.charWidths[found] = advance
                    tounicode.set_text(self.name, found, text)
                    self.private[key] = found
        return found


_glyph_tables: dict[str, _Glyphs] = {}


def _glyphs(font_name: str) -> _Glyphs:
    found = _glyph_tables.get(font_name)
    if found is None:
        with _lock:
            found = _glyph_tables.get(font_name)
            if found is None:
                found = _glyph_tables[font_name] = _Glyphs(font_name)
    return found


def glyph_texts(run: ShapedRun) -> tuple[list[str], set[int]]:
    """The logical text each glyph of a run stands for, and the glyphs drawn as outlines.

    Marks HarfBuzz moves from where the pen stands (a vowel sign raised over an alef, a
    Devanagari vowel sign shifted left) are drawn as outlines, not text: extractors read a
    raised glyph as a line of its own, and a shifted one as a word break. Their text goes
    with the cluster before them. The text of a cluster is shared out among its
    glyphs in reading order (the rightmost first in a right-to-left run), one character each
    and the rest to the last: a lam-alef ligature stands for its two letters, the two glyphs
    of Devanagari's कि for क and ि in that order. A glyph left with nothing stands for the
    word joiner (``NOTHING``).
    """
    n = len(run.text)
    raised = {k for k, g in enumerate(run.glyphs)
              if not g.x_advance and (g.y_offset or g.x_offset)}
    clusters: dict[int, list[int]] = {}
    for k, glyph in enumerate(run.glyphs):
        clusters.setdefault(glyph.cluster, []).append(k)
    starts = sorted(clusters)
    groups: list[tuple[int, int, list[int]]] = []  # start, end, glyphs drawn as text
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else n
        drawn = [k for k in clusters[start] if k not in raised]
        if not drawn and groups:
            first, _, kept = groups[-1]
            groups[-1] = (first, end, kept)
        else:
            if not drawn:  # raised marks with nothing before them: drawn as text after all
                drawn = clusters[start]
                raised.difference_update(drawn)
            groups.append((start, end, drawn))
    out = [""] * len(run.glyphs)
    rtl = run.direction == "rtl"
    for start, end, drawn in groups:
        text = run.text[start:end]
        if rtl:
            # Extractors read the characters of one glyph as drawn, left to right, and then
            # put a right-to-left line back in reading order: they are given reversed.
            text = text[::-1]
        ordered = sorted(drawn)
        for i, k in enumerate(ordered):
            if i < len(ordered) - 1:
                out[k] = text[i] if i < len(text) else NOTHING
            else:
                out[k] = text[i:] or NOTHING
    return out, raised


class Mark:
    """A glyph drawn as an outline at a line's drawing time: its position from the start of
    the frag it belongs to (points, before word spaces are stretched), how many word spaces
    come before it in the line, and its font, size and colour."""

    __slots__ = ("color", "gid", "path", "size", "spaces", "x", "y")

    def __init__(self, path: Path, gid: int, x: float, y: float, size: float, spaces: int,
                 color: Any) -> None:
        self.path, self.gid, self.x, self.y = path, gid, x, y
        self.size, self.spaces, self.color = size, spaces, color


def shaped_text(text: str, font_name: str, size: float, rtl: bool, color: Any = None,
                spaces: int = 0) -> tuple[str, list[Mark]]:
    """A run of text in a shaped font as reportlab draws it: a ``ShapedStr`` of one character
    per glyph, in drawing order, with HarfBuzz's advances and offsets (thousandths of an em),
    words shaped one by one as they were measured; and the marks drawn as outlines
    (``glyph_texts``), ``spaces`` word spaces before the run in its line."""
    path = _SHAPED_FILES[font_name]
    glyphs = _glyphs(font_name)
    direction: Direction = "rtl" if rtl else "ltr"
    words = _words(text)
    if rtl:
        words.reverse()
    chars: list[str] = []
    data: list[Any] = []
    marks: list[Mark] = []
    scale = PDF_UNITS / size
    pen = 0.0
    for word in words:
        run = _shape_word(word, path, size, direction)
        texts, outlined = glyph_texts(run)
        for k, (glyph, logical) in enumerate(zip(run.glyphs, texts, strict=True)):
            if k in outlined:
                marks.append(Mark(path, glyph.gid, pen + glyph.x_offset, glyph.y_offset, size,
                                  spaces, color))
                continue
            advance = glyph.x_advance * scale
            code = glyphs.char(glyph.gid, logical, advance)
            chars.append(chr(code))
            data.append(ShapeData(glyph.cluster, advance, 0, glyph.x_offset * scale,
                                  glyph.y_offset * scale, advance))
            pen += glyph.x_advance
        if word == " ":
            spaces += 1
    return ShapedStr("".join(chars), shapeData=data), marks


#: The name of the ``<ondraw>`` callback that draws a frag's marks.
MARKS_CALLBACK = "briefing_marks"


def draw_marks(canv: Any, kind: str, marks: Any) -> None:
    """``<ondraw>`` callback: draw the outlines of the marks of the frag that follows."""
    info = getattr(canv, "_curr_tx_info", None)
    if not info or not isinstance(marks, list):
        return
    tx = info["tx"]
    stretch = word_space(tx)
    x0, y0 = info["cur_x"], info["cur_y"]
    canv.saveState()
    for mark in marks:
        if mark.color is not None:
            canv.setFillColor(mark.color)
        font = hb_font(mark.path)
        scale = mark.size / font.upem
        path = canv.beginPath()
        _Pen(path, x0 + mark.x + mark.spaces * stretch, y0 + mark.y, scale).draw(font, mark.gid)
        canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()


class _Pen:
    """A HarfBuzz drawing pen writing a reportlab path (quadratic curves made cubic)."""

    def __init__(self, path: Any, x: float, y: float, scale: float) -> None:
        self.path, self.x, self.y, self.scale = path, x, y, scale
        self.last = (x, y)

    def draw(self, font: Any, gid: int) -> None:
        with font.lock:
            font.font.draw_glyph_with_pen(gid, self)

    def _at(self, point: tuple[float, float]) -> tuple[float, float]:
        return (self.x + point[0] * self.scale, self.y + point[1] * self.scale)

    def moveTo(self, point: tuple[float, float]) -> None:
        self.last = self._at(point)
        self.path.moveTo(*self.last)

    def lineTo(self, point: tuple[float, float]) -> None:
        self.last = self._at(point)
        self.path.lineTo(*self.last)

    def qCurveTo(self, control: tuple[float, float], end: tuple[float, float]) -> None:
        (x0, y0), (cx, cy), (x1, y1) = self.last, self._at(control), self._at(end)
        self.path.curveTo(x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0),
                          x1 + 2 / 3 * (cx - x1), y1 + 2 / 3 * (cy - y1), x1, y1)
        self.last = (x1, y1)

    def curveTo(self, c1: tuple[float, float], c2: tuple[float, float],
                end: tuple[float, float]) -> None:
        self.last = self._at(end)
        self.path.curveTo(*self._at(c1), *self._at(c2), *self.last)

    def closePath(self) -> None:
        self.path.close()


def _mirrored(text: str) -> str:
    """A run of unshaped text at a right-to-left level, in drawing order: its characters
    reversed, brackets and the like mirrored."""
    from bidi.mirror import MIRRORED  # with python-bidi, which such a text has needed already

    return "".join(MIRRORED.get(c, c) for c in reversed(text))


# --- lines --------------------------------------------------------------------------------------


def visual_line(line: Any, base: Direction) -> None:
    """Turn a line of reportlab's frags (``FragLine``, logical order) into the frags it draws,
    left to right (in place: its ``words`` and ``wordCount``)."""
    pieces: list[Any] = []  # the line's text frags
    starts: list[int] = []  # where each starts in the line's text
    markers: list[tuple[int, Any]] = []  # (offset, frag) of zero-width markers
    text_parts: list[str] = []
    offset = 0
    trailing: list[Any] = []  # a line break's frag stays last
    for frag in line.words:
        if hasattr(frag, "cbDefn"):
            markers.append((offset, frag))
            continue
        if hasattr(frag, "lineBreak"):
            trailing.append(frag)
            continue
        if not frag.text:
            continue
        pieces.append(frag)
        starts.append(offset)
        text_parts.append(frag.text)
        offset += len(frag.text)
    text = "".join(text_parts)
    end = len(text.rstrip(" "))
    if not end:
        return
    levels = bidi_levels(text[:end], base)
    owner = [0] * end
    for p, start in enumerate(starts):
        stop = starts[p + 1] if p + 1 < len(starts) else len(text)
        for i in range(start, min(stop, end)):
            owner[i] = p
    runs = visual_runs(levels, [s for s in starts if 0 < s < end])
    words: list[Any] = []
    spaces = 0
    open_at = _open_labels(markers, end)
    current: list[Any] = []  # markers (frags) open at the end of the frags written so far
    for run in runs:
        frag = pieces[owner[run.start]]
        chunk = text[run.start:run.end]
        wanted = open_at[run.start]
        _switch(words, current, wanted)
        current = list(wanted)
        new = frag.clone()
        if is_shaped(frag.fontName):
            new.text, marks = shaped_text(chunk, frag.fontName, frag.fontSize, run.rtl,
                                          getattr(frag, "textColor", None), spaces)
            if marks:
                words.append(_marks_frag(frag, marks))
        else:
            new.text = _mirrored(chunk) if run.rtl else chunk
        spaces += chunk.count(" ")
        words.append(new)
    _switch(words, current, [])
    words += trailing
    line.words = words
    line.wordCount = spaces + 1


def _marks_frag(frag: Any, marks: list[Mark]) -> Any:
    """A zero-width frag that draws the outlined marks of the frag after it."""
    out = frag.clone()
    out.text = ""
    out.cbDefn = _CallbackDefn(MARKS_CALLBACK, marks)
    return out


class _CallbackDefn:
    """reportlab's description of an ``<ondraw>`` callback, with any object as its label."""

    kind = "onDraw"

    def __init__(self, name: str, label: Any) -> None:
        self.name = name
        self.label = label


def _open_labels(markers: Sequence[tuple[int, Any]], end: int) -> list[list[Any]]:
    """For each offset of the line's text, the inline markers (their opening frags) open there,
    outermost first."""
    out: list[list[Any]] = []
    stack: list[Any] = []
    k = 0
    for i in range(end + 1):
        while k < len(markers) and markers[k][0] <= i:
            frag = markers[k][1]
            if getattr(frag.cbDefn, "label", None) == "end":
                if stack:
                    stack.pop()
            else:
                stack.append(frag)
            k += 1
        out.append(list(stack))
    return out


def _switch(words: list[Any], current: list[Any], wanted: list[Any]) -> None:
    """Close the markers open that the next run is not in, open those it is in."""
    keep = 0
    while keep < min(len(current), len(wanted)) and current[keep] is wanted[keep]:
        keep += 1
    for frag in reversed(current[keep:]):
        closing = frag.clone()
        closing.cbDefn = frag.cbDefn.clone(label="end") if hasattr(frag.cbDefn, "clone") \
            else _with_label(frag.cbDefn, "end")
        words.append(closing)
    words.extend(frag.clone() for frag in wanted[keep:])


def _with_label(defn: Any, label: str) -> Any:
    new = type(defn)()
    new.__dict__.update(defn.__dict__)
    new.label = label
    return new
