"""``{{ … }}`` expressions: values from data in the text, evaluated in a sandbox.

An expression is one line of Jinja2 *expression* syntax between ``{{`` and ``}}`` (no
statements: no ``{% for %}``, so no loops), evaluated in Jinja2's
``ImmutableSandboxedEnvironment`` with strict undefined names:

- names: ``data`` (each data file by its name: ``data.cases``), ``row`` (one row of a
  fan-out), and what the caller adds; nothing else (no ``range``, ``lipsum``, ``cycler``…);
- a row's columns are its attributes (``row.region``, ``data.cases[0].cases``), before any
  method of the same name; a JSON object's keys likewise;
- filters for the briefing's language (``FILTERS``): ``number``, ``percent``, ``date``,
  ``sum``, ``max``, ``min``, ``count``, ``latest``, ``change``, ``slug``, and a short list of
  Jinja2's own that cannot exhaust memory (``SAFE_BUILTIN_FILTERS``);
- bounded: an expression is at most ``MAX_EXPRESSION`` characters and gives at most
  ``MAX_OUTPUT``; ``*`` and ``**`` cannot build huge texts, lists or numbers; ``%`` on text
  (old-style formatting) is refused, and the sandbox refuses ``str.format`` tricks and every
  attribute starting with ``_``.

The value comes back as plain text (numbers and dates in the language), never markup: the
renderer escapes it as it escapes all text, so ``<font color=red>`` or ``**x**`` in a data file
prints as typed. An unknown name, column or filter is a ``DataError`` naming the file, the line
and the expression.

For Markdown, ``protect`` swaps each expression for a placeholder before the Markdown parser
sees the text (so neither an expression's ``_`` or ``|`` nor a value's ``**`` is read as
Markdown), and ``restore`` puts the values in afterwards.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from briefing.data import formats, missing_extra
from briefing.data.values import DATES, Dataset, Problem, Record, is_number
from briefing.errors import DataError

try:
    from jinja2 import StrictUndefined, TemplateSyntaxError, Undefined, UndefinedError
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment
except ImportError:  # pragma: no cover - the data extra is missing
    raise missing_extra("Jinja2") from None

#: Longest expression, in characters, between the braces.
MAX_EXPRESSION = 500
#: Longest text an expression may give (and any text or list built inside it).
MAX_OUTPUT = 10_000
#: Largest whole number an expression may build (in bits).
MAX_BITS = 4096

#: Jinja2's filters kept: none of them can build more than its input.
SAFE_BUILTIN_FILTERS = (
    "abs", "capitalize", "default", "d", "dictsort", "first", "float", "groupby", "int",
    "items", "join", "last", "length", "list", "lower", "map", "reject", "rejectattr",
    "reverse", "round", "select", "selectattr", "sort", "string", "title", "trim", "truncate",
    "unique", "upper", "wordcount",
)

#: Methods an expression may call (on texts and dates); none of them builds more than its
#: input. Everything else (``center``, ``ljust``, ``zfill``, ``format``…) is refused.
SAFE_METHODS = frozenset({
    "upper", "lower", "title", "capitalize", "casefold", "strip", "lstrip", "rstrip",
    "startswith", "endswith", "isdigit", "isalpha", "count", "find", "isoformat", "weekday",
    "isoweekday",
})

_EXPRESSION = re.compile(r"\{\{(.*?)\}\}")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True, slots=True)
class Expression:
    """One ``{{ … }}`` in a text."""

    source: str  # what is between the braces, stripped
    line: int  # line of the file it is on
    start: int  # offsets of ``{{`` and after ``}}`` in the text
    end: int


def find_expressions(text: str, *, file: str, line: int = 1) -> list[Expression]:
    """Every ``{{ … }}`` of a text whose first line is line ``line`` of ``file``; an
    expression that is not closed on its line is an error."""
    found: list[Expression] = []
    position = 0
    while (start := text.find("{{", position)) >= 0:
        at = line + text.count("\n", 0, start)
        match = _EXPRESSION.match(text, start)
        if match is None:
            raise DataError(f"{file}, line {at}: '{{{{' is not closed by '}}}}' on its line; "
                            "close the expression, or write the braces another way")
        source = match.group(1).strip()
        if not source:
            raise DataError(f"{file}, line {at}: an empty expression {{{{ }}}}; "
                            "write a value between the braces")
        if len(source) > MAX_EXPRESSION:
            raise DataError(f"{file}, line {at}: an expression of {len(source)} characters "
                            f"(at most {MAX_EXPRESSION}); compute the value in the data instead")
        found.append(Expression(source, at, start, match.end()))
        position = match.end()
    return found


@dataclass(frozen=True, slots=True)
class Protected:
    """A text whose expressions were swapped for placeholders (``protect``)."""

    text: str
    expressions: tuple[Expression, ...]


class Namespace(Mapping[str, Any]):
    """``data``: every data file of a briefing by its name."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def missing(self, name: str) -> Problem:
        names = list(self._values)
        close = difflib.get_close_matches(str(name), names, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        known = f" (data: {', '.join(names)})" if names else " (the source declares no data)"
        return Problem(f"no data named {name!r}{hint}{known}")


class Expander:
    """Evaluates the expressions of one file's texts, in one language, with its data."""

    def __init__(self, data: Mapping[str, Any], *, lang: str, file: str,
                 row: Record | None = None, names: Mapping[str, Any] | None = None) -> None:
        self.lang = lang
        self.file = file  # for messages: the source (or manifest) the expressions are in
        self._env = environment(lang)
        self._context: dict[str, Any] = {"data": Namespace(data), **(names or {})}
        if row is not None:
            self._context["row"] = row

    def value(self, source: str, *, line: int) -> Any:
        """The raw value of one expression (a number, a date, a row, text…)."""
        try:
            compiled = _compile(self._env, source)
            result = compiled(**self._context)
            if isinstance(result, Undefined):
                result._fail_with_undefined_error()
            return result
        except Problem as exc:
            raise self._error(source, line, str(exc)) from None
        except TemplateSyntaxError as exc:
            raise self._error(source, line, _syntax(exc)) from None
        except UndefinedError as exc:
            raise self._error(source, line, _undefined(exc, self._context)) from None
        except SecurityError as exc:
            raise self._error(source, line, _unsafe(str(exc))) from None
        except ZeroDivisionError:
            raise self._error(source, line, "a division by zero") from None
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            raise self._error(source, line, _failure(exc)) from None
        except RecursionError:
            raise self._error(source, line, "nested too deeply") from None

    def evaluate(self, source: str, *, line: int) -> str:
        """One expression's value as text in the language."""
        result = self.value(source, line=line)
        try:
            text = formats.value(result, None, self.lang)
        except Problem as exc:
            raise self._error(source, line, str(exc)) from None
        if len(text) > MAX_OUTPUT:
            raise self._error(source, line, f"gives {len(text):,} characters (at most "
                              f"{MAX_OUTPUT:,})")
        return text

    def expand(self, text: str, *, line: int = 1) -> str:
        """A text with each ``{{ … }}`` replaced by its value."""
        found = find_expressions(text, file=self.file, line=line)
        if not found:
            return text
        out: list[str] = []
        position = 0
        for expression in found:
            out += [text[position:expression.start],
                    self.evaluate(expression.source, line=expression.line)]
            position = expression.end
        out.append(text[position:])
        return "".join(out)

    def protect(self, text: str, *, line: int = 1) -> Protected:
        """The text with each expression swapped for a placeholder that no parser reads as
        markup (private-use characters and digits)."""
        found = tuple(find_expressions(text, file=self.file, line=line))
        out: list[str] = []
        position = 0
        for number, expression in enumerate(found):
            out += [text[position:expression.start], f"\ue000{number}\ue001"]
            position = expression.end
        out.append(text[position:])
        return Protected("".join(out), found)

    def restore(self, text: str, protected: Protected) -> str:
        """A text (or a piece of it, after parsing) with the placeholders of ``protected``
        replaced by their values."""
        def fill(match: re.Match[str]) -> str:
            index = int(match.group(1))
            if index >= len(protected.expressions):
                return match.group(0)
            expression = protected.expressions[index]
            return self.evaluate(expression.source, line=expression.line)

        return _PLACEHOLDER.sub(fill, text)

    def _error(self, source: str, line: int, problem: str) -> DataError:
        return DataError(f"{self.file}, line {line}: {{{{ {source} }}}}: {problem}")


@lru_cache(maxsize=1024)
def _compile(env: DataEnvironment, source: str) -> Callable[..., Any]:
    return env.compile_expression(source, undefined_to_none=False)


def _syntax(exc: TemplateSyntaxError) -> str:
    message = exc.message or ""
    if found := re.match(r"No (filter|test) named '([^']*)'", message):
        kind, name = found.groups()
        known = sorted(FILTERS) if kind == "filter" else []
        close = difflib.get_close_matches(name, known, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        listed = f" (filters: {', '.join(sorted(FILTERS))})" if kind == "filter" else ""
        return f"unknown {kind} {name!r}{hint}{listed}"
    return f"not a valid expression ({message.rstrip('.')})"


def _unsafe(message: str) -> str:
    if found := re.search(r"attribute '([^']*)'", message):
        return f"the attribute {found.group(1)!r} is not allowed"
    if found := re.search(r"(?:method|function) (?:\w+\.)?(\w+)", message):
        return f"calling {found.group(1)!r} is not allowed; use a filter instead"
    return "not allowed in an expression"


def _undefined(exc: UndefinedError, context: Mapping[str, Any]) -> str:
    message = exc.message or ""
    if found := re.fullmatch(r"'([^']*)' is undefined", message):
        names = ", ".join(sorted(context))
        return f"unknown name {found.group(1)!r} (names: {names})"
    return f"unknown: {message}"


def _failure(exc: Exception) -> str:
    if isinstance(exc, TypeError):
        return "these values do not go together (a number with a text, or a missing value?)"
    if isinstance(exc, IndexError):
        return "no such row"
    if isinstance(exc, ArithmeticError):
        return "the arithmetic fails (a number too large, or a division by zero)"
    return "cannot be evaluated"


# --- the sandbox -----------------------------------------------------------------------------


class DataEnvironment(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with rows' columns as attributes and bounded operators."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def is_safe_callable(self, obj: Any) -> bool:
        return bool(super().is_safe_callable(obj)) and getattr(obj, "__name__", "") in SAFE_METHODS

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Record | Namespace):
            try:
                return obj[attribute]
            except KeyError:
                raise obj.missing(attribute) from None
        if isinstance(obj, Dataset):
            raise _whole_table(obj)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Record | Namespace) and isinstance(argument, str):
            return self.getattr(obj, argument)
        if isinstance(obj, Dataset):
            if isinstance(argument, int) and not isinstance(argument, bool):
                if -len(obj) <= argument < len(obj):
                    return obj[argument]
                raise Problem(f"{obj.file} has {len(obj)} rows; there is no row {argument}")
            raise _whole_table(obj)
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%":
            if isinstance(left, str):
                raise Problem("'%' on a text is not allowed; use the number filter")
            return left % right
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and (
                        len(seq) * times > MAX_OUTPUT):
                    raise Problem(f"this would build more than {MAX_OUTPUT:,} items")
            _check_size(left, right, "*")
            return left * right
        if operator == "**":
            _check_size(left, right, "**")
            return left**right
        return super().call_binop(context, operator, left, right)  # pragma: no cover


def _check_size(left: Any, right: Any, operator: str) -> None:
    if not (is_number(left) and is_number(right)):
        return
    def bits(n: Any) -> float:
        return math.log2(abs(n)) + 1 if n else 0.0

    size = bits(left) + bits(right) if operator == "*" else bits(left) * float(right)
    if size > MAX_BITS or (operator == "**" and abs(right) > MAX_BITS):
        raise Problem("this builds a number too large")


def _whole_table(data: Dataset) -> Problem:
    column = data.columns[-1] if data.columns else "column"
    return Problem(f"data.{data.name} is a table of {len(data)} rows; use a filter "
                   f'(sum("{column}"), latest("{column}")…) or a row (data.{data.name}[0])')


@lru_cache(maxsize=16)
def environment(lang: str) -> DataEnvironment:
    """The sandbox for one language: no globals, the allowed filters, strict undefined."""
    env = DataEnvironment(undefined=StrictUndefined, autoescape=False)
    env.globals.clear()
    kept = {name: env.filters[name] for name in SAFE_BUILTIN_FILTERS}
    env.filters.clear()
    env.filters.update(kept)
    env.filters.update(_language_filters(lang))
    return env


# --- the filters -----------------------------------------------------------------------------


def _rows(rows: Any, what: str) -> list[Any]:
    if isinstance(rows, Dataset):
        return list(rows.rows)
    if isinstance(rows, Record | str | bytes) or not isinstance(rows, Iterable):
        raise Problem(f"{what} needs rows or a list of values, not {_kind(rows)}")
    return list(rows)


def _kind(value: object) -> str:
    if isinstance(value, Record):
        return "one row"
    if isinstance(value, str):
        return "a text"
    return "a number" if is_number(value) else "this value"


def _cells(rows: Any, column: str | None, what: str) -> list[tuple[Any, Record | None]]:
    """The values of a column (or the values themselves), with the row each came from."""
    if isinstance(rows, Dataset) and column is not None:
        rows.column(column)  # an unknown column says which ones exist
    out: list[tuple[Any, Record | None]] = []
    for item in _rows(rows, what):
        if column is None:
            if isinstance(item, Record):
                raise Problem(f'{what} of rows needs a column: {what}("column")')
            out.append((item, None))
        elif isinstance(item, Record):
            if column not in item:
                raise item.missing(column)
            out.append((item[column], item))
        else:
            raise Problem(f"{what}: {column!r} names a column, but these are not rows")
    return out


def _numbers(rows: Any, column: str | None, what: str) -> list[Any]:
    values = []
    for value, row in _cells(rows, column, what):
        if value is None:
            continue
        if not is_number(value):
            where = f"{row.place(column)}: " if row is not None else ""
            raise Problem(f"{what}: {where}{str(value)[:40]!r} is not a number")
        values.append(value)
    return values


def _sum(rows: Any, column: str | None = None) -> Any:
    values = _numbers(rows, column, "sum")
    return sum(values[1:], values[0]) if values else 0


def _extreme(pick: Callable[..., Any], what: str) -> Callable[..., Any]:
    def filter_(rows: Any, column: str | None = None) -> Any:
        values = [v for v, _ in _cells(rows, column, what) if v is not None]
        if not values:
            raise Problem(f"{what}: there is no value")
        numbers = all(is_number(v) for v in values)
        if not numbers and not all(isinstance(v, dt.date) for v in values):
            raise Problem(f"{what}: the values are neither all numbers nor all dates")
        return pick(values)
    return filter_


def _count(rows: Any, column: str | None = None) -> int:
    if column is None:
        return len(_rows(rows, "count"))
    return sum(1 for value, _ in _cells(rows, column, "count") if value is not None)


def _ordered(rows: Any, by: str | None, what: str) -> list[Record]:
    """Rows in time order: by the column ``by``, or the first column of dates, else as
    written; the latest last."""
    items = _rows(rows, what)
    if not all(isinstance(item, Record) for item in items):
        raise Problem(f"{what} needs rows (a data table)")
    if by is None:
        if isinstance(rows, Dataset):
            by = next((c for c, t in zip(rows.columns, rows.types, strict=True)
                       if t in DATES), None)
        elif items:
            by = next((c for c in items[0] if isinstance(items[0][c], dt.date)), None)
    if by is None:
        return items
    dated = [row for row in items if row.get(by) is not None]
    dated.sort(key=lambda row: row[by])
    if len(dated) >= 2 and dated[-1][by] == dated[-2][by]:
        raise Problem(f'{what}: two rows share the latest "{by}" ({dated[-1][by]}, '
                      f"{dated[-2].place()} and {dated[-1].place()}); keep one first, e.g. "
                      '| selectattr("region", "eq", "North")')
    return dated


def _latest(rows: Any, column: str | None = None, by: str | None = None) -> Any:
    ordered = _ordered(rows, by, "latest")
    if not ordered:
        raise Problem("latest: there are no rows")
    row = ordered[-1]
    if column is None:
        return row
    if column not in row:
        raise row.missing(column)
    return row[column]


def _language_filters(lang: str) -> dict[str, Callable[..., Any]]:
    def number(value: Any, digits: int | None = None) -> str:
        return formats.number(value, lang, digits)

    def percent(value: Any, digits: int | None = None) -> str:
        return formats.percent(value, lang, digits)

    def date(value: Any, style: str = "long") -> str:
        return formats.date(value, lang, style)

    def change(value: Any, previous: Any = None, digits: int | None = None,
               by: str | None = None) -> str:
        if isinstance(value, Dataset) or (
                isinstance(value, Iterable) and not isinstance(value, str | Record)):
            if not isinstance(previous, str):
                raise Problem('change of rows needs a column: change("cases")')
            ordered = _ordered(value, by, "change")
            if len(ordered) < 2:
                raise Problem("change: fewer than two rows to compare")
            old, new = ordered[-2], ordered[-1]
            for row in (old, new):
                if previous not in row:
                    raise row.missing(previous)
                if not is_number(row[previous]):
                    raise Problem(f"change: {row.place(previous)} is not a number")
            return formats.change(new[previous], old[previous], lang, digits)
        if previous is None:
            raise Problem("change needs the earlier value: {{ new | change(old) }}")
        return formats.change(value, previous, lang, digits)

    return {
        "number": number,
        "percent": percent,
        "date": date,
        "sum": _sum,
        "max": _extreme(max, "max"),
        "min": _extreme(min, "min"),
        "count": _count,
        "latest": _latest,
        "change": change,
        "slug": slug,
        "replace": _replace,
    }


def _replace(text: Any, old: str, new: str, count: int | None = None) -> str:
    text = str(text)
    if not isinstance(old, str) or not isinstance(new, str):
        raise Problem("replace takes two texts")
    times = text.count(old) if count is None else min(count, text.count(old))
    if len(text) + times * (len(new) - len(old)) > MAX_OUTPUT:
        raise Problem(f"this would build more than {MAX_OUTPUT:,} characters")
    return str(text.replace(old, new) if count is None else text.replace(old, new, count))


def slug(text: Any) -> str:
    """``Île-de-France (nord)`` → ``ile-de-france-nord``: lower-case ASCII letters, digits
    and single hyphens."""
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise Problem(f"slug needs a text, not {_kind(text)}")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


#: The filters of the data language, for messages and documentation.
FILTERS = frozenset({*SAFE_BUILTIN_FILTERS, "number", "percent", "date", "sum", "max", "min",
                     "count", "latest", "change", "slug", "replace"})
