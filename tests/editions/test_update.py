"""`briefing update` with an editions folder, [publish] and notify, against local servers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.editions.store import EditionStore
from briefing.jobs.manifest import load_manifest
from briefing.jobs.update import update
from tests.editions.conftest import SECRET, Inbox, free_port, second_edition_text


def manifest(folder: Path, source: Path, smtp_port: int, hook: str, *, theme: str = "") -> Path:
    path = folder / "briefings.toml"
    path.write_text(f"""\
editions = "editions"

[publish]
folder = "site"
title = "Team briefings"
base_url = "https://example.org/b"

[defaults]
output_dir = "out"
retries = 0
notify = {{ on = ["success", "change", "failure"], retries = 1, backoff = 0, \
email = {{ host = "127.0.0.1", port = {smtp_port}, security = "none", username = "bot", \
password_env = "TEST_SMTP_PASSWORD", from = "briefing@example.org", to = ["team@example.org"], \
timeout = 5 }}, webhook = {{ url = "{hook}", timeout = 5 }} }}

[[briefing]]
name = "sora"
source = "{source.name}"
{theme}
""", encoding="utf-8")
    (folder / "out").mkdir(exist_ok=True)
    return path


@pytest.fixture
def setup(tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEST_SMTP_PASSWORD", SECRET)
    source = tmp_path / "sora.txt"
    source.write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    return source


def test_editions_publishing_and_notifications(
        setup: Path, smtp: tuple[Inbox, int], webhook: tuple[list[Any], str],
        sample_path: Path) -> None:
    source = setup
    folder = source.parent
    inbox, port = smtp
    received, url = webhook
    path = manifest(folder, source, port, url)

    first = update(load_manifest(path), jobs=1)
    assert first.ok, first.describe()
    assert first.outcomes[0].edition_status == "first"
    assert [b["event"] for _, b in received] == ["success"]
    assert inbox.messages[0].get_content_type() == "multipart/mixed"

    # Nothing changed: no new edition, nobody told.
    again = update(load_manifest(path), jobs=1, force=True)
    assert again.ok and again.outcomes[0].edition_status == "unchanged"
    assert len(received) == 1 and len(inbox.messages) == 1

    source.write_text(second_edition_text(sample_path), encoding="utf-8")
    second = update(load_manifest(path), jobs=1)
    assert second.ok, second.describe()
    assert second.outcomes[0].edition_status == "new" and second.outcomes[0].edition == 2
    (_, body) = received[-1]
    assert body["event"] == "change" and body["edition"] == 2
    assert body["changes"].startswith("Article changed; 1 FAQ question added")
    assert body["url"] == "https://example.org/b/sora.pdf"
    mail = inbox.messages[-1]
    (attachment,) = mail.iter_attachments()
    store = EditionStore(folder / "editions")
    latest = store.latest("sora")
    assert latest is not None and attachment.get_content() == latest.pdf()
    assert (folder / "out" / "sora.pdf").read_bytes() == latest.pdf()
    site = folder / "site"
    assert (site / "sora.pdf").read_bytes() == latest.pdf()
    assert len(feedparser.parse((site / "feed.xml").read_bytes()).entries) == 2

    # A theme-only change: a new look for the same edition, no notice of it anywhere.
    (folder / "green.toml").write_text('extends = "default"\n[colors]\nprimary = "#1E5B3A"\n',
                                       encoding="utf-8")
    manifest(folder, source, port, url, theme='theme = "green.toml"')
    restyled = update(load_manifest(path), jobs=1)
    assert restyled.ok and restyled.outcomes[0].edition_status == "restyled"
    assert [e.number for e in store.list("sora")] == [1, 2]
    assert len(received) == 2 and len(inbox.messages) == 2
    assert (site / "sora.pdf").read_bytes() == (folder / "out" / "sora.pdf").read_bytes()

    # A failure: the failure mail gives the error and the last good edition's date.
    source.write_bytes(b"\xff\xfe broken")
    failed = update(load_manifest(path), jobs=1)
    assert not failed.ok and failed.of("failed")
    assert received[-1][1]["event"] == "failure"
    text = inbox.messages[-1].get_body().get_content()
    assert "could not be built" in text and latest.date.isoformat() in text


def test_unreachable_servers_do_not_lose_the_edition(
        setup: Path, caplog: pytest.LogCaptureFixture) -> None:
    source = setup
    port = free_port()
    path = manifest(source.parent, source, port, f"http://127.0.0.1:{port}/hook")
    with caplog.at_level(logging.INFO, logger="briefing"):
        summary = update(load_manifest(path), jobs=1)
    assert not summary.ok and not summary.of("failed")
    assert [(d.channel, d.ok, d.attempts) for d in summary.deliveries] == [
        ("email", False, 2), ("webhook", False, 2)]
    assert "2 notifications not delivered" in summary.describe()
    assert EditionStore(source.parent / "editions").latest("sora") is not None
    assert (source.parent / "site" / "index.html").is_file()
    assert SECRET not in caplog.text
    # The command says so through its exit code (for a new edition: an unchanged one tells no one).
    source.write_text(source.read_text(encoding="utf-8") + "Une question ?\nUne réponse.\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["update", str(path)])
    assert result.exit_code == 1 and "not delivered" in result.output


def test_manifest_checks(tmp_path: Path, sample_path: Path) -> None:
    (tmp_path / "a.txt").write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "briefings.toml"
    path.write_text('[publish]\nfolder = "site"\n\n[[briefing]]\nsource = "a.txt"\n'
                    'notify = { webhook = { url = "http://x", token = "abc" } }\n',
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["update", str(path)])
    assert result.exit_code == 1
    assert "never write a token in the manifest" in result.output
    assert "publishing needs an editions folder" in result.output
    assert "abc" not in result.output


def test_the_documented_manifest_loads(tmp_path: Path, sample_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    doc = readme.split("## Editions and publishing", 1)[1]
    toml = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "sora.md").write_text("# Sora\n\nSome text.\n", encoding="utf-8")
    (tmp_path / "briefings.toml").write_text(toml, encoding="utf-8")
    loaded = load_manifest(tmp_path / "briefings.toml")
    assert loaded.editions == tmp_path / "editions"
    assert loaded.publish is not None and loaded.publish.folder == tmp_path / "site"
    (entry,) = loaded.entries
    assert entry.retries == 1 and entry.skip_unchanged and entry.timeout == 120
    assert entry.notify is not None and entry.notify.on == {"change", "failure"}
    assert entry.notify.email is not None and entry.notify.email.port == 587
    assert entry.notify.webhook is not None
    assert entry.notify.webhook.token_env == "BRIEFING_HOOK_TOKEN"


def test_publish_command_uses_the_manifest(
        setup: Path, smtp: tuple[Inbox, int], webhook: tuple[list[Any], str]) -> None:
    source = setup
    path = manifest(source.parent, source, smtp[1], webhook[1])
    assert update(load_manifest(path), jobs=1).ok
    site = source.parent / "site"
    (site / "index.html").unlink()
    result = CliRunner().invoke(cli, ["publish", "--manifest", str(path)])
    assert result.exit_code == 0, result.output
    assert "<title>Team briefings</title>" in (site / "index.html").read_text(encoding="utf-8")
