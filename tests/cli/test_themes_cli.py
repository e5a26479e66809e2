"""``briefing themes`` and ``briefing init``: list the themes, start one's own and build with it
from another folder."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import run


def test_themes_lists_each_builtin_theme_on_one_line() -> None:
    code, out, _ = run(["themes"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("default ")
    names = [line.split()[0] for line in lines]
    assert {"default", "campaign", "print"} <= set(names)
    assert all(len(line.split(None, 1)) == 2 for line in lines)  # each with a description


def test_init_then_build_from_another_folder(tmp_path: Path) -> None:
    code, _, err = run(["init", "brand"], cwd=tmp_path)
    assert code == 0, err
    brand = tmp_path / "brand"
    assert (brand / "theme.toml").is_file() and (brand / "logos" / "logo.svg").is_file()
    assert (brand / "fonts").is_dir()
    code, _, err = run(["init", "brand"], cwd=tmp_path)
    assert code == 2 and "already exists" in err
    work = tmp_path / "work"
    work.mkdir()
    code, _, err = run(["build", "--theme", "../brand/theme.toml", "--assets", "../brand",
                        "-o", "out.pdf"], cwd=work)
    assert code == 0, err
    assert (work / "out.pdf").read_bytes().startswith(b"%PDF")
    code, out, _ = run(["themes", "--assets", str(brand)])
    assert "Our organisation's briefing" in out


def test_build_with_each_builtin_theme_by_name(tmp_path: Path) -> None:
    for name in ("campaign", "print"):
        for size, pages in (("a4", "(1 page)"), ("letter", "pages)")):  # Letter is shorter
            code, _, err = run(["build", "--theme", name, "-o", f"{name}-{size}.pdf",
                                "--page-size", size], cwd=tmp_path)
            assert code == 0, err
            assert pages in err


def test_unknown_theme_names_the_builtin_ones(tmp_path: Path) -> None:
    code, _, err = run(["build", "--theme", "nope", "-o", "x.pdf"], cwd=tmp_path)
    assert code == 1 and "campaign" in err and "print" in err
