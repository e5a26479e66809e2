"""The journal: how far each edition got, so that a run killed at any moment is completed.

Making an edition takes several writes, in this order, and a run may die between any two:

    built      the PDF is made; the edition is about to be recorded (written ahead)
    recorded   the editions folder holds it (``NNNN.pdf``, then ``NNNN.json``)
    written    the briefing's output PDF is in place
    published  the ``[publish]`` folder shows it
    announced  the people it concerns were told (an edition that tells no one skips this)

Each briefing has a small journal, ``.briefing/NAME.journal.json``, listing its editions that
have not reached the end, with the state each reached. Every run, after its builds, takes each
one the rest of the way (``update``): an edition recorded by a run that was killed, or whose
publishing failed, is published and announced by the next run. An edition no journal lists is
done. A delivery cut off by a kill may be sent again; its ``id`` lets a receiver drop the repeat.

Every stage a run reaches is logged at debug level (``-vv``): ``NAME: building``, ``journal:
NAME edition N STATE``, ``publishing to FOLDER``, ``NAME: announcing edition N``. For tests that
must stop a run at a given stage, ``BRIEFING_DEBUG_STOP_AT=STAGE`` makes the process reaching it
stop itself (SIGSTOP), to be killed there.
"""

from __future__ import annotations

import json
import logging
import os
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError, reason
from briefing.output import write_atomic

log = logging.getLogger("briefing.jobs")

STATES = ("built", "recorded", "written", "published", "announced")
FORMAT = 1
STOP_AT = "BRIEFING_DEBUG_STOP_AT"


def reached(stage: str, message: str, *args: object) -> None:
    """Log a stage of the run (debug); stop the process there if ``STOP_AT`` names it."""
    log.debug(message, *args)
    if os.environ.get(STOP_AT) == stage and hasattr(signal, "SIGSTOP"):
        del os.environ[STOP_AT]  # once per process
        os.kill(os.getpid(), signal.SIGSTOP)


@dataclass(frozen=True, slots=True)
class Step:
    """One edition on its way."""

    number: int
    state: str  # one of STATES, short of "announced"
    announce: bool  # a first or new edition (a restyled or corrected one tells no one)
    content_hash: str  # of the edition's model, to recognise it in the editions folder

    def reached(self, state: str) -> bool:
        return STATES.index(self.state) >= STATES.index(state)


class Journal:
    """The journal of one briefing, in the state folder."""

    def __init__(self, state_dir: Path, name: str) -> None:
        self.name = name
        self.path = state_dir / f"{name}.journal.json"

    def steps(self) -> list[Step]:
        """The editions on their way, oldest first; a damaged journal counts as empty."""
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("%s: unreadable journal, ignored (%s)", self.path, reason(exc))
            return []
        try:
            if data.get("format") != FORMAT:
                raise ValueError(f"unknown format {data.get('format')!r}")
            steps = [Step(int(item["number"]), str(item["state"]), bool(item["announce"]),
                          str(item["content_hash"])) for item in data["editions"]]
            if any(step.state not in STATES for step in steps):
                raise ValueError("unknown state")
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            log.warning("%s: unreadable journal, ignored (%s)", self.path, reason(exc))
            return []
        return sorted(steps, key=lambda step: step.number)

    def advance(self, number: int, state: str, *, announce: bool = False,
                content_hash: str = "") -> None:
        """Say that edition ``number`` reached ``state`` (an edition never goes back; a second
        run through an edition keeps the announcement the first one owes)."""
        steps = {step.number: step for step in self.steps()}
        old = steps.get(number)
        if old is not None:
            if state != "built" and STATES.index(state) < STATES.index(old.state):
                state = old.state
            announce = announce or old.announce
            content_hash = content_hash or old.content_hash
        steps[number] = Step(number, state, announce, content_hash)
        self._save([step for step in steps.values() if step.state != "announced"])
        reached(state, "journal: %s edition %d %s", self.name, number, state)

    def drop(self, number: int) -> None:
        """Forget an edition that was never recorded."""
        self._save([step for step in self.steps() if step.number != number])
        log.debug("journal: %s edition %d dropped (never recorded)", self.name, number)

    def _save(self, steps: list[Step]) -> None:
        data: dict[str, Any] = {
            "format": FORMAT, "name": self.name,
            "editions": [{"number": s.number, "state": s.state, "announce": s.announce,
                          "content_hash": s.content_hash}
                         for s in sorted(steps, key=lambda step: step.number)],
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(data, indent=1).encode("utf-8") + b"\n")
        except (OSError, BriefingError) as exc:
            message = exc.message if isinstance(exc, BriefingError) else str(exc)
            raise BriefingError(f"{self.path}: the journal cannot be written ({message})") from None
