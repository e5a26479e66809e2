"""Every use of reportlab's internals, in one place (and the one of svglib's).

reportlab has no API for what a tagged, archival, reproducible PDF needs: the page's content
stream as it is written, the document object before it is written, its line breaker's set of
spaces, a font loaded on first use. So briefing reaches into its private attributes, overrides
some private methods and replaces a few module functions. Each such use is here, under a name
that says what it is for; the rest of the package calls these and never spells a private
reportlab name (``tests/pdf/test_compat.py`` checks both: that no other module does, and that
the installed reportlab still has every attribute, method and signature relied on here).

When a reportlab release breaks that test, this module is the one to adapt.
``pyproject.toml`` pins reportlab below 6 for the same reason.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from reportlab import rl_config
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import ListFlowable, Paragraph, paragraph
from reportlab.platypus.paragraph import (
    _InjectedFrag as InjectedFrag,
)
from reportlab.platypus.paragraph import (
    _SplitFragHY as SplitFragHY,
)
from reportlab.platypus.paragraph import (
    _SplitFragLL as SplitFragLL,
)
from reportlab.platypus.paragraph import (
    _SplitWordHY as SplitWordHY,
)
from reportlab.platypus.paragraph import (
    _SplitWordLL as SplitWordLL,
)

__all__ = [
    "OVERRIDDEN",
    "UNSHAPED_CHAR",
    "InjectedFrag",
    "SplitFragHY",
    "SplitFragLL",
    "SplitWordHY",
    "SplitWordLL",
    "allow_keys",
    "annotation_count",
    "at_frame_top",
    "breakable_spaces",
    "content_code",
    "current_text_object",
    "declared_attributes",
    "frame_size",
    "frame_used",
    "hide_rule",
    "install_font_loader",
    "justifies_last_line",
    "kept_flowables",
    "line_width_max",
    "list_item_bullet",
    "mark_split_paragraph",
    "pdf_document",
    "registered_font",
    "restore_page",
    "save_page",
    "set_breakable_spaces",
    "set_default_font",
    "set_line_width_max",
    "set_subset_namer",
    "set_svg_font_map",
    "set_timestamp",
    "set_to_unicode_writer",
    "set_word_split",
    "shape_attributes",
    "start_page",
    "subset_namer",
    "to_unicode_writer",
    "word_space",
    "word_split",
]

#: reportlab's private methods that briefing's subclasses override or call, with the
#: parameters they take (after ``self``): a release that renames one or changes its
#: parameters would silently bypass the override.
OVERRIDDEN: tuple[tuple[type, str, tuple[str, ...]], ...] = (
    (PDFTextObject, "_textOut", ("text", "TStar")),  # tagging: a real space at line ends
    (Canvas, "_startPage", ()),  # furniture: pages kept until the page count is known
    (ListFlowable, "_makeBullet", ("value", "params")),  # tagging: bullets as Lbl
    (ListFlowable, "_getContent", ()),
    (Paragraph, "_setup", ("text", "style", "bulletText", "frags", "cleaner")),  # total fit
)


# --- the canvas and the document being written -------------------------------------------


def content_code(obj: Any) -> list[str]:
    """The content-stream chunks of a canvas's current page or of a text object (one chunk
    per drawing call), which marked content is written into."""
    code: list[str] = obj._code
    return code


def pdf_document(canv: Canvas) -> Any:
    """reportlab's document object (``PDFDocument``) behind a canvas, before it is written."""
    return canv._doc


def annotation_count(canv: Canvas) -> int:
    """How many annotations the canvas's current page has so far."""
    return len(canv._annotationrefs)


def current_text_object(canv: Canvas) -> Any | None:
    """The text object a paragraph is drawing when it calls an ``<ondraw>`` callback."""
    info = getattr(canv, "_curr_tx_info", None) or {}
    return info.get("tx")


def start_page(canv: Canvas) -> None:
    """Start a new page's state without emitting the current one (``showPage`` deferred)."""
    canv._startPage()


def set_timestamp(canv: Canvas, date: dt.date) -> None:
    """Date the document at midnight UTC of ``date`` (creation and modification dates, and
    what the file's /ID derives from): dates in the PDF come from the content."""
    stamp = TimeStamp(invariant=1)
    t = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()
    stamp.t = t
    stamp.lt = time.gmtime(t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    canv._doc._timeStamp = stamp


def save_page(canv: Canvas) -> dict[str, Any]:
    """Everything the canvas holds of its current page (its code, resources, annotations,
    graphics state), kept to be finished later: reportlab keeps it all in attributes."""
    return dict(canv.__dict__)


def restore_page(canv: Canvas, state: dict[str, Any]) -> None:
    """Make a page kept by ``save_page`` the canvas's current page again."""
    canv.__dict__.update(state)


def allow_keys(obj: Any, *keys: str) -> None:
    """Let a reportlab page or catalog write keys its class does not list (per object)."""
    missing = [k for k in keys if k not in obj.__NoDefault__]
    if missing:
        obj.__NoDefault__ = [*obj.__NoDefault__, *missing]


# --- flowables ---------------------------------------------------------------------------


def frame_size(frame: Any) -> tuple[float, float]:
    """The width and height of a frame, paddings included (as reportlab's layout error
    reports a block that fits no frame)."""
    return float(frame._width), float(frame._height)


def frame_used(frame: Any) -> float:
    """How much of a frame's height the flowables laid out in it so far take (points)."""
    return float(frame._y1 + frame._height - frame._topPadding - frame._y)


def frame_cursor(frame: Any) -> float:
    """Where the next block would start in a frame: the bottom of what is laid out in it so
    far, the space after the last block included (points from the page's foot)."""
    return float(frame._y)


def frame_bottom(frame: Any) -> float:
    """The lowest a block may reach in a frame (its foot, above its bottom padding)."""
    return float(frame._y1p)


def kept_flowables(keep: Any) -> list[Any]:
    """The flowables a KeepTogether holds (its own wrap reports a huge height, to force a
    split)."""
    return list(keep._content)


def kept_height(keep: Any) -> float:
    """The height of what a KeepTogether holds, as its last ``wrap`` measured it."""
    return float(getattr(keep, "_H", 0.0))


def table_height(table: Any) -> float:
    """A table's height, as its last ``wrap`` measured it."""
    return float(getattr(table, "_height", 0.0))


def at_frame_top(flowable: Any) -> bool:
    """Whether a flowable being wrapped is the first in its frame (nothing above it)."""
    return bool(getattr(getattr(flowable, "_frame", None), "_atTop", False))


def hide_rule(rule: Any) -> None:
    """Make a horizontal rule (``HRFlowable``) take no width."""
    rule._width = 0.0


def list_item_bullet(indenter: Any) -> Any | None:
    """The bullet drawer of a list item (``LIIndenter``)."""
    return indenter._bullet


def mark_split_paragraph(first: Any, *, justify_last: bool) -> None:
    """Make the first piece of a split paragraph draw as reportlab's own first piece does:
    its last line justified unless it ends with a forced break."""
    first._JustifyLast = justify_last
    first._splitpara = 1


def set_line_width_max(para: Any, width: float) -> None:
    """The widest line of a paragraph broken outside reportlab (its ``minWidth`` and shrink)."""
    para._width_max = width


def line_width_max(para: Any) -> float:
    """The widest line of a wrapped paragraph (a one-line paragraph: its text's width)."""
    return float(getattr(para, "_width_max", 0.0))


def justifies_last_line(para: Any) -> bool:
    """Whether a paragraph's last line is justified (a piece of a split paragraph's is)."""
    return bool(getattr(para, "_JustifyLast", False))


def word_space(tx: Any) -> float:
    """The word spacing a text object sets for the line being drawn (justified lines)."""
    return float(getattr(tx, "_wordSpace", 0.0) or 0.0)


#: reportlab's shaping data of a character drawn at its own advance, in a ``ShapedStr``.
UNSHAPED_CHAR = ttfonts._sdSimple


# --- graphics ------------------------------------------------------------------------------


def declared_attributes(shape: Any) -> Mapping[str, Any]:
    """The attributes a reportlab graphics shape declares (its class's attribute map)."""
    found: Mapping[str, Any] = getattr(shape, "_attrMap", None) or {}
    return found


def shape_attributes(shape: Any) -> dict[str, Any]:
    """The attributes a graphics shape holds (without its class's attribute map)."""
    return {k: v for k, v in vars(shape).items() if k != "_attrMap"}


# --- the line breaker's spaces -------------------------------------------------------------


def breakable_spaces() -> str:
    """The characters reportlab's paragraph breaks lines at."""
    spaces: str = paragraph._wsc
    return spaces


def set_breakable_spaces(spaces: str) -> None:
    """Make reportlab's paragraph break lines at ``spaces`` (and nowhere else)."""
    paragraph._wsc = spaces
    paragraph._wsc_re_split = re.compile(f"[{re.escape(spaces)}]+").split
    paragraph._wsc_end_search = re.compile(f"[{re.escape(spaces)}]+$").search


def word_split() -> Callable[..., list[str]]:
    """reportlab's paragraph word splitter, ``split(text, delim=None)``."""
    found: Callable[..., list[str]] = paragraph.split
    return found


def set_word_split(split: Callable[..., list[str]]) -> None:
    """Replace reportlab's paragraph word splitter."""
    paragraph.split = split


# --- fonts ---------------------------------------------------------------------------------


def registered_font(name: str) -> Any:
    """A font registered with reportlab, by name (no lookup, no error message of its own)."""
    return pdfmetrics._fonts[name]


_font_loader_installed = False


def install_font_loader(load: Callable[[str], bool]) -> None:
    """Teach reportlab's font lookup to load fonts on first use: ``load(name)`` registers the
    font and returns True when it knows the name; other names go to reportlab's own lookup."""
    global _font_loader_installed
    if _font_loader_installed:
        return
    original: Callable[[str], Any] = pdfmetrics.findFontAndRegister

    def find(name: str) -> Any:
        if load(name):
            return pdfmetrics._fonts[name]
        return original(name)

    pdfmetrics.findFontAndRegister = find
    _font_loader_installed = True


def to_unicode_writer() -> Callable[[str, Any], str]:
    """reportlab's writer of a font subset's ToUnicode CMap, ``(fontname, subset) -> str``."""
    found: Callable[[str, Any], str] = ttfonts.makeToUnicodeCMap
    return found


def set_to_unicode_writer(writer: Callable[[str, Any], str]) -> None:
    """Replace reportlab's ToUnicode CMap writer (for every font subset written after)."""
    ttfonts.makeToUnicodeCMap = writer


def subset_namer() -> Callable[[int], bytes]:
    """reportlab's namer of a font subset's tag from its number (``AAAAAA`` for every font's
    first subset), called while a font is written into a document."""
    found: Callable[[int], bytes] = ttfonts.SUBSETN
    return found


def set_subset_namer(namer: Callable[[int], bytes]) -> None:
    """Replace reportlab's subset namer (for every font subset written after)."""
    ttfonts.SUBSETN = namer


def set_default_font(name: str) -> None:
    """The font reportlab's canvas and graphics (SVG logos, QR codes) start from, instead of
    base-14 Helvetica, which is never embedded."""
    rl_config.defaultGraphicsFontName = name
    rl_config.canvas_basefontname = name


def set_svg_font_map(font_map: Any) -> None:
    """svglib's global font map, which nested SVGs use whatever map the renderer was given."""
    import svglib.fonts

    svglib.fonts._font_map = font_map
