"""Properties: the Markdown reader never crashes and never produces a link it should not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import SourceError
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
    # Every link anywhere in the model (lists, quotes, tables, answers, notes included).
    for href in _hrefs(b.as_dict()):
        assert href.split(":")[0] in ("http", "https", "mailto"), href


def _hrefs(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        if isinstance(data.get("href"), str):
            yield data["href"]
        for value in data.values():
            yield from _hrefs(value)
    elif isinstance(data, list):
        for value in data:
            yield from _hrefs(value)


