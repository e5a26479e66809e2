"""The readers together: the sample in every format gives the same briefing; hostile text
arrives in the model exactly as typed, in every field of every reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from briefing.errors import UsageError
from briefing.model import Briefing, plain
from briefing.read import detect_format, parse, read_briefing
from briefing.read.source import SourceText
from briefing.typography import typeset

HOSTILE = (
    '<img src="/etc/passwd"/>',
    '<font color="red">',
    "</para>",
    '<a href="javascript:alert(1)">x</a>',
    "&amp;",
    "&",
)
#: One string holding every hostile piece; each reader field gets it.
EVIL = "Evil " + " ".join(HOSTILE) + " end"


def source(text: str, name: str) -> SourceText:
    return SourceText(text, name, Path("."), text.encode())


def every_text(b: Briefing) -> list[str]:
    texts = list(b.texts())
    texts += [b.meta.author or "", b.meta.organisation or ""]  # texts() gives the subtitle
    return texts


def test_the_sample_agrees_in_every_format(tmp_path: Path, sample_dir: Path) -> None:
    json_path = tmp_path / "sora-artists.json"
    data = yaml.safe_load((sample_dir / "sora-artists.yaml").read_text(encoding="utf-8"))
    json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    models = {
        path.suffix: read_briefing(path)[0]
        for path in (
            sample_dir / "sora-artists.txt",
            sample_dir / "sora-artists.md",
            sample_dir / "sora-artists.yaml",
            json_path,
        )
    }
    # The .md and .yaml say `lang: fr`; the plain text is detected as French.
    assert {b.meta.lang for b in models.values()} == {None, "fr"}
    dumps = {suffix: typeset(b).as_dict() for suffix, b in models.items()}
    assert dumps[".md"] == dumps[".txt"]
    assert dumps[".yaml"] == dumps[".txt"]
    assert dumps[".json"] == dumps[".txt"]


def test_format_by_extension_and_override(tmp_path: Path) -> None:
    assert [detect_format(n) for n in ("a.md", "a.MARKDOWN", "a.yml", "a.json", "a.txt", "a")] == [
        "md", "md", "yaml", "json", "txt", "txt"
    ]
    path = tmp_path / "brief.txt"
    path.write_text("title: From YAML\n", encoding="utf-8")
    assert read_briefing(path, fmt="yaml")[0].title == "From YAML"
    with pytest.raises(UsageError, match="unknown source format 'doc'"):
        read_briefing(path, fmt="doc")


def test_hostile_text_plain() -> None:
    text = f"{EVIL}. {EVIL}.\n{EVIL}.\nConclusion {HOSTILE[3]}\n{EVIL}.\n{EVIL} ?\n{EVIL}.\n{EVIL} ?\n{EVIL}.\n"
    b = parse(source(text, "t.txt"), "txt")
    texts = every_text(b)
    assert sum(EVIL in t for t in texts) == 8
    assert any(HOSTILE[3] in t for t in texts)


def test_hostile_text_markdown() -> None:
    text = f"""---
subtitle: '{EVIL}'
author: '{EVIL}'
organisation: '{EVIL}'
---
# {EVIL}

{EVIL}

## {EVIL}

{EVIL}

- {EVIL}
  1. {EVIL}

> {EVIL}

| {EVIL} |
|---|
| {EVIL} |

![{EVIL}](pic.png)

[{EVIL}](https://example.org)[^1]

## Questions fréquentes

### {EVIL} ?

{EVIL}

[^1]: {EVIL}
"""
    b = parse(source(text, "t.md"), "md")
    texts = every_text(b)
    assert b.title == EVIL
    assert b.meta.subtitle == b.meta.author == b.meta.organisation == EVIL
    assert b.faq[0].question == f"{EVIL} ?"
    assert sum(EVIL in t for t in texts) == 17
    assert plain(b.lead[0].spans) == EVIL
    # No link comes from raw HTML.
    spans = [s for p in b.lead for s in p.spans]
    assert all(s.href is None for s in spans)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_hostile_text_data(fmt: str) -> None:
    data = {
        "title": EVIL,
        "lead": [EVIL],
        "sections": [
            {"heading": EVIL, "blocks": [
                EVIL,
                {"type": "heading", "text": EVIL},
                {"type": "list", "items": [EVIL]},
                {"type": "quote", "blocks": [EVIL]},
                {"type": "code", "text": EVIL},
                {"type": "image", "src": "x.png", "alt": EVIL},
                {"type": "table", "header": [EVIL], "rows": [[EVIL]]},
                {"spans": [{"text": EVIL, "href": "https://example.org"}]},
            ]},
            {"kind": "faq", "entries": [{"question": EVIL, "answer": EVIL}]},
        ],
        "footnotes": [{"label": "1", "blocks": EVIL}],
        "meta": {"subtitle": EVIL, "author": EVIL, "organisation": EVIL},
    }
    text = json.dumps(data) if fmt == "json" else yaml.safe_dump(data, allow_unicode=True)
    b = parse(source(text, f"t.{fmt}"), fmt)
    texts = every_text(b)
    assert sum(t == EVIL for t in texts) == 18
