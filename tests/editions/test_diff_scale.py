"""The edition diff at scale: a valid edit script always, bounded work, difflib's counts for
ordinary edits. (How fast it is, ``benchmarks/diff.py`` measures.)"""

from __future__ import annotations

import difflib
import random
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

import briefing.editions.diff as diff
from briefing.editions.diff import compare, opcodes
from briefing.read import read_briefing


def replay(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Hashable]:
    """``b`` rebuilt from ``a`` and the opcodes, checking each opcode on the way."""
    out: list[Hashable] = []
    i = j = 0
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        assert (i1, j1) == (i, j), "opcodes must follow each other"
        if tag == "equal":
            assert list(a[i1:i2]) == list(b[j1:j2])
        else:
            assert tag == {(True, True): "replace", (True, False): "delete",
                           (False, True): "insert"}[(i1 < i2, j1 < j2)]
        out += b[j1:j2]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    return out


@given(st.lists(st.sampled_from("abcde"), max_size=60), st.lists(st.sampled_from("abcde"),
                                                                 max_size=60))
def test_opcodes_are_a_valid_edit_script(a: list[str], b: list[str]) -> None:
    assert replay(a, b) == b


@pytest.mark.parametrize("alphabet", [3, 50, 5000])
def test_opcodes_of_long_sequences_are_valid(alphabet: int) -> None:
    chance = random.Random(alphabet)
    a = [chance.randrange(alphabet) for _ in range(6000)]
    b = [x if chance.random() > 0.05 else chance.randrange(alphabet) for x in a]
    b[3000:3000] = [chance.randrange(alphabet) for _ in range(40)]
    assert replay(a, b) == b


def prose(words: int, seed: int = 13) -> list[str]:
    """Made-up words drawn with Zipf's law: they repeat as words of real text do."""
    chance = random.Random(seed)
    vocabulary = ["".join(chance.choice("abcdefghij") for _ in range(chance.randint(2, 8)))
                  for _ in range(2000)]
    return chance.choices(vocabulary, [1 / r for r in range(1, 2001)], k=words)


def paragraph_models(tmp_path: Path, old: list[str], new: list[str]) -> tuple[Any, Any]:
    models = []
    for name, words in (("old", old), ("new", new)):
        path = tmp_path / f"{name}.txt"
        path.write_text("Title of the notice. The lead.\n" + " ".join(words) + ".\n",
                        encoding="utf-8")
        briefing = read_briefing(path)[0]
        models.append(msgspec.structs.replace(
            briefing, meta=msgspec.structs.replace(briefing.meta, lang="en")))
    return models[0], models[1]


def test_C7_the_word_diff_does_bounded_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed 15,000-word paragraph: difflib's quadratic matcher only ever sees small
    stretches, and the work done stays within a fixed multiple of the words."""
    words = prose(15000)
    chance = random.Random(1)
    shuffled = words[:]
    chance.shuffle(shuffled)
    sizes: list[int] = []
    visited: list[int] = []
    real_matcher, real_anchors = difflib.SequenceMatcher, diff._anchors

    def matcher(junk: Any, a: Sequence[Hashable], b: Sequence[Hashable],
                autojunk: bool = True) -> difflib.SequenceMatcher[Any]:
        sizes.append(len(a) * len(b))
        return real_matcher(junk, a, b, autojunk=autojunk)

    def anchors(a: Any, b: Any, i1: int, i2: int, j1: int, j2: int) -> Any:
        visited.append(i2 - i1 + j2 - j1)
        return real_anchors(a, b, i1, i2, j1, j2)

    monkeypatch.setattr(diff.difflib, "SequenceMatcher", matcher)
    monkeypatch.setattr(diff, "_anchors", anchors)
    old, new = paragraph_models(tmp_path, words, shuffled)
    changes = compare(old, new)
    assert changes.words_added > 10000 and changes.words_removed > 10000
    assert max(sizes) <= diff.EXACT
    assert sum(sizes) + sum(visited) <= diff.BUDGET * 2 * 15000 + diff.EXACT


def test_C7_ordinary_edits_count_as_difflib_counts(tmp_path: Path) -> None:
    """1 % of 3,000 words replaced and a sentence added: the same counts as difflib's own."""
    words = prose(3000)
    chance = random.Random(2)
    new = [w if chance.random() > 0.01 else "changed" for w in words]
    new[1500:1500] = "a sentence added in the middle".split()
    matcher = difflib.SequenceMatcher(None, words, new, autojunk=False)
    expected_added = sum(j2 - j1 for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal")
    expected_removed = sum(i2 - i1 for tag, i1, i2, _, _ in matcher.get_opcodes()
                           if tag != "equal")
    old_model, new_model = paragraph_models(tmp_path, words, new)
    changes = compare(old_model, new_model)
    assert (changes.words_added, changes.words_removed) == (expected_added, expected_removed)
