"""Cron expressions: parsed strictly, with one clear message per mistake.

Five fields, as in crontab(5): minute, hour, day of month, month, day of week (0 or 7 is
Sunday; names such as ``mon`` and ``jan`` are accepted), plus the aliases ``@hourly``,
``@daily``/``@midnight``, ``@weekly``, ``@monthly`` and ``@yearly``/``@annually``.

The parsed form expands every field into its values, so it can become an APScheduler trigger
(whose own ``from_crontab`` numbers weekdays from Monday, unlike cron) and a systemd
``OnCalendar=`` value. Like cron, when both day fields are restricted a day matches either.
"""

from __future__ import annotations

from dataclasses import dataclass

ALIASES = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}

_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February 29 in leap years
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

#: (name, lowest, highest, names for values starting at ``lowest``)
_FIELDS: tuple[tuple[str, int, int, list[str]], ...] = (
    ("minute", 0, 59, []),
    ("hour", 0, 23, []),
    ("day of month", 1, 31, []),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)


class CronSyntaxError(ValueError):
    """A cron expression is wrong; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Cron:
    """A parsed cron expression: the values each field allows."""

    expr: str  # as written
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: tuple[int, ...]  # days of the month, 1-31
    months: tuple[int, ...]  # 1-12
    weekdays: tuple[int, ...]  # 0 (Sunday) to 6
    days_any: bool  # the day-of-month field is "*"
    weekdays_any: bool  # the day-of-week field is "*"


def parse_cron(expr: str) -> Cron:
    """Parse a cron expression, or raise ``CronSyntaxError`` naming the bad field."""
    text = expr.strip()
    if text.startswith("@"):
        if text.lower() not in ALIASES:
            raise CronSyntaxError(f"unknown alias {text!r}; use one of {', '.join(ALIASES)}")
        text = ALIASES[text.lower()]
    parts = text.split()
    if len(parts) != 5:
        raise CronSyntaxError(
            f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(parts)}; "
            'for example "0 7 * * mon" is every Monday at 07:00'
        )
    values = [_parse_field(part, *spec) for part, spec in zip(parts, _FIELDS, strict=True)]
    weekdays = tuple(sorted({day % 7 for day in values[4]}))
    days_any, weekdays_any = parts[2] in ("*", "?"), parts[4] in ("*", "?")
    # Days of the month alone (no day of the week to match instead) must exist in a month.
    if not days_any and weekdays_any and not any(
            day <= _MONTH_DAYS[month - 1] for month in values[3] for day in values[2]):
        raise CronSyntaxError(f"{expr.strip()!r} never fires: no month given has the day "
                              f"{', '.join(map(str, values[2]))}")
    return Cron(
        expr=expr.strip(),
        minutes=values[0],
        hours=values[1],
        days=values[2],
        months=values[3],
        weekdays=weekdays,
        days_any=days_any,
        weekdays_any=weekdays_any,
    )


def _parse_field(text: str, name: str, low: int, high: int, names: list[str]) -> tuple[int, ...]:
    found: set[int] = set()
    for item in text.split(","):
        rng, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise CronSyntaxError(f"{name}: bad step {step_text!r} in {text!r}")
            step = int(step_text)
        if rng in ("*", "?"):
            start, stop = low, high
            if name == "day of week":
                stop = 6
        elif "-" in rng:
            first, _, last = rng.partition("-")
            start = _value(first, name, low, high, names, text)
            stop = _value(last, name, low, high, names, text)
            if stop < start:
                raise CronSyntaxError(f"{name}: range {rng!r} runs backwards")
        else:
            start = _value(rng, name, low, high, names, text)
            stop = high if step_text else start
        found.update(range(start, stop + 1, step))
    return tuple(sorted(found))


def _value(word: str, name: str, low: int, high: int, names: list[str], text: str) -> int:
    if word.isdigit():
        number = int(word)
        if not low <= number <= high:
            raise CronSyntaxError(f"{name}: {number} is out of range {low}-{high} in {text!r}")
        return number
    if word.lower() in names:
        return names.index(word.lower()) + low
    hint = f" or a name ({', '.join(names)})" if names else ""
    raise CronSyntaxError(f"{name}: {word!r} is not a number {low}-{high}{hint}")


def trigger_fields(cron: Cron) -> list[dict[str, str]]:
    """Keyword arguments for APScheduler ``CronTrigger``s whose union is ``cron``.

    Weekdays are given by name, so APScheduler's Monday-first numbering does not matter.
    """
    base = {
        "minute": _join(cron.minutes),
        "hour": _join(cron.hours),
        "month": _join(cron.months),
    }
    by_day = {**base, "day": _join(cron.days), "day_of_week": "*"}
    by_weekday = {**base, "day": "*", "day_of_week": ",".join(_DAYS[d] for d in cron.weekdays)}
    if cron.days_any and cron.weekdays_any:
        return [{**base, "day": "*", "day_of_week": "*"}]
    if cron.weekdays_any:
        return [by_day]
    if cron.days_any:
        return [by_weekday]
    return [by_day, by_weekday]  # cron: either day field matches


def on_calendar(cron: Cron) -> list[str]:
    """systemd ``OnCalendar=`` values (several lines are a union) equivalent to ``cron``."""
    time = f"{_join(cron.hours, 2, 24)}:{_join(cron.minutes, 2, 60)}:00"
    months = "*" if len(cron.months) == 12 else _join(cron.months, 2)

    def line(days: str, weekdays: tuple[int, ...] | None) -> str:
        names = ",".join(_DAYS[d].capitalize() for d in weekdays) + " " if weekdays else ""
        return f"{names}*-{months}-{days} {time}"

    all_days = "*"
    some_days = _join(cron.days, 2)
    if cron.days_any and cron.weekdays_any:
        return [line(all_days, None)]
    if cron.weekdays_any:
        return [line(some_days, None)]
    if cron.days_any:
        return [line(all_days, cron.weekdays)]
    return [line(some_days, None), line(all_days, cron.weekdays)]


def _join(values: tuple[int, ...], width: int = 1, every: int = 0) -> str:
    if every and len(values) == every:
        return "*"
    return ",".join(str(v).zfill(width) for v in values)
