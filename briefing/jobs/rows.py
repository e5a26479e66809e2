"""Briefings made per row of a data file (a manifest's ``each``): which rows came and went.

The state folder keeps, per data file, the names of the briefings its rows made at the last
``update`` (``rows.json``). A name that is no longer made (its row was removed, or renamed) is
**retired**: its build record goes, so that it is neither rebuilt nor counted, and ``update``
says so; its last PDF and its editions are left where they are. A new row's briefing is built
as "a new row of regions.csv (line 5)" (see ``update.plan``).
"""

from __future__ import annotations

import json
from pathlib import Path

from briefing.jobs.manifest import Manifest
from briefing.jobs.state import record_path
from briefing.output import write_atomic

ROWS_FILE = "rows.json"


def made_per_row(manifest: Manifest) -> dict[str, list[str]]:
    """Each data file of the manifest's ``each`` (as written) → the names its rows make."""
    out: dict[str, list[str]] = {}
    for entry in manifest.entries:
        if entry.each is not None:
            out.setdefault(entry.each, []).append(entry.name)
    return out


def retire(manifest: Manifest) -> list[tuple[str, str]]:
    """(name, data file) of each briefing made per row at the last update and no longer
    made; their build records are removed and the names made now are kept for next time."""
    path = manifest.state_dir / ROWS_FILE
    try:
        before = json.loads(path.read_bytes())
        if not isinstance(before, dict):
            before = {}
    except (OSError, ValueError):
        before = {}
    now = made_per_row(manifest)
    names = {entry.name for entry in manifest.entries}
    retired = [(str(name), str(each)) for each, old in before.items()
               if isinstance(old, list) for name in old if name not in names]
    for name, _ in retired:
        record = record_path(manifest.state_dir, name)
        if Path(record).is_file():
            record.unlink()
    if now or before:
        manifest.state_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(now, indent=1, sort_keys=True).encode("utf-8") + b"\n")
    return retired
