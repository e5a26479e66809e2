"""Editions see the data (changed figures named), and one briefing per row (fan-out)."""

from __future__ import annotations

import pytest

from briefing.data.changes import as_dict, compare_datasets, compare_tables
from briefing.data.fanout import fan_out
from briefing.data.load import parse_data
from briefing.data.values import Dataset
from briefing.errors import DataError

WHERE = "briefings.toml, [[briefing]] 2, name"


def load(text: str, lang: str = "en", name: str = "cases") -> Dataset:
    data = parse_data(text.encode(), name=name, file=f"{name}.csv", fmt="csv", lang=lang)
    assert isinstance(data, Dataset)
    return data


def test_changed_figures_are_named_in_english_and_french() -> None:
    old = load("region,cases\nNorth,1204\nSouth,980\nEast,412\n")
    new = load("region,cases\nSouth,980\nNorth,1388\nWest,77\n")  # reordered: no change
    result = compare_datasets(old, new, lang="en")
    assert result.lines == ("Cases in North: 1,204 → 1,388", "New: West",
                            "No longer listed: East")
    french = compare_datasets(old, new, lang="fr")
    assert french.lines[0] == "Cases (North)\u00a0: 1\u202f204 → 1\u202f388"
    assert as_dict(result)["changes"][0] == {"kind": "changed", "key": "North",
                                             "column": "cases", "old": "1,204", "new": "1,388"}


def test_snapshots_from_edition_records_compare_as_printed() -> None:
    header = ("Région", "Cas", "Part")
    old = [("Nord", "1 204", "12 %"), ("Sud", "980", "9 %")]
    new = [("Nord", "1 204", "13 %"), ("Sud", "", "9 %")]
    result = compare_tables(header, old, new, lang="fr")
    assert result.lines == ("Part (Nord)\u00a0: 12 % → 13 %", "Cas (Sud)\u00a0: 980 → –")


def test_large_tables_are_bounded() -> None:
    rows = [(f"R{i}", str(i)) for i in range(10_000)]
    changed = [(f"R{i}", str(i + 1)) for i in range(10_000)]
    result = compare_tables(("region", "n"), rows, changed, lang="en", limit=3)
    assert len(result.changes) == 3 and result.more == 9_997
    assert result.lines[-1] == "and 9997 more"
    assert compare_tables(("region", "n"), rows, rows, lang="en").lines == ()


def test_fan_out_names_each_row() -> None:
    regions = load("region,level\nNord,3\nÎle-de-France,2\nPas-de-Calais,1\n", "fr",
                   "regions")
    pairs = fan_out(regions, "flood-{{ row.region | slug }}", lang="fr",
                    where=WHERE)
    assert [name for name, _ in pairs] == ["flood-nord", "flood-ile-de-france",
                                           "flood-pas-de-calais"]
    assert pairs[1][1]["level"] == 2 and pairs[1][1].origin == 3


@pytest.mark.parametrize(("csv", "template", "problem"), [
    ("region\nNord\nNORD\n", "flood-{{ row.region | slug }}",
     "regions.csv, line 2 and line 3 both make the name 'flood-nord'"),
    ("region\nNord\n", "flood-{{ row.region }}",
     "regions.csv, line 2 makes the name 'flood-Nord'; a name is lower-case letters"),
    ("region\nNord\n", "flood {{ row.region | slug }}", "makes the name 'flood nord'"),
    ("region\n\"a\tb\"\n", "{{ row.region }}", "makes the name 'a\\tb'"),
    ("region\n---\n", "{{ row.region | slug }}", "makes the name ''"),
    ("region\nNord\n", "flood-{{ row.regoin | slug }}",
     "briefings.toml, [[briefing]] 2, name: regions.csv, line 2: {{ row.regoin | slug }}: "
     "regions.csv, line 2 has no column 'regoin'"),
])
def test_fan_out_errors(csv: str, template: str, problem: str) -> None:
    with pytest.raises(DataError) as info:
        fan_out(load(csv, "en", "regions"), template, lang="en", where=WHERE)
    assert problem in info.value.message
