"""How briefing's own processes run: the command and its build workers.

Python's cyclic garbage collector, at its default pace, traverses every live object again and
again as a build allocates: reportlab's modules, the fonts' metrics, the story. A build makes
almost no reference cycles (a 1,000-page build peaks at the same memory either way), so those
passes free nearly nothing, yet they cost about a quarter of a cold build's CPU time, and the
interpreter's last full pass at exit about a tenth. Objects are still freed the moment they are
unused (reference counting); only the search for cycles runs less often.

A library caller's process is left alone: only ``cli.main`` and the pool's workers call this.
"""

from __future__ import annotations

import atexit
import gc

#: Allocations between collections of the youngest generation (Python's default: 700), and
#: how many of those before each older generation's (10 and 10).
THRESHOLDS = (100_000, 50, 100)


def pace_collector() -> None:
    """Collect cycles rarely, and not over every object at exit (the process is ending)."""
    gc.set_threshold(*THRESHOLDS)
    atexit.register(gc.freeze)
