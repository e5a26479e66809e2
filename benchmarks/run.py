"""briefing's benchmark: ``python benchmarks/run.py`` prints a Markdown table.

1. cold: the whole ``briefing build`` process on the bundled sample, beside a minimal
   hand-written reportlab script with the same text and fonts (the floor reportlab itself
   sets), tagged (the default) and ``--no-tags``, run in turn 10 times (CPU time; the ratio is
   the median of the ratios of runs side by side); and ``briefing --help``;
2. warm: sample briefings per second, built one after another in one process (as ``update``);
3. scale: the sample's body repeated 1×, 10× and 100×: time per page and peak memory, each in
   a fresh process; and the marginal CPU cost of a page from 10× to 100×, beside the raw
   reportlab script's on the same text (target: at most 1.5×);
4. ``briefing update`` of a manifest of 200 briefings with ``--jobs`` 1 and 2, and a no-op
   ``update`` when nothing changed (skipped with a note where the command does not exist);
5. pathological sources, each built in a fresh process (the tests check what they print,
   this how long they take): a word of 6,120 characters without a break point, and a title
   taller than a page (the running header shortens it on every page).

The in-process rows (warm, scale, pathological) run as briefing's own processes do, the
command and its workers: cyclic garbage collected rarely (``briefing/runtime.py``); the raw
script runs as a plain script does. Targets are printed beside each row. ``--quick`` runs
fewer repetitions. The package's bytecode is compiled first (as ``pip install`` does), and
the on-disk cache of parsed logos and dictionaries is warm after the first run, as it is for
a user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "assets" / "examples" / "sora-artists.txt"
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def run_time(args: Sequence[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_time(args: Sequence[str], cwd: Path, runs: int) -> float:
    run_time(args, cwd)  # warm the disk cache and the bytecode
    return statistics.median(run_time(args, cwd) for _ in range(runs))


def cold(work: Path, runs: int) -> list[tuple[str, str, str]]:
    """The raw script and both builds in turn (raw, tagged, untagged, raw, ...), so that a
    drift of the machine's speed hits them alike; each ratio is the median of the ratios of
    runs side by side. CPU time (user + system) of each process, which a loaded machine
    inflates less than wall time; the wall-time medians are printed beside it."""
    raw_cmd = [PY, str(ROOT / "benchmarks" / "raw_reportlab.py"), "raw.pdf"]
    build = [PY, "-m", "briefing", "-q", "build", "-o", "b.pdf"]
    commands = {"raw": raw_cmd, "tagged": build, "no-tags": [*build, "--no-tags"]}
    for args in commands.values():
        _timed(args, work)  # warm the disk cache and the bytecode
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            c, w = _timed(args, work)
            cpu[name].append(c)
            wall[name].append(w)
    med = {name: statistics.median(values) for name, values in cpu.items()}
    rows = [("cold: raw reportlab script (the floor)",
             f"{med['raw'] * 1000:.0f} ms CPU ({statistics.median(wall['raw']) * 1000:.0f} ms wall)",
             "")]
    for label, name, target in (("cold: `briefing build --no-tags`", "no-tags", 1.25),
                                ("cold: `briefing build` (tagged, default)", "tagged", 1.3)):
        ratio = statistics.median(a / b for a, b in zip(cpu[name], cpu["raw"], strict=True))
        rows.append((label, f"{med[name] * 1000:.0f} ms CPU = {ratio:.2f}× raw "
                            f"({statistics.median(wall[name]) * 1000:.0f} ms wall)",
                     f"≤ {target}× {'met' if ratio <= target else 'NOT met'}"))
    t = median_time([PY, "-m", "briefing", "--help"], work, runs)
    rows.append(("cold: `briefing --help`", f"{t * 1000:.0f} ms",
                 f"< 150 ms {'met' if t < 0.150 else 'NOT met'}"))
    return rows


def _timed(args: Sequence[str], cwd: Path) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), elapsed


WARM = """
import sys, time
from briefing.runtime import pace_collector
pace_collector()  # as briefing's own processes run
from briefing.build import build
from briefing.assets import sample_source
src = sample_source()
build(src)
n = int(sys.argv[1]); start = time.perf_counter()
for _ in range(n):
    build(src)
print(n / (time.perf_counter() - start))
"""


def warm(work: Path, count: int) -> list[tuple[str, str, str]]:
    rows = []
    for label, code in (("tagged", WARM), ("--no-tags", WARM.replace(
            "build(src)\n", "build(src, ask(tags=False))\n").replace(
            "from briefing.build import build",
            "from briefing.build import build\nfrom briefing.options import ask"))):
        out = subprocess.run([PY, "-c", code, str(count)], cwd=work, env=ENV, check=True,
                             capture_output=True, text=True).stdout
        rate = float(out.strip())
        rows.append((f"warm: sample briefings per second, one process ({label})",
                     f"{rate:.1f} /s", f"≥ 40 /s {'met' if rate >= 40 else 'NOT met'}"))
    return rows


SCALE = """
import resource, sys, time
from briefing.runtime import pace_collector
pace_collector()  # as briefing's own processes run
from briefing.build import build
from briefing.options import ask
start = time.perf_counter()
result = build(sys.argv[1], ask(max_pages=100_000))
elapsed = time.perf_counter() - start
print(elapsed, result.pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def scaled_source(folder: Path, factor: int) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    path = folder / f"x{factor}.txt"
    path.write_text("\n".join([lines[0], *lines[1:] * factor]) + "\n", encoding="utf-8")
    return path


def _cpu_run(args: Sequence[str], cwd: Path) -> tuple[float, str]:
    """CPU seconds (user + system) of one child process, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True,
                         text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, out


def _pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", path.read_bytes()))


def scale(work: Path, runs: int = 3) -> list[tuple[str, str, str]]:
    """Time per page at 1×, 10× and 100× the sample, and the marginal cost of a page (from 10×
    to 100×) beside the raw reportlab script's on the same text: CPU seconds of fresh
    processes, median of ``runs``."""
    rows = []
    ours: dict[int, tuple[float, int]] = {}
    raw: dict[int, tuple[float, int]] = {}
    for factor in (1, 10, 100):
        src = scaled_source(work, factor)
        times, rss_kb, pages, elapsed = [], 0, 0, 0.0
        for _ in range(runs if factor > 1 else 1):
            cpu, out = _cpu_run([PY, "-c", SCALE, str(src)], work)
            fields = out.split()
            elapsed, pages, rss_kb = float(fields[0]), int(fields[1]), int(fields[2])
            times.append(cpu)
        ours[factor] = (statistics.median(times), pages)
        target = ""
        if factor == 100:
            mb = rss_kb / 1024
            target = f"peak < 150 MB {'met' if mb < 150 else 'NOT met'}"
        rows.append((f"scale: {factor}× the sample ({pages} pages)",
                     f"{elapsed:.2f} s, {elapsed / pages * 1000:.0f} ms/page, "
                     f"peak {rss_kb / 1024:.0f} MB", target))
        if factor > 1:
            pdf = work / f"raw{factor}.pdf"
            raw_times = [_cpu_run([PY, str(ROOT / "benchmarks" / "raw_reportlab.py"), str(pdf),
                                   str(src)], work)[0] for _ in range(runs)]
            raw[factor] = (statistics.median(raw_times), _pdf_pages(pdf))

    def marginal(table: dict[int, tuple[float, int]]) -> float:
        (t10, p10), (t100, p100) = table[10], table[100]
        return (t100 - t10) / max(1, p100 - p10)

    mine, floor = marginal(ours), marginal(raw)
    ratio = mine / floor
    rows.append(("scale: marginal CPU per page, 10× → 100× (raw reportlab script: "
                 f"{floor * 1000:.1f} ms)", f"{mine * 1000:.1f} ms = {ratio:.2f}× raw",
                 f"≤ 1.5× {'met' if ratio <= 1.5 else 'NOT met'}"))
    return rows


def update(work: Path, count: int) -> list[tuple[str, str, str]]:
    probe = subprocess.run([PY, "-m", "briefing", "update", "--help"], cwd=work, env=ENV,
                           capture_output=True)
    if probe.returncode != 0:
        return [("update: 200 briefings", "skipped: `briefing update` is not available", "")]
    rows = []
    for jobs in (1, 2):
        folder = work / f"manifest-j{jobs}"
        folder.mkdir()
        text = SAMPLE.read_text(encoding="utf-8")
        entries = []
        for i in range(count):
            (folder / f"b{i}.txt").write_text(text.replace("Sora", f"Sora {i}", 1),
                                              encoding="utf-8")
            entries.append(f'[[briefing]]\nname = "b{i}"\nsource = "b{i}.txt"\n'
                           f'output = "out/b{i}.pdf"\n')
        (folder / "out").mkdir()
        (folder / "briefings.toml").write_text("\n".join(entries), encoding="utf-8")
        t = run_time([PY, "-m", "briefing", "-q", "update", "--jobs", str(jobs)], folder)
        rows.append((f"update: {count} briefings, --jobs {jobs}",
                     f"{t:.1f} s ({count / t:.1f} briefings/s)", ""))
        if jobs == 2:
            noop = statistics.median(
                run_time([PY, "-m", "briefing", "-q", "update", "--jobs", "2"], folder)
                for _ in range(3)
            )
            rows.append((f"update: no-op, {count} briefings unchanged", f"{noop * 1000:.0f} ms",
                         f"< 1 s {'met' if noop < 1 else 'NOT met'}"))
    return rows


PATHOLOGICAL = """
import json, sys, time
from pathlib import Path
from briefing.runtime import pace_collector
pace_collector()  # as briefing's own processes run
from briefing.build import build
from briefing.assets import sample_source
build(sample_source())  # fonts and readers loaded: the row times the case alone
start = time.perf_counter()
build(Path(sys.argv[1]))
print(time.perf_counter() - start)
"""

#: (label, source as JSON, target in seconds)
_WORD = "Donaudampfschifffahrtsgesellschaft" * 180
_TITLE = " ".join(f"word{i} lorem ipsum dolor sit amet" for i in range(700))
CASES = (
    ("a word of 6,120 characters, no break point",
     {"title": "Failure modes", "sections": [{"kind": "article", "blocks": [_WORD]}]}, 1.5),
    ("a title taller than a page",
     {"title": _TITLE, "lead": ["The lead follows."]}, 10.0),
)


def pathological(work: Path) -> list[tuple[str, str, str]]:
    import json

    rows = []
    for i, (label, data, target) in enumerate(CASES):
        src = work / f"case{i}.json"
        src.write_text(json.dumps(data), encoding="utf-8")
        out = subprocess.run([PY, "-c", PATHOLOGICAL, str(src)], cwd=work, env=ENV, check=True,
                             capture_output=True, text=True).stdout
        seconds = float(out.strip())
        rows.append((f"pathological: {label}", f"{seconds:.2f} s",
                     f"< {target:g} s {'met' if seconds < target else 'NOT met'}"))
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import reportlab

    accel = "with" if _has_accel() else "without"
    return (f"{dt.date.today().isoformat()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, reportlab {reportlab.Version} ({accel} rl_accel)")


def _has_accel() -> bool:
    try:
        import _rl_accel  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", choices=("cold", "warm", "scale", "update", "pathological"), action="append")
    args = parser.parse_args()
    runs = 3 if args.quick else 10
    parts = args.only or ["cold", "warm", "scale", "update", "pathological"]
    # An installed package has its bytecode compiled by pip; a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module on every run instead. Measure the
    # former, as users get it.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "briefing")], check=True,
                   stdout=subprocess.DEVNULL)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        work = Path(tmp)
        if "cold" in parts:
            rows += cold(work, runs)
        if "warm" in parts:
            rows += warm(work, 20 if args.quick else 100)
        if "scale" in parts:
            rows += scale(work, 3 if args.quick else 5)
        if "update" in parts:
            rows += update(work, 50 if args.quick else 200)
        if "pathological" in parts:
            rows += pathological(work)
    print(f"Measured {machine()}.\n")
    print("| measure | result | target |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
