"""Spike: a right-to-left paragraph drawn from HarfBuzz's glyphs in the bidi algorithm's visual
order, each line wrapped in ``/Span <</ActualText (logical text)>> BDC … EMC``, and what text
extractors give back from it.

Run ``python -m tests.spikes.rtl_actualtext [out.pdf]``: it writes the PDF and prints, for each
extractor, whether the words come back in logical (reading) order.

What it shows for the second phase (the real line breaker and story):

- the line's glyphs are drawn as shaped (joining forms, lam-alef), words and runs in visual
  order (``shaping.visual_runs``), mixed runs (Latin, digits) each in its own font
  (``typography.scripts.font_runs``), right-aligned;
- each glyph is drawn through reportlab as a character: the one the font maps to it, or a
  private-use character reportlab's shaping assigns to glyphs without one (``hbAddPrivate``);
  the ToUnicode CMap of such glyphs says nothing useful, which is why ``/ActualText`` carries
  the line's logical text (UTF-16BE with a byte order mark), and extractors that honour it
  return the words as written.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from briefing.assets import asset
from briefing.render.shaping import bidi_levels, hb_font, shape, visual_runs
from briefing.typography.scripts import FontChain, font_runs

TEXT = ("أعلنت شركة OpenAI يوم 2 ديسمبر 2026 عن تعليق خدمة Sora للفيديو، "
        "وقال الفنانون إن الشركة استفادت من عملهم دون مقابل. "
        "لمزيد من المعلومات زوروا https://example.org/sora قبل نهاية الأسبوع.")
SIZE = 14.0
LEADING = 24.0


class _Face:
    def __init__(self, name: str, path: Path) -> None:
        font = TTFont(name, str(path))
        pdfmetrics.registerFont(font)
        self.name = name
        self.path = path
        self.font = font
        self.charset = frozenset(font.face.charToGlyph)
        self.glyph_char: dict[int, int] = {}
        for char, gid in sorted(font.face.charToGlyph.items()):
            self.glyph_char.setdefault(gid, char)

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
                       chain: FontChain, faces: dict[str, _Face], *, mark: bool = True) -> None:
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
            for glyph in glyphs.glyphs:
                units = round(glyph.x_advance * upem / SIZE)
                text_object = canvas.beginText(x + glyph.x_offset, y + glyph.y_offset)
                text_object.setFont(face.name, SIZE)
                text_object.textOut(face.char_for(glyph.gid, units))
                canvas.drawText(text_object)
                x += glyph.x_advance
        if mark:
            canvas._code.append("EMC")
        y -= LEADING


def build(out: Path | io.BytesIO, text: str = TEXT, *, mark: bool = True) -> None:
    faces = {
        "spike-naskh": _Face("spike-naskh", asset("fonts", "NotoNaskhArabic-Regular.ttf")),
        "spike-serif": _Face("spike-serif", asset("fonts", "NotoSerif-Regular.ttf")),
    }
    chain = FontChain(faces["spike-serif"], {"Arab": [faces["spike-naskh"]]})
    canvas = Canvas(out if isinstance(out, io.BytesIO) else str(out), pagesize=(595, 842),
                    initialFontName="spike-serif")
    draw_rtl_paragraph(canvas, text, 595 - 56, 842 - 80, 595 - 112, chain, faces, mark=mark)
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


def words_in_order(expected: str, got: str) -> bool:
    """Whether every word of ``expected`` comes back, in order."""
    flat = " ".join(got.split())
    position = 0
    for word in expected.split():
        found = flat.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "rtl-actualtext.pdf")
    build(path)
    for tool, text in extract(path).items():
        print(f"{tool:11} logical order: {words_in_order(TEXT, text)}")
