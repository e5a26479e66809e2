"""What tagging costs: the sample ×1 and ×10, untagged, tagged, tagged + PDF/A.

Run from a checkout: ``PYTHONPATH=. python benchmarks/tagging.py [--runs 7]``. Each build is
timed in-process after one warm-up build (fonts registered, modules imported); the median of
the runs is printed, with the overhead of tagging relative to the untagged build.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import time

from briefing.assets import sample_source
from briefing.model import Briefing
from briefing.pdf.variants import variant_for
from briefing.read import read_briefing
from briefing.render import RenderOptions, render
from briefing.theme import load_theme
from briefing.typography import typeset


def times(briefing: Briefing, variants: list[RenderOptions], runs: int) -> list[float]:
    """Median time of each variant; variants alternate within each run, so that a busy
    machine slows them alike."""
    theme = load_theme()
    for options in variants:
        render(briefing, theme, options)  # warm-up
    samples: list[list[float]] = [[] for _ in variants]
    for _ in range(runs):
        for i, options in enumerate(variants):
            start = time.perf_counter()
            render(briefing, theme, options)
            samples[i].append(time.perf_counter() - start)
    return [statistics.median(s) for s in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    briefing, _ = read_briefing(sample_source())
    briefing = typeset(briefing)
    long = dataclasses.replace(briefing, sections=briefing.sections * 10)
    date = dt.date(2026, 1, 2)
    print(f"{'document':<12} {'untagged':>10} {'tagged':>10} {'+PDF/A':>10} {'overhead':>9}")
    for name, doc in (("sample", briefing), ("sample x10", long)):
        raw, tagged, pdfa = times(doc, [RenderOptions(variant=variant_for(tagged=False, pdfa=False), date=date),
                                        RenderOptions(variant=variant_for(tagged=True, pdfa=False), date=date),
                                        RenderOptions(variant=variant_for(tagged=True, pdfa=True), date=date)], args.runs)
        print(f"{name:<12} {raw * 1000:>8.1f}ms {tagged * 1000:>8.1f}ms {pdfa * 1000:>8.1f}ms "
              f"{(tagged / raw - 1) * 100:>8.1f}%")


if __name__ == "__main__":
    main()
