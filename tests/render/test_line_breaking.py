"""The line breaking rules, read from the pages of the bundled examples in every built-in theme
and page size, and of hard generated paragraphs (callouts and text on A5 and A4):

- no justified word space wider than 1.5× its natural width, unless no setting of the
  paragraph's words meets the rules (``layoutcheck.settable``: the page's own widths, the
  dictionary's hyphenation points, the ties of the text);
- no hyphen at the end of a paragraph's penultimate line (no last line made of a word's tail);
- at most two hyphenated line ends in a row;
- no line break at a no-break space (U+00A0, U+202F): French punctuation, numbers and their
  nouns;
- titles and headings: never a line ending on a word of one to three letters, never one word
  alone on the last line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.assets import assets_dir
from briefing.build import build
from briefing.model import Briefing, Meta, Paragraph, Section, SectionKind, Span
from briefing.options import PAGE_POINTS, PageSize, ask
from briefing.render import RenderOptions, render
from briefing.theme import load_theme
from briefing.typography import typeset
from tests.layoutcheck import (
    Line,
    blocks,
    broken_ties,
    hyphen_runs,
    penultimate_hyphens,
    read_lines,
    settable,
    tied_pairs,
)

EXAMPLES = assets_dir() / "examples"
THEMES = ("default", "campaign", "print")
SIZES = ("a4", "letter", "a5")


@dataclass
class Built:
    lines: list[Line]
    lang: str
    tied: set[tuple[str, str]]


def _built(source: Path, theme: str, size: str) -> Built:
    result = build(source, ask(theme=theme, page_size=size))
    return Built(read_lines(result.pdf), result.briefing.meta.lang or "en",
                 tied_pairs(list(result.briefing.texts())))


CASES = [(source, theme, size) for source in ("sora-artists.txt", "storm-warning.md")
         for theme in THEMES for size in SIZES]


@pytest.fixture(scope="module", params=CASES, ids=["-".join(c) for c in CASES])
def example(request: pytest.FixtureRequest) -> Built:
    source, theme, size = request.param
    return _built(EXAMPLES / source, theme, size)


def _loose_unforced(built: Built) -> list[str]:
    problems = []
    for block in blocks(built.lines).values():
        worst = max((max(line.space_ratios(), default=1.0) for line in block[:-1]), default=1.0)
        if worst > 1.51 and settable(block, built.lang, built.tied):
            problems.append(f"spaces {worst:.2f}× in {block[0].text!r}…, though the block can "
                            "be set within 1.5×")
    return problems


def test_word_spaces_at_most_one_and_a_half(example: Built) -> None:
    assert not _loose_unforced(example)


def test_no_hyphen_on_a_penultimate_line(example: Built) -> None:
    assert not penultimate_hyphens(example.lines)


def test_at_most_two_hyphens_in_a_row(example: Built) -> None:
    assert not hyphen_runs(example.lines)


def test_no_break_at_a_no_break_space(example: Built) -> None:
    assert not broken_ties(example.lines, example.tied)


def test_display_lines_end_on_no_short_word(example: Built) -> None:
    for block in blocks(example.lines).values():
        if block[0].role not in ("H1", "H2", "H3") or len(block) < 2:
            continue
        for line in block[:-1]:
            last = line.text.split()[-1].strip("«»“”\"'():,;!?")
            assert not (last.isalpha() and len(last) <= 3), [b.text for b in block]
        assert len(block[-1].text.split()) >= 2, [b.text for b in block]


# --- hard paragraphs: narrow callouts on A5 --------------------------------------------------

HARD = [
    ("fr", "Les établissements d’enseignement supérieur réexaminent continuellement leurs "
           "responsabilités institutionnelles, particulièrement concernant l’intelligence "
           "artificielle générative, les droits d’auteur et la rémunération équitable des "
           "professionnels, le 15 décembre à 20 heures, soit 50 % des inscrits du 1er janvier."),
    ("fr", "« Anticonstitutionnellement » : voilà ce qu’ont déclaré, le 2e jour, les "
           "représentants syndicaux (intersyndicale), après l’interruption des négociations "
           "interprofessionnelles ; ils demandent pourquoi ? Parce que l’administration, "
           "dit-on, reste incompréhensiblement silencieuse."),
    ("en", "Internationalization, telecommunications and electroencephalography specialists "
           "reconsidered the characteristically uncompromising recommendations; nevertheless, "
           "the 3 km evacuation perimeter and the 20 hours of notice remained non-negotiable."),
]


@pytest.fixture(scope="module", params=range(len(HARD)), ids=[f"hard{i}" for i in range(len(HARD))])
def hard(request: pytest.FixtureRequest) -> list[Built]:
    lang, text = HARD[request.param]
    para = Paragraph((Span(text),))
    briefing = typeset(Briefing("Hard paragraphs", sections=(
        Section(SectionKind.ADVICE, "Advice", (para, para)),
        Section(SectionKind.ARTICLE, None, (para,)),
    ), meta=Meta(lang=lang)))
    out = []
    for size in ("a5", "a4"):  # narrow boxes and the A4 column: one of them needs hyphens
        result = render(briefing, load_theme(None), RenderOptions(page=PAGE_POINTS[PageSize(size)]))
        out.append(Built(read_lines(result.pdf), lang, tied_pairs(list(briefing.texts()))))
    return out


def test_hard_paragraphs_follow_the_rules(hard: list[Built]) -> None:
    for built in hard:
        assert not _loose_unforced(built)
        assert not penultimate_hyphens(built.lines)
        assert not hyphen_runs(built.lines)
        assert not broken_ties(built.lines, built.tied)
    # Hyphenation is offered inside words glued to punctuation, and does happen.
    assert any(line.hyphenated() for built in hard for line in built.lines)
