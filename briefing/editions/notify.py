"""Telling people: e-mail (SMTP with STARTTLS or TLS) and webhooks (an HTTP POST of JSON).

Events:

- ``success``: a new edition was published (the first one included); the e-mail attaches the PDF;
- ``change``: a new edition of a briefing that already had one (what changed is said);
- ``failure``: a build failed; the e-mail gives the error and the last good edition's date.

A build whose model did not change is no event at all. Passwords and tokens are read from
environment variables *named* in the manifest, never from the manifest, and never logged: every
message that could carry one is scrubbed. Each delivery is retried with exponential backoff;
one that still fails is logged and reported in the ``Delivery`` list, never raised, so it never
loses nor blocks the edition. The caller's exit code comes from ``all(d.ok for d in ...)``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from briefing import __version__
from briefing.model import printable

log = logging.getLogger("briefing.editions")

EVENTS = ("success", "change", "failure")
SECURITY = ("starttls", "tls", "none")


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
    timeout: float = 20.0
    cafile: str | None = None  # a CA bundle to trust besides the system's (private servers)


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """Where to POST the JSON document."""

    url: str
    token_env: str | None = None  # name of the variable holding a bearer token
    timeout: float = 20.0


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
        attempts = 1 + max(0, self.settings.retries)
        error = ""
        for attempt in range(1, attempts + 1):
            try:
                send()
            except Exception as exc:  # any failure of a channel is logged, never raised
                error = self._scrub(f"{type(exc).__name__}: {exc}")
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
            raise LookupError(f"the environment variable {name} is not set")
        return value

    def _scrub(self, text: str) -> str:
        for name in (self.settings.email.password_env if self.settings.email else None,
                     self.settings.webhook.token_env if self.settings.webhook else None):
            value = self.env.get(name) if name else None
            if value:
                text = text.replace(value, "***")
        return text

    # --- e-mail ----------------------------------------------------------------------------

    def _send_email(self, settings: EmailSettings, event: Event) -> None:
        message = email_message(settings, event)
        password = self._secret(settings.password_env)
        context = ssl.create_default_context(cafile=settings.cafile)
        smtp: smtplib.SMTP
        if settings.security == "tls":
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                    context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
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
        # No redirects: urllib would send the token on to wherever it points, and turn the
        # POST into a GET that "succeeds". A redirect is a failed delivery.
        opener = urllib.request.build_opener(_NoRedirect())
        with opener.open(request, timeout=settings.timeout) as response:
            if not 200 <= response.status < 300:
                raise urllib.error.HTTPError(settings.url, response.status, "not 2xx", response.headers, None)


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
