"""Data-driven briefings end to end: data declared by the source, figures in the text, tables
and charts from data, read from the PDF that is made."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from briefing.build import build
from briefing.cli import cli
from briefing.errors import BriefingError
from briefing.options import ask
from tests.pdfcheck import extract_text

ROOT = Path(__file__).resolve().parents[2]


def flat(text: str) -> str:
    """Text on one line, every kind of space a space."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())

CASES = """region,cases,deaths,share
North,1204,12,31.5%
South,980,7,25.6%
East,412,3,10.8%
West,1230,15,32.1%
"""

REPORT = """---
title: Flood situation report
lang: {lang}
data: {{cases: cases.csv}}
---

In total **{{{{ data.cases | sum("cases") | number }}}}** cases in {{{{ data.cases | count }}}}
regions; at most {{{{ data.cases | max("cases") | number }}}}, a rise of
{{{{ 1388 | change(1204) }}}}. Code stays `{{{{ as typed }}}}`.

## Cases by region

```table
data: cases
columns:
  - {{column: region, header: Region}}
  - {{column: cases, header: Cases}}
  - {{column: share, header: Share}}
sort: -cases
total: {{columns: [cases]}}
```

```chart
type: bar
data: cases
x: region
y: cases
title: Cases by region
sort: -cases
```
"""


def write(folder: Path, lang: str = "en", source: str = REPORT, csv: str = CASES) -> Path:
    (folder / "cases.csv").write_text(csv, encoding="utf-8")
    path = folder / "report.md"
    path.write_text(source.format(lang=lang), encoding="utf-8")
    return path


def structure(pdf: bytes) -> list[tuple[str, str]]:
    """(type, alt text) of each structure element, in reading order."""
    out: list[tuple[str, str]] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        def visit(node: Any) -> None:
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    visit(kid)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                out.append((str(node.S)[1:], str(node.get("/Alt", ""))))
                if "/K" in node:
                    visit(node.K)
        visit(doc.Root.StructTreeRoot.K)
    return out


def test_figures_tables_and_charts_from_data(tmp_path: Path) -> None:
    result = build(write(tmp_path))
    text = flat(extract_text(result.pdf))
    assert "In total 3,826 cases in 4 regions; at most 1,230, a rise of +15%." in text
    assert "Code stays {{ as typed }}." in text  # code is printed as typed
    assert result.files()[-1] == (tmp_path / "cases.csv").resolve()  # in the fingerprint
    kinds = [kind for kind, _ in structure(result.pdf)]
    # The table from data: a header row of TH, a row of TD per region and the total row.
    first = kinds.index("Table")
    assert kinds[first:first + 5] == ["Table", "TR", "TH", "TH", "TH"]
    assert kinds.count("TR") == 6 + 5  # the table's 6 rows, the chart's data table's 5
    # The chart: a Figure whose alt text is written from the data, then its data as a table.
    alt = dict(structure(result.pdf))["Figure"]
    assert alt == ("Bar chart, cases by region: West 1,230, the highest; North 1,204; "
                   "South 980; East 412, the lowest.")
    second = kinds.index("Table", first + 1)
    assert kinds[second - 1] == "Figure" and kinds[second:second + 4] == ["Table", "TR", "TH", "TH"]


def test_numbers_are_right_aligned_and_written_in_the_language(tmp_path: Path) -> None:
    result = build(write(tmp_path, "fr"))
    text = flat(extract_text(result.pdf))
    assert "3 826" in text and "+15 %" in text and "31,5 %" in text
    with pdfplumber.open(io.BytesIO(result.pdf)) as pdf:
        words = pdf.pages[0].extract_words()
    top = next(w["top"] for w in words if w["text"] == "Region")
    bottom = next(w["top"] for w in words if w["text"] == "Total")
    cases = [w for w in words if top <= w["top"] <= bottom and w["x1"] > 300
             and w["text"] in ("Cases", "230", "204", "980", "412", "826")]
    assert len(cases) == 6  # the header, four regions, the total
    assert len({round(w["x1"]) for w in cases}) == 1, cases  # one right edge: flush right
    assert round(cases[0]["x1"]) < 560  # and the share column right of it


def test_text_from_data_is_text_never_markup(tmp_path: Path) -> None:
    csv = 'region,cases\n"<b>North</b> **bold** &amp;",1\n'
    source = ("---\ntitle: T\nlang: en\ndata: {{cases: cases.csv}}\n---\n\n"
              "Region {{{{ data.cases[0].region }}}}.\n\n```table\ndata: cases\n```\n")
    result = build(write(tmp_path, source=source, csv=csv))
    text = extract_text(result.pdf)
    assert text.count("<b>North</b> **bold** &amp;") == 2  # in the text, in the table


def test_without_data_braces_are_text(tmp_path: Path) -> None:
    path = tmp_path / "plain.md"
    path.write_text("# Templates\n\nWrite {{ name }} and {{ a * b * c }} in a template.\n",
                    encoding="utf-8")
    text = " ".join(extract_text(build(path).pdf).split())
    assert "Write {{ name }} and {{ a * b * c }} in a template." in text
    # Markdown read as it always was: a link target encoded as the parser encodes it.
    path.write_text("# T\n\nSee [it](https://example.org/{{ x }}?a=%20b), `{{ y }}`.\n",
                    encoding="utf-8")
    spans = build(path).briefing.lead[0].spans
    assert [(s.text, s.href) for s in spans if s.href or s.code] == [
        ("it", "https://example.org/%7B%7B%20x%20%7D%7D?a=%20b"), ("{{ y }}", None)]


def test_yaml_source_and_data_given_by_the_caller(tmp_path: Path) -> None:
    (tmp_path / "other.csv").write_text("region,cases\nNorth,7\n", encoding="utf-8")
    write(tmp_path)
    path = tmp_path / "report.yaml"
    path.write_text(textwrap.dedent("""\
        title: "{{ data.cases | count }} regions"
        meta: {lang: en}
        data: {cases: cases.csv}
        sections:
          - blocks:
              - "Elsewhere: {{ data.more | sum('cases') }}."
              - {type: data-table, spec: "data: cases\\nlimit: 2\\nsort: region"}
        """), encoding="utf-8")
    result = build(path, ask(data={"more": str(tmp_path / "other.csv")}))
    assert flat(result.briefing.title) == "4 regions"
    text = extract_text(result.pdf)
    assert "Elsewhere: 7." in text and "North" in text and "West" not in text


@pytest.mark.parametrize(("change", "message"), [
    ("{{ data.cases | sum(\"cases\") | number }}", "{{ data.casse }}",),
    ("```chart\ntype: bar", "```chart\ntype: pie"),
    ("data: {cases: cases.csv}", "data: {cases: ../cases.csv}"),
    ("data: {cases: cases.csv}", "data: {cases: 'https://example.org/cases.csv'}"),
    ("data: {cases: cases.csv}", "data: {cases: /etc/passwd}"),
])
def test_errors_name_the_file_the_line_and_the_problem(tmp_path: Path, change: str,
                                                       message: str) -> None:
    path = write(tmp_path, source=REPORT.replace(change.replace("{", "{{").replace("}", "}}"),
                                                 message.replace("{", "{{").replace("}", "}}")))
    (tmp_path / "sub").mkdir()
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    said = result.output.strip().splitlines()[-1]
    expected = {
        "{{ data.casse }}": "report.md, line 7: {{ data.casse }}: no data named 'casse'; "
                            'did you mean "cases"? (data: cases)',
        "```chart\ntype: pie": "report.md, line 24 (chart): type: 'pie' is not one of bar, "
                               "horizontal bar, line, stacked bar",
        "data: {cases: ../cases.csv}": "report.md, line 4: data: cases: data file "
                                       "'../cases.csv' goes up with '..'",
        "data: {cases: 'https://example.org/cases.csv'}": "report.md, line 4: data: cases: "
        "data file 'https://example.org/cases.csv' is a URL; only files are allowed",
        "data: {cases: /etc/passwd}": "report.md, line 4: data: cases: data file "
                                      "'/etc/passwd' is an absolute path",
    }[message]
    assert said.startswith(f"Error: {path}") and expected in said, said
    assert not (tmp_path / "out.pdf").exists()


def test_too_many_points_is_a_clear_error(tmp_path: Path) -> None:
    csv = "day,cases\n" + "".join(f"{i},{i * 3}\n" for i in range(1, 41))
    source = ("---\ntitle: T\nlang: en\ndata: {{cases: cases.csv}}\n---\n\n"
              "```chart\ntype: bar\ndata: cases\nx: day\ny: cases\n```\n")
    with pytest.raises(BriefingError) as info:
        build(write(tmp_path, source=source, csv=csv))
    assert info.value.message == str(tmp_path) + (
        "/report.md, line 8 (chart): 40 values of 'day' is too many for a bar chart (at most "
        "24 with 1 series); add limit: (with sort:), or use a line chart for a long series")


def test_a_missing_extra_is_named(tmp_path: Path) -> None:
    path = write(tmp_path)
    code = textwrap.dedent(f"""
        import sys
        sys.modules["jinja2"] = None  # as if the data extra were not installed
        from briefing.cli import main
        sys.argv = ["briefing", "build", {str(path)!r}, "-o", {str(tmp_path / "o.pdf")!r}]
        main()
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        f"Error: {path}: data needs jinja2; install the data extra: "
        "pip install 'briefing[data]'")


def test_the_hidden_data_table_leaves_the_text_after_it_visible(tmp_path: Path) -> None:
    result = build(write(tmp_path, source=REPORT + "\nAfter the chart.\n"))
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        depth, invisible = 0, []
        for operands, operator in pikepdf.parse_content_stream(doc.pages[0]):
            name = str(operator)
            depth += {"q": 1, "Q": -1}.get(name, 0)
            if name == "Tr":
                invisible.append((int(operands[0]), depth))
    assert invisible and all(mode == 3 and depth > 0 for mode, depth in invisible)
    assert "After the chart." in extract_text(result.pdf)


def test_data_from_the_command_line_and_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "export.csv").write_text("region,cases\nNorth,5\nSouth,6\n")
    path = tmp_path / "note.md"
    path.write_text("# Note\n\n{{ data.export | sum('cases') }} cases.\n", encoding="utf-8")
    out = tmp_path / "note.pdf"
    said = CliRunner().invoke(cli, ["build", str(path), "-o", str(out), "--data",
                                    f"export={tmp_path / 'sub' / 'export.csv'}"])
    assert said.exit_code == 0, said.output
    assert "11 cases." in extract_text(out.read_bytes())
    wrong = CliRunner().invoke(cli, ["build", str(path), "-o", str(out), "--data", "export"])
    assert wrong.exit_code == 2 and "--data export: give a name and a file, such as --data " \
        "cases=cases.csv" in wrong.output
    (tmp_path / "briefings.toml").write_text(
        '[[briefing]]\nsource = "note.md"\ndata = {export = "sub/export.csv"}\n')
    from briefing.jobs.manifest import load_manifest
    from briefing.jobs.update import update

    summary = update(load_manifest(tmp_path), jobs=1)
    assert summary.ok, summary.describe()
    assert "11 cases." in extract_text(out.read_bytes())
    (tmp_path / "sub" / "export.csv").write_text("region,cases\nNorth,5\nSouth,7\n")
    summary = update(load_manifest(tmp_path), jobs=1)
    assert [o.reason for o in summary.outcomes] == ["export.csv changed"]
    assert "12 cases." in extract_text(out.read_bytes())


def test_check_says_what_data_the_source_reads() -> None:
    said = CliRunner().invoke(cli, ["check", str(ROOT / "assets" / "examples" / "flood-report.md")])
    assert said.exit_code == 0, said.output
    assert '  article     "Situation by district": 1 paragraph, 1 table from data, 1 chart\n' \
        in said.output
    assert "  data        districts (flood-districts.csv)\n" in said.output


def test_the_bundled_report_is_clean_pdf_ua(tmp_path: Path) -> None:
    import pdfua

    from tests.pdfcheck import assert_pdfua_clean

    result = build(ROOT / "assets" / "examples" / "flood-report.md")
    path = tmp_path / "flood.pdf"
    path.write_bytes(result.pdf)
    assert_pdfua_clean(pdfua.validate(str(path)))
    kinds = [kind for kind, _ in structure(result.pdf)]
    assert kinds.count("Figure") == 2  # the logo and the chart
    assert "4,839 people have left their homes in 6 districts" in flat(extract_text(result.pdf))
