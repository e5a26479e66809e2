"""A run that stops anywhere leaves work the next run completes; damage stays local.

Real builds of small sources, an editions folder, a published folder and a webhook receiver
on 127.0.0.1. A run "killed" at a stage is one where the function of that stage raises an
exception that nothing catches (as a signal would end it); the next run must complete it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import feedparser
import pytest
from pypdf import PdfReader

from briefing.editions.store import EditionStore
from briefing.errors import ManifestError
from briefing.jobs.fingerprint import sha256_file
from briefing.jobs.manifest import load_manifest
from briefing.jobs.state import read_record
from briefing.jobs.update import Summary, update

Hook = tuple[list[tuple[dict[str, str], dict[str, Any]]], str]


class Killed(BaseException):
    """Stands for a signal ending the run."""


def folder_with(tmp_path: Path, hook: str, names: tuple[str, ...] = ("a",)) -> Path:
    for name in names:
        (tmp_path / f"{name}.txt").write_text(
            f"Notice {name} for the coast. The lead paragraph.\nA first paragraph.\n",
            encoding="utf-8")
    tables = "".join(f'[[briefing]]\nname = "{n}"\nsource = "{n}.txt"\n' for n in names)
    (tmp_path / "briefings.toml").write_text(f"""\
editions = "editions"

[publish]
folder = "site"

[defaults]
lang = "en"
notify = {{ on = ["success", "change"], retries = 0, webhook = {{ url = "{hook}", timeout = 5 }} }}

{tables}""", encoding="utf-8")
    return tmp_path


def run(folder: Path, **kwargs: Any) -> Summary:
    return update(load_manifest(folder), jobs=1, **kwargs)


def change(folder: Path, name: str = "a", words: str = "More news.") -> None:
    path = folder / f"{name}.txt"
    path.write_text(path.read_text(encoding="utf-8") + words + "\n", encoding="utf-8")


def told(received: list[tuple[dict[str, str], dict[str, Any]]]) -> list[tuple[str, int]]:
    return [(body["briefing"], body["edition"]) for _, body in received]


def feed_editions(folder: Path) -> list[str]:
    feed = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    return sorted(entry.id for entry in feed.entries)


def assert_complete(folder: Path, name: str, editions: int) -> None:
    """The output, the published folder and the feed all show the latest edition."""
    store = EditionStore(folder / "editions")
    latest = store.latest(name)
    assert latest is not None and latest.number == editions
    assert (folder / f"{name}.pdf").read_bytes() == latest.pdf()
    assert (folder / "site" / f"{name}.pdf").read_bytes() == latest.pdf()
    assert [e for e in feed_editions(folder) if f":{name}:" in e] == [
        f"urn:briefing:{name}:{n}" for n in range(1, editions + 1)]
    assert not list((folder / ".briefing").glob(f"{name}.journal.json")) or json.loads(
        (folder / ".briefing" / f"{name}.journal.json").read_text())["editions"] == []


STAGES = {
    # stage the run is killed at: (where, what raises)
    "built": ("briefing.editions.store.EditionStore.write", "record"),
    "recorded": ("briefing.jobs.update._publish", "output"),
    "written": ("briefing.jobs.update.complete", "completion"),
    "published": ("briefing.jobs.deliver.announce", "announcement"),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_D4_an_edition_left_at_any_stage_is_completed_by_the_next_run(
        tmp_path: Path, webhook: Hook, monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    received, url = webhook
    folder = folder_with(tmp_path, url)
    assert run(folder).ok
    assert told(received) == [("a", 1)]
    change(folder)

    def killed(*args: Any, **kwargs: Any) -> Any:
        raise Killed(stage)

    with monkeypatch.context() as patch:
        patch.setattr(STAGES[stage][0], killed)
        with pytest.raises(Killed):
            run(folder)
    assert told(received) == [("a", 1)]  # nothing told yet

    again = run(folder)
    assert again.ok, again.describe()
    assert told(received) == [("a", 1), ("a", 2)]  # told once
    assert_complete(folder, "a", 2)
    assert run(folder).ok and told(received) == [("a", 1), ("a", 2)]


def test_D4_a_publishing_failure_is_published_and_announced_next_time(
        tmp_path: Path, webhook: Hook) -> None:
    received, url = webhook
    folder = folder_with(tmp_path, url)
    assert run(folder).ok
    (folder / "site" / "feed.xml").unlink()
    (folder / "site" / "feed.xml").mkdir()  # publishing fails
    change(folder)
    failed = run(folder)
    assert not failed.ok and failed.publish_error and "feed.xml" in failed.publish_error
    assert told(received) == [("a", 1)]  # not told of an edition readers cannot see
    (folder / "site" / "feed.xml").rmdir()
    fixed = run(folder)
    assert fixed.ok, fixed.describe()
    assert [o.status for o in fixed.outcomes] == ["unchanged"]
    assert_complete(folder, "a", 2)
    assert told(received) == [("a", 1), ("a", 2)]


def test_D6_a_damaged_output_is_detected_and_rebuilt(tmp_path: Path, webhook: Hook) -> None:
    folder = folder_with(tmp_path, webhook[1])
    assert run(folder).ok
    output = folder / "a.pdf"
    good = output.read_bytes()
    with output.open("r+b") as handle:
        handle.truncate(1000)
    damaged = run(folder)
    assert [(o.status, o.reason) for o in damaged.outcomes] == [
        ("built", "output changed since it was built (damaged or replaced)")]
    assert output.read_bytes() == good
    assert len(PdfReader(io.BytesIO(output.read_bytes())).pages) == 1
    record = read_record(folder / ".briefing", "a")
    assert record is not None and sha256_file(output) == record.pdf_sha256
    assert EditionStore(folder / "editions").latest("a").number == 1  # type: ignore[union-attr]
    # A new modification time alone (same bytes) is checked by hash, and is fine.
    output.touch()
    assert [o.status for o in run(folder).outcomes] == ["unchanged"]


def test_C9_one_damaged_edition_record_fails_only_its_briefing(
        tmp_path: Path, webhook: Hook) -> None:
    received, url = webhook
    folder = folder_with(tmp_path, url, ("a", "b"))
    assert run(folder).ok
    (folder / "editions" / "b" / "0001.json").write_text("{broken", encoding="utf-8")
    change(folder, "a")
    summary = run(folder)
    assert {o.name: o.status for o in summary.outcomes} == {"a": "built", "b": "failed"}
    (failed,) = summary.of("failed")
    assert failed.error is not None and "b/0001.json: not a valid edition record" in failed.error
    assert not summary.ok
    assert summary.publish_error is not None and "b/0001.json" in summary.publish_error
    # a is built, recorded, published and told; only b's record is left out.
    assert ("a", 2) in told(received)
    assert "urn:briefing:a:2" in feed_editions(folder)
    assert (folder / "site" / "a.pdf").read_bytes() == (folder / "a.pdf").read_bytes()
    only = update(load_manifest(folder), ["a"], jobs=1)
    assert [o.status for o in only.outcomes] == ["unchanged"]
    from click.testing import CliRunner

    from briefing.cli import cli

    dry = CliRunner().invoke(cli, ["update", str(folder), "--dry-run"])
    assert "b: cannot be built: " in dry.stdout and "0001.json" in dry.stdout


def test_C4_state_folder_taken_by_a_file_fails_before_anything_is_built(
        tmp_path: Path, webhook: Hook) -> None:
    folder = folder_with(tmp_path, webhook[1], ("a", "b"))
    (folder / ".briefing").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"\.briefing: is not a folder.*move it away"):
        run(folder)
    assert not list(folder.glob("*.pdf")) and not (folder / "editions").exists()


def test_an_edition_records_its_fingerprint_and_is_compared_once(
        tmp_path: Path, webhook: Hook, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.editions.record as record
    from briefing.editions.store import EditionStore as Store

    folder = folder_with(tmp_path, webhook[1])
    assert run(folder).ok
    change(folder)
    compares: list[int] = []
    scans: list[str] = []
    real_compare, real_numbered = record.compare, Store._numbered
    monkeypatch.setattr(record, "compare", lambda *a: compares.append(1) or real_compare(*a))
    monkeypatch.setattr(Store, "_numbered",
                        lambda self, name: scans.append(name) or real_numbered(self, name))
    manifest = load_manifest(folder)
    manifest = type(manifest)(manifest.path, manifest.entries, manifest.editions)  # no site
    assert update(manifest, jobs=1).ok
    assert len(compares) == 1
    assert scans == ["a"]
    latest = EditionStore(folder / "editions").latest("a")
    state = read_record(folder / ".briefing", "a")
    assert latest is not None and state is not None
    assert latest.fingerprint == state.fingerprint != ""


def test_B8_an_edition_is_never_dated_before_the_previous_one(
        tmp_path: Path, webhook: Hook, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    import datetime as dt
    import logging

    folder = folder_with(tmp_path, webhook[1])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796169600")  # 2026-12-02
    assert run(folder).ok
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793491200")  # 2026-11-01: the clock went back
    change(folder)
    caplog.set_level(logging.WARNING, "briefing")
    assert run(folder).ok
    first, second = EditionStore(folder / "editions").list("a")
    assert first.date == second.date == dt.date(2026, 12, 2)
    assert "today (2026-11-01) is earlier than the date of edition 1 (2026-12-02)" in caplog.text
    feed = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    assert [entry.id for entry in feed.entries] == ["urn:briefing:a:2", "urn:briefing:a:1"]
