"""The thin commands: diff, editions, publish."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from briefing.cli import cli
from briefing.editions.record import build_edition
from briefing.editions.store import EditionStore
from tests.editions.conftest import NEW_QUESTION, NEW_WORDS, OLD_WORDS, norm


def test_diff_two_sources(sources: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(cli, ["diff", str(sources[0]), str(sources[1])])
    assert result.exit_code == 0, result.output
    out = norm(result.output)
    assert f"+ question: {NEW_QUESTION}" in out
    assert f"− “{OLD_WORDS}”" in out and f"+ “{NEW_WORDS}”" in out
    as_json = CliRunner().invoke(cli, ["diff", "--json", str(sources[0]), str(sources[1])])
    data = json.loads(as_json.output)
    assert [norm(q) for q in data["questions_added"]] == [NEW_QUESTION]
    assert [s["kind"] for s in data["sections"] if s["blocks_changed"]] == ["article"]


def test_editions_and_diff_of_recorded_editions(tmp_path: Path,
                                                sources: tuple[Path, Path]) -> None:
    folder = tmp_path / "editions"
    store = EditionStore(folder)
    build_edition(sources[0], "sora", store, date=dt.date(2026, 12, 1))
    build_edition(sources[1], "sora", store, date=dt.date(2026, 12, 2))
    listing = CliRunner().invoke(cli, ["editions", "sora", "--dir", str(folder)])
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert len(lines) == 2 and "first edition" in lines[0]
    assert "2026-12-02" in lines[1] and "1 FAQ question added" in lines[1]
    result = CliRunner().invoke(cli, ["diff", "--dir", str(folder), "sora@1", "sora@latest"])
    assert result.exit_code == 0, result.output
    assert f"+ question: {NEW_QUESTION}" in norm(result.output)
    missing = CliRunner().invoke(cli, ["diff", "--dir", str(folder), "sora@1", "sora@7"])
    assert missing.exit_code == 1 and "no edition 7 (editions: 1, 2)" in missing.output
    none = CliRunner().invoke(cli, ["editions", "other", "--dir", str(folder)])
    assert none.exit_code == 1 and "other: no edition" in none.output


def test_publish_command(tmp_path: Path, sources: tuple[Path, Path]) -> None:
    folder = tmp_path / "editions"
    build_edition(sources[0], "sora", EditionStore(folder), date=dt.date(2026, 12, 1))
    site = tmp_path / "site"
    result = CliRunner().invoke(cli, ["publish", str(site), "--dir", str(folder),
                                      "--title", "Team briefings"])
    assert result.exit_code == 0, result.output
    assert (site / "sora.pdf").is_file() and (site / "feed.xml").is_file()
    assert "<title>Team briefings</title>" in (site / "index.html").read_text(encoding="utf-8")
