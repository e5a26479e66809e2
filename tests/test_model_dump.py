"""The model's dump (``as_dict()``) is the edition record format: it must not change shape.

Every edition ever recorded is compared with the next build by ``diff.content_hash``, a hash of
this dump; if one key moved, every briefing would look changed and get a new edition with an
"Updated" notice. So the dump of a model that holds every field and every block kind, and of
the bundled sample in each format, is pinned here as golden JSON, and an edition record
written by an earlier version (``fixtures/model/edition-0001.json``) must read back to the
same content hash. Refresh the goldens only for a deliberate format change (with a new
``FORMAT_VERSION``): ``BRIEFING_UPDATE_GOLDEN=1 pytest tests/test_model_dump.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from briefing.assets import asset
from briefing.editions.diff import content_hash
from briefing.model import (
    FORMAT_VERSION,
    Briefing,
    CodeBlock,
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
)
from briefing.read import read_briefing
from briefing.read.fields import load_briefing
from briefing.typography import typeset

HERE = Path(__file__).parent / "fixtures" / "model"


def every_field() -> Briefing:
    """A briefing with every field of the model set, every block kind, nested."""
    spans = (Span("plain "), Span("bold", bold=True), Span(" italic", italic=True),
             Span(" code", code=True), Span(" link", href="https://example.org/a"),
             Span(" Wort", lang="de"), Span("1", note="1"))
    nested = ListBlock((ListItem((Paragraph((Span("nested"),)),)),), ordered=True, start=3)
    blocks = (
        Paragraph(spans),
        Heading("A sub-heading", 4),
        ListBlock((
            ListItem((Paragraph((Span("one"),)), nested)),
            ListItem((Quote((Paragraph((Span("quoted"),)),)),)),
        )),
        Quote((Paragraph((Span("A quotation."),)), CodeBlock("x = 1", "python"))),
        CodeBlock("print('hi')\n  indented"),
        Image("map.png", "A map", "The caption"),
        Table(((Span("Zone"),), (Span("Risk"),)),
              (((Span("A"),), (Span("high", bold=True),)), ((Span("B"),), ())),
              ("left", "right")),
    )
    return Briefing(
        title="Every field",
        lead=(Paragraph((Span("The lead, "), Span("emphasised", italic=True))),),
        sections=(
            Section(SectionKind.ARTICLE, None, blocks),
            Section(SectionKind.ADVICE, "What to do", (Paragraph((Span("Stay in."),)),)),
            Section(SectionKind.CONCLUSION, "In short", (Paragraph((Span("Done."),)),)),
            Section(SectionKind.FAQ, "FAQ", (), (
                FaqEntry("Why?", (Paragraph((Span("Because."),)),
                                  ListBlock((ListItem((Paragraph((Span("a"),)),)),)))),
                FaqEntry("When?", (Paragraph((Span("Now."),)),)),
            )),
        ),
        footnotes=(Footnote("1", (Paragraph((Span("A note."),)),)),),
        meta=Meta(lang="en", date=dt.date(2026, 12, 2), author="A. Author",
                  organisation="The Org", source="https://example.org/storm",
                  subtitle="A subtitle", tags=("weather", "safety"), theme="campaign",
                  logo="logo.png", correction=True),
    )


def _golden(name: str, got: dict[str, Any]) -> None:
    path = HERE / name
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))


def test_the_dump_of_every_field() -> None:
    assert FORMAT_VERSION == 1
    _golden("every-field.json", every_field().as_dict())


def test_the_dump_reads_back() -> None:
    model = every_field()
    assert load_briefing(model.as_dict()) == model


@pytest.mark.parametrize("ext", ["txt", "md", "yaml"])
def test_the_dump_of_the_sample(ext: str) -> None:
    briefing, _ = read_briefing(asset("examples") / f"sora-artists.{ext}")
    _golden(f"sora-artists.{ext}.json", typeset(briefing).as_dict())


def test_an_edition_recorded_earlier_keeps_its_content_hash() -> None:
    record = json.loads((HERE / "edition-0001.json").read_text(encoding="utf-8"))
    model = load_briefing(record["model"])
    assert content_hash(model) == record["edition"]["content_hash"]
    assert model.as_dict() == record["model"]
