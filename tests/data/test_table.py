"""Tables from data: the spec checked, rows sorted, limited, formatted in the language,
numbers aligned right, a total row; errors naming the block and the key."""

from __future__ import annotations

import dataclasses

import pytest

from briefing.data.load import parse_data
from briefing.data.spec import read_block
from briefing.data.table import DataTable, build_table, table_spec
from briefing.errors import DataError
from briefing.model import Paragraph, Span, Table

WHERE = "article.md, line 30 (table)"
CASES = ("region;cases;share;date\n"
         "North;1 204;12,5 %;2 décembre 2026\n"
         "South;980;9 %;1 décembre 2026\n"
         "East;412;;3 décembre 2026\n"
         "West;1 388;14 %;2026-12-04\n")
STATUS = b'{"regions": [{"name": "A", "n": 2}, {"name": "B", "n": 1.5}]}'


def data(lang: str = "fr") -> dict[str, object]:
    return {"cases": parse_data(CASES.encode(), name="cases", file="cases.csv", fmt="csv",
                                lang="fr"),
            "status": parse_data(STATUS, name="status", file="status.json", fmt="json",
                                 lang=lang)}


def table(body: str, lang: str = "fr") -> DataTable:
    spec = table_spec(read_block(body, where=WHERE), where=WHERE)
    return build_table(spec, data(lang), lang=lang, where=WHERE)


def test_a_whole_table_by_default() -> None:
    result = table("data: cases")
    assert result.header == ("region", "cases", "share", "date")
    assert result.rows[0] == ("North", "1\u202f204", "12,5\u00a0%", "2 déc. 2026")
    assert result.rows[2][2] == ""  # an empty cell stays empty
    assert result.align == ("left", "right", "right", "left")
    assert not result.total


def test_columns_sort_limit_and_total_in_french() -> None:
    result = table("""
data: cases
columns:
  - {column: region, header: Région}
  - {column: cases, header: Cas, digits: 1}
  - {column: date, header: Date, style: long}
sort: -cases
limit: 2
total: true
""")
    assert result.header == ("Région", "Cas", "Date")
    assert result.rows == (
        ("West", "1\u202f388,0", "4 décembre 2026"),
        ("North", "1\u202f204,0", "2 décembre 2026"),
        ("Total", "3\u202f984,0", ""),  # every row of the data, not only those shown
    )
    assert result.total and result.align == ("left", "right", "left")


def test_english_total_label_and_text_sort() -> None:
    result = table("data: cases\ncolumns: [region, cases]\nsort: region\n"
                   "total: {label: All regions}", lang="en")
    assert [r[0] for r in result.rows] == ["East", "North", "South", "West", "All regions"]
    assert result.rows[-1][1] == "3,984"


def test_json_list_of_objects_is_a_table() -> None:
    result = table("data: status.regions\ntotal: true", lang="en")
    assert result.rows == (("A", "2"), ("B", "1.5"), ("Total", "3.5"))


def test_values_from_data_stay_data() -> None:
    text = 'name,note\nA,"<font color=red>x</font>"\nB,**bold**\n'
    spec = table_spec({"data": "t"}, where=WHERE)
    t = parse_data(text.encode(), name="t", file="t.csv", fmt="csv", lang="en")
    result = build_table(spec, {"t": t}, lang="en", where=WHERE)
    assert [r[1] for r in result.rows] == ["<font color=red>x</font>", "**bold**"]


def test_maps_to_the_models_table() -> None:
    result = table("data: cases\ncolumns: [region, cases]")
    model = Table(tuple((Span(h),) for h in result.header),
                  tuple(tuple((Span(c),) for c in row) for row in result.rows), result.align)
    assert model.align == ("left", "right")
    assert dataclasses.is_dataclass(model) and not isinstance(model, Paragraph)


@pytest.mark.parametrize(("body", "problem"), [
    ("columns: [region]", "data: missing"),
    ("data: cases\ncolums: [region]", 'colums: unknown key; did you mean "columns"?'),
    ("data: cases\ncolumns: [{column: cases, format: numbr}]",
     "columns[0].format: 'numbr' is not one of number, percent, date, text; did you mean "
     '"number"?'),
    ("data: cases\ncolumns: [{column: region, digits: 9}]",
     "columns[0].digits: expected a whole number from 0 to 6"),
    ("data: cases\ncolumns: [{column: region, format: text, digits: 1}]",
     "columns[0].digits: only numbers and percentages have decimals"),
    ("data: cases\nlimit: 0", "limit: expected a whole number from 1 to 1,000"),
    ("data: cases\ncolumns: [regoin]", "columns: cases.csv has no column 'regoin'; did you "
                                       'mean "region"?'),
    ("data: cses", 'data: no data named \'cses\'; did you mean "cases"?'),
    ("data: cases\nsort: -cass", "sort: cases.csv has no column 'cass'"),
    ("data: cases\ncolumns: [{column: region, format: number}]",
     "cases.csv, line 2, column \"region\": number: 'North' is not a number"),
    ("data: cases\ntotal: {columns: [region]}", "total: cases.csv, line 2, column \"region\": "
                                                "'North' is not a number"),
    ("data: [a", "line 2: expected ',' or ']'"),
    ("- data", "the block's body must be YAML keys"),
    ("data: status", "data: status is not a table"),
])
def test_errors_name_the_block_and_the_key(body: str, problem: str) -> None:
    with pytest.raises(DataError) as info:
        spec = table_spec(read_block(body, where=WHERE, line=2), where=WHERE)
        build_table(spec, data(), lang="fr", where=WHERE)
    assert info.value.message.startswith(WHERE + ": ")
    assert problem in info.value.message


def test_ten_thousand_rows_need_a_limit() -> None:
    lines = "\n".join(f"R{i},{i}" for i in range(10_000))
    big = parse_data(f"region,n\n{lines}\n".encode(), name="big", file="big.csv", fmt="csv",
                     lang="en")
    with pytest.raises(DataError, match=r"the table would print 10,000 rows \(at most 1,000\); "
                                        r"add limit: and sort:"):
        build_table(table_spec({"data": "big"}, where=WHERE), {"big": big}, lang="en",
                    where=WHERE)
    spec = table_spec({"data": "big", "sort": "-n", "limit": 5, "total": True}, where=WHERE)
    result = build_table(spec, {"big": big}, lang="en", where=WHERE)
    assert result.rows[0] == ("R9999", "9,999") and result.rows[-1] == ("Total", "49,995,000")
