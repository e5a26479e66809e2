"""Themes through the path policy and the theme's own bounds: a source's front matter reaches
only themes in its folder (or the built-in ones), and such a theme only files in that scope;
theme files are regular files of bounded size; numbers are finite and in range; format
specifications are refused."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image as PILImage

from briefing.build import build
from briefing.errors import BriefingError, ThemeError
from briefing.options import ask
from briefing.theme import load_theme

LEAD = "Lead.\n"


def secret_image(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret.png"
    PILImage.new("RGB", (20, 20), "blue").save(path)
    return path


def note(folder: Path, theme: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "note.md"
    source.write_text(f"---\ntitle: Innocent\ntheme: {theme}\n---\n\n{LEAD}", encoding="utf-8")
    return source


def test_S2_front_matter_theme_must_be_in_the_source_folder(tmp_path: Path) -> None:
    outside = tmp_path / "contrib" / "evil.toml"
    outside.parent.mkdir()
    outside.write_text('extends = "default"\nname = "evil"\n', encoding="utf-8")
    for ref in (str(outside), "../contrib/evil.toml", "~/evil.toml"):
        source = note(tmp_path / "src", ref)
        with pytest.raises(BriefingError) as info:
            build(source)
        message = info.value.message
        assert "note.md" in message and "theme" in message and repr(ref) in message
    # A built-in theme by name, and a theme inside the folder, are fine.
    assert build(note(tmp_path / "src", "campaign")).theme.name == "campaign"
    (tmp_path / "src" / "mine.toml").write_text('extends = "print"\nname = "mine"\n',
                                                encoding="utf-8")
    assert build(note(tmp_path / "src", "mine.toml")).theme.name == "mine"


def test_S2_a_theme_from_a_source_names_no_file_outside(tmp_path: Path) -> None:
    secret = secret_image(tmp_path / "outside")
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "evil.toml").write_text(
        f'extends = "default"\n[logo]\nfile = "{secret}"\nalt = "x"\n', encoding="utf-8")
    with pytest.raises(BriefingError, match=r"logo\.file.*absolute path"):
        build(note(folder, "evil.toml"))
    (folder / "up.toml").write_text(
        'extends = "default"\n[logo]\nfile = "../outside/secret.png"\nalt = "x"\n',
        encoding="utf-8")
    with pytest.raises(BriefingError, match=r"logo\.file.*'\.\.'"):
        build(note(folder, "up.toml"))
    (folder / "ext.toml").write_text(f'extends = "{tmp_path / "outside" / "t.toml"}"\n',
                                     encoding="utf-8")
    with pytest.raises(BriefingError, match=r"extends.*absolute path"):
        build(note(folder, "ext.toml"))
    # The same theme given on the command line is the user's own choice: it may.
    (tmp_path / "outside" / "logo.toml").write_text(
        f'extends = "default"\n[logo]\nfile = "{secret}"\nalt = "x"\n', encoding="utf-8")
    result = build(note(folder, "default"),
                   ask(theme=str(tmp_path / "outside" / "logo.toml")))
    assert secret in result.files()


def test_S2_a_fifo_theme_is_refused_without_waiting(tmp_path: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    os.mkfifo(folder / "fifo.toml")
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            build(note(folder, "./fifo.toml"))
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(20)
    assert outcome, "the build waited for a writer on the FIFO"
    assert isinstance(outcome[0], BriefingError)
    assert "FIFO" in outcome[0].message
    with pytest.raises(ThemeError, match="FIFO"):
        load_theme(str(folder / "fifo.toml"))


def _limited(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run Python code with at most 1.5 GB of memory and a minute of time."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024,) * 2)

    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120, preexec_fn=limit, check=False)


def test_C5_theme_reads_are_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (2 * 1024 * 1024) + '\nextends = "default"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match="larger than the limit"):
        load_theme(str(big))
    (tmp_path / "ext.toml").write_text('extends = "/dev/zero"\n', encoding="utf-8")
    code = (
        "from briefing.errors import ThemeError\n"
        "from briefing.theme import load_theme\n"
        "for ref in ('/dev/zero', 'ext.toml'):\n"
        "    try:\n"
        "        load_theme(ref)\n"
        "    except ThemeError as exc:\n"
        "        print(exc.message)\n"
    )
    done = _limited(code, tmp_path)
    assert done.returncode == 0, done.stderr[-500:]
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and all("is a device" in line for line in lines)


def test_C4_kicker_format_specifications_are_refused(tmp_path: Path) -> None:
    for spec in ("{kicker:>99999999999999999999}", "{kicker:>999999999}", "{date!r}"):
        theme = tmp_path / f"k{len(spec)}.toml"
        theme.write_text(f'extends = "default"\n[masthead]\nkicker = "{spec}"\n',
                         encoding="utf-8")
        with pytest.raises(ThemeError) as info:
            load_theme(str(theme))
        assert "masthead.kicker" in info.value.message
        assert "format" in info.value.message


def test_B3_theme_numbers_are_finite_and_in_range(tmp_path: Path) -> None:
    theme = tmp_path / "numbers.toml"
    theme.write_text(
        'extends = "default"\n'
        "[page]\nmargin_top = nan\nmargin_left = -5\n"
        "[styles.body]\nsize = nan\nleading = inf\n"
        "[styles.lead]\nsize = 0\n"
        "[styles.h2]\nsize = -10\nleading = -12\n"
        "[styles.title]\nsize = 100000\n"
        "[callout]\npadding = nan\nrule_width = inf\n"
        "[logo]\nheight = 0\n"
        "[qr]\nsize = nan\n",
        encoding="utf-8")
    with pytest.raises(ThemeError) as info:
        load_theme(str(theme))
    message = info.value.message
    for key in ("page.margin_top", "page.margin_left", "styles.body.size", "styles.body.leading",
                "styles.lead.size", "styles.h2.size", "styles.h2.leading", "styles.title.size",
                "callout.padding", "callout.rule_width", "logo.height", "qr.size"):
        assert f"{key}: expected a number from" in message, key
    assert "got nan" in message and "got inf" in message


def test_C5_fonts_and_logos_are_bounded_regular_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.ttf")
    theme = tmp_path / "fifo.toml"
    theme.write_text('extends = "default"\n[fonts.body]\nregular = "fifo.ttf"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match=r"fonts\.body\.regular.*FIFO"):
        load_theme(str(theme))
    with open(tmp_path / "huge.ttf", "wb") as handle:  # sparse: 70 MB that take no room
        handle.write(b"\x00\x01\x00\x00")
        handle.truncate(70 * 1024 * 1024)
    theme = tmp_path / "huge.toml"
    theme.write_text('extends = "default"\n[fonts.body]\nregular = "huge.ttf"\n', encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text("Title here. Lead.\nPara.\n")
    with pytest.raises(ThemeError, match=r"huge\.ttf.*larger than the limit"):
        build(source, ask(theme=str(theme)))
    with open(tmp_path / "huge.png", "wb") as handle:
        handle.truncate(70 * 1024 * 1024)
    theme = tmp_path / "logo.toml"
    theme.write_text('extends = "default"\n[logo]\nfile = "huge.png"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match=r"huge\.png.*larger than the limit"):
        build(source, ask(theme=str(theme)))


def test_B3_every_range_is_in_the_theme_reference() -> None:
    from briefing.assets import assets_dir
    from briefing.theme import key_rows

    docs = (assets_dir().parent / "docs" / "themes.md")
    if not docs.is_file():
        pytest.skip("the documentation is not installed")
    text = docs.read_text(encoding="utf-8")
    for row in key_rows():
        if row.range:
            assert f"`{row.key}`" in text and row.range in text, row.key
