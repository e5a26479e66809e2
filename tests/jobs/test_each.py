"""One source, many briefings: a manifest's ``each`` makes one briefing per row of a data
file, named by a template, its row given to the source; rows added or removed add or retire
briefings, and ``update`` says so."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from briefing.errors import ManifestError
from briefing.jobs.manifest import load_manifest
from briefing.jobs.update import update
from tests.pdfcheck import extract_text

SOURCE = """---
title: "Flood warning: {{ row.region }}"
lang: en
data: {levels: levels.csv}
---

The river in {{ row.region }} stands at **{{ row.level | number(2) }} m**, alert
{{ row.alert }}; the highest in the county is {{ data.levels | max("level") | number(2) }} m.
"""

MANIFEST = """[[briefing]]
each = "regions.csv"
name = "flood-{{ row.region | slug }}"
source = "flood.md"
output_dir = "out"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "flood.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "levels.csv").write_text("region,level\nNord,3.25\nSomme,4.5\n")
    (tmp_path / "regions.csv").write_text(
        "region,level,alert\nNord,3.25,orange\nÎle-de-France,2.10,yellow\n", encoding="utf-8")
    (tmp_path / "briefings.toml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def run(folder: Path) -> dict[str, str]:
    summary = update(load_manifest(folder), jobs=1)
    assert summary.ok, summary.describe()
    return {o.name: o.status if o.reason is None else f"{o.status}: {o.reason}"
            for o in summary.outcomes}


def test_one_briefing_per_row_and_rows_that_come_and_go(folder: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    assert run(folder) == {"flood-nord": "built: a new row of regions.csv, line 2",
                           "flood-ile-de-france": "built: a new row of regions.csv, line 3"}
    text = " ".join(extract_text((folder / "out" / "flood-ile-de-france.pdf").read_bytes())
                    .replace("\u00a0", " ").split())
    assert "Flood warning: Île-de-France" in text
    assert "The river in Île-de-France stands at 2.10 m, alert yellow; the highest" in text
    assert "4.50 m" in text
    # One row changes, one goes, one comes: only those are built, and the one gone is said.
    (folder / "regions.csv").write_text(
        "region,level,alert\nNord,3.40,red\nSomme,1.5,yellow\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="briefing"):
        outcomes = run(folder)
    assert outcomes == {"flood-nord": "built: options changed (row)",
                        "flood-somme": "built: a new row of regions.csv, line 3"}
    assert ("flood-ile-de-france: retired: no longer a row of regions.csv (its last PDF is "
            "left as it is)") in caplog.messages
    assert (folder / "out" / "flood-ile-de-france.pdf").is_file()
    assert run(folder) == {"flood-nord": "unchanged", "flood-somme": "unchanged"}
    # The data the source reads (not the rows) changes: every briefing is rebuilt.
    (folder / "levels.csv").write_text("region,level\nNord,3.25\nSomme,4.75\n")
    assert set(run(folder).values()) == {"built: levels.csv changed"}


@pytest.mark.parametrize(("change", "problem"), [
    ('name = "flood-{{ row.region | slug }}"', 'name = "flood"',
     ), ('name = "flood-{{ row.region | slug }}"', 'name = "flood-{{ row.alert | slug }}"'),
    ('each = "regions.csv"', 'each = "nowhere.csv"'),
    ('name = "flood-{{ row.region | slug }}"', 'name = "flood-{{ row.regoin | slug }}"'),
])
def test_mistakes_are_said_once(folder: Path, change: str, problem: str) -> None:
    (folder / "regions.csv").write_text("region,level,alert\nNord,1,red\nSud,2,red\n")
    (folder / "briefings.toml").write_text(MANIFEST.replace(change, problem))
    with pytest.raises(ManifestError) as info:
        load_manifest(folder)
    message = info.value.message
    assert len(message.splitlines()) == 1, message
    expected = {
        'name = "flood"': 'key "name": a briefing made per row is named by a template of its '
                          'row, such as name = "flood-{{ row.region | slug }}"',
        'name = "flood-{{ row.alert | slug }}"': "regions.csv, line 2 and line 3 both make the "
                                                 "name 'flood-red'",
        'each = "nowhere.csv"': "nowhere.csv: no such data file",
        'name = "flood-{{ row.regoin | slug }}"': "regions.csv, line 2 has no column "
                                                  "'regoin'; did you mean \"region\"?",
    }[problem]
    assert expected in message, message
    assert message.startswith(str(folder / "briefings.toml")), message


def test_watch_makes_the_briefing_of_a_row_added(folder: Path) -> None:
    from briefing.jobs.watch import watch_manifest
    from tests.jobs.test_watch import run_in_thread, save_until_rebuilt

    stop, outcomes, thread = run_in_thread(watch_manifest, folder / "briefings.toml", jobs=1)
    try:
        first = sorted(outcomes.get(timeout=30).name for _ in range(2))
        assert first == ["flood-ile-de-france", "flood-nord"]
        rows = ("region,level,alert\nNord,3.25,orange\nÎle-de-France,2.10,yellow\n"
                "Somme,1.5,red\n")
        made = save_until_rebuilt(folder / "regions.csv", rows, outcomes)
        after = [made] + [outcomes.get(timeout=30) for _ in range(2)]
        assert sorted((o.name, o.status) for o in after) == [
            ("flood-ile-de-france", "unchanged"), ("flood-nord", "unchanged"),
            ("flood-somme", "built")]
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
