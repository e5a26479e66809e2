"""Comparing two models: exactly what changed, for people and for programs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import msgspec

from briefing.editions.diff import compare, content_hash, notice_text
from briefing.model import Briefing
from briefing.read import read_briefing
from briefing.typography import typeset
from tests.editions.conftest import NEW_ANSWER, NEW_QUESTION, NEW_WORDS, OLD_WORDS, norm


def model(path: Path) -> Briefing:
    return typeset(read_briefing(path)[0])


def test_one_question_added_and_one_paragraph_changed(sources: tuple[Path, Path]) -> None:
    old, new = (model(p) for p in sources)
    changes = compare(old, new)
    assert changes.title is None and changes.details == ()
    assert [norm(q) for q in changes.questions_added] == [NEW_QUESTION]
    assert changes.questions_removed == ()
    changed = [s for s in changes.sections if s.blocks_changed]
    assert [(s.kind, s.blocks_changed) for s in changed] == [("article", 1)]
    article = changed[0]
    assert (article.words_added, article.words_removed) == (3, 3)
    assert article.added == (NEW_WORDS,) and article.removed == (OLD_WORDS,)
    assert [s.kind for s in changes.sections] == ["article", "faq"]
    # Marked for a change bar: the changed paragraph and the new entry, nothing else.
    assert len(changes.changed_blocks) == 3
    marked = {norm(t) for t in changes.changed_blocks}
    assert NEW_QUESTION in marked and NEW_ANSWER in marked
    assert any(NEW_WORDS in t for t in marked)


def test_human_and_json(sources: tuple[Path, Path]) -> None:
    changes = compare(*(model(p) for p in sources))
    text = norm(changes.describe())
    assert f"+ question: {NEW_QUESTION}" in text
    assert f"− “{OLD_WORDS}”" in text and f"+ “{NEW_WORDS}”" in text
    assert "Article (article): 1 block changed, +3 −3 words" in text
    data = json.loads(changes.to_json())
    assert data["changed"] is True
    assert [norm(q) for q in data["questions_added"]] == [NEW_QUESTION]
    assert data["words_added"] == 3 + len(f"{NEW_QUESTION} {NEW_ANSWER}".split())
    assert changes.summary().startswith("Article changed; 1 FAQ question added")


def test_no_change_and_look_only_fields(sources: tuple[Path, Path]) -> None:
    old = model(sources[0])
    assert compare(old, old).empty
    assert compare(old, old).describe() == "No change."
    restyled = msgspec.structs.replace(
        old, meta=msgspec.structs.replace(old.meta, theme="other", logo="x.svg", correction=True))
    assert content_hash(restyled) == content_hash(old)
    typo = msgspec.structs.replace(old, title=old.title + "s")
    assert content_hash(typo) != content_hash(old)
    assert compare(old, typo).title == (old.title, typo.title)


def test_sections_added_and_removed(sources: tuple[Path, Path]) -> None:
    old = model(sources[0])
    fewer = msgspec.structs.replace(old, sections=old.sections[:-1])
    changes = compare(old, fewer)
    assert [(s.kind, s.status) for s in changes.sections] == [("faq", "removed")]
    back = compare(fewer, old)
    assert [(s.kind, s.status) for s in back.sections] == [("faq", "added")]
    assert len(back.questions_added) == 5


def test_notice_in_the_briefings_language(sources: tuple[Path, Path]) -> None:
    changes = compare(*(model(p) for p in sources))
    text = notice_text(changes, "fr", dt.date(2026, 12, 2))
    assert text is not None
    assert norm(text) == ("Mis à jour le 2 décembre 2026. Modifié : Article. "
                          f"Nouveau dans la FAQ : « {NEW_QUESTION} ».")
    english = notice_text(changes, "en", dt.date(2026, 12, 2))
    assert english is not None and english.startswith("Updated 2 December 2026. Changed: Article.")
    assert notice_text(compare(changes_model := model(sources[0]), changes_model), "en",
                       dt.date(2026, 12, 2)) is None


def test_a_reworded_question_is_changed_not_added_and_removed(sample_path: Path,
                                                             tmp_path: Path) -> None:
    from briefing.editions.diff import compare
    from briefing.read import read_briefing
    from briefing.typography import typeset

    fixed = tmp_path / "fixed.txt"
    fixed.write_text(sample_path.read_text(encoding="utf-8").replace(
        "Pourquoi OpenAI a-t-il suspendu Sora ?", "Pourquoi OpenAI a-t-il suspendu l’outil Sora ?"),
        encoding="utf-8")
    old = typeset(read_briefing(sample_path)[0])
    new = typeset(read_briefing(fixed)[0])
    changes = compare(old, new)
    assert changes.questions_added == () and changes.questions_removed == ()
    assert "Pourquoi OpenAI a-t-il suspendu l’outil Sora\u202f?" in changes.changed_blocks
    assert changes.words_added >= 1
