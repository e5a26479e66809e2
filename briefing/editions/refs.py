"""What ``briefing diff`` compares: a source file, or a recorded edition ``NAME@N``."""

from __future__ import annotations

import re
from pathlib import Path

from briefing.build import read_and_typeset
from briefing.editions.store import EditionStore
from briefing.errors import UsageError
from briefing.model import Briefing

_REF = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)@(?P<number>\d+|latest)$")


def load_model(ref: str, store: EditionStore | None) -> Briefing:
    """The typeset model of a source file, or of edition N of a briefing (``NAME@N``)."""
    match = _REF.match(ref)
    if match and not Path(ref).exists():
        if store is None:
            raise UsageError(f"{ref}: an edition reference needs the editions folder (--dir)")
        name = match["name"]
        if match["number"] == "latest":
            latest = store.latest(name)
            if latest is None:
                raise UsageError(f"{ref}: {name} has no edition in {store.root}; give the "
                                 "editions folder with --dir FOLDER")
            return latest.model()
        return store.get(name, int(match["number"])).model()
    typeset = read_and_typeset(ref)
    typeset.scratch.close()  # only the model is compared
    return typeset.briefing
