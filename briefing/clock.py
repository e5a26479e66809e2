"""The build's notion of today: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today.

A light module on purpose: fingerprint checks use it without importing the renderer.
"""

from __future__ import annotations

import datetime as dt
import os

from briefing.errors import UsageError

#: The latest date SOURCE_DATE_EPOCH may name (reportlab formats four-digit years).
_LAST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` when set, checked: reportlab reads it too, and fails obscurely."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
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
    return dt.date.today()
