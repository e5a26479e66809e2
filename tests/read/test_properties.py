"""Properties: the Markdown reader never crashes and never produces a link it should not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import SourceError
from briefing.model import Paragraph
from briefing.read.markdown import read_markdown

PIECES = st.sampled_from(
    [
        "# ", "## ", "### ", "- ", "1. ", "> ", "```\n", "    ", "| a | b |\n|---|---|\n", "\n",
        "\n\n", "*", "**", "`", "[x](", "javascript:", "https://e.org", ")", "![i](p.png)",
        "[^1]", "[^1]: n\n", "<b>", "&amp;", "word", "Question ?", "---\n", "FAQ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_markdown_never_crashes(text: str) -> None:
    try:
        b = read_markdown(text, name="t.md", title="T")
    except SourceError as exc:  # a clear error is an allowed outcome (e.g. broken front matter)
        assert "t.md" in str(exc)
        return
    for para in _paragraphs(b.lead) + _paragraphs(
        tuple(x for s in b.sections for x in s.blocks)
    ):
        for span in para.spans:
            assert span.href is None or span.href.split(":")[0] in ("http", "https", "mailto")


def _paragraphs(blocks: tuple[object, ...]) -> tuple[Paragraph, ...]:
    return tuple(b for b in blocks if isinstance(b, Paragraph))


