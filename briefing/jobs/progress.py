"""A progress line for ``briefing update`` on a terminal: how many briefings are built, at what
rate, and about how long the rest will take.

    building 12/200 · 4.1/s · 1 failed · about 46 s left · weekly-water

It is one line, redrawn in place (carriage return, then erase to the end of the line) and
cut to the terminal's width; it is cleared before anything else is printed (a log line, an
error), and when the run ends. It is only for a terminal: the caller shows it when standard
error is one and ``-q`` was not given, so logs and pipes get the usual one line per briefing.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from typing import TextIO

from briefing.jobs.update import duration

#: Erase from the cursor to the end of the line (ECMA-48 EL).
ERASE = "\x1b[K"


class Progress:
    """The progress line of ``total`` builds, written to ``stream``."""

    def __init__(self, total: int, stream: TextIO, *,
                 clock: Callable[[], float] = time.monotonic,
                 width: Callable[[], int] | None = None) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.last = ""
        self.stream = stream
        self.clock = clock
        self.width = width or (lambda: shutil.get_terminal_size((80, 24)).columns)
        self.started = clock()
        self.shown = False

    def text(self) -> str:
        """The line as it reads now."""
        parts = [f"building {self.done}/{self.total}"]
        elapsed = self.clock() - self.started
        if self.done and elapsed > 0:
            rate = self.done / elapsed
            parts.append(f"{rate:.1f}/s" if rate < 100 else f"{rate:.0f}/s")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.done and elapsed > 0:
            left = (self.total - self.done) / rate
            if self.done < self.total:
                parts.append(f"about {duration(left)} left")
        if self.last:
            parts.append(self.last)
        return " · ".join(parts)

    def draw(self) -> None:
        line = self.text()
        room = max(10, self.width() - 1)  # the last column would wrap on some terminals
        if len(line) > room:
            line = line[:room - 1] + "…"
        self.stream.write(f"\r{line}{ERASE}")
        self.stream.flush()
        self.shown = True

    def advance(self, name: str, *, failed: bool = False) -> None:
        """One more briefing done (built or, with ``failed``, failed)."""
        self.done += 1
        self.failed += failed
        self.last = name
        self.draw()

    def clear(self) -> None:
        """Erase the line (before another line is printed, and at the end)."""
        if self.shown:
            self.stream.write(f"\r{ERASE}")
            self.stream.flush()
            self.shown = False

    def filter(self, record: logging.LogRecord) -> bool:
        """A logging filter: the line is erased before a log line is printed, and drawn again
        at the next step."""
        self.clear()
        return True
