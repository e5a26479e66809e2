"""Properties: typography never crashes and never loses or adds a word character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.model import Span
from briefing.typography import language, typeset_spans, typeset_text
from briefing.typography.languages import LANGUAGES

CHARS = "ab É1 .?!;:'\"«»-<>/&@\u00a0\u202f\ufffc\n"
ALPHABET = st.sampled_from([*CHARS, "http://x.y/", "..."])
TEXT = st.lists(ALPHABET, max_size=30).map("".join)


def words(text: str) -> str:
    return "".join(c for c in text if c.isalnum() or c in "<>/&@\ufffc")


@settings(max_examples=300, deadline=None)
@given(text=TEXT, code=st.sampled_from(sorted(LANGUAGES)))
def test_never_loses_a_word(text: str, code: str) -> None:
    out = typeset_text(text, language(code))
    assert words(out) == words(text)


@settings(max_examples=200, deadline=None)
@given(
    spans=st.lists(
        st.builds(Span, TEXT, bold=st.booleans(), code=st.booleans()), min_size=1, max_size=5
    ),
    code=st.sampled_from(sorted(LANGUAGES)),
)
def test_spans_keep_their_formatting_and_code(spans: list[Span], code: str) -> None:
    out = typeset_spans(tuple(spans), language(code))
    assert len(out) == len(spans)
    for before, after in zip(spans, out, strict=True):
        assert (before.bold, before.code) == (after.bold, after.code)
        if before.code:
            assert after == before
    assert words("".join(s.text for s in out)) == words("".join(s.text for s in spans))
