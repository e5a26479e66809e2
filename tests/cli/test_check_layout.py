"""``briefing check SOURCE --layout [--json]``: the layout report on the command line, its
exit codes (0 clean, 3 findings, 1 a source that cannot be built), and nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from briefing.assets import assets_dir
from briefing.build import build
from briefing.cli import cli
from briefing.layout_report import FINDINGS_EXIT, RULES
from briefing.options import ask

ROOT = Path(__file__).resolve().parents[2]
STORM = assets_dir() / "examples" / "storm-warning.md"


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_a_clean_report_exits_0_and_writes_nothing(tmp_path: Path) -> None:
    code, out, err = run(["check", str(STORM), "--layout", "--page-size", "a5"], tmp_path)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "storm-warning.md: 2 pages, theme default, A5, language en"
    assert lines[1].startswith("page 1: ") and "storm-map.png" in lines[1] and "ppi" in lines[1]
    assert "foot gap" in lines[1]
    assert any(line.startswith("page 2: ") for line in lines)
    assert lines[-1] == "verdict: clean: no finding"
    assert list(tmp_path.iterdir()) == []


def test_findings_exit_3_and_are_named(tmp_path: Path) -> None:
    """The sample in the default theme has a loose line the next word could have tightened."""
    code, out, err = run(["check", "--layout"], tmp_path)
    assert code == FINDINGS_EXIT == 3
    assert "Error" not in err  # a report, not a failure
    assert "page 1: " in out and "loose line" in out
    assert "word spaces 1.83× in “Dans le contexte actuel" in out and "“tir”, fitted" in out
    assert "(forced) word spaces 1.84× in “de tester ce nouveau" in out
    last = out.splitlines()[-1]
    assert last.startswith("verdict: ") and last.endswith("loose line (page 1)"), last
    assert list(tmp_path.iterdir()) == []


def test_json(tmp_path: Path) -> None:
    code, out, _ = run(["check", "--layout", "--json", "--page-size", "a5", "--theme", "print"],
                       tmp_path)
    data = json.loads(out)
    assert data["format"] == 1 and data["page_size"] == "a5" and data["theme"] == "print"
    assert data["findings"] == sum(len(page["findings"]) for page in data["pages"]) + len(
        data["contrast"])
    assert code == (0 if data["clean"] else 3)
    page = data["pages"][0]
    assert {"page", "summary", "full_lines", "characters", "widest_space",
            "forced_loose_lines", "foot", "images", "findings"} <= set(page)
    assert page["characters"]["max"] >= page["characters"]["median"] >= page["characters"]["min"]
    assert all(finding["rule"] in RULES for page in data["pages"] for finding in page["findings"])


def test_a_custom_theme_below_the_contrast_minimum_is_a_finding(tmp_path: Path) -> None:
    theme = tmp_path / "pale.toml"
    theme.write_text('extends = "default"\n[colors]\nlink = "#9DB8E0"\n', encoding="utf-8")
    code, out, _ = run(["check", str(STORM), "--layout", "--theme", str(theme)], tmp_path)
    assert code == 3
    assert "contrast: 2 text colours below the minimum" in out
    assert "link text #9DB8E0 on #FFFFFF" in out
    assert "contrast failure" in out.splitlines()[-1]


def test_a_source_that_cannot_be_built_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "broken.md"
    source.write_text("# Title\n\n![a map](missing.png)\n", encoding="utf-8")
    code, _, err = run(["check", str(source), "--layout"], tmp_path)
    assert code == 1
    assert "missing.png" in err and "Traceback" not in err


def test_the_command_exits_3(tmp_path: Path) -> None:
    """Through ``main``, as a shell sees it."""
    done = subprocess.run([sys.executable, "-m", "briefing", "check", "--layout", "-q"],
                          cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode == 3, done.stderr
    assert done.stdout.splitlines()[-1].startswith("verdict: 1 finding")


def test_help_says_it() -> None:
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert "--layout" in result.output and "exit code" in result.output


def test_a_normal_build_measures_nothing() -> None:
    assert build(STORM, ask()).layout is None
    assert build(STORM, ask(), layout=True).layout is not None
