"""The cached hyphenator: real hyphenation points, none for tokens longer than any word."""

from __future__ import annotations

from briefing.typography.hyphenation import MAX_WORD, hyphenator


def test_hyphenation_points_of_a_word() -> None:
    hyphenate = hyphenator("fr_FR")
    assert hyphenate is not None
    pairs = hyphenate("anticonstitutionnellement")
    assert pairs and all(h + t == "anticonstitutionnellement" for h, t in pairs)


def test_one_dictionary_per_language() -> None:
    assert hyphenator("en_GB") is hyphenator("en_GB")
    assert hyphenator("en_GB") is not hyphenator("fr_FR")


def test_no_points_in_tokens_longer_than_a_word() -> None:
    hyphenate = hyphenator("en_GB")
    assert hyphenate is not None
    assert hyphenate("hyphenation" * 10) == ()
    assert len("hyphenation" * 3) <= MAX_WORD and hyphenate("hyphenation" * 3)


def test_unknown_language_has_no_hyphenator() -> None:
    assert hyphenator("") is None
    assert hyphenator("zz_ZZ") is None
