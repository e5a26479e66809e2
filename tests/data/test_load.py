"""Loading data files: CSV dialects, typed columns per language, JSON as is, clear errors,
bounds."""

from __future__ import annotations

import datetime as dt
import os
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

from briefing.data.load import MAX_ROWS, parse_csv, parse_data, read_data, sniff_delimiter
from briefing.data.values import ColumnType, Dataset, Record
from briefing.errors import DataError

HEADER = "region,cases,share,date\n"


def csv(text: str | bytes, lang: str = "en", **kw: object) -> Dataset:
    raw = text.encode() if isinstance(text, str) else text
    result = parse_data(raw, name="cases", file="cases.csv", fmt="csv", lang=lang, **kw)  # type: ignore[arg-type]
    assert isinstance(result, Dataset)
    return result


def error(text: str | bytes, lang: str = "en", fmt: str = "csv") -> str:
    raw = text.encode() if isinstance(text, str) else text
    with pytest.raises(DataError) as info:
        parse_data(raw, name="cases", file="cases.csv", fmt=fmt, lang=lang)
    message = info.value.message
    assert "Traceback" not in message and "Error" not in message
    return message


@pytest.mark.parametrize(("text", "delimiter"), [
    ("a,b,c\n1,2,3\n", ","),
    ("a;b;c\n1,5;2;3\n", ";"),
    ("a\tb\n1,5\t2\n", "\t"),
    ("région;cas\nNord;1 204,5\nSud;980\n", ";"),
    ('name,note\n"Smith; John","a; b"\n', ","),
    ("single\n1\n2\n", ","),
])
def test_dialect_is_sniffed(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_french_semicolon_csv_with_bom_is_typed_in_french() -> None:
    data = csv("\ufeffrégion;cas;part;date;année\n"
               "Nord;1 204,5;12 %;2 décembre 2026;2026\n"
               "Sud;980;7,5 %;1er décembre 2026;2025\n", lang="fr")
    assert data.columns == ("région", "cas", "part", "date", "année")  # BOM dropped
    assert data.types == (ColumnType.TEXT, ColumnType.DECIMAL, ColumnType.PERCENT,
                          ColumnType.DATE, ColumnType.YEAR)
    assert data[0]["cas"] == Decimal("1204.5") and data[1]["cas"] == 980
    assert data[0]["part"] == Decimal("0.12") and data[1]["part"] == Decimal("0.075")
    assert data[1]["date"] == dt.date(2026, 12, 1)
    assert data[0]["année"] == 2026


def test_english_separators_and_written_dates() -> None:
    data = csv('region,cases,date\nNorth,"1,204.5","December 2, 2026"\nSouth,980,2026-12-03\n')
    assert data[0]["cases"] == Decimal("1204.5")
    assert data[0]["date"] == dt.date(2026, 12, 2) and data[1]["date"] == dt.date(2026, 12, 3)


def test_language_decides_what_a_comma_means() -> None:
    assert csv('n\n"1,204"\n', lang="en")[0]["n"] == 1204
    assert csv('n\n"1,204"\n', lang="fr")[0]["n"] == Decimal("1.204")
    assert csv("n\n1.204\n", lang="de")[0]["n"] == 1204
    assert csv("n\n1.5\n2.25\n", lang="de")[0]["n"] == Decimal("1.5")  # machine numbers


@pytest.mark.parametrize(("cell", "lang", "expected"), [
    ("2 décembre 2026", "fr", dt.date(2026, 12, 2)),
    ("lundi 7 décembre 2026", "fr", dt.date(2026, 12, 7)),
    ("02/12/2026", "fr", dt.date(2026, 12, 2)),
    ("12/2/2026", "en", dt.date(2026, 12, 2)),
    ("2. Dezember 2026", "de", dt.date(2026, 12, 2)),
    ("2 de diciembre de 2026", "es", dt.date(2026, 12, 2)),
    ("2 dicembre 2026", "it", dt.date(2026, 12, 2)),
    ("Dec 2, 2026", "fr", dt.date(2026, 12, 2)),  # English month names in any language
])
def test_dates_iso_and_written_out(cell: str, lang: str, expected: dt.date) -> None:
    data = csv(f'when\n"{cell}"\n', lang=lang)
    assert data.types == (ColumnType.DATE,)
    assert data[0]["when"] == expected


def test_months() -> None:
    data = csv("mois,n\njanvier 2026,1\nfévrier 2026,2\n2026-03,3\n", lang="fr")
    assert data.types[0] is ColumnType.MONTH
    assert [row["mois"] for row in data] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1),
                                             dt.date(2026, 3, 1)]


def test_mixed_columns_stay_text_and_missing_markers_are_empty() -> None:
    data = csv("code,n,when\n75001,12,2026-12-01\n2A004,n/a,\n")
    assert data.types == (ColumnType.TEXT, ColumnType.INTEGER, ColumnType.DATE)
    assert data[1]["code"] == "2A004" and data[1]["n"] is None and data[1]["when"] is None
    text = csv("note\nNA\nfine\n")
    assert text[0]["note"] == "NA"  # a marker stays itself in a text column


def test_blank_lines_and_trailing_empty_fields_are_tolerated() -> None:
    data = csv("a,b\n\n1,2,,\n\n3,4\n")
    assert [row["a"] for row in data] == [1, 3]
    assert [row.origin for row in data] == [3, 5]  # lines as the file numbers them


def test_quoted_cells_with_newlines_keep_their_line() -> None:
    data = csv('a,b\n"x\ny",1\nz,2\n')
    assert data[0]["a"] == "x\ny" and data[1].origin == 4


@pytest.mark.parametrize(("text", "expected"), [
    ("a,b\n1,2\n3\n", "cases.csv, line 3: 1 field where the header has 2 (read with the "
                      "comma as delimiter)"),
    ('a,b\n1,"2\n', "cases.csv, line 2: a quote is not closed"),
    ("a,,c\n1,2,3\n", "cases.csv, line 1, column 2: the column has no name"),
    ("a,b,a\n1,2,3\n", 'cases.csv, line 1: the column "a" appears twice (columns 1 and 3)'),
    (b"a,b\n1,\xe92\n", "cases.csv, line 2, column 3: not valid UTF-8"),
    ("a,b\n1,\x072\n", "cases.csv, line 2, column 3: a control character (U+0007)"),
    (b"a,b\x00\n", "cases.csv: this is not a text file"),
    ("  \n\n", "cases.csv: the data file is empty"),
])
def test_csv_errors_name_file_line_and_column(text: str | bytes, expected: str) -> None:
    assert error(text).startswith(expected)


def test_json_as_is() -> None:
    data = parse_data(b'{"level": "orange", "rate": 0.125, "regions": [{"name": "North", '
                      b'"cases": 1204}, {"name": "South", "cases": null}], "ok": true}',
                      name="status", file="status.json", fmt="json", lang="en")
    assert isinstance(data, Record)
    assert data["level"] == "orange" and data["rate"] == Decimal("0.125") and data["ok"] is True
    regions = data["regions"]
    assert isinstance(regions, tuple) and regions[1]["cases"] is None
    assert regions[1].place("cases") == 'status.json, regions[1], column "cases"'


@pytest.mark.parametrize(("text", "expected"), [
    ('{"a": 1,, "b": 2}', "cases.csv, line 1, column 9: not valid JSON"),
    ('{"a": NaN}', "cases.csv: NaN is not a number JSON allows"),
    ("[" * 100 + "]" * 100, "cases.csv: nested more than 64 levels deep"),
    ("[" * 100_000, "cases.csv: nested more than 64 levels deep"),
])
def test_json_errors(text: str, expected: str) -> None:
    assert error(text, fmt="json").startswith(expected)


def test_read_data_bounded_and_regular_files_only(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + "North,1204,12%,2026-12-02\n", encoding="utf-8")
    data = read_data(path, name="cases", lang="en", shown="cases.csv")
    assert isinstance(data, Dataset) and data.file == "cases.csv"
    with pytest.raises(DataError, match=r"cases.csv: the data file is larger than the limit "
                                        r"of 20 bytes"):
        read_data(path, name="cases", lang="en", shown="cases.csv", limit=20)
    with pytest.raises(DataError, match="no such data file"):
        read_data(tmp_path / "nope.csv", name="x", lang="en")
    with pytest.raises(DataError, match=r"are \.csv, \.tsv or \.json files"):
        read_data(tmp_path / "cases.xlsx", name="x", lang="en")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(DataError, match="is not a regular file"):
        read_data(tmp_path / "dir.csv", name="x", lang="en")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="is not a regular file"):  # refused, never blocks
        read_data(fifo, name="x", lang="en")


def _big_csv(rows: int) -> str:
    lines = ["region;date;cases;rate"]
    lines += [f"Region {i % 97};{dt.date(2000, 1, 1) + dt.timedelta(days=i)};"
              f"{i * 7 % 10007};{i % 100},{i % 10} %" for i in range(rows)]
    return "\n".join(lines) + "\n"


def test_ten_thousand_rows_load_within_bounded_memory() -> None:
    text = _big_csv(10_000)
    tracemalloc.start()
    data = parse_csv(text, name="big", file="big.csv", lang="fr")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(data) == 10_000
    assert data.types == (ColumnType.TEXT, ColumnType.DATE, ColumnType.INTEGER,
                          ColumnType.PERCENT)
    assert peak < 40 * 1024 * 1024  # about 1 KB a row at most, all included


def test_more_rows_than_the_limit_are_refused_clearly() -> None:
    with pytest.raises(DataError, match=r"big.csv: more than 50,000 rows \(the limit for a "
                                        r"data file\); aggregate"):
        parse_csv(_big_csv(MAX_ROWS + 1), name="big", file="big.csv", lang="fr")
    with pytest.raises(DataError, match="more than 100 rows"):
        parse_csv(_big_csv(101), name="big", file="big.csv", lang="fr", max_rows=100)


@pytest.mark.parametrize("cell", ["R167", "A12", "a-1", "1-2"])
def test_letters_and_digits_are_text(cell: str) -> None:
    assert csv(f"code\n{cell}\n").types == (ColumnType.TEXT,)


def test_signs() -> None:
    data = csv("n\n-3\n+4\n\u22125\n")
    assert [row["n"] for row in data] == [-3, 4, -5]
