"""A control character in a title never poisons publishing or e-mail: new sources are refused
at the door (one briefing fails, clearly; the others are built, published and announced), and
an older record that holds one is published with the character shown as U+FFFD."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.dom.minidom
from pathlib import Path

from click.testing import CliRunner

from briefing.build import BuildResult
from briefing.cli import cli
from briefing.editions.notify import EmailSettings, Event, email_message
from briefing.editions.publish import PublishOptions, publish
from briefing.editions.store import EditionStore
from briefing.model import Briefing, Paragraph, Span
from briefing.theme import load_theme

PDF = b"%PDF-1.4 fake edition\n%%EOF\n"


def test_C3_a_bell_in_a_title_fails_one_briefing_not_the_run(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Fine title. Lead.\nPara.\n")
    (tmp_path / "bad.txt").write_text("Bell\x07 title. Lead.\nPara.\n")
    (tmp_path / "briefings.toml").write_text(
        'editions = "editions"\n[publish]\nfolder = "site"\n'
        '[[briefing]]\nname = "good"\nsource = "good.txt"\n'
        '[[briefing]]\nname = "bad"\nsource = "bad.txt"\n')
    result = CliRunner().invoke(cli, ["update", "-j1", str(tmp_path / "briefings.toml")])
    assert result.exit_code == 1
    assert "bad.txt, line 1, column 5: control character U+0007" in result.output
    assert "unexpected" not in result.output
    site = tmp_path / "site"
    assert (site / "good.pdf").is_file() and not (site / "bad.pdf").exists()
    xml.dom.minidom.parse(str(site / "feed.xml"))
    assert "Fine title" in (site / "index.html").read_text(encoding="utf-8")


def test_C3_an_older_record_with_a_control_character_is_still_published(
        tmp_path: Path, sample_build: BuildResult) -> None:
    store = EditionStore(tmp_path / "editions")
    briefing = Briefing("Bell\x07 title", lead=(Paragraph((Span("Lead."),)),))
    store.record("old", briefing, sample_build.pdf, pages=1, date=dt.date(2026, 12, 2), fingerprint="f",
                 summary="first\x01 edition", content_hash="h")
    site = tmp_path / "site"
    publish(store, PublishOptions(site, title="Our\x1b briefings"), load_theme(None))
    feed = xml.dom.minidom.parse(str(site / "feed.xml"))
    titles = [t.firstChild.data for t in feed.getElementsByTagName("title")]  # type: ignore[union-attr]
    assert "Bell\ufffd title (edition 1)" in titles
    assert "\x07" not in (site / "index.html").read_text(encoding="utf-8")


def test_B5_a_title_with_line_breaks_still_sends_its_email() -> None:
    settings = EmailSettings("127.0.0.1", "briefing@example.org", ("reader@example.org",),
                             security="none")
    event = Event("success", "storm", "Storm\r\nBcc: victim@evil.example\r\nX-Injected: yes",
                  edition=1, date=dt.date(2026, 12, 2), pdf=PDF, pdf_name="storm.pdf")
    message = email_message(settings, event)
    assert message["Subject"] == "Storm Bcc: victim@evil.example X-Injected: yes — edition 1"
    assert message["Bcc"] is None and message["X-Injected"] is None
    failure = email_message(settings, dataclasses.replace(event, kind="failure", error="x\r\ny"))
    assert "\r" not in str(failure["Subject"])
