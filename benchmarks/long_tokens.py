"""Long tokens: ``python benchmarks/long_tokens.py`` prints a Markdown table.

Each source is built by ``briefing build`` in a fresh process: a 100 KB URL-like token
(``https://example.org/b/b/b/…``), a 100 KB word without any break point, and a 100 KB
paragraph of ordinary words; then the same at 400 KB, to show that time and memory grow
linearly. Target: a 100 KB single token builds in under 2 s and 300 MiB (wall time and peak
resident memory of the whole process, from ``getrusage`` of the child).
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


def sources(size: int) -> dict[str, tuple[str, str]]:
    words = " ".join(("lorem", "ipsum", "dolor", "sit", "amet", "consectetur")[i % 6]
                     for i in range(size // 6))
    return {
        "URL-like token": (".md", "# T\n\nLead.\n\nSee https://example.org/"
                           + "b/" * (size // 2) + " end.\n"),
        "word without break points": (".txt", "Title here. Lead.\n" + "a" * size + ".\n"),
        "paragraph of words": (".txt", "Title here. Lead.\n" + words[:size] + ".\n"),
    }


CHILD = """
import resource, runpy, sys
sys.argv = ["briefing", "-q", "build", sys.argv[1], "-o", sys.argv[2], "--max-pages", "100000"]
try:
    runpy.run_module("briefing", run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(path: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one ``briefing build`` in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(out)], env=ENV,
                          check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,400", help="sizes in KB, comma-separated")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefing-long-") as tmp:
        folder = Path(tmp)
        for kb in (int(s) for s in args.sizes.split(",")):
            for label, (ext, text) in sources(kb * 1024).items():
                path = folder / f"source{ext}"
                path.write_text(text, encoding="utf-8")
                elapsed, peak = run(path, folder / "out.pdf")
                target = ""
                if kb == 100 and label != "paragraph of words":
                    met = elapsed < 2 and peak < 300
                    target = f"< 2 s and < 300 MiB: {'met' if met else 'NOT met'}"
                rows.append((f"{kb} KB {label}", f"{elapsed:.2f} s, peak {peak:.0f} MiB", target))
    print("| source | result | target |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
