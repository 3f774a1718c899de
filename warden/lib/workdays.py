"""Working-day arithmetic for service levels: weekends and bank holidays do not count. Pure (no Django).

The bank holidays ship as data (warden/lib/data/bank_holidays.json, England and Wales, from gov.uk);
every function also takes an explicit `holidays` set so that tests and other jurisdictions can pass their own.

The shipped data ends (gov.uk publishes about two years ahead; the file says up to which day it is complete in
`covers_until`). A day after that cannot be classified: counting it as a working day would silently move every
deadline, so asking about it raises CalendarDataEnded, naming the last covered day, and the web pages, the
API and the CLI show that message instead of failing with a 500.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Collection
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "bank_holidays.json"


class CalendarDataEnded(LookupError):
    """A working-day question about a day after the end of the shipped bank-holiday data."""

    def __init__(self, day: dt.date, covered_until: dt.date) -> None:
        self.day = day
        self.covered_until = covered_until
        super().__init__(
            f"The bank-holiday calendar ({_DATA.name}) covers days up to {covered_until.isoformat()} only, so "
            f"Warden cannot count working days to {day.isoformat()}. An administrator must add the later bank "
            "holidays (from https://www.gov.uk/bank-holidays.json) and set covers_until."
        )


@cache
def _calendar() -> tuple[frozenset[dt.date], dt.date]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    dates = frozenset(dt.date.fromisoformat(d) for d in raw["dates"])
    until = raw.get("covers_until")
    # Without an explicit end, the data is taken to cover the last calendar year it lists a holiday in.
    end = dt.date.fromisoformat(until) if until else dt.date(max(dates).year, 12, 31)
    return dates, end


def bank_holidays() -> frozenset[dt.date]:
    """The shipped bank holidays (England and Wales)."""
    return _calendar()[0]


def covered_until() -> dt.date:
    """The last day the shipped bank-holiday data is complete for."""
    return _calendar()[1]


def is_workday(day: dt.date, holidays: Collection[dt.date] | None = None) -> bool:
    """Not a weekend day nor a bank holiday.

    >>> is_workday(dt.date(2026, 4, 3))  # Good Friday
    False
    >>> is_workday(dt.date(2029, 1, 2))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    warden.lib.workdays.CalendarDataEnded: The bank-holiday calendar ... covers days up to 2028-12-31 only, ...
    """
    hol: Collection[dt.date]
    if holidays is None:
        hol, end = _calendar()
        if day > end:
            raise CalendarDataEnded(day, end)
    else:
        hol = holidays
    return day.weekday() < 5 and day not in hol


def add_workdays(start: dt.date, days: int, holidays: Collection[dt.date] | None = None) -> dt.date:
    """The date `days` working days after `start` (`start` itself does not count).

    >>> add_workdays(dt.date(2026, 3, 2), 5)  # Monday + 5 working days
    datetime.date(2026, 3, 9)
    >>> add_workdays(dt.date(2026, 4, 2), 1)  # Thursday before Easter: Friday and Monday are holidays
    datetime.date(2026, 4, 7)
    >>> add_workdays(dt.date(2026, 3, 6), 0)
    datetime.date(2026, 3, 6)
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day = start
    left = days
    while left:
        day += dt.timedelta(days=1)
        if is_workday(day, holidays):
            left -= 1
    return day


def workdays_between(start: dt.date, end: dt.date, holidays: Collection[dt.date] | None = None) -> int:
    """Working days in (start, end]: how far `end` is past `start`; negative when `end` is earlier.

    >>> workdays_between(dt.date(2026, 3, 6), dt.date(2026, 3, 9))  # Friday -> Monday
    1
    >>> workdays_between(dt.date(2026, 3, 9), dt.date(2026, 3, 6))
    -1
    >>> workdays_between(dt.date(2026, 3, 7), dt.date(2026, 3, 8))  # a weekend
    0
    """
    if end < start:
        return -workdays_between(end, start, holidays)
    # Counted, not walked: the queue computes this for every distinct deadline on its page, and a walk costs
    # one is_workday call per calendar day (the same answer as the walk: test_workdays_count.py).
    if holidays is None:
        _, until = _calendar()
        if end > until:  # the walk would have stopped at the first day after the data
            raise CalendarDataEnded(max(start, until) + dt.timedelta(days=1), until)
        days_off = _weekday_holidays()
        off = bisect.bisect_right(days_off, end) - bisect.bisect_right(days_off, start)
    else:
        off = sum(1 for day in set(holidays) if start < day <= end and day.weekday() < 5)
    return _weekdays_to(end) - _weekdays_to(start) - off


def _weekdays_to(day: dt.date) -> int:
    """Monday to Friday days from 1 January of year 1 (a Monday, ordinal 1) up to and including `day`."""
    weeks, rest = divmod(day.toordinal(), 7)
    return 5 * weeks + min(rest, 5)


@cache
def _weekday_holidays() -> tuple[dt.date, ...]:
    """The shipped bank holidays that fall on a weekday, sorted (the others cost no working day)."""
    return tuple(sorted(day for day in bank_holidays() if day.weekday() < 5))
