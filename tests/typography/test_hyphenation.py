"""The cached hyphenator: real hyphenation points, none for tokens longer than any word."""

from __future__ import annotations

import re
import subprocess

from briefing.build import BuildResult
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


def test_names_with_inner_capitals_are_never_hyphenated() -> None:
    hyphenate = hyphenator("fr_FR")
    assert hyphenate is not None
    for name in ("OpenAI", "ChatGPT", "YouTube", "UNESCO", "ORGANISATION"):
        assert hyphenate.points(name) == (), name
        assert hyphenate(name) == (), name
    assert hyphenate.points("Organisation")  # a capital at the start is an ordinary word


def test_the_sample_page_cuts_no_brand_name(sample_build: BuildResult) -> None:
    """The advice box printed "Ope- / nAI": the page shows every name whole."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=sample_build.pdf,
                          capture_output=True, check=True).stdout.decode()
    for name in ("Ope", "Chat"):  # a hyphen, a Unicode hyphen or the soft hyphen ending a line
        assert not re.search(name + "[-\u2010\u00ad]\\s*$", text, re.MULTILINE), name
    assert "OpenAI" in text and "ChatGPT" in text
