"""``briefing update`` on a Dask cluster against ``--jobs``: ``python benchmarks/cluster.py``.

Builds N briefings (default 2,000: the bundled sample, one word changed in each, all sharing
the default theme) twice, each time from nothing:

1. ``update --jobs W`` (W build processes on this machine);
2. ``update --cluster`` on a local cluster of W worker processes (one thread each), started
   before the clock starts and warmed by a run of 20 briefings, as a cluster that stays up is.

The two take turns in ``--rounds`` manifests of N / rounds briefings each (default 4), so that
a change in the machine's load during the benchmark weighs on both alike.

It prints throughput (briefings per second, and the cluster's as a share of ``--jobs``), and
for the cluster run: bytes shipped per briefing, batches, the time the workers spent building
(per briefing), the scheduling overhead per briefing (worker time not spent building: wall
time × W − building time, per briefing) and the coordinator's time per briefing (recording,
writing). Needs ``pip install 'briefing[cluster]'``. ``--quick``: 200 briefings.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.hashing import make_manifest  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="200 briefings")
    args = parser.parse_args()
    count = 200 if args.quick else args.count

    from distributed import LocalCluster

    from briefing.jobs.cluster import Cluster
    from briefing.jobs.manifest import load_manifest
    from briefing.jobs.update import update

    logging.getLogger("briefing").setLevel(logging.WARNING)
    rounds = max(1, args.rounds)
    size = count // rounds
    count = size * rounds
    jobs_seconds = cluster_seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "warm").mkdir()
        make_manifest(work / "warm", 20)
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", protocol="tcp",
                               dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
        try:
            with Cluster(cluster.scheduler_address) as connected:
                update(load_manifest(work / "warm"), runner=connected.run)
                connected.stats.__init__()  # type: ignore[misc]
                for turn in range(rounds):
                    for name in (f"jobs{turn}", f"cluster{turn}"):
                        (work / name).mkdir()
                        make_manifest(work / name, size)
                    start = time.perf_counter()
                    local = update(load_manifest(work / f"jobs{turn}"), jobs=args.workers)
                    jobs_seconds += time.perf_counter() - start
                    assert len(local.of("built")) == size, local.describe()
                    start = time.perf_counter()
                    remote = update(load_manifest(work / f"cluster{turn}"),
                                    runner=connected.run)
                    cluster_seconds += time.perf_counter() - start
                    assert len(remote.of("built")) == size, remote.describe()
                    for number in (0, size - 1):
                        name = f"out/b{number}.pdf"
                        assert (work / f"jobs{turn}" / name).read_bytes() == \
                            (work / f"cluster{turn}" / name).read_bytes()
                stats = connected.stats
        finally:
            cluster.close()

    jobs_rate, cluster_rate = count / jobs_seconds, count / cluster_seconds
    share = cluster_rate / jobs_rate
    overhead = (cluster_seconds * args.workers - stats.worker_seconds) / count
    print(f"| measure ({count} briefings, {args.workers} workers) | result |")
    print("|---|---|")
    print(f"| `update --jobs {args.workers}` | {jobs_seconds:.1f} s "
          f"({jobs_rate:.1f} briefings/s) |")
    print(f"| `update --cluster` (local, {args.workers} workers) | {cluster_seconds:.1f} s "
          f"({cluster_rate:.1f} briefings/s) = {share:.0%} of `--jobs` "
          f"({'≥ 80 % met' if share >= 0.8 else 'target ≥ 80 % NOT met'}) |")
    print(f"| shipped per briefing | {stats.bytes_shipped / count:,.0f} bytes "
          f"({stats.files_shipped} files in all) |")
    print(f"| batches | {stats.batches} ({count / max(1, stats.batches):.1f} briefings each) |")
    print(f"| building on a worker, per briefing | "
          f"{stats.worker_seconds / count * 1000:.1f} ms |")
    print(f"| scheduling overhead per briefing (idle worker time) | {overhead * 1000:.1f} ms |")
    print(f"| coordinator per briefing (record, write) | "
          f"{stats.coordinator_seconds / count * 1000:.2f} ms "
          f"(at most {count / max(stats.coordinator_seconds, 1e-9):,.0f} briefings/s) |")
    print(f"| builds sent again | {stats.resent} |")
    print(f"\n(in {rounds} rounds of {size}, taking turns)")


if __name__ == "__main__":
    main()
