"""Data-driven briefings: figures, tables and charts from CSV and JSON files.

A library with its own tests, in stages a reader can follow:

- ``load``: a data file's bytes → a ``Dataset`` (CSV: dialect sniffed, a header row, columns
  typed in the briefing's language) or plain values (JSON, as is). Bounded: ``MAX_BYTES`` per
  file, ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns.
- ``expr``: ``{{ … }}`` expressions in the text, evaluated in Jinja2's immutable sandbox with
  strict undefined names, with the language's filters (``number``, ``percent``, ``date``,
  ``sum``, ``max``, ``min``, ``count``, ``latest``, ``change``, ``slug``). Values come back as
  plain text, never markup.
- ``table``: a ```` ```table ```` block's spec → header, rows of formatted cells, alignment.
- ``chart``: a ```` ```chart ```` block's spec → series, alt text written from the data, and the
  data as a table; ``draw`` turns it into reportlab vector graphics.
- ``changes``: the figures that changed between two snapshots of one table.
- ``fanout``: one name per row of a CSV file, from a name template.

Jinja2 and Babel come with the optional ``data`` extra (``pip install 'briefing[data]'``)
and are imported only when a document declares data: this package's ``__init__`` and
``values`` import neither. ``require`` says clearly when the extra is missing.
"""

from __future__ import annotations

import importlib.util

from briefing.errors import DataError

#: What to install when the optional libraries are missing.
EXTRA_HINT = "install the data extra: pip install 'briefing[data]'"

_LIBRARIES = ("jinja2", "babel")


def missing_libraries() -> list[str]:
    """The libraries of the ``data`` extra that are not installed."""
    return [name for name in _LIBRARIES if not _installed(name)]


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a module blocked in sys.modules (set to None)
        return False


def require(name: str) -> None:
    """Raise a ``DataError`` naming ``name`` (the file that declares data) and the extra to
    install when Jinja2 or Babel is missing."""
    missing = missing_libraries()
    if missing:
        raise DataError(f"{name}: data needs {' and '.join(missing)}; {EXTRA_HINT}")


def missing_extra(library: str) -> DataError:
    """The error raised by a module of this package that cannot import ``library``."""
    return DataError(f"data needs {library}; {EXTRA_HINT}")
