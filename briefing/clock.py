"""The build's notion of today: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today.

A light module on purpose: fingerprint checks use it without importing the renderer.
"""

from __future__ import annotations

import datetime as dt
import os


def build_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()
