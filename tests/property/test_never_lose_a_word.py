"""Never crash, never lose a word: any source gives a PDF with every word, or a refusal a
user can cause (an empty file, binary data, a control character...), named in one line.

A refusal that is not expected fails the test: a reader that refused every source would
otherwise pass it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from briefing.build import build
from briefing.errors import BriefingError
from briefing.options import NOTHING_ASKED, Asked, ask
from tests.pdftext import link_targets, lost_words
from tests.property.docstrategies import (
    SERIALIZERS,
    Doc,
    available_formats,
    docs,
    examples,
    heading_words,
    line,
    plain_word,
    sentence,
    short_line,
    source_bytes,
    token,
)

FORMATS = available_formats()

# Each property runs a few examples in the normal suite (each is a real build read back from
# its PDF) and many more with HYPOTHESIS_PROFILE=nightly; test_every_reader_nightly (marked
# slow) runs 300 documents per reader.


#: Refusals a user causes with the text itself (any text may hold them): the source is
#: empty or blank, is binary, has no title, or holds a character no text may hold.
USER_REFUSALS = (
    "the file is empty",
    "this is not a text file",
    "the briefing has no title",
    "control character U+",
    "half of a UTF-16 pair",
    "not a character",
    "cannot be set yet",  # text in a script briefing refuses (Thai, Tamil, Syriac...)
)


def build_text(text: str | bytes, ext: str, options: Asked | None = None,
               allowed_refusals: tuple[str, ...] = ()) -> bytes | None:
    """The PDF of a source, or None when the build refused it with one of the
    ``allowed_refusals`` (a message holding one of them); any other refusal fails."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"source{ext}"
        path.write_bytes(source_bytes(text))
        try:
            pdf = build(path, options or NOTHING_ASKED).pdf
        except BriefingError as exc:
            message = str(exc.message)
            assert message and "\n" not in message and "Traceback" not in message
            allowed = next((a for a in allowed_refusals if a in message), None)
            assert allowed is not None, f"unexpected refusal: {message}"
            event(f"refused: {allowed}")
            return None
        event("built")
        return pdf


def printed_once(lines: list[str]) -> list[str]:
    """What a plain text prints of its lines: a title repeated on the next line is printed
    once (the lines as read: blank lines skipped)."""
    from briefing.read.sections import fold

    lines = [line for line in lines if line.strip()]
    if len(lines) > 1 and fold(lines[1]) == fold(lines[0]) and fold(lines[0]):
        return lines[:1] + lines[2:]
    return lines


#: Markdown's emphasis and code markers, and the brackets of a link's text.
MARKERS = re.compile(r"[_*`\[\]]")


def assert_words_back(texts: list[str], pdf: bytes | None, *, markdown: bool = False) -> None:
    """Every word comes back, in order (a link's address may come back as its target).

    ``markdown``: the text may hold Markdown (pasted into a plain text), whose underscores,
    asterisks and backquotes mark emphasis and code, and brackets a link's text: they are
    markup, not part of the words, and a word emphasised in the middle (``*a**b*``) or made of
    links (``[a](x)[b](y)``) prints as one (``ab``)."""
    if pdf is None:
        return
    if markdown:
        for target in sorted(set(link_targets(pdf)), key=len, reverse=True):
            texts = [text.replace(target, " ") for text in texts]
        texts = [MARKERS.sub("", text) for text in texts]
    lost = lost_words(texts, pdf)
    assert not lost, f"words lost: {lost[:10]}"


#: Formats whose sources are slow to write (a .docx) or read (a page's extraction): fewer
#: examples in the normal suite, as many as the others in the nightly profile.
HEAVY = ("docx", "html")


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in HEAVY])
@settings(max_examples=examples(12, nightly=500))
@given(doc=docs)
def test_every_reader_every_field(fmt: str, doc: Doc) -> None:
    ext, write = SERIALIZERS[fmt]
    texts = printed_once(doc.texts()) if fmt == "txt" else doc.texts()
    assert_words_back(texts, build_text(write(doc), ext), markdown=fmt == "txt")


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f in HEAVY])
@settings(max_examples=examples(5, nightly=200))
@given(doc=docs)
def test_every_reader_every_field_heavy(fmt: str, doc: Doc) -> None:
    ext, write = SERIALIZERS[fmt]
    assert_words_back(doc.texts(), build_text(write(doc), ext))


raw_lines = st.lists(
    st.one_of(line, st.just(""), st.text(max_size=200).filter(lambda s: "\x00" not in s)),
    min_size=1, max_size=25,
)


@settings(max_examples=examples(30, nightly=1200))
@given(lines=raw_lines)
def test_plain_text_any_unicode(lines: list[str]) -> None:
    text = "\n".join(lines)
    expected = printed_once("\n".join(lines).split("\n"))
    assert_words_back(expected, build_text(text, ".txt", allowed_refusals=USER_REFUSALS),
                      markdown=True)


@settings(max_examples=examples(4, nightly=120))
@given(title=line, entries=st.lists(st.tuples(short_line, short_line), min_size=50, max_size=150))
def test_many_faq_entries(title: str, entries: list[tuple[str, str]]) -> None:
    text = "\n".join([title.rstrip(".?") + ".", "FAQ"] + [
        f"{q.rstrip(' ?')} ?\n{a}." for q, a in entries
    ])
    assert_words_back([text], build_text(text, ".txt", ask(max_pages=10_000),
                                         allowed_refusals=USER_REFUSALS), markdown=True)


@settings(max_examples=examples(10, nightly=400))
@given(words=st.lists(token, min_size=1, max_size=3), width=st.integers(200, 5000))
def test_very_long_words(words: list[str], width: int) -> None:
    word = ("".join(words) * (width // max(1, len("".join(words))) + 1))[:width]
    text = f"Title\nA lead {word} ends.\n{word}\nFAQ\nWhy {word} ?\nBecause {word}.\nAnd ?\nYes.\n"
    assert_words_back([text], build_text(text, ".txt", allowed_refusals=USER_REFUSALS),
                      markdown=True)


@st.composite
def pasted(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Text as people paste it (Markdown, tab-separated and pipe tables, lists typed with
    markers and indented, a date line, the title repeated), and the words it must print."""
    words = st.lists(plain_word, min_size=1, max_size=5).map(" ".join)
    title = draw(heading_words)
    lines, expected = [title], [title]
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["2025-10-23", "23 octobre 2025", "October 23, 2025"])))
    if draw(st.booleans()):
        lines.append(title)  # printed once
    from briefing.read.sections import fold

    # A lead that reads as the title again is the title repeated: printed once.
    lead = draw(sentence.filter(lambda text: fold(text) != fold(title)))
    lines.append(lead)
    expected.append(lead)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["line", "heading", "markdown", "tabs", "pipes", "list"]))
        if kind == "line":
            text = draw(st.one_of(sentence, line))
            lines.append(text)
            expected.append(text)
        elif kind == "heading":
            heads = draw(st.lists(heading_words, min_size=1, max_size=3))
            lines += heads
            expected += heads
        elif kind == "markdown":
            marks = draw(st.sampled_from(["## ", "### ", ""]))
            a, b, c = draw(words), draw(words), draw(words)
            emphasis = draw(st.sampled_from(["**", "*", "_", "`"]))
            lines.append(f"{marks}{a} {emphasis}{b}{emphasis} {c}")
            expected.append(f"{a} {b} {c}")
        elif kind in ("tabs", "pipes"):
            columns = draw(st.integers(2, 4))
            rows = draw(st.lists(st.lists(words, min_size=columns, max_size=columns),
                                 min_size=2, max_size=5))
            if kind == "tabs":
                lines += ["\t".join(row) for row in rows]
            else:
                lines += [f"| {' | '.join(row)} |" for row in rows]
                if draw(st.booleans()):
                    lines.insert(len(lines) - len(rows) + 1, "|" + "---|" * columns)
            expected += [" ".join(row) for row in rows]
        else:
            marker = draw(st.sampled_from(["- ", "* ", "• ", "1. ", "a) "]))
            items = draw(st.lists(st.tuples(st.sampled_from([0, 0, 2, 4]), words),
                                  min_size=2, max_size=6))
            for k, (indent, text) in enumerate(items):
                label = marker if marker in ("- ", "* ", "• ") else (
                    f"{k + 1}. " if marker == "1. " else f"{chr(97 + k)}) ")
                lines.append(" " * (indent if k else 0) + label + text)
                expected.append(text)
    return "\n".join(lines) + "\n", expected


@settings(max_examples=examples(15, nightly=600))
@given(case=pasted())
def test_pasted_text(case: tuple[str, list[str]]) -> None:
    text, expected = case
    assert_words_back(expected, build_text(text, ".txt"), markdown=True)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=examples(300))
@given(doc=docs)
def test_every_reader_nightly(fmt: str, doc: Doc) -> None:
    ext, write = SERIALIZERS[fmt]
    texts = printed_once(doc.texts()) if fmt == "txt" else doc.texts()
    assert_words_back(texts, build_text(write(doc), ext), markdown=fmt == "txt")


def test_a_reader_that_refuses_everything_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property test can fail: a reader that refuses every source does not pass it."""
    import briefing.read
    from briefing.errors import SourceError

    def refuse(*args: object, **kwargs: object) -> None:
        raise SourceError("source.txt: refused")

    monkeypatch.setattr(briefing.read, "read_source_bytes", refuse)
    with pytest.raises(AssertionError, match="unexpected refusal"):
        test_every_reader_every_field("txt")
