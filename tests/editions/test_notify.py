"""Notifications against real local servers: SMTP (aiosmtpd) and HTTP (http.server)."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.editions.notify import (
    EmailSettings,
    Event,
    Notifier,
    NotifySettings,
    WebhookSettings,
)
from tests.editions.conftest import SECRET, Inbox, free_port, smtp_controller

PDF = b"%PDF-1.4 fake edition\n%%EOF\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def starttls_smtp(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    controller = smtp_controller(inbox, tls_context=context, require_starttls=True,
                                 auth_require_tls=True)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


SUCCESS = Event("change", "sora", "Sora suspended", edition=2, date=dt.date(2026, 12, 2),
                summary="Article changed; 1 FAQ question added", pdf=PDF,
                pdf_name="sora-2026-12-02-e2.pdf", url="https://example.org/b/sora.pdf")
FAILURE = Event("failure", "sora", "Sora suspended", error="article.txt: cannot be read",
                last_good=dt.date(2026, 12, 2))


def notifier(**kw: Any) -> Notifier:
    sleeps: list[float] = []
    n = Notifier(NotifySettings(**kw), env={"SMTP_PASSWORD": SECRET, "HOOK_TOKEN": "tok-123"},
                 sleep=sleeps.append)
    n.sleeps = sleeps  # type: ignore[attr-defined]
    return n


def test_email_with_the_pdf_attached(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    settings = EmailSettings("127.0.0.1", "briefing@example.org", ("reader@example.org",),
                             port=port, security="none", username="bot",
                             password_env="SMTP_PASSWORD", timeout=5)
    n = notifier(on=frozenset({"change", "failure"}), email=settings)
    assert [d.ok for d in n.notify(SUCCESS)] == [True]
    (message,) = inbox.messages
    assert message["Subject"] == "Sora suspended — edition 2"
    assert "What changed: Article changed; 1 FAQ question added" in message.get_body().get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "sora-2026-12-02-e2.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_failure_email(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    settings = EmailSettings("127.0.0.1", "briefing@example.org", ("ops@example.org",),
                             port=port, security="none", timeout=5)
    assert [d.ok for d in notifier(email=settings).notify(FAILURE)] == [True]
    (message,) = inbox.messages
    text = message.get_body().get_content()
    assert message["Subject"] == "Briefing sora failed to build"
    assert "article.txt: cannot be read" in text and "2026-12-02" in text
    assert not list(message.iter_attachments())


def test_starttls_and_login(starttls_smtp: tuple[Inbox, int],
                            certificate: tuple[Path, Path]) -> None:
    inbox, port = starttls_smtp
    settings = EmailSettings("127.0.0.1", "briefing@example.org", ("reader@example.org",),
                             port=port, security="starttls", username="bot",
                             password_env="SMTP_PASSWORD", cafile=str(certificate[0]), timeout=5)
    assert [d.ok for d in notifier(email=settings).notify(SUCCESS)] == [True]
    assert len(inbox.messages) == 1


def test_webhook_json(webhook: tuple[list[Any], str]) -> None:
    received, url = webhook
    n = notifier(on=frozenset({"change"}), webhook=WebhookSettings(url, "HOOK_TOKEN", timeout=5))
    assert [d.ok for d in n.notify(SUCCESS)] == [True]
    assert n.notify(FAILURE) == []  # not wanted
    ((headers, body),) = received
    assert headers["Authorization"] == "Bearer tok-123"
    assert headers["Content-Type"] == "application/json"
    assert body["event"] == "change" and body["briefing"] == "sora" and body["edition"] == 2
    assert body["changes"] == "Article changed; 1 FAQ question added"
    assert body["date"] == "2026-12-02"


def test_unreachable_servers_are_retried_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()  # nothing listens there
    n = notifier(on=frozenset({"change"}), retries=2, backoff=0.5,
                 email=EmailSettings("127.0.0.1", "b@example.org", ("r@example.org",), port=port,
                                     security="starttls", username="bot",
                                     password_env="SMTP_PASSWORD", timeout=2),
                 webhook=WebhookSettings(f"http://127.0.0.1:{port}/hook", "HOOK_TOKEN", timeout=2))
    with caplog.at_level(logging.INFO, logger="briefing.editions"):
        deliveries = n.notify(SUCCESS)
    assert [(d.channel, d.ok, d.attempts) for d in deliveries] == [
        ("email", False, 3), ("webhook", False, 3)]
    assert n.sleeps == [0.5, 1.0, 0.5, 1.0]  # type: ignore[attr-defined]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and "not delivered after 3 attempts" in errors[0].getMessage()
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 4
    assert SECRET not in caplog.text and "tok-123" not in caplog.text


def test_wrong_password_is_not_logged(smtp: tuple[Inbox, int],
                                      caplog: pytest.LogCaptureFixture) -> None:
    inbox, port = smtp
    settings = EmailSettings("127.0.0.1", "b@example.org", ("r@example.org",), port=port,
                             security="none", username="bot", password_env="SMTP_PASSWORD",
                             timeout=5)
    n = Notifier(NotifySettings(email=settings, retries=0),
                 env={"SMTP_PASSWORD": "wrong-" + SECRET}, sleep=lambda s: None)
    with caplog.at_level(logging.INFO, logger="briefing.editions"):
        (delivery,) = n.notify(SUCCESS)
    assert not delivery.ok and inbox.messages == []
    assert SECRET not in caplog.text and SECRET not in (delivery.error or "")


def test_missing_secret_is_named_not_shown() -> None:
    n = Notifier(NotifySettings(webhook=WebhookSettings("http://127.0.0.1:9/", "NOPE"),
                                retries=0), env={}, sleep=lambda s: None)
    (delivery,) = n.notify(SUCCESS)
    assert not delivery.ok and "NOPE is not set" in (delivery.error or "")


def test_webhook_redirect_is_not_followed() -> None:
    """A redirect would carry the token elsewhere and turn the POST into a GET: it fails."""
    import http.server
    import threading

    seen: list[tuple[str, str | None]] = []

    class Redirecting(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(("POST", self.headers.get("Authorization")))
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/elsewhere")
            self.end_headers()

        def do_GET(self) -> None:
            seen.append(("GET", self.headers.get("Authorization")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/hook"
        n = notifier(on=frozenset({"change"}), retries=0,
                     webhook=WebhookSettings(url, "HOOK_TOKEN", timeout=5))
        (delivery,) = n.notify(SUCCESS)
    finally:
        server.shutdown()
        server.server_close()
    assert not delivery.ok
    assert seen == [("POST", "Bearer tok-123")]  # nothing went to the redirect's target
