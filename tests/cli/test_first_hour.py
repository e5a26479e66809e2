"""What a new user meets in the first hour with ``briefing build``, ``check`` and ``init``:
each message names the file (and the line) and what to do; -q and -v do what they say."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.assets import asset
from briefing.cli import cli

ROOT = Path(__file__).resolve().parents[2]
MARKDOWN = """\
---
title: Storm warning
lang: en
---

The lead paragraph.

## Before the storm

Charge your phone.

![Map of the area](map.png "The flooded streets")
"""


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_missing_image_is_named_with_its_file_and_line_by_build_and_check(here: Path) -> None:
    (here / "storm.md").write_text(MARKDOWN)
    said = (f"storm.md, line 12: image 'map.png' not found in {here}; put the file beside "
            "storm.md, or correct its name")
    code, _, err = invoke("build", "storm.md")
    assert code == 1 and err.strip() == f"Error: {said}"
    assert not (here / "storm.pdf").exists()
    code, out, err = invoke("check", "storm.md")
    assert code == 1 and "\"Before the storm\": 1 paragraph, 1 image" in out  # then why
    assert err.strip() == f"Error: {said}"
    shutil.copy(asset("examples", "storm-map.png"), here / "map.png")
    assert invoke("build", "storm.md")[0] == 0
    assert invoke("check", "storm.md")[0] == 0


def test_a_missing_logo_is_named_with_its_line(here: Path) -> None:
    (here / "a.md").write_text("---\ntitle: T\nlogo: logos/ours.svg\n---\n\nText.\n")
    code, _, err = invoke("build", "a.md")
    assert code == 1 and err.startswith("Error: a.md, line 3: logo 'logos/ours.svg' not found")


def test_warnings_name_the_source(here: Path) -> None:
    (here / "storm.md").write_text(MARKDOWN.replace("Map of the area", ""))
    shutil.copy(asset("examples", "storm-map.png"), here / "map.png")
    code, _, err = invoke("build", "storm.md")
    assert code == 0
    assert ("warning: storm.md: Before the storm: image 'map.png' has no alt text; screen "
            "readers will not describe it") in err


def test_verbose_build_says_language_theme_fonts_cache_and_times(here: Path) -> None:
    shutil.copy(asset("examples", "sora-artists.txt"), here / "a.txt")
    code, _, plain = invoke("build", "a.txt")
    assert code == 0 and plain.strip() == "wrote a.pdf (1 page)"
    code, _, more = invoke("-v", "build", "a.txt")
    assert code == 0
    assert "a.txt: language fr (detected from the text); theme default (" in more
    assert "fonts embedded" not in more
    for args in (("-vv", "build", "a.txt", "--lang", "fr"), ("build", "-vv", "a.txt")):
        code, _, debug = invoke(*args)
        assert code == 0
        assert re.search(r"a\.txt: read \d+ ms, typeset \d+ ms, theme \d+ ms", debug)
        assert re.search(r"a\.txt: render \d+ ms, 1 page", debug)
        assert "a.txt: fonts embedded: NotoSans-Bold, NotoSans-Regular, NotoSerif-Regular" in debug
    assert "language fr (--lang)" in invoke("-v", "build", "a.txt", "--lang", "fr")[2]


def test_very_verbose_build_says_how_it_used_the_cache(here: Path) -> None:
    shutil.copy(asset("examples", "sora-artists.txt"), here / "a.txt")
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(here / "cache"), "PYTHONPATH": str(ROOT)}

    def debug() -> str:
        done = subprocess.run([sys.executable, "-m", "briefing", "-vv", "build", "a.txt"],
                              cwd=here, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr

    first, second = debug(), debug()
    for kind in ("pyphen", "svg"):
        assert f"cache: {kind} made and stored in {here / 'cache' / kind}" in first
        assert f"cache: {kind} read from {here / 'cache' / kind}" in second
