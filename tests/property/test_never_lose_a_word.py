"""Never crash, never lose a word: any source gives a PDF with every word, or a BriefingError."""

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


def build_text(text: str, ext: str, options: BuildOptions | None = None) -> bytes | None:
    """The PDF of a source, or None when the build refused it with a BriefingError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"source{ext}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            pdf = build(path, options or BuildOptions()).pdf
        except BriefingError as exc:
            message = str(exc.message)
            event(f"refused: {message.split(':')[1][:40]}")
            assert message and "\n" not in message and "Traceback" not in message
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
    assert_words_back([text], build_text(text, ".txt"))


@settings(max_examples=examples(15))
@given(title=line, entries=st.lists(st.tuples(line, line), min_size=50, max_size=300))
def test_many_faq_entries(title: str, entries: list[tuple[str, str]]) -> None:
    text = "\n".join([title.rstrip(".?") + ".", "FAQ"] + [
        f"{q.rstrip(' ?')} ?\n{a}." for q, a in entries
    ])
    assert_words_back([text], build_text(text, ".txt", BuildOptions(max_pages=10_000)))


@settings(max_examples=examples(20))
@given(words=st.lists(token, min_size=1, max_size=3), width=st.integers(200, 5000))
def test_very_long_words(words: list[str], width: int) -> None:
    word = ("".join(words) * (width // max(1, len("".join(words))) + 1))[:width]
    text = f"Title\nA lead {word} ends.\n{word}\nFAQ\nWhy {word} ?\nBecause {word}.\nAnd ?\nYes.\n"
    assert_words_back([text], build_text(text, ".txt"))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=examples(300))
@given(doc=docs)
def test_every_reader_nightly(fmt: str, doc: Doc) -> None:
    ext, write = SERIALIZERS[fmt]
    assert_words_back(doc.texts(), build_text(write(doc), ext))
