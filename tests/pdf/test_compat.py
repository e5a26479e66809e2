"""reportlab's internals are used in one module, ``briefing/pdf/compat.py``, and this test
fails when an installed reportlab no longer has what that module relies on: every private
attribute it reads or writes, every private method a subclass overrides (with its
parameters), every module function it replaces.

It also fails when any other module of the package spells a private reportlab name (an
attribute that reportlab's classes, instances or modules have), imports one, or replaces a
function of a reportlab module: such a use belongs in ``compat``.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import inspect
import io
from pathlib import Path
from typing import Any

import pytest
import svglib.fonts
from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    ListFlowable,
    Paragraph,
    Preformatted,
    paragraph,
)
from reportlab.platypus.flowables import BulletDrawer, HRFlowable, LIIndenter

from briefing.pdf import compat

PACKAGE = Path(__file__).resolve().parents[2] / "briefing"
COMPAT = PACKAGE / "pdf" / "compat.py"


def _canvas() -> Canvas:
    return Canvas(io.BytesIO(), invariant=1)


def _split_paragraph() -> tuple[Paragraph, Paragraph, Paragraph]:
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12)
    para = Paragraph("word " * 200, style)
    para.wrap(200, 1000)
    first, rest = para.split(200, 60)
    return para, first, rest


# --- what compat relies on is still there --------------------------------------------


@pytest.mark.parametrize(("cls", "name", "params"), compat.OVERRIDDEN,
                         ids=[f"{c.__name__}.{n}" for c, n, _ in compat.OVERRIDDEN])
def test_overridden_private_methods_keep_their_parameters(cls: type, name: str,
                                                          params: tuple[str, ...]) -> None:
    method = getattr(cls, name, None)
    assert callable(method), f"reportlab's {cls.__name__} has no {name} any more"
    found = tuple(inspect.signature(method).parameters)[1:]
    assert found == params, f"{cls.__name__}.{name} now takes {found}, compat expects {params}"


def test_the_private_splitting_classes_are_strings_and_fragments() -> None:
    assert issubclass(compat.SplitWordHY, str) and issubclass(compat.SplitWordLL, str)
    assert compat.SplitWordHY("ab-").endswith("-")
    for cls in (compat.SplitFragHY, compat.SplitFragLL, compat.InjectedFrag):
        assert isinstance(cls, type)


def test_canvas_internals() -> None:
    canv = _canvas()
    canv.drawString(10, 10, "x")
    code = compat.content_code(canv)
    assert isinstance(code, list) and all(isinstance(c, str) for c in code)
    assert any("Tj" in c for c in code)
    text = canv.beginText(0, 0)
    assert isinstance(compat.content_code(text), list)
    assert compat.annotation_count(canv) == 0
    canv.linkURL("https://example.org", (0, 0, 10, 10))
    assert compat.annotation_count(canv) == 1
    doc = compat.pdf_document(canv)
    for attribute in ("Catalog", "Pages", "idToObject", "info", "fontMapping", "encrypt"):
        assert hasattr(doc, attribute), attribute
    assert callable(doc.Reference)
    kept = compat.save_page(canv)
    compat.start_page(canv)
    assert compat.content_code(canv) is not code  # a fresh page's code
    assert compat.annotation_count(canv) == 0
    compat.restore_page(canv, kept)
    assert compat.content_code(canv) is code and compat.annotation_count(canv) == 1


def test_the_timestamp_is_the_documents_date() -> None:
    buffer = io.BytesIO()
    canv = Canvas(buffer, invariant=1)
    compat.set_timestamp(canv, dt.date(2021, 3, 4))
    canv.drawString(10, 10, "x")
    canv.save()
    assert b"D:20210304000000" in buffer.getvalue()


def test_the_text_object_being_drawn_is_found_from_a_callback() -> None:
    found: list[Any] = []
    canv = _canvas()
    canv.setNamedCB("probe", lambda c, kind, label: found.append(compat.current_text_object(c)))
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12)
    para = Paragraph('one <ondraw name="probe" label="x"/>two', style)
    para.wrapOn(canv, 200, 100)
    para.drawOn(canv, 0, 0)
    assert found and isinstance(found[0], PDFTextObject)
    assert compat.current_text_object(_canvas()) is None


def test_extra_keys_are_written() -> None:
    canv = _canvas()
    canv.drawString(10, 10, "x")
    canv.showPage()
    doc = compat.pdf_document(canv)
    page = doc.Pages.pages[0]
    compat.allow_keys(page, "Tabs")
    compat.allow_keys(page, "Tabs")  # once is enough
    assert list(page.__NoDefault__).count("Tabs") == 1
    page.Tabs = pdfdoc.PDFName("S")
    assert b"/Tabs /S" in page.format(doc)


def test_flowable_internals() -> None:
    frame = Frame(0, 0, 100, 200, leftPadding=6, rightPadding=6, topPadding=6, bottomPadding=6)
    assert compat.frame_size(frame) == (100.0, 200.0)
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12)
    items = ListFlowable([Paragraph("a", style), Paragraph("b", style)], bulletType="bullet")
    content = items._getContent()
    indenters = [f for f in content if isinstance(f, LIIndenter)]
    assert indenters and all(isinstance(compat.list_item_bullet(f), BulletDrawer)
                             for f in indenters)
    assert isinstance(items._makeBullet("1"), BulletDrawer)


def test_a_split_paragraph_is_marked_as_reportlab_marks_its_own() -> None:
    para, first, _rest = _split_paragraph()
    assert isinstance(para._width_max, int | float)  # what set_line_width_max sets
    assert first._splitpara == 1 and isinstance(first._JustifyLast, bool)
    mine = Paragraph("x", para.style)
    compat.mark_split_paragraph(mine, justify_last=True)
    compat.set_line_width_max(mine, 12.5)
    assert (mine._splitpara, mine._JustifyLast, mine._width_max) == (1, True, 12.5)


def test_the_line_breakers_spaces_and_word_split() -> None:
    spaces = compat.breakable_spaces()
    assert isinstance(spaces, str) and " " in spaces and "\u00a0" not in spaces
    assert callable(paragraph._wsc_re_split) and callable(paragraph._wsc_end_search)
    split = compat.word_split()
    assert tuple(inspect.signature(split).parameters) == ("text", "delim")
    assert split("a b") == ["a", "b"]


def test_font_and_cmap_hooks() -> None:
    pdfmetrics.getFont("Helvetica")
    assert compat.registered_font("Helvetica").fontName == "Helvetica"
    assert isinstance(pdfmetrics._fonts, dict)
    assert callable(pdfmetrics.findFontAndRegister)
    writer = compat.to_unicode_writer()
    assert tuple(inspect.signature(writer).parameters) == ("fontname", "subset")
    assert "beginbfchar" in writer("AAAAAA+X", [0x41])
    assert hasattr(rl_config, "defaultGraphicsFontName")
    assert hasattr(rl_config, "canvas_basefontname")
    assert isinstance(svglib.fonts._font_map, svglib.fonts.FontMap)


# --- nobody else uses them ------------------------------------------------------------


def _private_names() -> set[str]:
    """The private names of reportlab's classes, instances and modules briefing touches."""
    canv = _canvas()
    canv.linkURL("https://example.org", (0, 0, 10, 10))
    para, first, rest = _split_paragraph()
    frame = Frame(0, 0, 100, 200)
    style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12)
    items = ListFlowable([Paragraph("a", style)])
    objects: list[Any] = [
        Canvas, PDFTextObject, Paragraph, ListFlowable, LIIndenter, BulletDrawer, Frame,
        Flowable, Preformatted, HRFlowable, BaseDocTemplate, shapes.Drawing, shapes.Rect,
        shapes.String, shapes.Group, shapes.Path, shapes.PolyLine, shapes.Circle, pdfdoc.PDFDocument, pdfdoc.PDFPage,
        pdfdoc.PDFCatalog, pdfmetrics, paragraph, ttfonts, rl_config, svglib.fonts,
        canv, canv.beginText(), compat.pdf_document(canv), para, first, rest, frame,
        *items._getContent(),
    ]
    names: set[str] = set()
    for obj in objects:
        names |= set(dir(obj)) | set(getattr(obj, "__dict__", {}))
    return {n for n in names if n.startswith("_") and not (n.startswith("__") and n.endswith("__"))
            } | {"__NoDefault__"}


def _reportlab_modules(tree: ast.AST) -> set[str]:
    """Local names bound to reportlab (or svglib) modules in a module."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("reportlab", "svglib"):
                    out.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
                "reportlab", "svglib"):
            for alias in node.names:
                if _is_module(f"{node.module}.{alias.name}"):
                    out.add(alias.asname or alias.name)
    return out


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a name inside a module, not a module
        return False


def _overridden() -> set[str]:
    return {name for _, name, _ in compat.OVERRIDDEN}


def _uses(path: Path, private: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = _reportlab_modules(tree)
    found = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
            found += [f"{where} imports {a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Attribute) and node.attr in private:
            is_super = (isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                        and node.value.func.id == "super")
            if not (is_super and node.attr in _overridden()):
                found.append(f"{where} uses .{node.attr}")
        elif isinstance(node, ast.ClassDef):
            found += [f"{path.name}:{item.lineno} overrides {item.name}" for item in node.body
                      if isinstance(item, ast.FunctionDef)
                      and item.name in private - _overridden()]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "hasattr", "setattr", "delattr")
              and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
              and node.args[1].value in private):
            found.append(f"{where} uses .{node.args[1].value}")
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                        and target.value.id in modules):
                    found.append(f"{where} replaces {target.value.id}.{target.attr}")
    return found


def test_only_compat_touches_reportlabs_internals() -> None:
    private = _private_names()
    assert {"_code", "_doc", "_wsc", "_fonts", "_width_max", "_atTop", "_attrMap"} <= private
    found = [f"{path.parent.name}/{use}" for path in sorted(PACKAGE.rglob("*.py"))
             if path != COMPAT for use in _uses(path, private)]
    assert not found, "move these into briefing/pdf/compat.py:\n" + "\n".join(found)


def test_the_scan_finds_a_private_use(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from reportlab.platypus import paragraph\n"
                      "from reportlab.platypus.paragraph import _SplitWordHY\n"
                      "def f(canv):\n    return canv._doc\n"
                      "def g(frame):\n    return getattr(frame, '_atTop', False)\n"
                      "class C:\n    def _startPage(self):\n        pass\n"
                      "    def _drawOn(self):\n        pass\n"
                      "paragraph.split = None\n", encoding="utf-8")
    uses = _uses(module, _private_names())
    assert any("imports _SplitWordHY" in u for u in uses)
    assert any("uses ._doc" in u for u in uses)
    assert any("replaces paragraph.split" in u for u in uses)
    assert any("uses ._atTop" in u for u in uses)
    assert not any("_startPage" in u for u in uses)  # an override compat lists
    assert any("overrides _drawOn" in u for u in uses)  # one it does not
