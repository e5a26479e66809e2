"""Names and texts of a manifest: a name names files, so it is one safe word; no control
character reaches a title, a crontab line or an e-mail header; the manifest is a regular
file of bounded size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.editions.store import EditionStore
from briefing.errors import BriefingError, ManifestError
from briefing.jobs.manifest import load_manifest
from briefing.paths import is_file_name


def errors_of(folder: Path, text: str) -> str:
    (folder / "a.txt").write_text("Storm warning. Lead.\nPara.\n")
    (folder / "briefings.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        load_manifest(folder / "briefings.toml")
    return info.value.format_message()


@pytest.mark.parametrize("name", ["weekly\\n", "weekly\\r", "week ly", "..", "-x", "a/b",
                                  "x" * 101])
def test_B4_a_name_is_one_safe_word(tmp_path: Path, name: str) -> None:
    message = errors_of(tmp_path, f'[[briefing]]\nname = "{name}"\nsource = "a.txt"\n')
    assert 'key "name"' in message and "letters, digits" in message


def test_B4_the_editions_folder_refuses_the_same_names(tmp_path: Path) -> None:
    with pytest.raises(BriefingError, match="letters, digits"):
        EditionStore(tmp_path).list("weekly\n")
    assert is_file_name("weekly") and is_file_name("a.b_c-1")
    assert not is_file_name("weekly\n") and not is_file_name(".") and not is_file_name("")


def test_B4_control_characters_in_manifest_texts(tmp_path: Path) -> None:
    message = errors_of(tmp_path, '[[briefing]]\nname = "a"\nsource = "a.txt"\n'
                                  'title = "Bell\\u0007 title"\n')
    assert 'key "title"' in message and "U+0007" in message
    message = errors_of(tmp_path, '[[briefing]]\nname = "a"\nsource = "a.txt"\n'
                                  'title = "Two\\r\\nlines"\n')
    assert 'key "title"' in message and "one line" in message


def test_the_manifest_is_a_bounded_regular_file(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (5 * 1024 * 1024) + "\n")
    with pytest.raises(ManifestError, match="larger than the limit"):
        load_manifest(big)
    os.mkfifo(tmp_path / "fifo.toml")
    with pytest.raises(ManifestError, match="FIFO"):
        load_manifest(tmp_path / "fifo.toml")
