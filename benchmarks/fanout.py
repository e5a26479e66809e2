"""One source, many briefings: ``briefing update --jobs 2`` of a 1,000-row fan-out.

    python benchmarks/fanout.py [--rows 1000] [--jobs 2]     # needs the data extra

A manifest's ``each = "regions.csv"`` makes one briefing per row: a short flood warning whose
title, figures and advice come from its row and from a data file every briefing shares (a
sentence of figures and a five-row table). The script times, each in a fresh process:

1. the first ``update`` (every briefing built): briefings per second, against the target of
   30 with ``--jobs 2``;
2. a no-op ``update`` (nothing changed);
3. an ``update`` after one row changed (one briefing rebuilt).

Numbers vary by about ±15 % on a shared machine; run it on a quiet one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
TARGET = 30.0  # briefings per second with --jobs 2

SOURCE = """---
title: "Flood warning: {{ row.region }}"
lang: en
data: {levels: levels.csv}
---

The river in **{{ row.region }}** stands at {{ row.level | number(2) }} m, alert level
{{ row.alert }}; {{ row.evacuated | number }} people have left their homes. Across the
county, {{ data.levels | sum("evacuated") | number }} people are in shelters.

```table
data: levels
columns: [station, level, evacuated]
sort: -level
```

## What to do

- Keep away from the river banks and from flood water.
- Follow the instructions of the emergency services.
"""

MANIFEST = """[[briefing]]
each = "regions.csv"
name = "flood-{{ row.region | slug }}"
source = "flood.md"
output_dir = "out"
"""


def make(folder: Path, rows: int) -> None:
    (folder / "flood.md").write_text(SOURCE, encoding="utf-8")
    (folder / "briefings.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "levels.csv").write_text(
        "station,level,evacuated\nRiverside,4.82,1388\nOld Town,4.51,1204\nMill Lane,3.96,980\n"
        "Northfield,3.40,640\nHarbour,2.95,415\n", encoding="utf-8")
    lines = ["region,level,alert,evacuated"]
    for i in range(rows):
        lines.append(f"District {i + 1},{1 + (i * 37) % 400 / 100:.2f},"
                     f"{('yellow', 'orange', 'red')[i % 3]},{(i * 7919) % 3000}")
    (folder / "regions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(args: list[str], folder: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "briefing", "-q", *args], cwd=folder, env=ENV,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"briefing {' '.join(args)} failed:\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make(folder, args.rows)
        jobs = ["--jobs", str(args.jobs)]
        first = timed(["update", *jobs], folder)
        built = len(list((folder / "out").glob("*.pdf")))
        assert built == args.rows, f"{built} PDFs for {args.rows} rows"
        noop = timed(["update", *jobs], folder)
        regions = folder / "regions.csv"
        regions.write_text(regions.read_text().replace("District 7,", "District 7,9.99,red,1\n"
                                                       "District 7b,", 1))
        one = timed(["update", *jobs], folder)
    rate = args.rows / first
    print(f"| fan-out of {args.rows:,} rows, --jobs {args.jobs} | time | rate | target |")
    print("|---|---|---|---|")
    verdict = "met" if rate >= TARGET else "NOT met"
    print(f"| first update: every briefing built | {first:.1f} s | {rate:.1f} briefings/s | "
          f"≥ {TARGET:.0f}/s: {verdict} |")
    print(f"| no-op update | {noop:.2f} s | | |")
    print(f"| one row changed, one added | {one:.2f} s | | |")


if __name__ == "__main__":
    main()
