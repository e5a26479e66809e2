"""``.ci/run``: its scratch folders are its own (made by mktemp, removed when it ends), so two
runs on one host never clash and nothing is left behind; it runs the README's test command."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "run"
WHEEL = ROOT / ".ci" / "wheel-check"  # its second half: the wheel, in scratch folders


def test_the_ci_scripts_are_valid_bash() -> None:
    for script in (SCRIPT, WHEEL):
        done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert "bash .ci/wheel-check" in SCRIPT.read_text(encoding="utf-8")


def test_its_folders_are_made_by_mktemp_and_removed_on_exit() -> None:
    text = SCRIPT.read_text(encoding="utf-8") + WHEEL.read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert re.search(r'^scratch=\$\(mktemp -d "\$\{TMPDIR:-/tmp\}/briefing-ci\.X+"\)$', code, re.M)
    assert re.search(r"^trap 'rm -rf \"\$scratch\"' EXIT$", code, re.M)
    assert code.index("trap ") < code.index('python3 -m venv "$venv"')
    # Nothing else is written to a fixed place: no /tmp path, no dist/ in the checkout.
    assert "/tmp/" not in code.replace("${TMPDIR:-/tmp}/briefing-ci", "")
    assert "rm -rf dist" not in code and "--outdir dist" not in code
    for name in ("venv", "run", "dist"):
        assert f'{name}="$scratch/{name}"' in code


@pytest.mark.slow
def test_two_wheel_checks_at_once_share_nothing_and_leave_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    runs = [subprocess.Popen(["bash", str(WHEEL)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    for run in runs:
        out, _ = run.communicate(timeout=900)
        assert run.returncode == 0, out
        assert "wheel check: briefing build, init, update and themes --reference" in out
    assert list(tmp_path.iterdir()) == []


def test_it_runs_the_readme_test_command() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert "sed -n '/<!-- test-command -->/,/<!-- \\/test-command -->/p' README.md" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- test-command -->")[1].split("<!-- /test-command -->")[0]
    commands = [line for line in block.splitlines()
                if line and not line.startswith(("<!--", "```"))]
    assert len(commands) == 1 and "pytest" in commands[0]
