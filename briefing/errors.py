"""User-facing errors: one hierarchy, one clear line each, an exit code, never a traceback.

Library code raises these; the command line (``cli.py``) prints ``Error: <message>`` on
stderr and exits with the error's ``exit_code``. This module imports nothing: the library does
not depend on the command line's framework. Add context once, at a stage boundary
(``article.md, FAQ item 3: ...``).

Exit codes: 0 done; 1 bad input, a failed build or delivery, an unexpected error (a bug: one
line, details with ``-vv``) or a broken pipe; 2 a bad command line; 3 the layout report
(``check --layout``) found something that breaks a rule (a report, not an error: no
``Error:`` line); 75 another run holds the
manifest's lock (EX_TEMPFAIL: try again later); 69 the cluster cannot be used (EX_UNAVAILABLE:
its scheduler cannot be reached, or a worker runs another version of briefing); 130 interrupted (Ctrl-C or SIGTERM).

What is not an error goes through ``logging`` (loggers under ``briefing``), by this policy:

- ERROR: something was not done (a briefing of a manifest failed and kept its last PDF, a
  notification could not be delivered); the run's exit code says so too;
- WARNING: a PDF was made, but a reader may miss something (characters no font has, an image
  without alt text, a last block alone on its page, a language without typography rules, an
  unused footnote); ``--strict`` turns these into a failing build that writes nothing;
- INFO: progress, one line per build or delivery (shown by default for ``update``,
  ``schedule`` and ``watch``, with ``-v`` elsewhere);
- DEBUG: details for a bug report (``-vv``), such as the traceback of an unexpected error.
"""

from __future__ import annotations

from typing import ClassVar


class BriefingError(Exception):
    """Base of every error a user can cause: one line, naming the file and what to do.
    Exit code 1 (bad input)."""

    exit_code: ClassVar[int] = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(BriefingError):
    """The command line itself is wrong. Exit code 2, like click's own usage errors."""

    exit_code: ClassVar[int] = 2


class SourceError(BriefingError):
    """A source file cannot be read or understood."""


class ThemeError(BriefingError):
    """A theme, font or logo is missing or wrong."""


class RenderError(BriefingError):
    """The briefing cannot be laid out."""


class OutputError(BriefingError):
    """The PDF cannot be written where asked."""


class ManifestError(BriefingError):
    """A manifest (briefings.toml) is missing or wrong."""


class EditionError(BriefingError):
    """An editions folder or an edition record is missing or wrong."""


class PublishError(BriefingError):
    """The published folder cannot be written."""


class DataError(SourceError):
    """A data file (CSV, JSON), an expression, or a table or chart from data is wrong."""


class BuildTimeout(BriefingError):
    """A build took longer than its ``timeout``."""


class LockedError(BriefingError):
    """Another run holds the manifest's lock. Exit code 75 (EX_TEMPFAIL): try again later."""

    exit_code: ClassVar[int] = 75


class ClusterError(BriefingError):
    """The cluster cannot be used: its scheduler cannot be reached, or a worker runs another
    version of briefing. Exit code 69 (EX_UNAVAILABLE)."""

    exit_code: ClassVar[int] = 69


class MissingExtraError(BriefingError):
    """A document needs an optional dependency that is not installed."""


def reason(exc: BaseException) -> str:
    """Why something failed, in words for a message: an operating-system error's own words,
    a missing key named as such, a decoding error's place; else the exception's text. Never
    Python's name for the exception."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    if isinstance(exc, KeyError):
        return f"{exc.args[0]!s} is missing" if exc.args else "a key is missing"
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid UTF-8 at byte {exc.start}"
    line, column, message = (getattr(exc, name, None) for name in ("lineno", "colno", "msg"))
    if isinstance(line, int) and isinstance(column, int) and isinstance(message, str):
        return f"line {line}, column {column}: {message[:1].lower() + message[1:]}"  # JSON
    text = " ".join(str(exc).split())
    return text or "no reason was given"
