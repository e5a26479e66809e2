"""Delivering notifications safely: deadlines for a whole attempt, no password in clear, no
secret in logs (nor its encoded forms), the system's CAs kept, and the manifest's checks."""

from __future__ import annotations

import base64
import contextlib
import logging
import math
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.editions.notify import (
    EmailSettings,
    Event,
    Notifier,
    NotifySettings,
    WebhookSettings,
    scrub,
    tls_context,
)
from briefing.errors import ManifestError
from briefing.jobs.manifest import DEFAULT_TIMEOUT, load_manifest

PASSWORD = "Sup3r-Secret-PW"


@contextlib.contextmanager
def server(handle: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """A one-connection-at-a-time TCP server on 127.0.0.1 running ``handle``; its port."""
    stop = threading.Event()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn, contextlib.suppress(OSError):
                handle(conn, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(10)
        listener.close()


def drip_http(conn: socket.socket, stop: threading.Event) -> None:
    conn.recv(65536)
    for byte in b"HTTP/1.1 204 No Content\r\nX-Slow: " + b"." * 100 + b"\r\n\r\n":
        if stop.wait(0.3):
            return
        conn.sendall(bytes([byte]))


def drip_smtp(conn: socket.socket, stop: threading.Event) -> None:
    for _ in range(200):
        if stop.wait(0.3):
            return
        conn.sendall(b"220-still greeting you\r\n")


def echo_auth(conn: socket.socket, stop: threading.Event) -> None:
    """An SMTP server offering AUTH PLAIN that refuses it, quoting the command it got."""
    conn.sendall(b"220 localhost ESMTP\r\n")
    reader = conn.makefile("rb")
    for line in reader:
        command = line.strip()
        if command.upper().startswith(b"EHLO"):
            conn.sendall(b"250-localhost\r\n250 AUTH PLAIN\r\n")
        elif command.upper().startswith(b"AUTH"):
            conn.sendall(b"535 5.7.8 authentication failed for " + command + b"\r\n")
        elif command.upper().startswith(b"QUIT"):
            conn.sendall(b"221 bye\r\n")
            return
        else:
            conn.sendall(b"250 ok\r\n")


def notifier(email: EmailSettings | None = None, webhook: WebhookSettings | None = None,
             **env: str) -> Notifier:
    return Notifier(NotifySettings(frozenset({"success"}), email, webhook, retries=0),
                    env=env, sleep=lambda s: None)


EVENT = Event("success", "a", "A title", edition=1)


def test_C6_a_webhook_that_drips_is_cut_at_the_deadline() -> None:
    with server(drip_http) as port:
        hook = WebhookSettings(f"http://127.0.0.1:{port}/hook", timeout=1)
        (delivery,) = notifier(webhook=hook).notify(EVENT)
    assert not delivery.ok
    assert delivery.error == "the server did not finish within 1 s"


def test_C6_an_smtp_server_that_drips_is_cut_at_the_deadline() -> None:
    with server(drip_smtp) as port:
        email = EmailSettings("127.0.0.1", "b@example.org", ("t@example.org",), port=port,
                              security="none", timeout=1)
        (delivery,) = notifier(email=email).notify(EVENT)
    assert not delivery.ok
    assert delivery.error == "the server did not finish within 1 s"


def test_S5_an_echoed_auth_plain_line_is_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "briefing")
    with server(echo_auth) as port:
        email = EmailSettings("127.0.0.1", "b@example.org", ("t@example.org",), port=port,
                              security="none", username="briefing", password_env="PW",
                              timeout=5)
        (delivery,) = notifier(email=email, PW=PASSWORD).notify(EVENT)
    assert not delivery.ok and delivery.error is not None
    assert "535" in delivery.error and "AUTH PLAIN ***" in delivery.error
    encoded = base64.b64encode(f"\0briefing\0{PASSWORD}".encode()).decode()
    for text in (delivery.error, caplog.text):
        assert PASSWORD not in text and encoded not in text


def test_S5_encoded_forms_are_scrubbed_and_short_secrets_do_not_garble() -> None:
    secret = "p@ss w/rd+ü1"
    for form in (secret, base64.b64encode(secret.encode()).decode(),
                 base64.b64encode(f"bot:{secret}".encode()).decode(),
                 base64.b64encode(f"\0bot\0{secret}".encode()).decode(),
                 "p%40ss%20w%2Frd%2B%C3%BC1", "p%40ss+w%2Frd%2B%C3%BC1"):
        assert scrub(f"refused: {form}.", secret, "bot") == "refused: ***.", form
    assert scrub(f"basic {base64.b64encode(f'bot:{PASSWORD}'.encode()).decode()}",
                 PASSWORD, "bot") == "basic ***"
    assert scrub("TimeoutError: timed out", "t") == "TimeoutError: timed out"
    assert scrub("the token t was refused", "t") == "the token *** was refused"
    assert scrub("Bearer dA== refused", "t") == "Bearer *** refused"  # base64 of "t"


def test_B9_the_ca_bundle_adds_to_the_systems() -> None:
    system = ssl.create_default_context()
    known = system.cert_store_stats()["x509_ca"]
    if not known:
        pytest.skip("no system CA store here")
    pem = ssl.DER_cert_to_PEM_cert(system.get_ca_certs(binary_form=True)[0])
    bundle = Path(__file__).parent / "one-ca.pem"
    try:
        bundle.write_text(pem, encoding="ascii")
        assert tls_context(str(bundle)).cert_store_stats()["x509_ca"] >= known > 1
    finally:
        bundle.unlink()


def manifest(tmp_path: Path, notify: str = "", publish: str = "", extra: str = "") -> Path:
    (tmp_path / "a.txt").write_text("Title. Lead.\nText.\n", encoding="utf-8")
    path = tmp_path / "briefings.toml"
    path.write_text(f'editions = "editions"\n{publish}\n[[briefing]]\nname = "a"\n'
                    f'source = "a.txt"\n{extra}\n{notify}\n', encoding="utf-8")
    return path


def email_table(host: str, security: str, credentials: bool = True) -> str:
    login = 'username = "bot", password_env = "PW", ' if credentials else ""
    return (f'notify = {{ email = {{ host = "{host}", security = "{security}", {login}'
            'from = "b@example.org", to = ["t@example.org"] } }')


def test_S4_no_password_in_clear_except_to_this_machine(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r'would send the password in clear to '
                                            r'smtp\.example\.org; use security = "starttls"'):
        load_manifest(manifest(tmp_path, email_table("smtp.example.org", "none")))
    for host in ("127.0.0.1", "localhost", "::1"):
        assert load_manifest(manifest(tmp_path, email_table(host, "none"))).entries
    assert load_manifest(manifest(tmp_path, email_table("smtp.example.org", "starttls"))).entries
    assert load_manifest(manifest(
        tmp_path, email_table("relay.example.org", "none", credentials=False))).entries


def test_B9_urls_the_manifest_takes(tmp_path: Path) -> None:
    upper = ('notify = { webhook = { url = "HTTPS://hooks.example.org/x", '
             'token_env = "T" } }')
    (entry,) = load_manifest(manifest(tmp_path, upper)).entries
    assert entry.notify is not None and entry.notify.webhook is not None
    for bad in ("javascript:alert(1)//", "file:///etc", "example.org/b"):
        with pytest.raises(ManifestError, match="base_url: an http or https URL"):
            load_manifest(manifest(tmp_path, publish=f'[publish]\nfolder = "site"\n'
                                                     f'base_url = "{bad}"\n'))
    assert load_manifest(manifest(tmp_path, publish='[publish]\nfolder = "site"\n'
                                                     'base_url = "HTTPS://example.org/b"\n'))
    result = CliRunner().invoke(cli, ["publish", str(tmp_path / "site"), "--dir",
                                      str(tmp_path), "--base-url", "javascript:alert(1)"])
    assert result.exit_code == 2 and "--base-url: base_url: an http or https URL" in result.stderr


@pytest.mark.parametrize(("schedule", "fires"), [
    ("0 0 31 2 *", False), ("0 0 30 2 *", False), ("0 0 31 4,6,9,11 *", False),
    ("0 0 29 2 *", True), ("0 0 31 2 mon", True), ("0 0 31 * *", True)])
def test_B9_a_schedule_that_can_never_fire_is_refused(
        tmp_path: Path, schedule: str, fires: bool) -> None:
    path = manifest(tmp_path, extra=f'schedule = "{schedule}"')
    if fires:
        assert load_manifest(path).entries[0].schedule == schedule
    else:
        with pytest.raises(ManifestError, match="never fires"):
            load_manifest(path)


@pytest.mark.parametrize("value", ["inf", "nan", "1e400", "-inf", "100000", "0"])
def test_C4_timeouts_are_finite_seconds(tmp_path: Path, value: str) -> None:
    with pytest.raises(ManifestError, match="expected a number of seconds above 0"):
        load_manifest(manifest(tmp_path, extra=f"timeout = {value}"))


def test_a_build_has_a_timeout_unless_the_manifest_gives_one(tmp_path: Path) -> None:
    (entry,) = load_manifest(manifest(tmp_path)).entries
    assert entry.timeout == DEFAULT_TIMEOUT == 300 and math.isfinite(entry.timeout)
    (entry,) = load_manifest(manifest(tmp_path, extra="timeout = 20")).entries
    assert entry.timeout == 20


def test_B9_publishing_onto_a_folder_says_what_to_do(tmp_path: Path) -> None:
    from briefing.build import build
    from briefing.editions.publish import PublishOptions, publish
    from briefing.editions.store import EditionStore
    from briefing.errors import PublishError
    from briefing.theme import load_theme

    (tmp_path / "a.txt").write_text("Title. Lead.\nText.\n", encoding="utf-8")
    result = build(tmp_path / "a.txt")
    store = EditionStore(tmp_path / "editions")
    store.write("a", result.briefing, result.pdf, number=1, date=result.briefing.meta.date
                or __import__("datetime").date(2026, 12, 2), pages=1, fingerprint="",
                summary="first edition", content_hash="x")
    (tmp_path / "site" / "feed.xml").mkdir(parents=True)
    with pytest.raises(PublishError) as caught:
        publish(store, PublishOptions(tmp_path / "site"), load_theme(None))
    message = caught.value.message
    assert "feed.xml: is a folder, where publishing writes a file" in message
    assert "feed.xml/" not in message
