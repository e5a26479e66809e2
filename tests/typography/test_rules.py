"""Typography rules: golden cases per language (``fixtures/<lang>.txt``), span boundaries,
protected text, and ``typeset`` over every text field of the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.model import (
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
from briefing.typography import language, typeset, typeset_spans, typeset_text

FIXTURES = Path(__file__).parent / "fixtures"
VISIBLE = {"{nnbsp}": "\u202f", "{nbsp}": "\u00a0"}


def _unescape(line: str) -> str:
    for name, char in VISIBLE.items():
        line = line.replace(name, char)
    return line


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for path in sorted(FIXTURES.glob("*.txt")):
        lines = [
            line for line in path.read_text(encoding="utf-8").split("\n")
            if not line.startswith("#")
        ]
        for block in "\n".join(lines).strip().split("\n\n"):
            given, expected = block.split("\n")
            cases.append((path.stem, _unescape(given), _unescape(expected)))
    return cases


@pytest.mark.parametrize(("lang", "given", "expected"), _cases())
def test_golden(lang: str, given: str, expected: str) -> None:
    assert typeset_text(given, language(lang)) == expected


def test_rules_are_idempotent() -> None:
    for lang, given, _ in _cases():
        once = typeset_text(given, language(lang))
        assert typeset_text(once, language(lang)) == once


FR = language("fr")


def test_quotes_and_spaces_across_spans() -> None:
    spans = (
        Span('Il a dit "'),
        Span("oui", italic=True),
        Span('" à '),
        Span("Sora", bold=True),
        Span("? Voir "),
        Span("x ?", code=True),
        Span(": fin"),
    )
    assert typeset_spans(spans, FR) == (
        Span("Il a dit «\u202f"),
        Span("oui", italic=True),
        Span("\u202f» à "),
        Span("Sora", bold=True),
        Span("\u202f? Voir "),
        Span("x ?", code=True),
        Span("\u00a0: fin"),
    )


def test_code_notes_and_links_keep_their_targets() -> None:
    spans = (
        Span("'x'...", code=True),
        Span("1", note="1"),
        Span("un 'lien'", href="https://example.org/?a='b'"),
    )
    out = typeset_spans(spans, FR)
    assert out[:2] == spans[:2]
    assert out[2] == Span("un “lien”", href="https://example.org/?a='b'")


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/a?b=1&c='x'...&d=\"y--z\"z",
        "www.example.org/path?x=1",
        "mailto:someone@example.org",
        "someone@example.org",
        '<img src="/etc/passwd"/>',
        '<a href="javascript:alert(1)">',
        "</para>",
        "&amp;",
        "&#8230;",
    ],
)
def test_protected_text_is_untouched(text: str) -> None:
    for code in ("fr", "en", "de", "es", "it"):
        assert typeset_text(f"« {text} »", language(code)).count(text) == 1


def test_placeholder_in_source_survives() -> None:
    assert typeset_text("a \ufffc ? b", FR) == "a \ufffc\u202f? b"


def _sample() -> Briefing:
    q = '"q" ?'
    para = Paragraph((Span(q),))
    return Briefing(
        title=q,
        lead=(para,),
        sections=(
            Section(
                SectionKind.ARTICLE,
                q,
                (
                    para,
                    Heading(q),
                    ListBlock((ListItem((para,)),)),
                    Quote((para,)),
                    CodeBlock(q),
                    Image('"x".png', q),
                    Table(((Span(q),),), (((Span(q),),),)),
                ),
            ),
            Section(SectionKind.FAQ, None, (), (FaqEntry(q, (para,)),)),
        ),
        footnotes=(Footnote("1", (para,)),),
        meta=Meta(lang="fr", subtitle=q, author=q, organisation=q, source='https://x.org/"q"'),
    )


def test_typeset_reaches_every_text_field() -> None:
    done = typeset(_sample())
    want = "«\u202fq\u202f»\u202f?"
    texts = list(done.texts())
    assert texts.count('"q" ?') == 1  # the code block, as typed
    assert texts.count(want) == len(texts) - 1
    assert (done.meta.author, done.meta.organisation) == (want, want)
    assert done.meta.source == 'https://x.org/"q"'
    image = done.sections[0].blocks[5]
    assert isinstance(image, Image) and image.src == '"x".png'


def test_typeset_detects_the_language() -> None:
    b = Briefing("Le titre", (Paragraph((Span("Le chat est sur la table et il dort ?"),)),))
    done = typeset(b)
    assert done.meta.lang == "fr"
    assert done.lead[0].spans[0].text.endswith("dort\u202f?")
