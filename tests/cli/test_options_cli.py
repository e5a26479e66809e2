"""Build options on the command line: the same flags for build, check and watch, decided
once, and shown with where each value came from."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
from click.testing import CliRunner

from briefing.cli import cli


def _pdfa_theme(tmp_path: Path) -> Path:
    theme = tmp_path / "archive.toml"
    theme.write_text('extends = "default"\n[pdf]\npdfa = true\n', encoding="utf-8")
    return theme


def test_check_shows_each_option_and_its_origin(tmp_path: Path) -> None:
    theme = _pdfa_theme(tmp_path)
    source = tmp_path / "a.md"
    source.write_text("---\nlang: fr\n---\n# Titre\n\nUn texte.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--json", str(source), "--theme", str(theme),
                                      "--date", "2026-12-02"])
    assert result.exit_code == 0, result.output
    options = json.loads(result.stdout)["options"]
    assert options["pdfa"] == {"value": True, "from": "theme archive.toml"}
    assert options["lang"] == {"value": "fr", "from": "source a.md"}
    assert options["date"] == {"value": "2026-12-02", "from": "command line --date"}
    assert options["format"] == {"value": "md", "from": "detected .md extension"}
    assert options["tags"] == {"value": True, "from": "built-in default"}
    assert options["pdf"] == {"value": "pdfa-2b+ua", "from": "tags + pdfa"}
    shown = CliRunner().invoke(cli, ["check", str(source), "--theme", str(theme)])
    assert "pdfa" in shown.stdout and "(theme archive.toml)" in shown.stdout


def test_no_pdfa_beats_the_theme(tmp_path: Path) -> None:
    theme = _pdfa_theme(tmp_path)
    out = tmp_path / "x.pdf"
    done = CliRunner().invoke(cli, ["build", "-o", str(out), "--theme", str(theme)])
    assert done.exit_code == 0, done.output
    with pikepdf.open(out) as pdf:
        assert "/OutputIntents" in pdf.Root
    done = CliRunner().invoke(cli, ["build", "-o", str(out), "--theme", str(theme), "--no-pdfa"])
    assert done.exit_code == 0, done.output
    with pikepdf.open(out) as pdf:
        assert "/OutputIntents" not in pdf.Root


def test_watch_takes_every_build_option() -> None:
    build = CliRunner().invoke(cli, ["build", "--help"]).stdout
    watch = CliRunner().invoke(cli, ["watch", "--help"]).stdout
    check = CliRunner().invoke(cli, ["check", "--help"]).stdout
    for flag in ("--from", "--title", "--lang", "--date", "--theme", "--assets", "--page-size",
                 "--tags / --no-tags", "--pdfa / --no-pdfa", "--max-pages", "--max-size",
                 "--literal"):
        assert flag in build and flag in watch and flag in check, flag


def test_a_bad_flag_value_is_named(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--date", "soon", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "--date: not a date (YYYY-MM-DD): 'soon'" in result.output


def test_diff_refuses_a_front_matter_language_that_is_no_tag(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\nlang: 'fr</x>'\n---\n# T\n\nText.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(bad), str(bad)])
    assert result.exit_code == 1 and "lang: expected a language tag" in result.output
