"""Never crash, never lose a word: any source gives a PDF with every word, or a refusal a
user can cause (an empty file, binary data, a control character...), named in one line.

A refusal that is not expected fails the test: a reader that refused every source would
otherwise pass it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from briefing.build import BuildOptions, build
from briefing.errors import BriefingError
from tests.pdftext import missing_words
from tests.property.docstrategies import (
    SERIALIZERS,
    Doc,
    available_formats,
    docs,
    examples,
    line,
    token,
)

FORMATS = available_formats()


#: Refusals a user causes with the text itself (any text may hold them): the source is
#: empty or blank, is binary, has no title, or holds a character no text may hold.
USER_REFUSALS = (
    "the file is empty",
    "this is not a text file",
    "the briefing has no title",
    "control character U+",
    "half of a UTF-16 pair",
    "not a character",
)


def build_text(text: str, ext: str, options: BuildOptions | None = None,
               allowed_refusals: tuple[str, ...] = ()) -> bytes | None:
    """The PDF of a source, or None when the build refused it with one of the
    ``allowed_refusals`` (a message holding one of them); any other refusal fails."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"source{ext}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            pdf = build(path, options or BuildOptions()).pdf
        except BriefingError as exc:
            message = str(exc.message)
            assert message and "\n" not in message and "Traceback" not in message
            allowed = next((a for a in allowed_refusals if a in message), None)
            assert allowed is not None, f"unexpected refusal: {message}"
            event(f"refused: {allowed}")
            return None
        event("built")
        return pdf


def assert_words_back(texts: list[str], pdf: bytes | None) -> None:
    if pdf is None:
        return
    lost = missing_words(texts, pdf)
    assert not lost, f"words lost: {lost[:10]}"


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=examples(25))
@given(doc=docs)
def test_every_reader_every_field(fmt: str, doc: Doc) -> None:
    ext, write = SERIALIZERS[fmt]
    assert_words_back(doc.texts(), build_text(write(doc), ext))


raw_lines = st.lists(
    st.one_of(line, st.just(""), st.text(max_size=200).filter(lambda s: "\x00" not in s)),
    min_size=1, max_size=25,
)


@settings(max_examples=examples(60))
@given(lines=raw_lines)
def test_plain_text_any_unicode(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert_words_back([text], build_text(text, ".txt", allowed_refusals=USER_REFUSALS))


@settings(max_examples=examples(15))
@given(title=line, entries=st.lists(st.tuples(line, line), min_size=50, max_size=300))
def test_many_faq_entries(title: str, entries: list[tuple[str, str]]) -> None:
    text = "\n".join([title.rstrip(".?") + ".", "FAQ"] + [
        f"{q.rstrip(' ?')} ?\n{a}." for q, a in entries
    ])
    assert_words_back([text], build_text(text, ".txt", BuildOptions(max_pages=10_000),
                                         allowed_refusals=USER_REFUSALS))


@settings(max_examples=examples(20))
@given(words=st.lists(token, min_size=1, max_size=3), width=st.integers(200, 5000))
def test_very_long_words(words: list[str], width: int) -> None:
    word = ("".join(words) * (width // max(1, len("".join(words))) + 1))[:width]
    text = f"Title\nA lead {word} ends.\n{word}\nFAQ\nWhy {word} ?\nBecause {word}.\nAnd ?\nYes.\n"
    assert_words_back([text], build_text(text, ".txt", allowed_refusals=USER_REFUSALS))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=examples(300))
@given(doc=docs)
def test_every_reader_nightly(fmt: str, doc: Doc) -> None:
    ext, write = SERIALIZERS[fmt]
    assert_words_back(doc.texts(), build_text(write(doc), ext))


def test_a_reader_that_refuses_everything_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property test can fail: a reader that refuses every source does not pass it."""
    import briefing.read
    from briefing.errors import SourceError

    def refuse(*args: object, **kwargs: object) -> None:
        raise SourceError("source.txt: refused")

    monkeypatch.setattr(briefing.read, "read_source_text", refuse)
    with pytest.raises(AssertionError, match="unexpected refusal"):
        test_every_reader_every_field("txt")
