"""The Markdown reader: golden fixtures (``fixtures/markdown/*.md`` → ``*.json``, the model's
dump) plus focused checks. Regenerate the expected files after a deliberate change with
``BRIEFING_UPDATE_GOLDEN=1 pytest tests/read`` and review the diff."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.model import (
    CodeBlock,
    Footnote,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    SectionKind,
    Span,
    Table,
)
from briefing.read import read_briefing
from briefing.read.markdown import read_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
CASES = sorted(FIXTURES.glob("*.md"))


@pytest.mark.parametrize("source", CASES, ids=[c.stem for c in CASES])
def test_golden(source: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        got = read_markdown(source.read_text(encoding="utf-8"), name=source.name).as_dict()
    expected_file = source.with_suffix(".json")
    if os.environ.get("BRIEFING_UPDATE_GOLDEN"):
        expected_file.write_text(
            json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))


def md(text: str) -> dict[str, object]:
    return read_markdown(text, name="t.md").as_dict()


def test_lists_nest_and_keep_their_start() -> None:
    b = read_markdown("# T\n\nLead.\n\n## S\n\n7. a\n8. b\n   - c\n     - d\n", name="t.md")
    (lst,) = b.sections[0].blocks
    assert isinstance(lst, ListBlock)
    assert lst.ordered and lst.start == 7 and len(lst.items) == 2
    inner = lst.items[1].blocks[1]
    assert isinstance(inner, ListBlock) and not inner.ordered
    deeper = inner.items[0].blocks[1]
    assert isinstance(deeper, ListBlock)
    assert deeper.items[0].blocks == (Paragraph((Span("d"),)),)


def test_links_only_http_https_mailto() -> None:
    b = read_markdown(
        "# T\n\n[a](https://a.org) [b](http://b.org) [c](mailto:c@d.org) "
        "[d](javascript:alert(1)) [e](JavaScript:x) [f](file:///etc/passwd) "
        "[g](data:text/html;base64,xx) [h](vbscript:x) [i](../x.html)\n",
        name="t.md",
    )
    spans = b.lead[0].spans
    linked = {s.text: s.href for s in spans if s.href}
    assert linked == {"a": "https://a.org", "b": "http://b.org", "c": "mailto:c@d.org"}
    text = "".join(s.text for s in spans)
    for word in "defghi":
        assert word in text


def test_image_table_quote_code() -> None:
    b = read_markdown(
        "# T\n\nLead.\n\n![Alt](pics/a.png)\n\n| x | y |\n|---|--:|\n| 1 | 2 |\n\n> q\n\n"
        "```sh\necho \"hi\" -- 'x'...\n```\n",
        name="t.md",
    )
    blocks = b.sections[0].blocks
    assert blocks[0] == Image("pics/a.png", "Alt")
    assert blocks[1] == Table(
        ((Span("x"),), (Span("y"),)), (((Span("1"),), (Span("2"),)),), ("", "right")
    )
    assert blocks[2] == Quote((Paragraph((Span("q"),)),))
    assert blocks[3] == CodeBlock("echo \"hi\" -- 'x'...", "sh")


def test_footnotes_are_numbered_by_first_reference() -> None:
    b = read_markdown("# T\n\nA[^z] b[^a].\n\n[^a]: Note A.\n[^z]: Note Z.\n", name="t.md")
    spans = b.lead[0].spans
    assert [s.note for s in spans if s.note] == ["1", "2"]
    assert b.footnotes == (
        Footnote("1", (Paragraph((Span("Note Z."),)),)),
        Footnote("2", (Paragraph((Span("Note A."),)),)),
    )


def test_front_matter_goes_to_meta() -> None:
    b = read_markdown((FIXTURES / "front-matter.md").read_text(encoding="utf-8"), name="f.md")
    assert b.title == "The title from front matter"
    m = b.meta
    assert m.date == dt.date(2026, 12, 1)
    assert (m.lang, m.author, m.organisation, m.subtitle) == (
        "en-GB", "Ada Lovelace", "Analytical Engines Ltd", "A subtitle"
    )
    assert (m.source, m.theme, m.logo, m.tags, m.correction) == (
        "https://example.org/original", "sober", "logos/ae.svg", ("computing", "history"), True
    )


def test_explicit_sections_mapping() -> None:
    b = read_markdown(
        '---\nsections: {advice: "Et maintenant", faq: "Vos questions", conclusion: Fin}\n---\n'
        "# T\n\nLead.\n\n## Et maintenant\n\nA.\n\n## Vos questions\n\n### Q un\n\nR.\n\n"
        "## Fin\n\nZ.\n",
        name="t.md",
    )
    kinds = [(s.kind, s.heading) for s in b.sections]
    assert kinds == [
        (SectionKind.ADVICE, "Et maintenant"),
        (SectionKind.FAQ, "Vos questions"),
        (SectionKind.CONCLUSION, "Fin"),
    ]
    assert b.faq[0].question == "Q un"


def test_heading_words_pick_the_kind() -> None:
    b = read_markdown(
        "# T\n\nL.\n\n## Nos conseils\n\nA.\n\n## En résumé\n\nB.\n\n## Questions fréquentes\n\n"
        "### Pourquoi ?\n\nC.\n",
        name="t.md",
    )
    assert [s.kind for s in b.sections] == [
        SectionKind.ADVICE, SectionKind.CONCLUSION, SectionKind.FAQ
    ]


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("date: tomorrow", "t.md, line 2: front matter: date: not a date (YYYY-MM-DD): 'tomorrow'"),
        ("title: x\ncorrection: maybe", "t.md, line 3: front matter: correction: expected true"),
        ("sections: {advise: x}", "t.md, line 2: front matter: sections.advise: unknown section"),
        ("source: javascript:alert(1)", "t.md, line 2: front matter: source: expected an http"),
        ("title: [a", "t.md, line 2:"),
    ],
)
def test_front_matter_errors(front: str, message: str) -> None:
    with pytest.raises(SourceError) as info:
        read_markdown(f"---\n{front}\n---\n# T\n", name="t.md")
    assert info.value.message.startswith(message)


def test_unknown_front_matter_key_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        read_markdown("---\ntitle: T\ntitel: x\n---\nText.\n", name="t.md")
    assert "t.md, line 3: front matter: unknown key 'titel'" in caplog.text


def test_no_title_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text("Just a paragraph.\n", encoding="utf-8")
    with pytest.raises(SourceError, match="has no title"):
        read_briefing(path)
    assert read_briefing(path, title="Given")[0].title == "Given"


def test_raw_html_and_references_are_text() -> None:
    src = '# T\n\n<div onclick="x">\n<b>bold?</b> &amp; &lt; &#60;\n</div>\n'
    b = read_markdown(src, name="t.md")
    text = "".join(s.text for s in b.lead[0].spans)
    assert text == '<div onclick="x"> <b>bold?</b> &amp; &lt; &#60; </div>'


def test_unreferenced_footnote_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        b = read_markdown("# T\n\nA.\n\n[^x]: Lost.\n", name="t.md")
    assert b.footnotes == ()
    assert "t.md: footnote [^x] is never referred to" in caplog.text


def test_remote_image_warns_and_keeps_its_description(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        b = read_markdown("# T\n\n![A map](https://example.org/map.png)\n", name="t.md")
    assert b.lead == (Paragraph((Span("A map"),)),)
    assert "not a local file" in caplog.text
