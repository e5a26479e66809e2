"""After the builds: take every journalled edition to its end (``jobs.journal``).

For each briefing of the manifest, each edition its journal lists goes on from the state it
reached, whether this run made it or a run that was killed or failed did:

    built      → recorded   if the editions folder holds it (else it was never recorded: dropped)
    recorded   → written    the output PDF is the latest edition's
    written    → published  the ``[publish]`` folder is brought up to date (once, for all)
    published  → announced  the briefing's people are told of a first or new edition

A step that fails (a publishing error, a journal that cannot be written) is reported and stays
where it is: the next run tries it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from briefing.editions.notify import Delivery, Event, Notifier
from briefing.editions.store import Edition, EditionStore
from briefing.errors import BriefingError
from briefing.jobs.journal import Journal, Step, reached
from briefing.jobs.manifest import Entry, Manifest
from briefing.output import write_atomic

log = logging.getLogger("briefing.jobs")


@dataclass(slots=True)
class Completion:
    """What completing the journalled editions did."""

    deliveries: list[Delivery] = field(default_factory=list)
    publish_error: str | None = None
    problems: list[str] = field(default_factory=list)


def complete(manifest: Manifest) -> Completion:
    """Take every journalled edition of the manifest's briefings the rest of the way."""
    done = Completion()
    if manifest.editions is None:
        return done
    store = EditionStore(manifest.editions)
    journals = {entry.name: Journal(manifest.state_dir, entry.name) for entry in manifest.entries}
    for entry in manifest.entries:
        try:
            _settle(store, entry, journals[entry.name])
        except BriefingError as exc:
            done.problems.append(f"{entry.name}: {exc.format_message()}")
            log.error("%s: %s; the next run tries again", entry.name, exc.format_message())
    steps = {name: journal.steps() for name, journal in journals.items()}
    _publish(manifest, store, steps, journals, done)
    for entry in manifest.entries:
        for step in steps[entry.name]:
            if not step.reached("published") or step.state == "announced":
                continue
            try:
                if step.announce:
                    reached("announcing", "%s: announcing edition %d", entry.name, step.number)
                    done.deliveries += announce(manifest, store, entry, step.number)
                journals[entry.name].advance(step.number, "announced")
            except BriefingError as exc:
                done.problems.append(f"{entry.name}: {exc.format_message()}")
                log.error("%s: %s; the next run tries again", entry.name, exc.format_message())
    return done


def _settle(store: EditionStore, entry: Entry, journal: Journal) -> None:
    """Bring the journal's editions to ``written``: recorded, and the output in place."""
    latest: Edition | None = None
    for step in journal.steps():
        if step.reached("written"):
            continue
        if step.state == "built":
            found = _edition(store, entry.name, step.number)
            if found is None or found.content_hash != step.content_hash:
                journal.drop(step.number)
                continue
            journal.advance(step.number, "recorded")
        latest = latest or store.latest(entry.name)
        if latest is not None and latest.number == step.number:
            _write_output(entry, latest)
        journal.advance(step.number, "written")


def _edition(store: EditionStore, name: str, number: int) -> Edition | None:
    if not (store.folder(name) / f"{number:04d}.json").is_file():
        return None
    return store.get(name, number)


def _write_output(entry: Entry, edition: Edition) -> None:
    pdf = edition.pdf()
    try:
        same = entry.output.read_bytes() == pdf
    except OSError:
        same = False
    if not same:
        write_atomic(entry.output, pdf)
        log.info("%s: %s is edition %d again", entry.name, entry.output.name, edition.number)


def _publish(manifest: Manifest, store: EditionStore, steps: dict[str, list[Step]],
             journals: dict[str, Journal], done: Completion) -> None:
    """Publish once when an edition is not published yet (or the page is missing)."""
    waiting = {name: [s for s in found if not s.reached("published")]
               for name, found in steps.items()}
    if not any(waiting.values()) and (
            manifest.publish is None or (manifest.publish.folder / "index.html").is_file()):
        return
    skipped: dict[str, str] = {}
    if manifest.publish is not None:
        from briefing.editions.publish import publish
        from briefing.theme import load_theme

        reached("publishing", "publishing to %s", manifest.publish.folder)
        try:
            site = publish(store, manifest.publish, load_theme(manifest.publish_theme))
        except BriefingError as exc:
            done.publish_error = exc.format_message()
            log.error("publishing failed: %s; the next run tries again", done.publish_error)
            return
        skipped = site.skipped
        if skipped:
            done.publish_error = "; ".join(skipped.values())
    for name, found in waiting.items():
        if name in skipped:
            continue
        for step in found:
            journals[name].advance(step.number, "published")
    # The steps now published go on to be announced.
    for name in steps:
        steps[name] = journals[name].steps()


def edition_url(manifest: Manifest, name: str) -> str | None:
    """Where the latest PDF of ``name`` is published, when the site has a base URL."""
    if manifest.publish is None or not manifest.publish.base_url:
        return None
    return f"{manifest.publish.base_url.rstrip('/')}/{name}.pdf"


def announce(manifest: Manifest, store: EditionStore, entry: Entry,
             number: int) -> list[Delivery]:
    """Tell ``entry``'s people of its edition ``number`` (a first or new edition)."""
    if entry.notify is None:
        return []
    notifier = Notifier(entry.notify)
    edition = store.get(entry.name, number)
    kind = "change" if number > 1 and notifier.wants("change") else "success"
    try:
        pdf: bytes | None = edition.pdf()
    except BriefingError:
        pdf = None
    return notifier.notify(Event(
        kind, entry.name, edition.title, edition=number, date=edition.date,
        summary=edition.summary, pdf=pdf, pdf_name=f"{entry.name}.pdf",
        url=edition_url(manifest, entry.name),
    ))
