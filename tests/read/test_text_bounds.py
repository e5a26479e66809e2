"""What a source may hold, whatever its format: no binary data anywhere, no control characters
or lone surrogates (each refused with its line and field), no nesting deeper than a page can
show; titles and metadata are single lines. And Markdown image names written the URL way."""

from __future__ import annotations

import io
import json
import xml.dom.minidom
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from briefing.build import build
from briefing.cli import cli
from briefing.errors import BriefingError, SourceError
from briefing.read import read_briefing


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, **kwargs: object) -> str:
    with pytest.raises(SourceError) as info:
        read_briefing(path, **kwargs)  # type: ignore[arg-type]
    return info.value.format_message()


def test_B7_a_nul_byte_anywhere_is_binary_data(tmp_path: Path) -> None:
    text = "Title here. Lead.\n" + "A long paragraph of words. " * 400 + "\n"
    assert len(text) > 8192
    late = write(tmp_path / "nul_late.txt", text.encode() + b"Tail \x00 text.\n")
    assert "not a text file" in error_of(late)


def test_B7_control_characters_are_refused_with_line_and_column(tmp_path: Path) -> None:
    ctl = write(tmp_path / "ctl.txt", "Title here. Lead.\nA bell\x07 rings.\n")
    message = error_of(ctl)
    assert message.startswith(f"{ctl}, line 2, column 7: ")
    assert "U+0007" in message
    md = write(tmp_path / "ctl.md", "# Title\n\nLead \x1b[31m red.\n")
    assert ", line 3, column 6: " in error_of(md) and "U+001B" in error_of(md)
    # Tabs and line endings of any kind are text.
    ok = write(tmp_path / "ok.txt", "Title here. Lead.\r\nA\ttab.\n")
    assert read_briefing(ok)[0].title


@pytest.mark.parametrize(("name", "text", "line"), [
    ("j.json", '{"title": "T",\n "lead": ["T\\u0000nul\\u0001\\u001b[31m"]}', 2),
    ("y.yaml", 'title: T\nlead:\n  - "x\\x01y"\n', 3),
    ("f.md", '---\ntitle: "T\\x07"\n---\n\nLead.\n', 2),
])
def test_B7_escaped_control_characters_are_refused_by_field(
        tmp_path: Path, name: str, text: str, line: int) -> None:
    message = error_of(write(tmp_path / name, text))
    assert message.startswith(f"{tmp_path / name}, line {line}: ")
    assert "control character" in message


def test_C4_lone_surrogates_in_json_and_yaml(tmp_path: Path) -> None:
    source = write(tmp_path / "s.json", '{"title": "T \\ud800 lone", "lead": ["x"]}')
    assert "title" in error_of(source) and "U+D800" in error_of(source)
    yaml_source = write(tmp_path / "s.yaml", 'title: "T \\ud800 lone"\nlead: [x]\n')
    assert "U+D800" in error_of(yaml_source)
    for args in (["check", str(source)], ["check", "--json", str(source)],
                 ["build", str(source), "-o", str(tmp_path / "s.pdf")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert "unexpected" not in result.output and "U+D800" in result.output


def test_C4_deeply_nested_front_matter(tmp_path: Path) -> None:
    deep = "[" * 5000 + "]" * 5000
    source = write(tmp_path / "deep.md", f"---\ntitle: T\nx: {deep}\n---\n\nLead.\n")
    assert "nested too deeply" in error_of(source)


@pytest.mark.parametrize("kind", ["quote", "list"])
def test_B2_json_and_yaml_nesting_is_limited_like_markdown(tmp_path: Path, kind: str) -> None:
    block: object = "deepest"
    for _ in range(50):
        block = ({"type": "quote", "blocks": [block]} if kind == "quote"
                 else {"type": "list", "items": [block]})
    source = write(tmp_path / f"deep-{kind}.json",
                   json.dumps({"title": "T", "sections": [{"blocks": [block]}]}))
    message = error_of(source)
    assert "nested 50 levels deep" in message and "at most 12" in message
    assert len(message) < 300


def test_B7_titles_and_metadata_are_single_lines(tmp_path: Path) -> None:
    source = write(tmp_path / "t.yaml",
                   'title: "Storm\\r\\nBcc: victim@evil.example\\r\\nX-Injected: yes"\n'
                   'meta: {author: "Ann\\nLee", organisation: "Civil\\tProtection"}\n'
                   'lead: ["Lead."]\n'
                   'sections: [{kind: faq, entries: [{question: "Why\\nnow?", answer: x}]}]\n')
    briefing, _ = read_briefing(source)
    assert briefing.title == "Storm Bcc: victim@evil.example X-Injected: yes"
    assert briefing.meta.author == "Ann Lee" and briefing.meta.organisation == "Civil Protection"
    assert briefing.faq[0].question == "Why now?"
    result = build(source)
    reader = pypdf.PdfReader(io.BytesIO(result.pdf))
    assert reader.metadata is not None and reader.metadata.title == briefing.title
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    xml.dom.minidom.parseString(xmp)  # well-formed


def test_B7_a_title_given_on_the_command_line_is_checked(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", "Title here. Lead.\nPara.\n")
    result = CliRunner().invoke(cli, ["check", str(source), "--title", "Bell\x07"])
    assert result.exit_code == 2 and "--title" in result.output and "U+0007" in result.output
    briefing, _ = read_briefing(source, title="Two\nlines")
    assert briefing.title == "Two lines"


def test_B7_check_never_prints_control_characters(tmp_path: Path) -> None:
    source = write(tmp_path / "c.yaml", 'title: "T\\0nul\\x01"\nlead: [x]\n')
    result = CliRunner().invoke(cli, ["check", str(source)])
    assert result.exit_code == 1
    assert not any(ord(c) < 0x20 and c != "\n" for c in result.output)


@pytest.mark.parametrize("ref", ["<sp ace ü.png>", "sp%20ace%20%C3%BC.png"])
def test_B6_markdown_image_names_with_spaces_and_non_ascii(tmp_path: Path, ref: str) -> None:
    PILImage.new("RGB", (40, 20), "blue").save(tmp_path / "sp ace ü.png")
    source = write(tmp_path / "img.md", f"# Title\n\nLead.\n\n![A blue box]({ref})\n")
    result = build(source)
    assert [p.name for p in result.images] == ["sp ace ü.png"]
    page = pypdf.PdfReader(io.BytesIO(result.pdf)).pages[0]
    assert len(page.images) == 1


def test_B6_a_percent_sign_in_a_name_still_reaches_nothing_outside(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    source = write(tmp_path / "sub" / "img.md", "# Title\n\nLead.\n\n![x](%2E%2E/secret.png)\n")
    PILImage.new("RGB", (4, 4), "red").save(tmp_path / "secret.png")
    with pytest.raises(BriefingError, match=r"'\.\.'"):
        build(source)
