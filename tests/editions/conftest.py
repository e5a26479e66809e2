"""Two editions of the sample: one paragraph changed and one FAQ question added."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

OLD_WORDS = "environ 20 artistes"
NEW_WORDS = "une vingtaine d’artistes"
NEW_QUESTION = "Que peuvent faire les lecteurs ?"
NEW_ANSWER = "Ils peuvent soutenir les artistes en achetant leurs œuvres."


def norm(text: str) -> str:
    """Text with the typography's no-break spaces as plain spaces, for comparisons."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def second_edition_text(sample: Path) -> str:
    text = sample.read_text(encoding="utf-8")
    assert OLD_WORDS in text
    return (text.replace(OLD_WORDS, NEW_WORDS).rstrip("\n")
            + f"\n{NEW_QUESTION}\n{NEW_ANSWER}\n")


@pytest.fixture
def sources(tmp_path: Path, sample_path: Path) -> tuple[Path, Path]:
    """The sample as edition 1, and the changed sample as edition 2 (same file name)."""
    old = tmp_path / "v1" / "article.txt"
    new = tmp_path / "v2" / "article.txt"
    old.parent.mkdir()
    new.parent.mkdir()
    old.write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    new.write_text(second_edition_text(sample_path), encoding="utf-8")
    return old, new


# -- real local servers: SMTP (aiosmtpd) and HTTP (http.server), on 127.0.0.1 -----------------

SECRET = "s3cret-Passw0rd"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                   data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.password == SECRET.encode()
    return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = smtp_controller(inbox)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[list[tuple[dict[str, str], dict[str, Any]]], str]]:
    _Hook.received = []
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _Hook.received, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()




def smtp_controller(inbox: Inbox, **kw: Any) -> Controller:
    """An SMTP server on 127.0.0.1 accepting the password SECRET (not started)."""
    kw.setdefault("auth_require_tls", False)
    return Controller(inbox, hostname="127.0.0.1", port=free_port(),
                      authenticator=_authenticator, **kw)
