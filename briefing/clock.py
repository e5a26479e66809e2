"""The build's notion of today: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today.

A light module on purpose: fingerprint checks use it without importing the renderer. A build
made for another process (a cluster worker) takes that process's clock (``given_clock``): its
``SOURCE_DATE_EPOCH`` and its today, so that it makes the same bytes.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
from collections.abc import Iterator

from briefing.errors import UsageError

#: The latest date SOURCE_DATE_EPOCH may name (reportlab formats four-digit years).
_LAST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


#: The clock of the process a build is made for: (its SOURCE_DATE_EPOCH, its today).
_given: contextvars.ContextVar[tuple[str, dt.date] | None] = contextvars.ContextVar(
    "briefing_clock", default=None)


def this_clock() -> tuple[str, dt.date]:
    """This process's clock, to give a build made elsewhere: (SOURCE_DATE_EPOCH or "",
    today)."""
    return os.environ.get("SOURCE_DATE_EPOCH", "").strip(), build_date()


@contextlib.contextmanager
def given_clock(clock: tuple[str, dt.date]) -> Iterator[None]:
    """Within the block (this thread), builds take ``clock`` (``this_clock`` of another
    process) as their SOURCE_DATE_EPOCH and today."""
    token = _given.set(clock)
    try:
        yield
    finally:
        _given.reset(token)


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` when set, checked: reportlab reads it too, and fails obscurely."""
    given = _given.get()
    raw = given[0] if given is not None else os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > _LAST_EPOCH:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw!r}: expected whole seconds since 1970-01-01 (for example "
            "$(git log -1 --format=%ct)), or leave it unset"
        )
    return int(raw)


def build_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    given = _given.get()
    return given[1] if given is not None else dt.date.today()
