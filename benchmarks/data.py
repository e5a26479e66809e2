"""Data at scale: a 10,000-row CSV file loaded, made into a table and charts, drawn in a PDF.

    PYTHONPATH=. python benchmarks/data.py          # needs the data extra

Prints the time and peak memory (tracemalloc, in a second run: Python allocations) of each
step, and the
time it takes to refuse what is too large (a 10,000-row table without ``limit``, a
10,000-point line). Numbers vary by about ±15 % on a shared machine.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.data.chart import alt_text, chart_data, chart_spec  # noqa: E402
from briefing.data.draw import ChartStyle, draw_chart  # noqa: E402
from briefing.data.load import parse_data  # noqa: E402
from briefing.data.table import build_table, table_spec  # noqa: E402
from briefing.errors import DataError  # noqa: E402
from briefing.render.fonts import register_font  # noqa: E402

ROWS = 10_000


def big_csv(rows: int = ROWS) -> bytes:
    lines = ["date;region;cases;deaths;rate"]
    for i in range(rows):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=i)
        cases = f"{(i * 7919) % 10007:,}".replace(",", " ")  # "1 234": French grouping
        lines.append(f"{day};Région {i % 97};{cases};{i % 53};{i % 100},{i % 10} %")
    return ("\n".join(lines) + "\n").encode()


def measure(label: str, step: Callable[[], Any]) -> Any:
    """Time a step, then run it again under tracemalloc (which slows it) for its peak."""
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"| {label} | {seconds * 1000:,.0f} ms | {peak / 1024 / 1024:,.1f} MB |")
    return result


class _Drawing(Flowable):  # type: ignore[misc]
    def __init__(self, drawing: Any) -> None:
        super().__init__()
        self.drawing = drawing

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.drawing.width, self.drawing.height

    def draw(self) -> None:
        renderPDF.draw(self.drawing, self.canv, 0, 0)


def main() -> None:
    fonts = ROOT / "assets" / "fonts"
    regular = register_font(fonts / "NotoSans-Regular.ttf").name
    bold = register_font(fonts / "NotoSans-Bold.ttf").name
    raw = big_csv()
    print(f"{ROWS:,} rows, {len(raw) / 1024 / 1024:.1f} MB of CSV (French separators)\n")
    print("| step | time | peak memory |\n|---|---|---|")
    data = measure("load and type the CSV", lambda: parse_data(
        raw, name="cases", file="cases.csv", fmt="csv", lang="fr"))
    where = "bench.md (table)"
    table = measure("table: sort 10,000 rows, 1,000 shown, total of all", lambda: build_table(
        table_spec({"data": "cases", "sort": "-cases", "limit": 1000, "total": True},
                   where=where), {"cases": data}, lang="fr", where=where))
    style = ChartStyle(font=regular, bold=bold, first_colours=("#1F3A5F", "#E8702A"))
    bar = measure("bar chart: top 24 of 10,000, alt text, drawing", lambda: _chart(
        {"type": "bar", "data": "cases", "x": "region", "y": "cases", "sort": "-cases",
         "limit": 24}, data, style))
    line = measure("line chart: last 365 of 10,000, alt text, drawing", lambda: _chart(
        {"type": "line", "data": "cases", "x": "date", "y": ["cases", "deaths"],
         "sort": "-date", "limit": 365}, data, style))

    def pdf() -> int:
        out = io.BytesIO()
        cells = [list(table.header), *map(list, table.rows)]
        grid = Table(cells, repeatRows=1)
        grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), regular, 8)]))
        doc = SimpleDocTemplate(out, pagesize=A4, initialFontName=regular)
        doc.build([_Drawing(bar), _Drawing(line), grid])
        return len(out.getvalue())

    size = measure("PDF: both charts and the 1,001-row table", pdf)
    measure("refused: table of 10,000 rows without limit", lambda: _refused(
        lambda: build_table(table_spec({"data": "cases"}, where=where), {"cases": data},
                            lang="fr", where=where)))
    measure("refused: line of 10,000 points", lambda: _refused(lambda: _chart(
        {"type": "line", "data": "cases", "x": "date", "y": "cases"}, data, style)))
    print(f"\nPDF: {size / 1024:,.0f} KB")


def _chart(spec: dict[str, Any], data: Any, style: ChartStyle) -> Any:
    where = "bench.md (chart)"
    chart = chart_data(chart_spec(spec, where=where), {"cases": data}, lang="fr", where=where)
    alt_text(chart)
    return draw_chart(chart, style, width=A4[0] - 144).drawing


def _refused(step: Callable[[], Any]) -> None:
    try:
        step()
    except DataError:
        return
    raise SystemExit("expected a refusal")


if __name__ == "__main__":
    main()
