"""Safety and scale of data in a build: the sandbox holds in a source, in a chart's title and
in a manifest's name template; a 10,000-row file is bounded, or refused with what to do."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.build import build, read_and_typeset
from briefing.cli import cli
from briefing.errors import BriefingError
from briefing.jobs.manifest import load_manifest
from briefing.options import ask
from tests.pdfcheck import extract_text

HEAD = "---\ntitle: Escapes\nlang: en\ndata: {cases: cases.csv}\n---\n\n"


def source(folder: Path, body: str, rows: int = 3) -> Path:
    lines = ["date,region,cases"] + [
        f"2026-{1 + i // 28 % 12:02d}-{1 + i % 28:02d},Region {i % 97},{(i * 7919) % 10007}"
        for i in range(rows)]
    (folder / "cases.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / "report.md"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("expression", "problem"), [
    ("''.__class__.__mro__[1].__subclasses__()", "the attribute '__class__' is not allowed"),
    ("data.cases[0].region.__class__.__base__", "the attribute '__class__' is not allowed"),
    ("data.cases.__class__", "data.cases is a table"),
    ("data.cases[0].__init__.__globals__", "has no column '__init__'"),
    ("row.__init__.__globals__", "row has no key '__init__' (keys: region)"),
    ("'{0.__class__}'.format(data)", "calling 'format' is not allowed"),
    ("'%s' % data", "'%' on a text is not allowed"),
    ("'x' | attr('__class__')", "unknown filter 'attr'"),
    ("lipsum.__globals__", "unknown name 'lipsum'"),
    ("'a' * 10**9", "more than 10,000 items"),
    ("9 ** 9 ** 9", "too large to print"),
])
def test_the_sandbox_holds_in_a_build(tmp_path: Path, expression: str, problem: str) -> None:
    path = source(tmp_path, f"Intro.\n\nThe figure: {{{{ {expression} }}}}.\n")
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path / "o.pdf")])
    if expression.startswith("row."):  # a fan-out's row: given by the manifest
        with pytest.raises(BriefingError) as info:
            build(path, ask(row={"region": "North"}))
        said = info.value.message
    else:
        assert result.exit_code == 1 and "Traceback" not in result.output
        said = result.output.strip().splitlines()[-1]
    assert f"report.md, line 9: {{{{ {expression} }}}}: " in said, said
    assert problem in said, said
    assert "<class" not in said and "<function" not in said and "<module" not in said
    assert not (tmp_path / "o.pdf").exists()


def test_the_sandbox_holds_in_a_chart_title(tmp_path: Path) -> None:
    path = source(tmp_path, "```chart\ntype: bar\ndata: cases\nx: region\ny: cases\n"
                            "title: \"{{ ''.__class__.__mro__ }}\"\n```\n")
    with pytest.raises(BriefingError) as info:
        build(path)
    assert "the attribute '__class__' is not allowed" in info.value.message


def test_the_sandbox_holds_in_a_name_template(tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text("region\nNorth\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    (tmp_path / "briefings.toml").write_text(
        '[[briefing]]\neach = "rows.csv"\nname = "x-{{ row.__class__.__name__ }}"\n'
        'source = "a.md"\n', encoding="utf-8")
    with pytest.raises(BriefingError) as info:
        load_manifest(tmp_path)
    assert "rows.csv, line 2: {{ row.__class__.__name__ }}: rows.csv, line 2 has no column " \
           "'__class__'" in info.value.message


def test_a_10000_row_file_in_a_table_and_a_chart_is_bounded(tmp_path: Path) -> None:
    path = source(tmp_path, (
        "{{ data.cases | count }} rows, {{ data.cases | sum('cases') | number }} cases, the "
        "last on {{ data.cases | latest('date') | date }}... no: dates repeat.\n\n"
        "```table\ndata: cases\nsort: -cases\nlimit: 20\ntotal: true\n```\n\n"
        "```chart\ntype: bar\ndata: cases\nx: region\ny: cases\nsort: -cases\nlimit: 12\n```\n"
    ).replace(", the last on {{ data.cases | latest('date') | date }}... no: dates repeat", ""),
        rows=10_000)
    tracemalloc.start()
    try:
        typeset = read_and_typeset(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 96 * 1024 * 1024, f"{peak / 1e6:.0f} MB"  # about 40 MB: the typed rows
    text = " ".join(extract_text(build(path).pdf).split())
    total = sum((i * 7919) % 10007 for i in range(10_000))
    assert f"10,000 rows, {total:,} cases." in text
    assert typeset.data_files  # and the table's 20 rows and total, the chart's 12 bars
    table = next(b for s in typeset.briefing.sections for b in s.blocks
                 if type(b).__name__ == "DataTable")
    assert len(table.rows) == 21


@pytest.mark.parametrize(("block", "problem"), [
    ("```table\ndata: cases\n```", "the table would print 10,000 rows (at most 1,000); add "
                                   "limit: and sort:, or aggregate the data"),
    ("```chart\ntype: line\ndata: cases\nx: date\ny: cases\n```",
     "10,000 values of 'date' is too many for a line chart (at most 400 with 1 series); add "
     "limit: (with sort:) or aggregate the data"),
])
def test_too_much_is_refused_with_what_to_do(tmp_path: Path, block: str, problem: str) -> None:
    path = source(tmp_path, block + "\n", rows=10_000)
    with pytest.raises(BriefingError) as info:
        build(path)
    assert info.value.message.endswith(problem), info.value.message


def test_too_many_rows_in_a_file_are_refused(tmp_path: Path) -> None:
    path = source(tmp_path, "{{ data.cases | count }}\n", rows=50_001)
    with pytest.raises(BriefingError) as info:
        build(path)
    assert info.value.message == ("cases.csv: more than 50,000 rows (the limit for a data "
                                  "file); aggregate or filter the export first")
