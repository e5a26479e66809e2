from __future__ import annotations

import pytest

from briefing.jobs.cron import CronSyntaxError, on_calendar, parse_cron, trigger_fields


def test_fields_expand() -> None:
    cron = parse_cron("*/15 7-9 1,15 jan-mar mon-fri")
    assert cron.minutes == (0, 15, 30, 45)
    assert cron.hours == (7, 8, 9)
    assert cron.days == (1, 15)
    assert cron.months == (1, 2, 3)
    assert cron.weekdays == (1, 2, 3, 4, 5)


def test_sunday_is_0_and_7() -> None:
    assert parse_cron("0 0 * * 0").weekdays == parse_cron("0 0 * * 7").weekdays == (0,)
    assert parse_cron("@weekly").weekdays == (0,)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("0 7 * *", "expected 5 fields"),
        ("61 * * * *", "minute: 61 is out of range 0-59"),
        ("0 7 * * funday", "day of week: 'funday' is not a number 0-7 or a name"),
        ("0 9-7 * * *", "range '9-7' runs backwards"),
        ("*/0 * * * *", "bad step"),
        ("@sometimes", "unknown alias"),
    ],
)
def test_errors(expr: str, message: str) -> None:
    with pytest.raises(CronSyntaxError, match=message):
        parse_cron(expr)


def test_trigger_fields_weekdays_by_name() -> None:
    assert trigger_fields(parse_cron("0 7 * * 1")) == [
        {
            "minute": "0",
            "hour": "7",
            "month": "1,2,3,4,5,6,7,8,9,10,11,12",
            "day": "*",
            "day_of_week": "mon",
        }
    ]
    assert len(trigger_fields(parse_cron("0 7 1 * mon"))) == 2  # cron: either day matches


def test_on_calendar() -> None:
    assert on_calendar(parse_cron("0 7 * * mon")) == ["Mon *-*-* 07:00:00"]
    assert on_calendar(parse_cron("30 6 * * *")) == ["*-*-* 06:30:00"]
    assert on_calendar(parse_cron("0 0 1 1 *")) == ["*-01-01 00:00:00"]
    assert on_calendar(parse_cron("*/30 * 1 * fri")) == [
        "*-*-01 *:00,30:00",
        "Fri *-*-* *:00,30:00",
    ]
