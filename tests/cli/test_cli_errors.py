"""Bad input on the command line and in sources: each gets one clear line and an exit code, and
nothing is lost."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from briefing.cli import cli, main


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stderr


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_bad_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, err = run(["build", "-o", str(tmp_path / "x.pdf"), "--date", "2026-12-02"])
    assert code == 2 and "SOURCE_DATE_EPOCH" in one_error_line(err)
    assert not (tmp_path / "x.pdf").exists()


def test_output_is_the_source(tmp_path: Path, sample_path: Path) -> None:
    source = tmp_path / "note.md"
    source.write_bytes(sample_path.read_bytes())
    code, err = run(["build", str(source), "-o", str(source)])
    assert code == 2 and "is the source itself" in one_error_line(err)
    assert source.read_bytes() == sample_path.read_bytes()


def test_bad_preview_writes_nothing(tmp_path: Path) -> None:
    code, err = run(["build", "-o", str(tmp_path / "x.pdf"), "--preview", str(tmp_path / "p.jpg")])
    assert code == 1 and "PNG" in one_error_line(err)
    assert not (tmp_path / "x.pdf").exists()


def test_theme_not_utf8(tmp_path: Path) -> None:
    theme = tmp_path / "t.toml"
    theme.write_bytes(b"\xff\xfename = 'x'\n")
    code, err = run(["build", "--theme", str(theme), "-o", str(tmp_path / "x.pdf")])
    assert code == 1 and "not valid UTF-8" in one_error_line(err)


@pytest.mark.parametrize(("name", "text", "message"), [
    ("d.yaml", "title: T\nmeta:\n  date: 2026-13-45\nlead: [x]\n", "d.yaml, line 3: meta.date"),
    ("d.md", "---\ndate: 2026-13-45\n---\n# T\n\nLead.\n", "d.md, line 2"),
])
def test_impossible_dates(tmp_path: Path, name: str, text: str, message: str) -> None:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    code, err = run(["check", str(source)])
    assert code == 1 and message in one_error_line(err)


def test_deep_markdown_nesting_is_refused_not_dropped(tmp_path: Path) -> None:
    source = tmp_path / "deep.md"
    source.write_text("# T\n\nLead.\n\n" + "> " * 20 + "deep words\n", encoding="utf-8")
    code, err = run(["check", str(source)])
    assert code == 1 and "nested" in one_error_line(err)
    fine = tmp_path / "fine.md"
    fine.write_text("# T\n\nLead.\n\n" + "\n".join("  " * i + f"- level{i}" for i in range(10)),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--json", str(fine)])
    assert result.exit_code == 0 and all(f"level{i}" in result.stdout for i in range(10))


def test_language_tags(tmp_path: Path) -> None:
    code, err = run(["build", "--lang", "fr</x>", "-o", str(tmp_path / "x.pdf")])
    assert code == 2 and "--lang: expected a language tag" in one_error_line(err)
    code, err = run(["check", "--lang", "fr</x>"])  # check reads as build does
    assert code == 2 and "--lang: expected a language tag" in one_error_line(err)
    result = CliRunner().invoke(cli, ["build", "--lang", "pt-BR", "-o", str(tmp_path / "pt.pdf")])
    assert result.exit_code == 0 and "no typography rules" in result.stderr
    with pikepdf.open(io.BytesIO((tmp_path / "pt.pdf").read_bytes())) as pdf:
        assert str(pdf.Root.Lang) == "pt-BR"


def test_unexpected_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import briefing.build

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(briefing.build, "build_file", broken)
    monkeypatch.setattr("sys.argv", ["briefing", "build", "-o", str(tmp_path / "never.pdf")])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "unexpected error, a bug of briefing (boom)" in one_error_line(err)


def test_strict_sees_the_readers_warnings_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "w.md"
    source.write_text("---\ntitle: T\nbogus: 1\n---\n\nLead.[^1]\n\n[^2]: unused\n[^1]: used\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "w.pdf")])
    assert result.exit_code == 0
    assert result.stderr.count("footnote [^2] is never referred to") == 1  # reported once
    assert "unknown key 'bogus'" in result.stderr
    code, err = run(["build", str(source), "-o", str(tmp_path / "s.pdf"), "--strict"])
    assert code == 1 and "--strict: nothing was written" in one_error_line(err)
    assert not (tmp_path / "s.pdf").exists()


def test_nesting_is_measured_on_the_structure(tmp_path: Path) -> None:
    deep = tmp_path / "deep.md"
    deep.write_text("# T\n\nLead.\n\n" + "\n".join("  " * i + f"- level{i}" for i in range(35)),
                    encoding="utf-8")
    code, err = run(["check", str(deep)])
    assert code == 1 and "nested" in one_error_line(err)
    fenced = tmp_path / "fenced.md"
    fenced.write_text("# T\n\nLead.\n\n```\n>>>>>>>>>>>>>>>>>>>> prompt\n```\n", encoding="utf-8")
    code, err = run(["check", str(fenced)])
    assert code == 0, err


def test_quiet_strict_still_refuses_warnings(tmp_path: Path) -> None:
    source = tmp_path / "w.md"
    source.write_text("---\ntitle: T\nbogus: 1\n---\n\nLead.\n", encoding="utf-8")
    code, err = run(["-q", "build", str(source), "-o", str(tmp_path / "w.pdf"), "--strict"])
    assert code == 1 and "unknown key 'bogus'" in one_error_line(err)
    assert not (tmp_path / "w.pdf").exists()


def test_tables_without_cells_or_with_too_many_columns(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("title: T\nlead: [x]\nsections:\n  - blocks: [{type: table}, after]\n",
                     encoding="utf-8")
    code, err = run(["build", str(empty), "-o", str(tmp_path / "e.pdf")])
    assert code == 0, err
    wide = tmp_path / "wide.md"
    wide.write_text("# T\n\nLead.\n\n" + "|" + "c|" * 40 + "\n|" + "-|" * 40 + "\n|" + "x|" * 40
                    + "\n", encoding="utf-8")
    code, err = run(["build", str(wide), "--page-size", "a5", "-o", str(tmp_path / "w.pdf")])
    assert code == 1 and "40 columns" in one_error_line(err)


def test_cache_entry_of_the_wrong_type_is_a_miss(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from briefing.cache import Codec, cached

    def whole(data: object) -> int:
        if type(data) is not int:
            raise TypeError(f"not a whole number: {data!r}")
        return data

    codec: Codec[int] = Codec(lambda value: value, whole)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    assert cached("t", b"k", lambda: 3, codec) == 3
    (entry,) = (tmp_path / "t").iterdir()
    document = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**document, "data": "a string"}), encoding="utf-8")
    assert cached("t", b"k", lambda: 4, codec) == 4


# --- exit codes: the library's errors know nothing of click; the command line maps them ----


def _run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
              raised: BaseException, argv: list[str]) -> tuple[int, str]:
    import briefing.build

    def failing(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(briefing.build, "build_file", failing)
    monkeypatch.setattr("sys.argv", ["briefing", *argv])
    with pytest.raises(SystemExit) as exit_info:
        main()
    code = exit_info.value.code
    assert isinstance(code, int)
    return code, capsys.readouterr().err


def test_ctrl_c_exits_130_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run_main(monkeypatch, capsys, KeyboardInterrupt(),
                          ["build", "-o", str(tmp_path / "x.pdf")])
    assert code == 130 and "interrupted" in err and "Aborted" not in err


def test_an_error_exits_with_its_own_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from briefing.errors import LockedError

    code, err = _run_main(monkeypatch, capsys, LockedError("briefings.toml: locked"),
                          ["build", "-o", str(tmp_path / "x.pdf")])
    assert code == 75 and err.strip() == "Error: briefings.toml: locked"
    # The same through click's test runner.
    result = CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 75 and "Error: briefings.toml: locked" in result.output


def test_a_bad_command_line_exits_2(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.argv", ["briefing", "build", "--no-such-option"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2 and "No such option" in capsys.readouterr().err


def test_help_and_version_exit_0(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["--version"], ["build", "--help"]):
        monkeypatch.setattr("sys.argv", ["briefing", *argv])
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == 0
        assert capsys.readouterr().out


def test_errors_do_not_depend_on_click() -> None:
    import ast

    import briefing.errors

    tree = ast.parse(Path(briefing.errors.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.split(".")[0] == "click" for name in imported)
