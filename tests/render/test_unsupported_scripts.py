"""Text in a script briefing cannot set right is refused in one line naming the script and
where it is, before anything is laid out; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli


@pytest.mark.parametrize(("text", "script", "place"), [
    ("---\ntitle: Storm\n---\n\nThe warning reads ภาษาไทย ประกาศ tonight.\n", "Thai",
     "lead paragraph 1"),
    ("---\ntitle: புயல் எச்சரிக்கை\n---\n\nA storm.\n", "Tamil", "the title"),
    ("# Storm\n\nLead.\n\n## Part\n\nText.\n\nܫܠܡܐ ܥܠܡܐ in Syriac.\n", "Syriac", "section 1"),
])
def test_refused_with_the_script_and_where(tmp_path: Path, text: str, script: str,
                                           place: str) -> None:
    source = tmp_path / "in.md"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out)])
    assert result.exit_code == 1
    message = result.output.strip().splitlines()
    assert len(message) == 1, result.output
    assert "in.md" in message[0] and script in message[0] and place in message[0], message
    assert "Traceback" not in result.output and not out.exists()
