"""Spike: a right-to-left paragraph drawn from HarfBuzz's glyphs in the bidi algorithm's visual
order, each line wrapped in ``/Span <</ActualText (logical text)>> BDC … EMC``, and what text
extractors give back from it.

Run ``python -m tests.spikes.rtl_actualtext [out.pdf]``: it writes the PDF and prints, for each
extractor, whether the words come back in logical (reading) order.

What it shows for the second phase (the real line breaker and story):

- the line's glyphs are drawn as shaped (joining forms, lam-alef), words and runs in visual
  order (``shaping.visual_runs``), mixed runs (Latin, digits) each in its own font
  (``typography.scripts.font_runs``), right-aligned;
- each glyph is drawn through reportlab as a character: ``logical=True`` gives each (glyph,
  text) pair a private-use character whose ToUnicode entry is the logical text of the glyph's
  cluster (a lam-alef ligature: its two letters; a joined letter: the letter, not its
  presentation form), through ``pdf.tounicode.set_text``; ``logical=False`` draws the
  character the font maps to the glyph (presentation forms), or reportlab's private-use one
  (``hbAddPrivate``) for glyphs without one, as reportlab's own ``shaping=1`` does;
- ``mark=True`` wraps each line in ``/Span <</ActualText <FEFF…>>> BDC … EMC`` (UTF-16BE with a
  byte order mark), the line's logical text.

Results (poppler 22.12 pdftotext, pypdf 7, pdfplumber 0.11, pypdfium2 5; words compared with
presentation forms folded and punctuation left out):

=====================  ==========  =====  ==========  ==============================
mode                   pdftotext   pypdf  pdfplumber  pypdfium2
=====================  ==========  =====  ==========  ==============================
logical ToUnicode      logical     visual  visual*     logical (URL pieces reversed)
ActualText             reversed    visual  visual*     garbled (letters reversed)
both                   reversed    visual  visual*     garbled
neither (reportlab's)  letters lost in ligatures, presentation forms everywhere
=====================  ==========  =====  ==========  ==============================

"visual": the line's words right to left as drawn, which ``bidi.get_display(line, "R")`` puts
back in reading order (pypdf: all words). *pdfplumber also splits Latin words onto a line of
their own (their glyph boxes are taller than the Arabic ones). So: draw in visual order with a
logical ToUnicode per glyph, and keep ``/ActualText`` out of the content stream: pdftotext and
PDFium apply the bidi algorithm to what they extract and reverse the ActualText. ``/ActualText``
belongs on structure elements, which assistive technology reads and extractors leave alone.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from briefing.assets import asset
from briefing.pdf import tounicode
from briefing.render.shaping import ShapedRun, bidi_levels, hb_font, shape, visual_runs
from briefing.typography.runs import FontChain, font_runs

TEXT = ("أعلنت شركة OpenAI يوم 2 ديسمبر 2026 عن تعليق خدمة Sora للفيديو، "
        "وقال الفنانون إن الشركة استفادت من عملهم دون مقابل. "
        "لمزيد من المعلومات زوروا https://example.org/sora قبل نهاية الأسبوع.")
SIZE = 14.0
LEADING = 24.0


#: Per reportlab font: (glyph, text) -> the private-use character drawn for it.
_LOGICAL: dict[str, dict[tuple[int, str], int]] = {}


class _Face:
    def __init__(self, name: str, path: Path) -> None:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        font = pdfmetrics.getFont(name)  # reportlab never replaces a registered font
        self.name = name
        self.path = path
        self.font = font
        self.charset = frozenset(font.face.charToGlyph)
        self.glyph_char: dict[int, int] = {}
        self.logical: dict[tuple[int, str], int] = _LOGICAL.setdefault(name, {})
        for char, gid in sorted(font.face.charToGlyph.items()):
            self.glyph_char.setdefault(gid, char)

    def logical_char(self, gid: int, text: str, advance_units: int) -> str:
        """A private-use character drawn as glyph ``gid`` whose ToUnicode entry is ``text``
        (the logical characters of its cluster): one per glyph and text."""
        key = (gid, text)
        found = self.logical.get(key)
        if found is None:
            face = self.font.face
            found = 0xF0000 + len(self.logical)  # plane 15, private use: no font of ours maps it
            while found in face.charToGlyph:
                found += 1
            face.charToGlyph[found] = gid
            face.charWidths[found] = advance_units
            name = (face.name + face.subfontNameX).decode("latin-1")
            tounicode.set_text(name, found, text)
            self.logical[key] = found
        return chr(found)

    def char_for(self, gid: int, advance_units: int) -> str:
        """The character reportlab draws for a glyph id (a private-use one if it has none)."""
        found = self.glyph_char.get(gid)
        if found is None:
            self.font.hbFont(SIZE)  # makes reportlab's private-use allocator available
            name = hb_font(self.path).glyph_name(gid)
            found = self.glyph_char[gid] = self.font.hbAddPrivate(name, gid, advance_units)
        return chr(found)


def actual_text(text: str) -> str:
    """A PDF hex string of ``text`` in UTF-16BE with its byte order mark."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _lines(text: str, width: float, chain: FontChain, faces: dict[str, _Face]) -> list[str]:
    """Greedy lines by shaped widths (the spike's stand-in for the real breaker)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if current and _width(trial, chain, faces) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _width(line: str, chain: FontChain, faces: dict[str, _Face]) -> float:
    return sum(shape(line[r.start:r.end], faces[r.font or chain.body.name].path, SIZE).width
               for r in font_runs(line, chain))


def draw_rtl_paragraph(canvas: Canvas, text: str, right: float, top: float, width: float,
                       chain: FontChain, faces: dict[str, _Face], *, mark: bool = True,
                       logical: bool = False) -> None:
    """Draw a right-to-left paragraph, right-aligned, one ``/Span`` with ``/ActualText`` a line."""
    y = top
    for line in _lines(text, width, chain, faces):
        levels = bidi_levels(line, "rtl")
        fonts = font_runs(line, chain)
        cuts = [r.start for r in fonts]
        shaped = []
        for run in visual_runs(levels, cuts):
            font = next(f for f in fonts if f.start <= run.start < f.end)
            face = faces[font.font or chain.body.name]
            glyphs = shape(line[run.start:run.end], face.path, SIZE,
                           "rtl" if run.rtl else "ltr")
            shaped.append((face, glyphs))
        line_width = sum(g.width for _, g in shaped)
        x = right - line_width
        if mark:
            canvas._code.append(f"/Span <</ActualText {actual_text(line)}>> BDC")
        for face, glyphs in shaped:
            upem = hb_font(face.path).upem
            texts = _cluster_texts(glyphs) if logical else {}
            for k, glyph in enumerate(glyphs.glyphs):
                units = round(glyph.x_advance * upem / SIZE)
                char = (face.logical_char(glyph.gid, texts[k], units) if logical
                        else face.char_for(glyph.gid, units))
                text_object = canvas.beginText(x + glyph.x_offset, y + glyph.y_offset)
                text_object.setFont(face.name, SIZE)
                text_object.textOut(char)
                canvas.drawText(text_object)
                x += glyph.x_advance
        if mark:
            canvas._code.append("EMC")
        y -= LEADING


def _cluster_texts(run: ShapedRun) -> dict[int, str]:
    """The logical text each glyph stands for: its cluster's characters, given to the glyph
    a reader meets first (the rightmost of a right-to-left cluster); "" for the others."""
    starts = sorted({g.cluster for g in run.glyphs})
    ends = {s: (starts[i + 1] if i + 1 < len(starts) else len(run.text))
            for i, s in enumerate(starts)}
    order = range(len(run.glyphs) - 1, -1, -1) if run.direction == "rtl" else range(len(run.glyphs))
    out: dict[int, str] = {}
    given: set[int] = set()
    for k in order:
        cluster = run.glyphs[k].cluster
        out[k] = "" if cluster in given else run.text[cluster:ends[cluster]]
        given.add(cluster)
    return out


def build(out: Path | io.BytesIO, text: str = TEXT, *, mark: bool = True,
          logical: bool = False) -> None:
    faces = {
        "spike-naskh": _Face("spike-naskh", asset("fonts", "NotoNaskhArabic-Regular.ttf")),
        "spike-serif": _Face("spike-serif", asset("fonts", "NotoSerif-Regular.ttf")),
    }
    chain = FontChain(faces["spike-serif"], {"Arab": [faces["spike-naskh"]]})
    canvas = Canvas(out if isinstance(out, io.BytesIO) else str(out), pagesize=(595, 842),
                    initialFontName="spike-serif")
    tounicode.install()
    draw_rtl_paragraph(canvas, text, 595 - 56, 842 - 80, 595 - 112, chain, faces, mark=mark,
                       logical=logical)
    canvas.showPage()
    canvas.save()


def extract(pdf: Path) -> dict[str, str]:
    """The page's text as each extractor gives it."""
    import pdfplumber
    import pypdf
    import pypdfium2

    out = {"pdftotext": subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                       capture_output=True, text=True, check=True).stdout}
    out["pypdf"] = pypdf.PdfReader(pdf).pages[0].extract_text()
    with pdfplumber.open(pdf) as doc:
        out["pdfplumber"] = doc.pages[0].extract_text()
    document = pypdfium2.PdfDocument(pdf)
    out["pypdfium2"] = document[0].get_textpage().get_text_range()
    document.close()
    return out


_NOT_WORD = re.compile(r"[\s\u200e\u200f\u202a-\u202e.,،:;!?/]+")


def words(text: str) -> list[str]:
    """The words of a text, compared as a reader would: compatibility forms folded (Arabic
    presentation forms are letters), punctuation, spaces and bidi controls left out."""
    return [w for w in _NOT_WORD.split(unicodedata.normalize("NFKC", text)) if w]


def words_in_order(expected: str, got: str) -> bool:
    """Whether ``got`` has exactly the words of ``expected``, in order."""
    return words(got) == words(expected)


def main(folder: Path) -> None:
    """Build the paragraph three ways and print what each extractor gives back."""
    from bidi import get_display

    modes = {"actualtext": {"mark": True}, "logical-tounicode": {"mark": False, "logical": True},
             "both": {"mark": True, "logical": True}, "neither": {"mark": False}}
    for mode, options in modes.items():
        path = folder / f"rtl-{mode}.pdf"
        build(path, **options)  # type: ignore[arg-type]
        for tool, text in extract(path).items():
            lines = "\n".join(get_display(line, base_dir="R") for line in text.splitlines())
            print(f"{mode:18} {tool:10} words in logical order: "
                  f"{words_in_order(TEXT, text)!s:5}  after bidi of each line: "
                  f"{words_in_order(TEXT, lines)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
