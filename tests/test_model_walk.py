"""The one walker of the model: every kind of block, wherever it is nested, is walked,
rebuilt and named the same way (``model.lens``)."""

from __future__ import annotations

import typing

from briefing.model import (
    Block,
    Briefing,
    Chart,
    ChartSeries,
    CodeBlock,
    DataTable,
    FaqEntry,
    Footnote,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Quote,
    Section,
    SectionKind,
    Span,
    Table,
    leaves,
    map_texts,
    texts,
    walk,
)


def one_of_each(tag: str) -> tuple[Block, ...]:
    """One block of every kind, its texts marked with ``tag``."""
    blocks = (
        Paragraph((Span(f"{tag} para "), Span("bold", bold=True))),
        Heading(f"{tag} heading", 4),
        ListBlock((ListItem((Paragraph((Span(f"{tag} item"),)),)),), ordered=True, start=2),
        Quote((Paragraph((Span(f"{tag} quoted"),)),)),
        CodeBlock(f"{tag} = code()", "python"),
        Image(f"{tag}.png", f"{tag} alt", f"{tag} caption"),
        Table(((Span(f"{tag} head"),),), (((Span(f"{tag} cell"),),),), ("right",)),
        DataTable(f"data: {tag}", ((Span(f"{tag} data head"),),),
                  (((Span(f"{tag} figure"),),),), ("right",), total=True),
        Chart(f"data: {tag}", "bar", f"{tag} chart", f"{tag} x", (f"{tag} north",),
              (ChartSeries(f"{tag} series", (1.0,), (f"{tag} one",)),), f"{tag} chart alt"),
    )
    assert {type(b) for b in blocks} == set(typing.get_args(Block)), "a kind is missing here"
    return blocks


def everywhere() -> Briefing:
    """Every kind of block at the top of a section, in a list, in a quote, in an FAQ answer
    and in a footnote."""
    return Briefing(
        "Title",
        lead=(Paragraph((Span("Lead"),)),),
        sections=(
            Section(SectionKind.ARTICLE, "Body", (
                *one_of_each("top"),
                ListBlock((ListItem(one_of_each("listed")),)),
                Quote(one_of_each("quoted")),
            )),
            Section(SectionKind.FAQ, None, (), (FaqEntry("Why?", one_of_each("answer")),)),
        ),
        footnotes=(Footnote("1", one_of_each("note")),),
        meta=Meta(subtitle="Sub", author="Ann"),
    )


def test_every_kind_has_a_noun() -> None:
    nouns = {kind: kind.noun for kind in typing.get_args(Block)}
    assert len(set(nouns.values())) == len(nouns)


def test_texts_in_reading_order() -> None:
    got = list(texts(everywhere()))
    assert got[:5] == ["Title", "Sub", "Lead", "Body", "top para bold"]
    for tag in ("top", "listed", "quoted", "answer", "note"):
        want = [f"{tag} para bold", f"{tag} heading", f"{tag} item", f"{tag} quoted",
                f"{tag} = code()", f"{tag} alt", f"{tag} caption", f"{tag} head",
                f"{tag} cell", f"{tag} data head", f"{tag} figure", f"{tag} chart",
                f"{tag} chart alt", f"{tag} x", f"{tag} north", f"{tag} series", f"{tag} one"]
        assert [t for t in got if t.startswith(tag)] == want
    assert "Why?" in got and not any(t.endswith(".png]") for t in got)
    assert "top = code()" not in list(texts(everywhere(), verbatim=False))


def test_leaves_have_the_paths_of_the_dump() -> None:
    briefing = everywhere()
    found = dict(leaves(briefing.sections[0].blocks, ("sections", 0, "blocks")))
    dump = briefing.as_dict()

    def at(path: tuple[str | int, ...]) -> object:
        node: object = dump
        for key in path:
            node = node[key]  # type: ignore[index]
        return node

    assert found[("sections", 0, "blocks", 0)] == "top para bold"
    assert found[("sections", 0, "blocks", 5)] == "[top.png]"
    assert at(("sections", 0, "blocks", 5, "alt")) == found[("sections", 0, "blocks", 5, "alt")]
    assert found[("sections", 0, "blocks", 6, "rows", 0, 0)] == "top cell"
    assert found[("sections", 0, "blocks", 7, "rows", 0, 0)] == "top figure"
    assert found[("sections", 0, "blocks", 7)] == "[data: top]"
    assert found[("sections", 0, "blocks", 8, "series", 0, "texts", 0)] == "top one"
    assert at(("sections", 0, "blocks", 8, "series", 0, "texts", 0)) == "top one"
    assert at(("sections", 0, "blocks", 8, "categories", 0)) == "top north"
    nested = ("sections", 0, "blocks", 9, "items", 0, "blocks", 2, "items", 0, "blocks", 0)
    assert found[nested] == "listed item"
    assert at((*nested, "spans", 0, "text")) == "listed item"
    assert found[("sections", 0, "blocks", 10, "blocks", 3, "blocks", 0)] == "quoted quoted"
    assert len(found) == len(list(leaves(briefing.sections[0].blocks, ())))


def test_walk_gives_each_unit_its_role() -> None:
    roles = {unit.text: unit.role for unit in walk(everywhere())}
    assert roles["Title"] == "title" and roles["Why?"] == "question"
    assert roles["note heading"] == "subheading" and roles["note cell"] == "cell"
    assert roles["note alt"] == "alt" and roles["note caption"] == "caption"
    assert roles["[note.png]"] == "source" and roles["note = code()"] == "code"


def test_map_texts_rebuilds_every_kind() -> None:
    briefing = everywhere()
    assert map_texts(briefing, text=lambda t: t, spans=lambda s: s) == briefing
    shouted = map_texts(briefing, text=str.upper,
                        spans=lambda spans: tuple(Span(s.text.upper(), s.bold) for s in spans))
    got = list(texts(shouted))
    assert "NOTE ALT" in got and "ANSWER CELL" in got and "QUOTED ITEM" in got
    assert "note = code()" in got  # code as typed
    assert shouted.sections[0].blocks[5] == Image("top.png", "TOP ALT", "TOP CAPTION")
    assert shouted.meta.author == "ANN" and shouted.meta.subtitle == "SUB"
    table = shouted.sections[0].blocks[6]
    assert isinstance(table, Table) and table.align == ("right",)
    data = shouted.sections[0].blocks[7]
    assert isinstance(data, DataTable) and data.total and data.spec == "data: top"
    assert data.rows == (((Span("TOP FIGURE"),),),)
    chart = shouted.sections[0].blocks[8]
    assert chart == Chart("data: top", "bar", "TOP CHART", "TOP X", ("TOP NORTH",),
                          (ChartSeries("TOP SERIES", (1.0,), ("TOP ONE",)),), "TOP CHART ALT")
    assert shouted.sections[0].blocks[4] == CodeBlock("top = code()", "python")
