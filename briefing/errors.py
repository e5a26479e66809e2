"""User-facing errors: one hierarchy, one clear line each, an exit code, never a traceback.

Library code raises these; click prints ``Error: <message>`` on stderr and exits with
``exit_code``. Add context once, at a stage boundary (``article.md, FAQ item 3: ...``).

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

import click


class BriefingError(click.ClickException):
    """Base of every error a user can cause. Exit code 1 (bad input)."""

    exit_code = 1


class UsageError(BriefingError):
    """The command line itself is wrong. Exit code 2, like click's own usage errors."""

    exit_code = 2


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
