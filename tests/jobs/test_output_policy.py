"""An output is never one of the inputs or the manifest, and two outputs are never one file,
however the paths are written (``./sub/..``, a link to the folder, a hard link)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import BriefingError, ManifestError
from briefing.jobs.manifest import load_manifest
from briefing.jobs.update import Task, execute
from briefing.jobs.watch import watch_source
from briefing.options import ask
from tests.jobs.fakes import fake_build

A = "Storm warning. Lead.\nPara.\n"
B = "Water notice. Lead.\nPara.\n"


def folder_with_sources(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "a.txt").write_text(A)
    (tmp_path / "b.txt").write_text(B)
    return tmp_path


def manifest_error(folder: Path, text: str) -> str:
    (folder / "briefings.toml").write_text(text)
    with pytest.raises(ManifestError) as info:
        load_manifest(folder / "briefings.toml")
    return info.value.message


def test_D1_update_never_writes_over_its_source(tmp_path: Path) -> None:
    folder = folder_with_sources(tmp_path / "m1")
    manifest = ('[[briefing]]\nname = "a"\nsource = "a.txt"\noutput = "a.txt"\n'
                '[[briefing]]\nname = "b"\nsource = "b.txt"\noutput = "../m1/briefings.toml"\n')
    (folder / "briefings.toml").write_text(manifest)
    result = CliRunner().invoke(cli, ["update", "-j1", str(folder / "briefings.toml")])
    assert result.exit_code == 1
    assert 'key "output"' in result.output
    assert "is the source of" in result.output and "is the manifest itself" in result.output
    # Nothing was written: the source and the manifest are as they were.
    assert (folder / "a.txt").read_text() == A
    assert (folder / "briefings.toml").read_text() == manifest


def test_D1_an_output_is_never_another_briefings_source(tmp_path: Path) -> None:
    folder = folder_with_sources(tmp_path)
    message = manifest_error(folder, '[[briefing]]\nname = "a"\nsource = "a.txt"\n'
                                     'output = "b.txt"\n'
                                     '[[briefing]]\nname = "b"\nsource = "b.txt"\n')
    assert '"a", key "output"' in message and 'source of "b"' in message


def test_D1_execute_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    # The last guard, where every job writes: the source, and any file the build read.
    folder = folder_with_sources(tmp_path)
    (folder / "theme.toml").write_text("x")
    onto_source = execute(Task("a", folder / "a.txt", folder / "a.txt", ask()), fake_build)
    assert onto_source.status == "failed" and "is the source" in (onto_source.error or "")
    onto_theme = execute(Task("a", folder / "a.txt", folder / "theme.toml",
                              ask(theme=str(folder / "theme.toml"))), fake_build)
    assert onto_theme.status == "failed" and "read by the build" in (onto_theme.error or "")
    assert (folder / "a.txt").read_text() == A and (folder / "theme.toml").read_text() == "x"


def test_D2_watch_never_writes_over_its_source(tmp_path: Path) -> None:
    source = folder_with_sources(tmp_path) / "a.txt"
    stop = threading.Event()
    stop.set()  # one build at most, then stop
    with pytest.raises(BriefingError, match="is the source itself"):
        watch_source(source, source, builder=fake_build, stop_event=stop)
    assert source.read_text() == A
    os.link(source, tmp_path / "hard.txt")
    with pytest.raises(BriefingError, match="is the source itself"):
        watch_source(source, tmp_path / "hard.txt", builder=fake_build, stop_event=stop)
    assert source.read_text() == A


def test_D3_duplicate_outputs_are_found_through_dots_and_links(tmp_path: Path) -> None:
    folder = folder_with_sources(tmp_path)
    (folder / "sub").mkdir()
    (folder / "here").symlink_to(".")
    message = manifest_error(
        folder,
        '[[briefing]]\nname = "x"\nsource = "a.txt"\n'
        '[[briefing]]\nname = "y"\nsource = "b.txt"\noutput = "./sub/../x.pdf"\n'
        '[[briefing]]\nname = "z"\nsource = "b.txt"\noutput = "here/x.pdf"\n',
    )
    lines = message.splitlines()
    assert len(lines) == 2
    assert '"y", key "output": the same PDF is written by "x"' in lines[0]
    assert '"z", key "output": the same PDF is written by "x"' in lines[1]


def test_D3_output_dir_through_a_link_is_one_folder(tmp_path: Path) -> None:
    folder = folder_with_sources(tmp_path)
    (folder / "out").mkdir()
    (folder / "alias").symlink_to("out")
    message = manifest_error(
        folder,
        '[[briefing]]\nname = "x"\nsource = "a.txt"\noutput_dir = "out"\n'
        '[[briefing]]\nname = "y"\nsource = "b.txt"\noutput_dir = "alias"\noutput = "x.pdf"\n',
    )
    assert 'the same PDF is written by "x"' in message


def test_D7_preview_never_overwrites_the_pdf(tmp_path: Path) -> None:
    source = folder_with_sources(tmp_path) / "a.txt"
    out = tmp_path / "x.png"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out), "--preview",
                                      str(tmp_path / "." / "x.png")])
    assert result.exit_code == 2
    assert "--preview" in result.output and "same file" in result.output
    assert not out.exists()
    onto_source = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "a.pdf"),
                                           "--preview", str(source)])
    assert onto_source.exit_code != 0
    assert source.read_text() == A


def test_the_published_folder_is_never_the_editions_folder(tmp_path: Path) -> None:
    folder = folder_with_sources(tmp_path)
    message = manifest_error(folder, 'editions = "editions"\n[publish]\nfolder = "./editions/."\n'
                                     '[[briefing]]\nname = "a"\nsource = "a.txt"\n')
    assert "[publish]" in message and "is the editions folder" in message
    (folder / "editions").mkdir()
    result = CliRunner().invoke(cli, ["publish", str(folder / "editions"), "--dir",
                                      str(folder / "editions")])
    assert result.exit_code == 2 and "editions folder" in result.output
    # Publishing writes NAME.pdf, index.html...: never over a source or the manifest.
    (folder / "index.html").write_text("mine")
    message = manifest_error(folder, 'editions = "editions"\n[publish]\nfolder = "."\n'
                                     '[[briefing]]\nname = "a"\nsource = "index.html"\n')
    assert "publishing would overwrite the source of" in message


def test_an_output_is_a_regular_file_or_nothing_yet(tmp_path: Path) -> None:
    # Writing renames a new file into place: over a FIFO or a device (as root, /dev/null
    # itself) that would replace it. Refused before any work.
    source = folder_with_sources(tmp_path) / "a.txt"
    os.mkfifo(tmp_path / "fifo.pdf")
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "fifo.pdf")])
    assert result.exit_code == 1 and "not a regular file" in result.output, result.output
    assert (tmp_path / "fifo.pdf").is_fifo()
