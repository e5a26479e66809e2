"""What ``briefing publish`` publishes: the command line's values over the manifest's, and a
usage error saying what to give when something is missing or the same folder twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import UsageError
from briefing.jobs.site import site_request


def manifest(folder: Path, text: str) -> Path:
    """A manifest of one briefing, with ``text`` at its top."""
    (folder / "a.txt").write_text("A title\n\nSome text.\n", encoding="utf-8")
    path = folder / "briefings.toml"
    path.write_text(text + '[[briefing]]\nname = "a"\nsource = "a.txt"\n', encoding="utf-8")
    return path


def test_the_manifest_gives_what_the_command_line_does_not(tmp_path: Path) -> None:
    path = manifest(tmp_path, 'editions = "eds"\n[publish]\nfolder = "site"\ntitle = "Ours"\n'
                              'base_url = "https://example.org/b/"\n')
    asked = site_request(None, None, manifest=path)
    assert asked.editions == (tmp_path / "eds").resolve()
    assert asked.options.folder.name == "site" and asked.options.title == "Ours"
    asked = site_request(tmp_path / "elsewhere", None, manifest=path, title="Theirs",
                         base_url="https://example.com/")
    assert asked.options.folder == tmp_path / "elsewhere"
    assert (asked.options.title, asked.options.base_url) == ("Theirs", "https://example.com/")


def test_both_folders_given_need_no_manifest(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no briefings.toml here
    asked = site_request(tmp_path / "out", tmp_path / "eds", theme="print")
    assert (asked.editions, asked.options.folder, asked.theme) == (
        tmp_path / "eds", tmp_path / "out", "print")


@pytest.mark.parametrize(("text", "output", "message"), [
    ("", None,
     r"briefings.toml: no editions folder; add editions = \"editions\" at its top, or give "
     r"OUTPUT and --dir"),
    ('editions = "eds"\n', None, r"briefings.toml: no \[publish\] table; add one or give OUTPUT"),
    ('editions = "eds"\n', "eds", r"eds: is the editions folder; publish into a folder of its own"),
])
def test_what_is_missing_is_said(tmp_path: Path, text: str, output: str | None,
                                 message: str) -> None:
    path = manifest(tmp_path, text)
    with pytest.raises(UsageError, match=message):
        site_request(tmp_path / output if output else None, None, manifest=path)


def test_a_bad_base_url_names_the_flag(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^--base-url: "):
        site_request(tmp_path / "out", tmp_path / "eds", base_url="ftp://example.org/")


def test_the_command_says_it_in_one_line(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    manifest(tmp_path, 'editions = "eds"\n')
    result = CliRunner().invoke(cli, ["publish"])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == ("Error: briefings.toml: no [publish] table; add one or "
                                     "give OUTPUT")
