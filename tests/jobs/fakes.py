"""A fake builder for the jobs tests: fast, deterministic, no renderer.

Its PDF is the source's bytes behind a header, so the bytes change exactly when the source or
options do. A source containing ``BROKEN`` fails; ``SLEEP n`` sleeps n seconds first; ``SPIN n``
computes for n seconds (a build a timeout interrupts at any instruction); ``START path``
writes the build's process id into that file when the build starts, and ``WAIT path`` then
waits (up to a minute) until that file exists, so tests can hold builds in progress without
fixed sleeps.
The theme's "files" are the file named by the ``theme`` option, when it is a path.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from briefing.errors import SourceError
from briefing.jobs.update import Built
from briefing.options import Asked


def fake_build(source: Path, asked: Asked) -> Built:
    raw = Path(source).read_bytes()
    text = raw.decode()
    if "BROKEN" in text:
        raise SourceError(f"{Path(source).name}: line 1: this source is broken")
    start = re.search(r"START (\S+)", text)
    if start:
        Path(start.group(1)).write_text(str(os.getpid()))
    wait = re.search(r"WAIT (\S+)", text)
    if wait:
        deadline = time.monotonic() + 60
        while not Path(wait.group(1)).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    spin = re.search(r"SPIN ([0-9.]+)", text)
    if spin:
        end = time.monotonic() + float(spin.group(1))
        while time.monotonic() < end:
            pass
    sleep = re.search(r"SLEEP ([0-9.]+)", text)
    if sleep:
        time.sleep(float(sleep.group(1)))
    deps: tuple[Path, ...] = ()
    theme = asked.get("theme")
    theme_bytes = b""
    if theme and str(theme).endswith(".toml"):
        deps = (Path(str(theme)),)
        theme_bytes = Path(str(theme)).read_bytes()
    pdf = b"%PDF-fake\n" + repr(asked.canonical()).encode() + b"\n" + theme_bytes + raw
    return Built(pdf=pdf, pages=1, source_bytes=raw, deps=deps, dated=True)


def crash_build(source: Path, asked: Asked) -> Built:
    raise ZeroDivisionError("boom")


def signal_probe(source: Path, asked: Asked) -> Built:
    """A build that reports how its process handles SIGINT and SIGTERM (in its warnings)."""
    import signal

    def how(sig: signal.Signals) -> str:
        handler = signal.getsignal(sig)
        name = {signal.SIG_IGN: "ignored", signal.SIG_DFL: "default"}.get(handler, "handled")
        return f"{sig.name} {name}"

    return Built(pdf=b"%PDF-probe\n", pages=1, source_bytes=b"", dated=True,
                 warnings=(how(signal.SIGINT), how(signal.SIGTERM)))
