"""Every field of the model reaches the page, or is declared as not printed.

The test walks the model's classes (Briefing, Meta, Section, the blocks, Span...) from
their type hints, builds one document where each field has a distinctive value, and reads the
PDF back: its text, fonts and boxes, metadata, links and structure tree. A field neither
found there nor listed, with its reason, in ``briefing.render.story.NOT_PRINTED`` fails, so a
field added to the model is printed or declared, never silently dropped.
"""

from __future__ import annotations

import io
import json
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import pikepdf
import pypdf
import pytest

from briefing import model
from briefing.build import BuildResult, build
from briefing.model import Paragraph, Section, SectionKind, Span
from briefing.options import ask
from briefing.render import RenderOptions, render
from briefing.render.story import NOT_PRINTED
from briefing.theme import load_theme
from tests.render.pdfchars import Page, bounds, find_one, postscript_name, read
from tests.render.pdfcheck import elements
from tests.render.test_source_fidelity import png


def model_fields(root: type = model.Briefing) -> list[str]:
    """"Class.field" for every field of every model class reachable from ``root``."""
    out: list[str] = []
    seen: set[type] = set()

    def classes(hint: Any) -> Iterator[type]:
        if isinstance(hint, type) and issubclass(hint, msgspec.Struct):
            yield hint
        for arg in typing.get_args(hint):
            yield from classes(arg)
        if isinstance(hint, types.UnionType):
            for arg in hint.__args__:
                yield from classes(arg)

    def walk(cls: type) -> None:
        if cls in seen:
            return
        seen.add(cls)
        hints = typing.get_type_hints(cls, vars(model))
        for name in msgspec.structs.fields(cls):
            out.append(f"{cls.__name__}.{name.name}")
            for inner in classes(hints[name.name]):
                walk(inner)

    walk(root)
    return out


SOURCE: dict[str, Any] = {
    "title": "Titq briefing",
    "lead": ["Leadq opens the briefing."],
    "sections": [
        {"kind": "article", "heading": "Headq", "blocks": [
            {"spans": ["Paraq one ", {"text": "Boldq", "bold": True}, " ",
                       {"text": "Italq", "italic": True}, " ", {"text": "Codeq", "code": True},
                       " ", {"text": "Hrefq", "href": "https://example.org/hrefq"}, " ",
                       {"text": "Langq", "lang": "de"}, " ",
                       {"text": "Refq", "note": "Lblq"}, " follows."]},
            {"type": "heading", "text": "Subhq", "level": 4},
            {"type": "list", "ordered": True, "start": 7,
             "items": [["Itemq one"], {"blocks": ["Itemq two"]}]},
            {"type": "quote", "blocks": ["Quotq said."]},
            {"type": "code", "text": "Blokq = 1", "language": "python"},
            {"type": "image", "src": "pic.png", "alt": "Altq text", "caption": "Capq text"},
            {"type": "table", "header": ["Colq", "Numq"], "align": ["left", "right"],
             "rows": [["Rowq", "1"], ["Rowr", "12345"]]},
            {"type": "data-table", "spec": "data: figq\ncolumns:\n  - {column: catq, header: "
             "Sphq}\n  - {column: serqa, header: Numdq}\ntotal: {label: Totq, columns: "
             "[serqa]}"},
            {"type": "chart", "spec": "type: horizontal bar\ndata: figq\nx: catq\ny: "
             "[{column: serqa, label: Serqa}, {column: serqb, label: Serqb}]\ntitle: Chartq "
             "title\nformat: percent"},
        ]},
        {"kind": "advice", "heading": "Advq", "blocks": ["Advpq inside."]},
        {"kind": "faq", "heading": "Faqhq", "entries": [
            {"question": "Quesq when?", "answer": ["Answq now."]},
        ]},
    ],
    "footnotes": [{"label": "Lblq", "blocks": ["Fnoteq text."]}],
    "meta": {
        "lang": "en-GB", "date": "1999-07-13", "author": "Authq Name",
        "organisation": "Orgq Office", "source": "https://example.org/srcq",
        "subtitle": "Subtq deck", "short_title": "Shrtq head", "tags": ["Tagqa", "Tagqb"],
        "theme": "campaign",
        "logo": "logo.png", "correction": True,
    },
    "data": {"figq": "figq.csv"},
}
FIGURES = "catq,serqa,serqb\nCatqa,0.125,0.25\nCatqb,0.5,0.0625\n"
IMAGE_SIZE, LOGO_SIZE = (47, 31), (53, 29)


@dataclass
class Pdf:
    result: BuildResult
    pages: list[Page]
    text: str
    info: dict[str, str]
    catalog_lang: str
    uris: list[str]
    structure: list[dict[str, str]]  # each element: its type and attributes

    def said(self, value: str) -> bool:
        """Whether the PDF says ``value`` anywhere: text, metadata, links, structure."""
        haystack = [self.text, *self.info.values(), *self.uris,
                    *(v for e in self.structure for v in e.values())]
        return any(value in h for h in haystack)

    def elements(self, role: str) -> list[dict[str, str]]:
        return [e for e in self.structure if e["S"] == role]


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Pdf:
    folder = tmp_path_factory.mktemp("fields")
    png(folder / "pic.png", *IMAGE_SIZE)
    png(folder / "logo.png", *LOGO_SIZE, rgb=(200, 30, 40))
    (folder / "figq.csv").write_text(FIGURES, encoding="utf-8")
    source = folder / "fields.json"
    source.write_text(json.dumps(SOURCE), encoding="utf-8")
    result = build(source, ask())
    pages = read(result.pdf)
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    info = {k: str(v) for k, v in (reader.metadata or {}).items()}
    uris = [str(a.get_object()["/A"]["/URI"]) for p in reader.pages
            for a in p.get("/Annots", []) if "/A" in a.get_object()]
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        lang = str(doc.Root.get("/Lang", ""))
        structure = [{"S": str(e.S), **{str(k): str(e[k]) for k in ("/Alt", "/Lang", "/ID")
                                        if k in e},
                      **({"/ListNumbering": str(e.A.ListNumbering)}
                         if "/A" in e and isinstance(e.A, pikepdf.Dictionary)
                         and "/ListNumbering" in e.A else {})}
                     for e in elements(doc)]
    return Pdf(result, pages, "".join(p.text for p in pages), info, lang, uris, structure)


def _face(pdf: Pdf, token: str) -> set[str]:
    return {c.font for c in find_one(pdf.pages, token, content=True)[1]}


def _font(role: str, weight: str) -> str:
    """The embedded name of a face of the source's theme."""
    return postscript_name(getattr(load_theme("campaign").fonts[role], weight))


def _superscript(pdf: Pdf) -> bool:
    _, ref = find_one(pdf.pages, "Refq", content=True)
    _, before = find_one(pdf.pages, "Langq", content=True)
    return ref[0].size < before[0].size and ref[0].box.y0 > before[0].box.y0 + 1


def _list_label(pdf: Pdf) -> bool:
    page, item = find_one(pdf.pages, "Itemq one", content=True)
    labels = [c for c in page.chars if c.text == "7" and c.box.x1 <= item[0].box.x0
              and abs(c.box.y0 - item[0].box.y0) < 1]
    return bool(labels) and bool(pdf.elements("/L"))


def _numbered(pdf: Pdf) -> bool:
    return any(e.get("/ListNumbering") == "/Decimal" for e in pdf.elements("/L"))


def _right_aligned(pdf: Pdf) -> bool:
    ends = [bounds(find_one(pdf.pages, t, content=True)[1]).x1 for t in ("Numq", "12345")]
    return abs(ends[0] - ends[1]) < 0.5 and _width(pdf, "Numq") != _width(pdf, "12345")


def _width(pdf: Pdf, token: str) -> float:
    box = bounds(find_one(pdf.pages, token, content=True)[1])
    return round(box.x1 - box.x0, 1)


def _image(pdf: Pdf, size: tuple[int, int]) -> bool:
    return any(i.size == size for p in pdf.pages for i in p.images())


def _in_advice_box(pdf: Pdf) -> bool:
    theme = load_theme("campaign")
    from tests.render.test_source_fidelity import callout_boxes

    page, chars = find_one(pdf.pages, "Advpq", content=True)
    return any(bounds(chars).inside(b) for b in callout_boxes(page, theme))


def _running_title(pdf: Pdf, value: str) -> bool:
    """In the running header of page 2 (the field document has one page: its text is made
    longer, its images left out)."""
    briefing = pdf.result.briefing
    text = Paragraph((Span("Longq paragraph of filler words for a second page. " * 12),))
    longer = msgspec.structs.replace(
        briefing, sections=(Section(SectionKind.ARTICLE, None, (text,) * 12),),
        meta=msgspec.structs.replace(briefing.meta, logo=None))
    result = render(longer, pdf.result.theme, RenderOptions())
    pages = read(result.pdf)
    return len(pages) > 1 and value in pages[1].text


def _tagged(pdf: Pdf, token: str, tag: str) -> bool:
    """Whether ``token`` is drawn in marked content tagged ``tag`` (TH, TD...)."""
    from tests.render.pdfchars import find

    return any(all(c.tag == tag for c in chars) for _, chars in find(pdf.pages, token))


def _bars(pdf: Pdf) -> bool:
    """The first series' bars (0.125 and 0.5): two bars of one colour, one four times as long
    as the other."""
    by_colour: dict[tuple[float, ...], list[float]] = {}
    for page in pdf.pages:
        for r in page.rects():
            if r.fill is not None and 8 < r.box.y1 - r.box.y0 < 20:  # not the legend
                by_colour.setdefault(r.fill, []).append(r.box.x1 - r.box.x0)
    return any(len(w) == 2 and abs(max(w) / min(w) - 4) < 0.05 for w in by_colour.values())


def _text(value: str) -> Callable[[Pdf], bool]:
    """Printed, in whatever case the theme sets it (some headings are in capitals)."""
    return lambda pdf: value.casefold() in pdf.text.casefold()


#: How each printed field shows in the PDF, for the values of SOURCE.
CHECKS: dict[str, Callable[[Pdf], bool]] = {
    "Briefing.title": lambda p: "Titq briefing" in p.text and p.info.get("/Title") == "Titq briefing",
    "Briefing.lead": _text("Leadq"),
    "Briefing.sections": _text("Paraq one"),
    "Briefing.footnotes": _text("Fnoteq text."),
    "Briefing.meta": lambda p: p.said("Authq Name"),
    "Paragraph.spans": _text("Paraq one"),
    "Span.text": _text("Leadq"),
    "Span.bold": lambda p: _face(p, "Boldq") == {_font("body", "bold")},
    "Span.italic": lambda p: _face(p, "Italq") == {_font("body", "italic")},
    "Span.code": lambda p: _face(p, "Codeq") == {_font("mono", "regular")},
    "Span.href": lambda p: "https://example.org/hrefq" in p.uris and bool(p.elements("/Link")),
    "Span.lang": lambda p: any(e.get("/Lang") == "de" for e in p.elements("/Span")),
    "Span.note": _superscript,
    "Section.kind": lambda p: _in_advice_box(p) and bool(p.elements("/H3")),
    "Section.heading": _text("Headq"),
    "Section.blocks": _text("Paraq one"),
    "Section.entries": _text("Quesq when?"),
    "Heading.text": _text("Subhq"),
    "ListBlock.items": _text("Itemq two"),
    "ListBlock.ordered": _numbered,
    "ListBlock.start": _list_label,
    "ListItem.blocks": _text("Itemq one"),
    "Quote.blocks": lambda p: "Quotq said." in p.text and bool(p.elements("/BlockQuote")),
    "CodeBlock.text": lambda p: "Blokq = 1" in p.text and bool(p.elements("/Code")),
    "Image.src": lambda p: _image(p, IMAGE_SIZE),
    "Image.alt": lambda p: any(e.get("/Alt") == "Altq text" for e in p.elements("/Figure")),
    "Image.caption": _text("Capq text"),
    "Table.header": lambda p: "Colq" in p.text and bool(p.elements("/TH")),
    "Table.rows": lambda p: "Rowr" in p.text and bool(p.elements("/TD")),
    "Table.align": _right_aligned,
    "FaqEntry.question": _text("Quesq when?"),
    "FaqEntry.answer": _text("Answq now."),
    "Footnote.label": _text("Lblq. Fnoteq"),
    "Footnote.blocks": lambda p: "Fnoteq text." in p.text and bool(p.elements("/Note")),
    "Meta.lang": lambda p: p.catalog_lang == "en-GB",
    "Meta.date": lambda p: "13 JULY 1999" in p.text.upper()
    and p.info.get("/CreationDate", "").startswith("D:19990713"),
    "Meta.author": lambda p: p.info.get("/Author") == "Authq Name",
    "Meta.organisation": lambda p: "Orgq Office" in p.text,
    "Meta.source": lambda p: "example.org/srcq" in p.text
    and any(e.get("/Alt") == "QR code: https://example.org/srcq" for e in p.elements("/Figure")),
    "Meta.subtitle": _text("Subtq deck"),
    "Meta.short_title": lambda p: _running_title(p, "Shrtq head"),
    "Meta.tags": lambda p: "Tagqa" in p.info.get("/Keywords", "")
    and "Tagqb" in p.info.get("/Keywords", ""),
    "Meta.theme": lambda p: _font("body", "regular") in {c.font for pg in p.pages
                                                         for c in pg.chars},
    "Briefing.data": lambda p: _tagged(p, "Catqa", "TD"),
    "DataTable.spec": _text("Sphq"),
    "DataTable.header": lambda p: _tagged(p, "Sphq", "TH"),
    "DataTable.rows": lambda p: _tagged(p, "0.125", "TD"),
    "DataTable.align": lambda p: abs(bounds(find_one(p.pages, "Numdq", content=True)[1]).x1
                                     - bounds(find_one(p.pages, "0.625", content=True)[1]).x1) < 0.5,
    "DataTable.total": lambda p: all("Bold" in f for f in _face(p, "Totq")),
    "Chart.spec": _text("Chartq title"),
    "Chart.kind": lambda p: any(e.get("/Alt", "").startswith("Horizontal bar chart, chartq")
                                for e in p.elements("/Figure")),
    "Chart.title": _text("Chartq title"),
    "Chart.x_label": lambda p: _tagged(p, "catq", "TH"),
    "Chart.categories": lambda p: _tagged(p, "Catqb", "Figure"),
    "Chart.series": lambda p: _tagged(p, "Serqa", "Figure"),
    "Chart.alt": lambda p: any("Catqa 12.5%" in e.get("/Alt", "") for e in p.elements("/Figure")),
    "Chart.percent": lambda p: _tagged(p, "50%", "Figure"),
    "ChartSeries.label": lambda p: _tagged(p, "Serqb", "Figure"),
    "ChartSeries.values": _bars,
    "ChartSeries.texts": lambda p: _tagged(p, "6.25%", "TD"),
    "Meta.logo": lambda p: _image(p, LOGO_SIZE)
    and any(e.get("/Alt") == "Orgq Office" for e in p.elements("/Figure")),
}


def test_the_declarations_name_real_fields_with_a_reason() -> None:
    known = set(model_fields())
    assert set(NOT_PRINTED) <= known, set(NOT_PRINTED) - known
    assert all(len(reason) > 20 for reason in NOT_PRINTED.values())
    assert not set(NOT_PRINTED) & set(CHECKS), "a field is both checked and declared not printed"
    assert set(CHECKS) <= known, set(CHECKS) - known


@pytest.mark.parametrize("name", model_fields())
def test_every_field_reaches_the_page_or_is_declared(pdf: Pdf, name: str) -> None:
    if name in NOT_PRINTED:
        return
    check = CHECKS.get(name)
    assert check is not None, (
        f"{name}: neither printed nor declared; print it, or declare it with its reason in "
        "briefing.render.story.NOT_PRINTED (and add its check here)")
    assert check(pdf), f"{name}: its value does not reach the PDF"


def test_the_build_is_clean(pdf: Pdf) -> None:
    assert pdf.result.warnings == []


def test_walk_covers_the_whole_model() -> None:
    names = {n.split(".")[0] for n in model_fields()}
    assert names == {"Briefing", "Paragraph", "Span", "Section", "Heading", "ListBlock",
                     "ListItem", "Quote", "CodeBlock", "Image", "Table", "FaqEntry", "Footnote",
                     "Meta", "DataTable", "Chart", "ChartSeries"}


def test_a_field_left_out_is_caught() -> None:
    """The walk would catch a new field: a made-up model with an unchecked field fails."""

    class Extra(msgspec.Struct, frozen=True):
        text: str
        secret: str

    assert "Extra.secret" in model_fields(Extra)
    assert "Extra.secret" not in CHECKS and "Extra.secret" not in NOT_PRINTED
