"""A manifest's build options: [[briefing]] above the source's front matter, [defaults]
below it; the state record keeps what was asked and what was decided."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf

from briefing.jobs.manifest import load_manifest, parse_manifest
from briefing.jobs.update import update


def _folder(tmp_path: Path, defaults: str, briefing: str = "") -> Path:
    (tmp_path / "a.md").write_text("---\nlang: fr\n---\n# Titre\n\nUn texte.\n",
                                   encoding="utf-8")
    (tmp_path / "briefings.toml").write_text(
        f"[defaults]\n{defaults}\n[[briefing]]\nname = \"a\"\nsource = \"a.md\"\n{briefing}\n",
        encoding="utf-8")
    return tmp_path / "briefings.toml"


def test_defaults_rank_below_the_front_matter(tmp_path: Path) -> None:
    manifest = load_manifest(_folder(tmp_path, 'lang = "en"'))
    summary = update(manifest, jobs=1)
    assert summary.ok, summary.describe()
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        assert str(pdf.Root.Lang) == "fr-FR"
    record = json.loads((tmp_path / ".briefing" / "a.json").read_text())
    assert record["resolved"]["lang"] == {"value": "fr", "from": "source a.md"}
    assert record["asked"] == {"[defaults] lang": '"en"'}


def test_a_briefing_table_ranks_above_the_front_matter(tmp_path: Path) -> None:
    manifest = load_manifest(_folder(tmp_path, "", 'lang = "de"'))
    assert update(manifest, jobs=1).ok
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        assert str(pdf.Root.Lang) == "de-DE"
    record = json.loads((tmp_path / ".briefing" / "a.json").read_text())
    assert record["resolved"]["lang"]["from"] == 'manifest briefings.toml [[briefing]] "a"'


def test_moving_a_key_to_another_line_changes_no_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# T\n\nText.\n", encoding="utf-8")
    one = parse_manifest('[[briefing]]\nname = "a"\nsource = "a.md"\ntheme = "print"\n',
                         tmp_path / "briefings.toml")
    two = parse_manifest('\n\n[[briefing]]\ntheme = "print"\n\nsource = "a.md"\nname = "a"\n',
                         tmp_path / "briefings.toml")
    assert one.entries[0].asked.canonical() == two.entries[0].asked.canonical()


def test_an_option_key_is_checked_as_on_the_command_line(tmp_path: Path) -> None:
    import pytest

    from briefing.errors import ManifestError

    (tmp_path / "a.md").write_text("# T\n\nText.\n", encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        parse_manifest('[defaults]\ntitle = "x"\npage_size = "A3"\n[[briefing]]\nsource = "a.md"\n'
                       'lang = "fr</x>"\nmax_pages = 0\n', tmp_path / "briefings.toml")
    message = caught.value.message
    assert 'key "title": unknown key' in message and "set it in each [[briefing]]" in message
    assert 'key "page_size": expected one of a4, letter, a5' in message
    assert 'key "lang": expected a language tag' in message
    assert 'key "max_pages": expected a whole number from 1' in message
