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


# --- init: a manifest that builds at once, a theme with one way to use it ---------------------


def test_init_then_update_builds_at_once(here: Path) -> None:
    code, _, err = invoke("init")
    assert code == 0
    assert err.splitlines() == ["wrote briefings.toml", "wrote example.txt",
                                "list your briefings in briefings.toml, then run: briefing update"]
    code, _, err = invoke("update")
    assert code == 0, err
    assert (here / "example.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(("args", "manifest", "then"), [
    (("init", "--manifest", "sub/"), "sub/briefings.toml", "briefing update sub"),
    (("init", "--manifest", "sub"), "sub/briefings.toml", "briefing update sub"),
    (("init", "brand", "--manifest"), "brand/briefings.toml", "briefing update brand"),
    (("init", "--manifest", "a/b/news.toml"), "a/b/news.toml", "briefing update a/b/news.toml"),
    (("init", "news.toml"), "news.toml", "briefing update news.toml"),
])
def test_init_manifest_path_is_a_folder_or_a_toml_file(here: Path, args: tuple[str, ...],
                                                      manifest: str, then: str) -> None:
    code, _, err = invoke(*args)
    assert code == 0
    assert (here / manifest).is_file() and (here / manifest).parent.joinpath("example.txt").is_file()
    assert err.splitlines()[-1].endswith(f"then run: {then}")
    code, _, err = invoke("update", *then.split()[2:])
    assert code == 0, err


def test_quiet_init_says_nothing(here: Path) -> None:
    for args in (("-q", "init"), ("init", "-q", "--manifest", "m"), ("-q", "init", "brand"),
                 ("init", "./other", "-q")):
        code, out, err = invoke(*args)
        assert code == 0 and out == "" and err == ""
    assert (here / "briefings.toml").is_file() and (here / "brand" / "theme.toml").is_file()


def test_one_build_hint_for_an_own_theme_and_it_works(here: Path) -> None:
    shutil.copy(asset("examples", "storm-warning.md"), here / "article.md")
    shutil.copy(asset("examples", "storm-map.png"), here / "storm-map.png")
    code, _, err = invoke("init", "brand")
    assert code == 0
    hint = "briefing build article.md --theme ./brand"
    assert err.splitlines()[-1] == f"build with: {hint}"
    assert f"# Build with:  {hint}\n" in (here / "brand" / "theme.toml").read_text()
    assert "--assets" not in (here / "brand" / "theme.toml").read_text().split("\n\n")[0]
    code, _, err = invoke(*hint.split()[1:])
    assert code == 0, err
    # The theme's name with --assets, from another folder; a folder named as a theme.
    elsewhere = here / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    for args in (("--theme", "brand", "--assets", str(here / "brand")),
                 ("--theme", "brand", "--assets", str(here)),
                 ("--theme", str(here / "brand"))):
        code, _, err = invoke("build", str(here / "article.md"), "-o", "x.pdf", *args)
        assert code == 0, (args, err)
    code, out, _ = invoke("themes", "--assets", str(here))
    assert re.search(r"^brand\s+Our organisation's briefing \(.*brand/theme.toml\)$", out, re.M)


def test_the_starter_theme_points_to_a_reference_the_package_has(here: Path) -> None:
    invoke("init", "brand")
    assert "`briefing themes --reference`" in (here / "brand" / "theme.toml").read_text()
    code, out, _ = invoke("themes", "--reference")
    assert code == 0
    assert "## Theme file reference" in out and "| `colors.primary` |" in out


def test_assets_are_used_first_and_a_missing_folder_is_refused(here: Path) -> None:
    shutil.copy(asset("examples", "example.txt"), here / "a.txt")
    assert invoke("build", "a.txt", "-o", "plain.pdf")[0] == 0
    (here / "ours" / "logos").mkdir(parents=True)
    (here / "ours" / "logos" / "briefing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="#00AA00"/></svg>')
    assert invoke("build", "a.txt", "-o", "ours.pdf", "--assets", "ours")[0] == 0
    assert (here / "ours.pdf").read_bytes() != (here / "plain.pdf").read_bytes()
    # A theme naming a logo that only the --assets folder has.
    (here / "t.toml").write_text('extends = "default"\n[logo]\nfile = "logos/mark.svg"\n')
    shutil.copy(here / "ours" / "logos" / "briefing.svg", here / "ours" / "logos" / "mark.svg")
    code, _, err = invoke("build", "a.txt", "--theme", "t.toml", "-o", "t.pdf")
    assert code == 1 and "logo.file: file not found: logos/mark.svg" in err
    assert invoke("build", "a.txt", "--theme", "t.toml", "--assets", "ours", "-o", "t.pdf")[0] == 0
    code, _, err = invoke("build", "a.txt", "--assets", "nodir")
    assert code == 1 and err.strip() == ("Error: nodir: no such folder (--assets); give the "
                                         "folder that holds your fonts, logos and themes")
    assert not (here / "a.pdf").exists()


def test_one_bad_colour_is_one_error_and_misspellings_get_a_hint(here: Path) -> None:
    shutil.copy(asset("examples", "example.txt"), here / "a.txt")
    theme = here / "t.toml"
    cases = {
        '[colors]\nprimary = "#1F3A5Z"\n':
            "colors.primary: expected a colour like '#1F3A5F', got '#1F3A5Z'",
        '[colors]\nprimry = "#1F3A5F"\n':
            'colors.primry: no style uses it; did you mean "primary"?',
        '[footer]\nlefft = "x"\n': 'footer.lefft: unknown key; did you mean "left"?',
        '[styles.body]\ncolor = "accnt"\n': "styles.body.color: expected a colour name or "
                                            "'#RRGGBB', got 'accnt'; did you mean \"accent\"?",
    }
    for text, said in cases.items():
        theme.write_text('extends = "default"\n' + text)
        code, _, err = invoke("build", "a.txt", "--theme", "t.toml")
        assert code == 1
        assert err.count("\n") == 1 and err.count("; ") <= 3, err  # one error, one line
        assert err.startswith(f"Error: {theme}: {said}"), err
    theme.write_text('extends = "default"\n[colors]\nbrand_green = "#00AA00"\n'
                     '[styles.h2]\ncolor = "brand_green"\n')
    assert invoke("build", "a.txt", "--theme", "t.toml")[0] == 0  # a colour of one's own


# --- build's small checks: --open, -o ---------------------------------------------------------


def _fake_opener(folder: Path, code: int) -> Path:
    """An ``xdg-open`` (and ``open``) that records what it was asked to open and exits."""
    folder.mkdir(exist_ok=True)
    for name in ("xdg-open", "open"):
        script = folder / name
        script.write_text(f'#!/bin/sh\necho "$1" >> "{folder}/opened"\nexit {code}\n')
        script.chmod(0o755)
    return folder


def test_open_says_when_nothing_can_open_the_pdf(here: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(asset("examples", "example.txt"), here / "a.txt")
    monkeypatch.setenv("PATH", str(here / "empty"))
    code, _, err = invoke("build", "a.txt", "--open")
    assert code == 0 and (here / "a.pdf").is_file()
    assert re.search(r"warning: a\.pdf: not opened: there is no (xdg-)?open here to open files "
                     r"with \(a machine without a desktop\?\); open it yourself", err)
    monkeypatch.setenv("PATH", str(_fake_opener(here / "failing", 3)))
    code, _, err = invoke("build", "a.txt", "--open")
    assert code == 0 and "found no program for it (exit code 3); open it yourself" in err
    monkeypatch.setenv("PATH", str(_fake_opener(here / "working", 0)))
    code, _, err = invoke("build", "a.txt", "--open")
    assert code == 0 and "not opened" not in err
    assert (here / "working" / "opened").read_text() == "a.pdf\n"


def test_a_pdf_named_as_another_kind_of_file_is_refused(here: Path) -> None:
    shutil.copy(asset("examples", "example.txt"), here / "a.txt")
    code, _, err = invoke("build", "a.txt", "-o", "out.png")
    assert code == 2 and err.strip() == (
        "Error: -o out.png: a PDF is written, but the name ends in .png; give a name ending in "
        ".pdf (an image of page 1 is --preview PNG)")
    assert not (here / "out.png").exists()
    assert invoke("build", "a.txt", "-o", "handout.PDF")[0] == 0
    assert invoke("build", "a.txt", "-o", "handout-2026.12")[0] == 0  # not an extension
    code, _, err = invoke("watch", "a.txt", "-o", "a.txt.html")
    assert code == 2 and "name ends in .html" in err
    (here / "briefings.toml").write_text('[[briefing]]\nsource = "a.txt"\noutput = "b.txt"\n')
    code, _, err = invoke("update")
    assert code == 1 and 'key "output": ' in err and "name ends in .txt" in err


# --- help -------------------------------------------------------------------------------------


def test_the_command_list_is_never_cut_and_options_state_their_defaults() -> None:
    from briefing.cli import BUILTIN_THEMES
    from briefing.theme import builtin_themes

    _, out, _ = invoke("--help")
    commands = out.split("Commands:")[1].strip().splitlines()
    assert len(commands) == 12
    assert not [line for line in commands if line.rstrip().endswith("...")]
    assert tuple(sorted(builtin_themes())) == BUILTIN_THEMES
    _, out, _ = invoke("build", "--help")
    flat = " ".join(out.split())
    assert "Theme: campaign, default, print (see `briefing themes`)" in flat
    for said in ("Default: NAME.pdf in the current folder", "Default: the source's, else "
                 "SOURCE_DATE_EPOCH, else today", "Default: 20.", "Default: 500.",
                 "Default: tagged.", "Default: off", "Default: the theme's (A4"):
        assert said in flat, said
    assert "RANGE" not in out and "x>=" not in out
    _, out, _ = invoke("schedule", "--help")
    assert "MANIFEST (default: ./briefings.toml)" in " ".join(out.split())
    _, out, _ = invoke("init", "--help")
    assert "briefing init DIR             a theme of your own" in out
    assert "briefing init --manifest DIR  the same in DIR (made when missing)" in out


def test_editions_and_publish_point_at_dir(here: Path) -> None:
    code, _, err = invoke("editions", "weekly")
    assert code == 1 and err.strip().endswith(
        "give the folder that `update --archive` or the manifest's editions = names with "
        "--dir FOLDER")
    (here / "ed" / "other").mkdir(parents=True)
    code, _, err = invoke("diff", "weekly@1", "weekly@2")
    assert code == 1 and "--dir FOLDER" in err
    code, _, err = invoke("publish", "site")
    assert code == 2 and err.strip() == (
        "Error: publishing into site needs the editions folder: give it with --dir FOLDER (or "
        "run this beside the briefings.toml that names it, or name that manifest with "
        "--manifest)")
