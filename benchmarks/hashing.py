"""How much of ``briefing update`` goes to hashing input files: ``python benchmarks/hashing.py``.

Builds a manifest of N copies of the bundled sample (default 200, each with one word changed),
then, each in a fresh process:

1. ``briefing -q update --jobs 1 --force`` of all of them, timed (median of ``--runs``);
2. the same run in one process with ``sha256_file`` counted: how many files and bytes were
   hashed, and how long hashing took.

Every briefing uses the default theme's TOML, font and logo files: a run that hashes each
distinct file once hashes them once, not once per briefing. ``--root DIR`` benchmarks another
checkout of briefing (to compare before and after a change).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COUNT = """
import json, sys, time
from briefing.jobs import fingerprint
calls, size, spent = 0, 0, 0.0
real = fingerprint.sha256_file
def counted(path):
    global calls, size, spent
    start = time.perf_counter()
    digest = real(path)
    spent += time.perf_counter() - start
    calls += 1
    size += path.stat().st_size
    return digest
fingerprint.sha256_file = counted
from briefing.cli import main
sys.argv = ["briefing", "-q", "update", "--jobs", "1", "--force"]
try:
    main()
except SystemExit as exc:
    if exc.code:
        raise
print(json.dumps({"files": calls, "bytes": size, "seconds": spent}))
"""


def make_manifest(folder: Path, count: int) -> None:
    text = (ROOT / "assets" / "examples" / "sora-artists.txt").read_text(encoding="utf-8")
    entries = []
    for i in range(count):
        (folder / f"b{i}.txt").write_text(text.replace("Sora", f"Sora {i}", 1), encoding="utf-8")
        entries.append(f'[[briefing]]\nname = "b{i}"\nsource = "b{i}.txt"\n'
                       f'output = "out/b{i}.pdf"\n')
    (folder / "out").mkdir()
    (folder / "briefings.toml").write_text("\n".join(entries), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to benchmark")
    parser.add_argument("--quick", action="store_true", help="one timed run")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    env = {**os.environ, "PYTHONPATH": str(args.root.resolve())}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_manifest(folder, args.count)
        command = [sys.executable, "-m", "briefing", "-q", "update", "--jobs", "1", "--force"]
        subprocess.run(command, cwd=folder, env=env, check=True)  # warm: caches, bytecode
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, cwd=folder, env=env, check=True)
            times.append(time.perf_counter() - start)
        counted = subprocess.run([sys.executable, "-c", COUNT], cwd=folder, env=env,
                                 check=True, capture_output=True, text=True)
    import json

    hashed = json.loads(counted.stdout.strip().splitlines()[-1])
    wall = statistics.median(times)
    print(f"| `update --jobs 1 --force`, {args.count} briefings | {wall:.2f} s "
          f"({args.count / wall:.1f} briefings/s) |")
    print(f"| files hashed | {hashed['files']} ({hashed['bytes'] / 1e6:.1f} MB, "
          f"{hashed['seconds'] * 1000:.0f} ms, "
          f"{hashed['seconds'] / args.count * 1000:.2f} ms per briefing) |")


if __name__ == "__main__":
    main()
