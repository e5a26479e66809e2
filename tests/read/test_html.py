"""The HTML-to-model reader behind Word documents and web pages: each element where it belongs,
and the sections mapped as every other reader maps them."""

from __future__ import annotations

import lxml.html

from briefing.model import (
    CodeBlock,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    SectionKind,
    Span,
    Table,
    plain,
)
from briefing.read.html import HtmlReader
from briefing.read.markup import Head, assemble


def read(fragment: str, images: dict[str, str] | None = None) -> list[object]:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    items, _ = HtmlReader("t.html", lambda src: (images or {}).get(src)).read(root)
    return items


def test_blocks_and_inline_styles() -> None:
    items = read(
        "<h2>Une partie</h2>"
        "<p>Du <b>gras</b>, de l'<i>italique</i>, du <code>code</code>, un "
        "<a href='https://example.org/x'>lien</a>, un <a href='javascript:alert(1)'>faux</a>, "
        "<span lang='en'>some English</span>.<br>Ligne suivante.</p>"
        "<pre><code class='language-python'>def f():\n    return 1\n</code></pre>"
        "<blockquote><p>Cité.</p><h3>Dans la citation</h3></blockquote>"
        "<dl><dt>Terme</dt><dd>Sa définition.</dd></dl>"
        "<ol start='4'><li>quatre<ul><li>sous-point</li></ul></li><li>cinq</li></ol>"
    )
    head, para, code, quote, term, definition, listed = items
    assert head == Head(2, "Une partie", 1)
    assert isinstance(para, Paragraph)
    by_text = {s.text.strip(): s for s in para.spans}
    assert by_text["gras"].bold and by_text["italique"].italic and by_text["code"].code
    assert by_text["lien"].href == "https://example.org/x"
    # Only http, https and mailto stay links; the others keep their words.
    assert "un faux" in plain(para.spans)
    assert {s.href for s in para.spans} == {None, "https://example.org/x"}
    assert by_text["some English"].lang == "en"
    assert "\n" in plain(para.spans)
    assert code == CodeBlock("def f():\n    return 1", "python")
    assert quote == Quote((Paragraph((Span("Cité."),)), Heading("Dans la citation", 3)))
    assert term == Paragraph((Span("Terme", bold=True),))
    assert definition == Paragraph((Span("Sa définition."),))
    assert isinstance(listed, ListBlock) and listed.ordered and listed.start == 4
    assert isinstance(listed.items[0].blocks[1], ListBlock)


def test_tables_figures_and_images() -> None:
    items = read(
        "<table><caption>Légende</caption><tr><th>A</th><th>B</th></tr>"
        "<tr><td colspan='2'>large</td></tr><tr><td>1</td><td>2</td></tr></table>"
        "<figure><img src='ok.png' alt='Un graphique'><figcaption>La courbe.</figcaption></figure>"
        "<figure><img src='absent.png' alt='Perdue'><figcaption>Sa légende.</figcaption></figure>"
        "<p>Texte <img src='ok.png' alt='en ligne'> suite.</p>",
        images={"ok.png": "ok.png"},
    )
    caption, table, figure, missing, before, inline, after = items
    assert caption == Paragraph((Span("Légende", bold=True),))
    assert isinstance(table, Table)
    assert [plain(c) for c in table.header] == ["A", "B"]
    assert [plain(c) for c in table.rows[0]] == ["large", ""]  # colspan keeps the columns
    assert figure == Image("ok.png", "Un graphique", "La courbe.")
    assert missing == Paragraph((Span("Sa légende.", italic=True),))
    assert plain(before.spans) == "Texte" and inline == Image("ok.png", "en ligne", "")  # type: ignore[attr-defined]
    assert plain(after.spans) == "suite."  # type: ignore[attr-defined]


def test_a_layout_table_is_read_as_the_containers_it_holds() -> None:
    items = read("<table><tr><td><p>Un.</p><p>Deux.</p><p>Trois.</p></td><td>Côté</td></tr>"
                 "</table>")
    assert [plain(i.spans) for i in items] == ["Un.", "Deux.", "Trois.", "Côté"]  # type: ignore[attr-defined]


def test_sections_are_mapped_like_every_other_readers() -> None:
    items = read("<h1>Le titre</h1><p>Le chapeau.</p><h2>Nos conseils</h2><p>Conseil.</p>"
                 "<h2>Pourquoi ?</h2><p>Parce que.</p><h2>Comment ?</h2><p>Ainsi.</p>"
                 "<h2>En bref</h2><p>Fin.</p>")
    b = assemble(items, front_title=None, mapping={}, footnotes=(), meta=__import__(
        "briefing.model", fromlist=["Meta"]).Meta())
    assert b.title == "Le titre"
    assert [s.kind for s in b.sections] == [SectionKind.ADVICE, SectionKind.FAQ,
                                            SectionKind.CONCLUSION]
    assert [e.question for e in b.faq] == ["Pourquoi ?", "Comment ?"]


def test_scripts_forms_and_deep_nesting() -> None:
    deep = "<blockquote>" * 40 + "<p>Au fond.</p>" + "</blockquote>" * 40
    items = read(f"<p>Avant.</p><script>alert(1)</script><noscript>x</noscript>{deep}")
    assert items[0] == Paragraph((Span("Avant."),))
    flat = str(items)
    assert "alert" not in flat and "Au fond." in flat
