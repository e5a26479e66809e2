"""Every message a user can meet says what happened, to which file, and what to do, in words:
the known ways a source, a theme, an image, an output, a manifest or a record can be wrong,
each driven through the command line. None may show Python's names for errors (``KeyError``,
``[Errno 2]``, ``got int``), a traceback, or leave the file unnamed."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.assets import asset
from briefing.cli import cli

#: Python's own words, which no message may show.
PYTHON = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception)\b|Traceback|\[Errno|<urlopen|NoneType"
                    r"|\bgot (int|str|dict|list|float|bool|tuple)\b|object at 0x")
STORM = asset("examples", "storm-warning.md")


def theme(text: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / "t.toml").write_text('extends = "default"\n' + text)
    return make


def files(**contents: str | bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for name, content in contents.items():
            path = folder / name.replace("__", "/").replace("_DOT_", ".")
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
    return make


def both(*makers: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for maker in makers:
            maker(folder)
    return make


A = files(a_DOT_txt="A title\n\nA paragraph of text.\n")
MANIFEST = files(a_DOT_txt="A title\n\nA paragraph of text.\n",
                 briefings_DOT_toml='editions = "ed"\n[[briefing]]\nname = "a"\n'
                                    'source = "a.txt"\n')

# (what is wrong, how to make it, the command, the file the message must name)
CASES: list[tuple[str, Callable[[Path], None], list[str], str]] = [
    ("no such source", A, ["build", "nope.txt"], "nope.txt"),
    ("a folder as source", files(d__x_DOT_txt="x"), ["build", "d"], "d"),
    ("binary source", files(b_DOT_txt=b"\x00\x01\x02PK\x00"), ["build", "b.txt"], "b.txt"),
    ("not UTF-8", files(l_DOT_txt=b"Titre\n\ncaf\xe9\n"), ["build", "l.txt"], "l.txt"),
    ("empty source", files(e_DOT_txt=""), ["build", "e.txt"], "e.txt"),
    ("too large", files(big_DOT_txt="word " * 300_000), ["build", "big.txt", "--max-size", "1"],
     "big.txt"),
    ("bad YAML", files(y_DOT_yaml="title: [a\nlead: b: c\n"), ["build", "y.yaml"], "y.yaml"),
    ("YAML wrong kind", files(y_DOT_yaml="title: {a: 1}\n"), ["build", "y.yaml"], "y.yaml"),
    ("YAML list lead", files(y_DOT_yaml="title: T\nlead: {a: 1}\n"), ["build", "y.yaml"],
     "y.yaml"),
    ("YAML missing field", files(y_DOT_yaml="title: T\nsections:\n  - kind: faq\n    entries:"
                                            "\n      - {answer: a}\n"), ["build", "y.yaml"],
     "y.yaml"),
    ("bad JSON", files(j_DOT_json='{"title": "T",}'), ["build", "j.json"], "j.json"),
    ("JSON array", files(j_DOT_json="[1, 2]"), ["build", "j.json"], "j.json"),
    ("front matter YAML", files(f_DOT_md="---\ntitle: [x\n---\n\nText.\n"), ["build", "f.md"],
     "f.md"),
    ("front matter kind", files(f_DOT_md="---\ntitle: T\ntags: {a: 1}\n---\n\nText.\n"),
     ["build", "f.md"], "f.md"),
    ("front matter date", files(f_DOT_md="---\ntitle: T\ndate: someday\n---\n\nText.\n"),
     ["build", "f.md"], "f.md"),
    ("bad --date", A, ["build", "a.txt", "--date", "2026-13-01"], "--date"),
    ("bad --lang", A, ["build", "a.txt", "--lang", "fr</x>"], "--lang"),
    ("unknown theme", A, ["build", "a.txt", "--theme", "nosuch"], "nosuch"),
    ("theme TOML", both(A, files(t_DOT_toml="[colors\n")), ["build", "a.txt", "--theme",
                                                             "t.toml"], "t.toml"),
    ("theme not UTF-8", both(A, files(t_DOT_toml=b"name = 'caf\xe9'\n")),
     ["build", "a.txt", "--theme", "t.toml"], "t.toml"),
    ("theme wrong kind", both(A, theme("[page]\nmargin_top = \"wide\"\n")),
     ["build", "a.txt", "--theme", "t.toml"], "t.toml"),
    ("theme font missing", both(A, theme('[fonts.body]\nregular = "fonts/Nope.ttf"\n')),
     ["build", "a.txt", "--theme", "t.toml"], "t.toml"),
    ("theme font not a font", both(A, theme('[fonts.body]\nregular = "x.ttf"\n'),
                                   files(x_DOT_ttf="not a font at all")),
     ["build", "a.txt", "--theme", "t.toml"], "x.ttf"),
    ("theme logo not SVG", both(A, theme('[logo]\nfile = "l.svg"\n'), files(l_DOT_svg="<svg")),
     ["build", "a.txt", "--theme", "t.toml"], "l.svg"),
    ("theme logo not PNG", both(A, theme('[logo]\nfile = "l.png"\n'), files(l_DOT_png="text")),
     ["build", "a.txt", "--theme", "t.toml"], "l.png"),
    ("image not PNG", files(m_DOT_md="---\ntitle: T\n---\n\nLead.\n\n![A map](map.png)\n",
                            map_DOT_png="not an image"), ["build", "m.md"], "map.png"),
    ("image missing", files(m_DOT_md="---\ntitle: T\n---\n\nLead.\n\n![A map](map.png)\n"),
     ["build", "m.md"], "m.md, line 7"),
    ("image outside", files(m_DOT_md="---\ntitle: T\n---\n\nLead.\n\n![A map](../map.png)\n"),
     ["build", "m.md"], "m.md, line 7"),
    ("output folder missing", A, ["build", "a.txt", "-o", "nodir/x.pdf"], "nodir"),
    ("output is a folder", both(A, files(o__x="x")), ["build", "a.txt", "-o", "o"], "o"),
    ("preview not PNG", A, ["build", "a.txt", "--preview", "p.jpg"], "p.jpg"),
    ("too many pages", files(long_DOT_txt="Title\n\n" + "A paragraph of words. " * 4000 + "\n"),
     ["build", "long.txt", "--max-pages", "1"], "long.txt"),
    ("Word document not a zip", files(w_DOT_docx=b"PK\x03\x04 not really a zip"),
     ["build", "w.docx"], "w.docx"),
    ("web page without text", files(p_DOT_html="<html><body></body></html>"),
     ["build", "p.html"], "p.html"),
    ("check a missing source", A, ["check", "nope.md"], "nope.md"),
    ("diff a missing source", A, ["diff", "a.txt", "nope.txt"], "nope.txt"),
    ("no manifest", A, ["update"], "briefings.toml"),
    ("manifest TOML", files(briefings_DOT_toml="[[briefing]\n"), ["update"], "briefings.toml"),
    ("manifest key", files(a_DOT_txt="A\n\nText.\n", briefings_DOT_toml=
                           '[[briefing]]\nsource = "a.txt"\nschedul = "@daily"\n'),
     ["update"], "briefings.toml"),
    ("manifest wrong kind", files(briefings_DOT_toml='[[briefing]]\nsource = 12\n'),
     ["update"], "briefings.toml"),
    ("damaged edition record", both(MANIFEST, files(ed__a__0001_DOT_json="{not json")),
     ["update"], "0001.json"),
    ("edition record of another shape", both(MANIFEST, files(ed__a__0001_DOT_json='{"x": 1}')),
     ["update"], "0001.json"),
    ("damaged state", both(MANIFEST, files(_DOT_briefing__a_DOT_json="[1, 2")), ["update"],
     "a.json"),
    ("damaged journal", both(MANIFEST, files(_DOT_briefing__a_DOT_journal_DOT_json="{")),
     ["update"], "a.journal.json"),
    ("damaged schedule state", both(
        files(a_DOT_txt="A\n\nText.\n", briefings_DOT_toml=
              '[[briefing]]\nname = "a"\nsource = "a.txt"\nschedule = "@daily"\n'),
        files(_DOT_briefing__schedule_DOT_json='{"a": 12}')), ["schedule", "--once"],
     "schedule.json"),
]


@pytest.mark.parametrize(("what", "make", "args", "named"), CASES, ids=[c[0] for c in CASES])
def test_every_message_names_the_file_in_words(
        what: str, make: Callable[[Path], None], args: list[str], named: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path)
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    said = result.stderr + result.stdout
    lines = [line for line in said.splitlines()
             if line.startswith(("Error:", "error:", "warning:")) or "FAILED" in line]
    assert lines, f"{what}: nothing was said: {said!r}"
    for line in lines:
        assert not PYTHON.search(line), f"{what}: {line}"
    assert any(named in line for line in lines), f"{what}: {named} not named in {lines}"
    if result.exit_code == 0:  # said as a warning: the run went on
        assert all(line.startswith("warning:") for line in lines), lines


def test_the_unknown_failure_of_a_build_is_said_without_python_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing.jobs import update

    def broken(source: Path, options: object) -> update.Built:
        return {}["boom"]  # type: ignore[no-any-return]

    monkeypatch.chdir(tmp_path)
    MANIFEST(tmp_path)
    (tmp_path / "briefings.toml").write_text('[[briefing]]\nname = "a"\nsource = "a.txt"\n')
    from briefing.jobs.manifest import load_manifest

    summary = update.update(load_manifest(tmp_path), builder=broken)
    (outcome,) = summary.outcomes
    assert outcome.error is not None and not PYTHON.search(outcome.error)
    assert "boom is missing" in outcome.error and "please report it" in outcome.error


def test_no_message_is_made_of_python_names() -> None:
    """The raise and log sites of the package never put an exception's class name, or a
    value's type name, into a message."""
    package = Path(__file__).resolve().parents[2] / "briefing"
    bad = []
    for path in sorted(package.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\{type\([^)]*\)\.__(qual)?name__|type\(exc\)\.__name__|\{exc!r\}|"
                         r"exc\.__class__", line):
                bad.append(f"{path.relative_to(package.parent)}:{number}: {line.strip()}")
    assert not bad, "\n".join(bad)


def test_the_storm_example_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The control: a good source says nothing but what it wrote.
    monkeypatch.chdir(tmp_path)
    shutil.copy(STORM, tmp_path / "s.md")
    shutil.copy(asset("examples", "storm-map.png"), tmp_path / "storm-map.png")
    result = CliRunner().invoke(cli, ["build", "s.md"], catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr.strip() == "wrote s.pdf (2 pages)"
    assert json.loads(CliRunner().invoke(cli, ["check", "s.md", "--json"]).stdout)
