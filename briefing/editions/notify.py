"""Telling people: e-mail (SMTP with STARTTLS or TLS) and webhooks (an HTTP POST of JSON).

Events:

- ``success``: a new edition was published (the first one included); the e-mail attaches the PDF;
- ``change``: a new edition of a briefing that already had one (what changed is said);
- ``failure``: a build failed; the e-mail gives the error and the last good edition's date.

A build whose model did not change is no event at all. Passwords and tokens are read from
environment variables *named* in the manifest, never from the manifest, and never logged: every
message that could carry one is scrubbed, the secret itself and its encoded forms (base64 as in
SMTP ``AUTH PLAIN``/``LOGIN`` and HTTP basic auth, percent-encoding); a secret shorter than
``SHORT_SECRET`` characters is scrubbed only where it stands alone, so that it cannot garble
messages. A password is sent only over TLS unless the server is on this machine (loopback).

Each attempt of a delivery must be over within its ``timeout``, however slowly the server
answers: a watchdog shuts the connection at that deadline (a per-read timeout alone would let a
server that drips one byte a second hold the run). Each delivery is retried with exponential
backoff; one that still fails is logged and reported in the ``Delivery`` list, never raised, so
it never loses nor blocks the edition. The caller's exit code comes from
``all(d.ok for d in ...)``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import http.client
import ipaddress
import json
import logging
import os
import re
import smtplib
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from briefing import __version__
from briefing.model import printable

log = logging.getLogger("briefing.editions")

EVENTS = ("success", "change", "failure")
SECURITY = ("starttls", "tls", "none")
#: Secrets shorter than this are scrubbed only where they stand alone (not inside words).
SHORT_SECRET = 8


def is_loopback(host: str) -> bool:
    """True for a host on this machine: ``localhost``, 127.0.0.0/8 or ``::1``."""
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def tls_context(cafile: str | None = None) -> ssl.SSLContext:
    """The system's trusted CAs, and those of ``cafile`` besides (a private server's CA)."""
    context = ssl.create_default_context()
    if cafile:
        context.load_verify_locations(cafile=cafile)
    return context


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """Where and how to send e-mail."""

    host: str
    sender: str
    to: tuple[str, ...]
    port: int = 587
    security: str = "starttls"  # "starttls" (port 587), "tls" (port 465) or "none" (local relay)
    username: str | None = None
    password_env: str | None = None  # name of the environment variable holding the password
    timeout: float = 20.0  # seconds an attempt may take in all, connection to last answer
    cafile: str | None = None  # a CA bundle to trust besides the system's (private servers)


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """Where to POST the JSON document."""

    url: str
    token_env: str | None = None  # name of the variable holding a bearer token
    timeout: float = 20.0  # seconds an attempt may take in all, connection to last answer


@dataclass(frozen=True, slots=True)
class NotifySettings:
    """The ``notify`` options of a briefing (or of ``[defaults]``)."""

    on: frozenset[str] = frozenset({"change", "failure"})
    email: EmailSettings | None = None
    webhook: WebhookSettings | None = None
    retries: int = 3  # further attempts after the first
    backoff: float = 2.0  # seconds before the first retry, doubled each time


@dataclass(frozen=True, slots=True)
class Event:
    """What happened to one briefing."""

    kind: str  # "success", "change" or "failure"
    name: str
    title: str
    edition: int | None = None
    date: dt.date | None = None
    summary: str = ""  # what changed
    pdf: bytes | None = None
    pdf_name: str = "briefing.pdf"
    url: str | None = None  # where the edition is published
    error: str | None = None  # failures: what went wrong
    last_good: dt.date | None = None  # failures: date of the last good edition

    def as_dict(self) -> dict[str, Any]:
        return {
            # The same for every delivery of one edition's event: a receiver may drop repeats.
            "id": f"{self.kind}:{self.name}:{self.edition}" if self.edition else None,
            "event": self.kind, "briefing": self.name, "title": self.title,
            "edition": self.edition, "date": self.date.isoformat() if self.date else None,
            "changes": self.summary, "url": self.url, "error": self.error,
            "last_good_edition": self.last_good.isoformat() if self.last_good else None,
            "generator": f"briefing {__version__}",
        }


@dataclass(frozen=True, slots=True)
class Delivery:
    """How one notification went."""

    channel: str  # "email" or "webhook"
    ok: bool
    attempts: int
    error: str | None = None


@dataclass
class Notifier:
    """Sends events by the configured channels; ``env`` and ``sleep`` are replaceable in tests."""

    settings: NotifySettings
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    sleep: Callable[[float], None] = time.sleep

    def wants(self, kind: str) -> bool:
        return kind in self.settings.on

    def notify(self, event: Event) -> list[Delivery]:
        """Send ``event`` if it is wanted; never raises for a delivery that fails."""
        if not self.wants(event.kind):
            return []
        out = []
        if self.settings.email is not None:
            email = self.settings.email
            out.append(self._retry("email", event, lambda: self._send_email(email, event)))
        if self.settings.webhook is not None:
            hook = self.settings.webhook
            out.append(self._retry("webhook", event, lambda: self._post(hook, event)))
        return out

    # --- retries ---------------------------------------------------------------------------

    def _retry(self, channel: str, event: Event, send: Callable[[], None]) -> Delivery:
        missing = missing_variables(self.settings, self.env, channel)
        if missing:  # a setting, not a passing failure: trying again would not help
            error = "; ".join(missing)
            log.error("%s: %s notification not sent: %s", event.name, channel, error)
            return Delivery(channel, False, 0, error)
        attempts = 1 + max(0, self.settings.retries)
        error = ""
        for attempt in range(1, attempts + 1):
            try:
                send()
            except Exception as exc:  # any failure of a channel is logged, never raised
                error = self._scrub(describe_failure(exc))
                if attempt < attempts:
                    wait = self.settings.backoff * 2 ** (attempt - 1)
                    log.warning("%s: %s notification failed (attempt %d of %d): %s; "
                                "retrying in %gs", event.name, channel, attempt, attempts,
                                error, wait)
                    self.sleep(wait)
                continue
            log.info("%s: %s notification sent (%s)", event.name, channel, event.kind)
            return Delivery(channel, True, attempt)
        log.error("%s: %s notification not delivered after %d attempts: %s", event.name,
                  channel, attempts, error)
        return Delivery(channel, False, attempts, error)

    def _secret(self, name: str | None) -> str | None:
        if not name:
            return None
        value = self.env.get(name)
        if value is None:
            raise MissingVariable(f"the environment variable {name} is not set")
        return value

    def _scrub(self, text: str) -> str:
        email, hook = self.settings.email, self.settings.webhook
        user = email.username if email and email.username else ""
        for name in (email.password_env if email else None, hook.token_env if hook else None):
            value = self.env.get(name) if name else None
            if value:
                text = scrub(text, value, user)
        return text

    # --- e-mail ----------------------------------------------------------------------------

    def _send_email(self, settings: EmailSettings, event: Event) -> None:
        message = email_message(settings, event)
        password = self._secret(settings.password_env)
        context = tls_context(settings.cafile)
        with _Deadline(settings.timeout) as deadline:
            smtp: smtplib.SMTP
            if settings.security == "tls":
                smtp = _WatchedSMTPSSL(deadline, settings.host, settings.port,
                                       timeout=settings.timeout, context=context)
            else:
                smtp = _WatchedSMTP(deadline, settings.host, settings.port,
                                    timeout=settings.timeout)
            with smtp:
                if settings.security == "starttls":
                    smtp.starttls(context=context)
                if settings.username:
                    smtp.login(settings.username, password or "")
                smtp.send_message(message)

    # --- webhook ---------------------------------------------------------------------------

    def _post(self, settings: WebhookSettings, event: Event) -> None:
        body = json.dumps(event.as_dict(), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json",
                   "User-Agent": f"briefing/{__version__}"}
        token = self._secret(settings.token_env)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(settings.url, data=body, headers=headers, method="POST")
        with _Deadline(settings.timeout) as deadline:
            # No redirects: urllib would send the token on to wherever it points, and turn the
            # POST into a GET that "succeeds". A redirect is a failed delivery.
            opener = urllib.request.build_opener(
                _NoRedirect(), _WatchedHTTP(deadline), _WatchedHTTPS(deadline, tls_context()))
            with opener.open(request, timeout=settings.timeout) as response:
                if not 200 <= response.status < 300:
                    raise urllib.error.HTTPError(settings.url, response.status, "not 2xx",
                                                 response.headers, None)


class MissingVariable(Exception):
    """An environment variable named in the manifest is not set."""


def missing_variables(settings: NotifySettings, env: Mapping[str, str],
                      channel: str | None = None) -> list[str]:
    """What is missing for the channels to be used (of ``channel`` alone, when given): each
    environment variable named by ``password_env`` or ``token_env`` that is not set, with what
    to do. Found before anything is built or sent: it is a setting, never worth a retry."""
    named = []
    if settings.email is not None and settings.email.password_env and channel in (None, "email"):
        named.append(("notify.email.password_env", settings.email.password_env))
    if (settings.webhook is not None and settings.webhook.token_env
            and channel in (None, "webhook")):
        named.append(("notify.webhook.token_env", settings.webhook.token_env))
    return [f"{key}: the environment variable {name} is not set; set it where briefing runs "
            f"(export {name}=...), or remove {key.rsplit('.', 1)[1]}"
            for key, name in named if env.get(name) is None]


#: What went wrong with a delivery, said without Python's names for errors.
_SOCKET_ERRORS: tuple[tuple[type[BaseException], str], ...] = (
    (ConnectionRefusedError, "the connection was refused (is the server running, and is the "
                             "port right?)"),
    (ConnectionResetError, "the server closed the connection"),
    (ConnectionAbortedError, "the connection was cut"),
    (socket.gaierror, "the server's name cannot be found (check the host name, and the "
                      "network)"),
    (ssl.SSLCertVerificationError, "the server's certificate cannot be verified (a private "
                                   "server: give its CA with cafile)"),
    (ssl.SSLError, "the secure connection failed"),
    (TimeoutError, "the server did not answer in time"),
)


def describe_failure(exc: BaseException) -> str:
    """One line for a failed delivery, in words: what happened, and what may help."""
    if isinstance(exc, urllib.error.HTTPError):
        said = str(exc.reason or "").strip()
        if 300 <= exc.code < 400:
            return f"the server answered HTTP {exc.code} ({said}); give the final URL"
        return f"the server answered HTTP {exc.code}" + (f" ({said})" if said else "")
    if isinstance(exc, urllib.error.URLError):
        if isinstance(exc.reason, BaseException):
            return describe_failure(exc.reason)
        return f"the request failed: {exc.reason}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"the mail server refused the username or password "
                f"({exc.smtp_code} {_smtp_text(exc.smtp_error)})")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"the mail server refused the recipients ({', '.join(exc.recipients)})"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"the mail server refused the sender {exc.sender}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the mail server answered {exc.smtp_code} ({_smtp_text(exc.smtp_error)})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"the mail server does not support it: {exc}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the mail server closed the connection"
    if isinstance(exc, MissingVariable):
        return str(exc)
    if isinstance(exc, TimeoutError) and str(exc).startswith("the server"):
        return str(exc)
    for kind, words in _SOCKET_ERRORS:
        if isinstance(exc, kind):
            detail = getattr(exc, "verify_message", None) or ""
            return f"{words}: {detail}" if detail else words
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    text = " ".join(str(exc).split())
    return text or "it failed for a reason the system did not give"


def _smtp_text(error: bytes | str) -> str:
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return " ".join(text.split())


def scrub(text: str, secret: str, user: str = "") -> str:
    """``text`` without ``secret``, nor the forms it is sent in (base64, percent-encoding)."""
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}
    for raw in (secret, f"\0{user}\0{secret}", f"{user}\0{user}\0{secret}",
                f"{user}:{secret}"):
        encoded = base64.b64encode(raw.encode("utf-8"))
        forms |= {encoded.decode(), encoded.rstrip(b"=").decode(),
                  base64.urlsafe_b64encode(raw.encode("utf-8")).decode()}
    for form in sorted(forms, key=len, reverse=True):
        if len(form) >= SHORT_SECRET:
            text = text.replace(form, "***")
        else:  # too short to replace inside words: only where it stands alone
            text = re.sub(rf"(?<![\w+/=]){re.escape(form)}(?![\w+/=])", "***", text)
    return text


class _Deadline:
    """Ends a delivery attempt that is not over after ``seconds`` in all.

    A timer shuts the connection's socket down at the deadline, which wakes the read or write
    blocked on it; the attempt then fails with a clear timeout.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._holders: list[Callable[[], Any]] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, holder: Callable[[], Any]) -> None:
        """Watch the socket that ``holder()`` returns (or None while there is none)."""
        with self._lock:
            self._holders.append(holder)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for holder in self._holders:
                sock = holder()
                if isinstance(sock, socket.socket):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._timer.cancel()
        if self.expired and isinstance(exc, Exception):
            raise TimeoutError(f"the server did not finish within {self.seconds:g} s") from None


class _WatchedSMTP(smtplib.SMTP):
    def __init__(self, deadline: _Deadline, *args: Any, **kwargs: Any) -> None:
        deadline.watch(lambda: getattr(self, "sock", None))
        super().__init__(*args, **kwargs)


class _WatchedSMTPSSL(smtplib.SMTP_SSL):
    def __init__(self, deadline: _Deadline, *args: Any, **kwargs: Any) -> None:
        deadline.watch(lambda: getattr(self, "sock", None))
        super().__init__(*args, **kwargs)


def _watched(deadline: _Deadline, kind: type[http.client.HTTPConnection]) -> Any:
    def connect(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = kind(host, **kwargs)
        deadline.watch(lambda: connection.sock)
        return connection
    return connect


class _WatchedHTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(self._deadline, http.client.HTTPConnection), req)


class _WatchedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._deadline = deadline
        self._tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(self._deadline, http.client.HTTPSConnection), req,
                            context=self._tls)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; not followed",
                                     headers, fp)


def email_message(settings: EmailSettings, event: Event) -> EmailMessage:
    """The e-mail for an event: the PDF attached on success, the error on failure."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    if event.kind == "failure":
        message["Subject"] = printable(f"Briefing {event.name} failed to build")
        last = (f"The last good edition is from {event.last_good.isoformat()}; it stays published."
                if event.last_good else "There is no earlier edition.")
        message.set_content(f"The briefing {event.name} ({event.title}) could not be built:\n\n"
                            f"    {event.error}\n\n{last}\n")
        return message
    number = f" — edition {event.edition}" if event.edition else ""
    # One line whatever the record holds: a header value may not break (nor inject one).
    message["Subject"] = printable(f"{event.title}{number}")
    lines = [f"{event.title}{number}"]
    if event.date:
        lines.append(f"Date: {event.date.isoformat()}")
    if event.summary:
        lines.append(f"What changed: {event.summary}")
    if event.url:
        lines.append(f"Read it at {event.url}")
    message.set_content("\n".join(lines) + "\n")
    if event.pdf is not None:
        message.add_attachment(event.pdf, maintype="application", subtype="pdf",
                               filename=event.pdf_name)
    return message
