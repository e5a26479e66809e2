"""Editions see the data: when figures change, the notice and ``briefing diff`` name them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from click.testing import CliRunner

from briefing.build import read_and_typeset
from briefing.cli import cli
from briefing.editions.diff import compare, notice_text
from briefing.options import ask

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"


def report(folder: Path, *edits: tuple[str, str], lang: str = "en") -> Path:
    folder.mkdir()
    source = (EXAMPLES / "flood-report.md").read_text(encoding="utf-8")
    (folder / "flood-report.md").write_text(source.replace("lang: en", f"lang: {lang}"),
                                            encoding="utf-8")
    csv = (EXAMPLES / "flood-districts.csv").read_text(encoding="utf-8")
    for old, new in edits:
        csv = csv.replace(old, new)
    (folder / "flood-districts.csv").write_text(csv, encoding="utf-8")
    return folder / "flood-report.md"


def test_changed_figures_are_named_in_the_notice_and_the_diff(tmp_path: Path) -> None:
    old = report(tmp_path / "old")
    new = report(tmp_path / "new", ("Riverside,1388,412", "Riverside,1502,430"),
                 ("Harbour,415", "Harbour,440"))
    changes = compare(read_and_typeset(old).briefing, read_and_typeset(new).briefing)
    assert changes.figures == (
        "Evacuated in Riverside: 1,388 → 1,502", "Homes flooded in Riverside: 412 → 430",
        "Evacuated in Harbour: 415 → 440", "Evacuated in Total: 4,839 → 4,978",
        "Homes flooded in Total: 1,273 → 1,291")  # the chart's same figures are not repeated
    assert all(s.figures_only for s in changes.sections)
    notice = notice_text(changes, "en", dt.date(2026, 12, 3))
    assert notice == ("Updated 3 December 2026. Figures: Evacuated in Riverside: 1,388 → 1,502; "
                      "Homes flooded in Riverside: 412 → 430; Evacuated in Harbour: 415 → 440; "
                      "Evacuated in Total: 4,839 → 4,978; and 1 more.")
    said = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert said.exit_code == 0, said.output
    assert said.output.startswith("Figures:\n  Evacuated in Riverside: 1,388 → 1,502\n")
    json = CliRunner().invoke(cli, ["diff", "--json", str(old), str(new)])
    assert '"figures_more": 0' in json.output and "Homes flooded in Total" in json.output


def test_words_and_figures_changed_together_name_both(tmp_path: Path) -> None:
    old = report(tmp_path / "old", lang="fr")
    new = report(tmp_path / "new", ("Mill Lane,980", "Mill Lane,1012"), lang="fr")
    text = new.read_text(encoding="utf-8").replace("since Sunday", "since Saturday")
    new.write_text(text, encoding="utf-8")
    changes = compare(read_and_typeset(old, ask(lang="fr")).briefing,
                      read_and_typeset(new, ask(lang="fr")).briefing)
    assert changes.figures[0] == "Evacuated (Mill Lane)\u00a0: 980 → 1\u202f012"
    notice = notice_text(changes, "fr", dt.date(2026, 12, 3))
    assert notice is not None
    assert "Modifié\u00a0: Introduction. Chiffres\u00a0: Evacuated (Mill Lane)" in notice


def test_no_figures_for_a_briefing_without_data(tmp_path: Path) -> None:
    old = tmp_path / "a.md"
    shutil.copyfile(EXAMPLES / "storm-warning.md", old)
    text = old.read_text(encoding="utf-8").replace("tonight", "this evening", 1)
    new = tmp_path / "b.md"
    new.write_text(text, encoding="utf-8")
    shutil.copyfile(EXAMPLES / "storm-map.png", tmp_path / "storm-map.png")
    changes = compare(read_and_typeset(old).briefing, read_and_typeset(new).briefing)
    assert not changes.empty and changes.figures == ()
