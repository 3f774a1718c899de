"""Working-day arithmetic for service levels: weekends and bank holidays do not count. Pure (no Django).

The bank holidays ship as data (warden/lib/data/bank_holidays.json, England and Wales, from gov.uk);
every function also takes an explicit `holidays` set so that tests and other jurisdictions can pass their own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "bank_holidays.json"


@cache
def bank_holidays() -> frozenset[dt.date]:
    """The shipped bank holidays (England and Wales)."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return frozenset(dt.date.fromisoformat(d) for d in raw["dates"])


def is_workday(day: dt.date, holidays: Collection[dt.date] | None = None) -> bool:
    """Not a weekend day nor a bank holiday.

    >>> is_workday(dt.date(2026, 4, 3))  # Good Friday
    False
    """
    hol = bank_holidays() if holidays is None else holidays
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
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day, holidays):
            count += 1
    return count
