from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pytest

from briefing.errors import ManifestError
from briefing.jobs.manifest import STARTER, load_manifest, parse_manifest, write_starter


def errors_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "briefings.toml"
    path.write_text(text)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    return info.value.message.splitlines()


def test_three_briefings_resolved(three: Path) -> None:
    manifest = load_manifest(three / "briefings.toml")
    assert [e.name for e in manifest.entries] == ["alpha", "beta", "gamma"]
    alpha = manifest.entries[0]
    assert alpha.source == three / "alpha.txt"
    assert alpha.output == three / "out" / "alpha.pdf"
    assert alpha.asked.get("theme") == str(three / "theme.toml")
    (layer,) = alpha.asked.layers
    assert str(layer.origin) == 'manifest briefings.toml [[briefing]] "alpha"'
    assert manifest.state_dir == three / ".briefing"
    assert manifest.lock_path == three / ".briefings.toml.lock"
    assert alpha.line == 4


def test_folder_finds_manifest(three: Path) -> None:
    assert load_manifest(three).path == three / "briefings.toml"


def test_unknown_key_names_line_table_and_key(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_text("W\n\nx\n")
    lines = errors_of(
        tmp_path,
        '[defaults]\nlang = "en"\n\n[[briefing]]\nname = "weekly"\nsource = "w.txt"\n'
        'schedul = "0 7 * * mon"\n',
    )
    assert lines == [
        f'{tmp_path / "briefings.toml"}, line 7, [[briefing]] "weekly", key "schedul": '
        'unknown key; did you mean "schedule"?'
    ]


def test_every_mistake_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\n\nx\n")
    lines = errors_of(
        tmp_path,
        '[defaults]\ntags = "yes"\n\n'
        '[[briefing]]\nname = "a"\nsource = "a.txt"\nschedule = "0 25 * * *"\n\n'
        '[[briefing]]\nname = "b"\nsource = "missing.txt"\n\n'
        '[[briefing]]\nname = "a"\nsource = "a.txt"\noutput = "other.pdf"\n',
    )
    # A missing source is not a mistake of the manifest: that briefing fails alone when built.
    assert len(lines) == 3
    assert 'line 2, [defaults], key "tags": expected true or false' in lines[0]
    assert 'line 7, [[briefing]] "a", key "schedule": bad cron expression' in lines[1]
    assert "hour: 25 is out of range 0-23" in lines[1]
    assert 'line 14, [[briefing]] "a", key "name": the name is already used' in lines[2]


def test_missing_source_is_the_problem_of_its_briefing_alone(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\n\nx\n")
    (tmp_path / "folder.txt").mkdir()
    manifest = parse_manifest(
        '[[briefing]]\nname = "a"\nsource = "a.txt"\n\n'
        '[[briefing]]\nname = "b"\nsource = "missing.txt"\n\n'
        '[[briefing]]\nname = "c"\nsource = "folder.txt"\n',
        tmp_path / "briefings.toml",
    )
    a, b, c = manifest.entries
    assert a.problem is None
    assert b.problem == (f'{tmp_path / "briefings.toml"}, line 7, [[briefing]] "b", key '
                         f'"source": {tmp_path / "missing.txt"}: no such file; write the '
                         "source there, or correct the path")
    assert c.problem is not None and "is a folder, not a file" in c.problem


def test_output_dir_may_be_missing_but_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\n\nx\n")
    (tmp_path / "taken").write_text("a file")
    manifest = parse_manifest('[defaults]\noutput_dir = "public/new"\n[[briefing]]\n'
                              'source = "a.txt"\n', tmp_path / "briefings.toml")
    assert manifest.entries[0].output == tmp_path / "public" / "new" / "a.pdf"
    lines = errors_of(tmp_path, '[defaults]\noutput_dir = "taken"\n[[briefing]]\n'
                                'source = "a.txt"\n')
    assert lines == [f'{tmp_path / "briefings.toml"}, line 2, [defaults], key "output_dir": '
                     f'{tmp_path / "taken"}: is a file, not a folder; give the folder the '
                     "PDFs go into"]


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    (lines,) = [errors_of(tmp_path, '[[briefing]]\nname = "a\n')]
    assert len(lines) == 1 and ", line 2: not valid TOML" in lines[0]


def test_missing_source_and_bad_name(tmp_path: Path) -> None:
    lines = errors_of(tmp_path, '[[briefing]]\nname = "a b"\n\n[[briefing]]\ntitle = "x"\n')
    assert 'line 1, [[briefing]] "a b": missing key "source"' in lines[0]
    assert 'line 2, [[briefing]] "a b", key "name": use letters' in lines[1]
    assert 'line 4, [[briefing]] #2: missing key "source"' in lines[2]


def test_same_output_twice(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\n\nx\n")
    lines = errors_of(
        tmp_path,
        '[[briefing]]\nname = "a"\nsource = "a.txt"\noutput = "x.pdf"\n'
        '[[briefing]]\nname = "b"\nsource = "a.txt"\noutput = "x.pdf"\n',
    )
    assert lines == [
        f'{tmp_path / "briefings.toml"}, line 8, [[briefing]] "b", key "output": '
        'the same PDF is written by "a"'
    ]


def test_unknown_table_and_empty(tmp_path: Path) -> None:
    lines = errors_of(tmp_path, '[[briefings]]\nsource = "a.txt"\n')
    assert (
        'line 1, top level, key "briefings": unknown table or key; did you mean "briefing"?'
        in lines[0]
    )
    assert "no [[briefing]] tables" in errors_of(tmp_path, "[defaults]\n")[0]


def test_options_typed_and_inherited(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\n\nx\n")
    manifest = parse_manifest(
        '[defaults]\nlang = "fr"\npdfa = true\ntimeout = 30\n'
        '[[briefing]]\nsource = "a.txt"\nformat = "TXT"\ndate = 2025-03-01\n'
        'page_size = "Letter"\ntheme = "sober"\nschedule = "@daily"\n',
        tmp_path / "briefings.toml",
    )
    (entry,) = manifest.entries
    assert entry.name == "a"
    assert entry.timeout == 30.0
    assert entry.schedule == "@daily"
    own, defaults = entry.asked.layers
    assert msgspec.to_builtins(own.request) == {
        "format": "txt", "date": "2025-03-01", "page_size": "letter", "theme": "sober"}
    assert msgspec.to_builtins(defaults.request) == {"lang": "fr", "pdfa": True}
    assert str(defaults.origin) == "manifest defaults briefings.toml [defaults]"
    assert entry.asked.get("date") == dt.date(2025, 3, 1)


def test_select(three: Path) -> None:
    manifest = load_manifest(three)
    assert [e.name for e in manifest.select(["gamma", "alpha"])] == ["alpha", "gamma"]
    with pytest.raises(ManifestError, match="no briefing named 'delta'"):
        manifest.select(["delta"])


def test_no_manifest(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="briefing init --manifest"):
        load_manifest(tmp_path)


def test_starter_is_valid_and_writes_the_source_it_lists(tmp_path: Path) -> None:
    written = write_starter(tmp_path / "new" / "briefings.toml")
    assert written == [tmp_path / "new" / "briefings.toml", tmp_path / "new" / "example.txt"]
    manifest = load_manifest(tmp_path / "new")
    assert [e.name for e in manifest.entries] == ["example"]
    assert manifest.entries[0].problem is None  # its source is there: it builds at once
    with pytest.raises(ManifestError, match="already exists"):
        write_starter(tmp_path / "new" / "briefings.toml")
    assert "schedule" in STARTER
    # A text of one's own is never replaced, even with --force.
    (tmp_path / "new" / "example.txt").write_text("Mine\n\nText.\n")
    assert write_starter(tmp_path / "new" / "briefings.toml", overwrite=True) == [
        tmp_path / "new" / "briefings.toml"]
    assert (tmp_path / "new" / "example.txt").read_text() == "Mine\n\nText.\n"
