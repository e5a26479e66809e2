"""Every row of a tagged table has as many cells as the others, empty ones included."""

from __future__ import annotations

import io

import pikepdf

from briefing.model import Briefing, Meta, Paragraph, Section, SectionKind, Span, Table
from briefing.render import RenderOptions, render
from briefing.theme import load_theme
from briefing.typography import typeset
from tests.render.pdfcheck import check_tagged


def test_rows_keep_their_shape() -> None:
    table = Table(header=((Span("a"),), (Span("b"),), (Span("c"),)),
                  rows=(((Span("1"),), (), (Span("3"),)), ((Span("4"),),)))
    briefing = typeset(Briefing("T", lead=(Paragraph((Span("Lead."),)),), sections=(
        Section(SectionKind.ARTICLE, None, (table,)),), meta=Meta(lang="en")))
    pdf = render(briefing, load_theme(), RenderOptions()).pdf
    check_tagged(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        rows = []

        def walk(elem: pikepdf.Dictionary) -> None:
            if str(elem.get("/S")) == "/TR":
                rows.append([str(c.S) for c in elem.K])
                return
            for kid in elem.get("/K", []):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                    walk(kid)

        walk(doc.Root.StructTreeRoot.K[0])
    assert rows == [["/TH"] * 3, ["/TD"] * 3, ["/TD"] * 3]
