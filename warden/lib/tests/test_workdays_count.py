"""workdays_between counts working days arithmetically; it must give the answer of walking the days one by one
(the definition), for the shipped calendar and for a caller's own holidays, and refuse the same days."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from warden.lib import workdays


def _walked(start: dt.date, end: dt.date, holidays: frozenset[dt.date] | None = None) -> int:
    """The definition: step through (start, end] and count the working days (negative when end < start)."""
    if end < start:
        return -_walked(end, start, holidays)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += workdays.is_workday(day, holidays)
    return count


def test_the_count_equals_walking_the_days_over_the_shipped_calendar() -> None:
    rng = random.Random(11)
    first, last = dt.date(2019, 1, 1).toordinal(), workdays.covered_until().toordinal()
    for _ in range(2000):
        a = dt.date.fromordinal(rng.randint(first, last))
        b = dt.date.fromordinal(min(last, a.toordinal() + rng.randint(-400, 400)))
        assert workdays.workdays_between(a, b) == _walked(a, b), (a, b)


def test_the_count_equals_walking_the_days_with_the_callers_own_holidays() -> None:
    rng = random.Random(12)
    holidays = frozenset(dt.date(2031, 1, 1) + dt.timedelta(days=rng.randint(0, 700)) for _ in range(40))
    for _ in range(500):
        a = dt.date(2031, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        b = a + dt.timedelta(days=rng.randint(-300, 300))
        assert workdays.workdays_between(a, b, holidays) == _walked(a, b, holidays), (a, b)


def test_easter_and_the_weekends_are_not_counted() -> None:
    # Thursday 2 April 2026 to Tuesday 7 April: Good Friday, the weekend and Easter Monday are off.
    assert workdays.workdays_between(dt.date(2026, 4, 2), dt.date(2026, 4, 7)) == 1
    assert workdays.workdays_between(dt.date(2026, 4, 7), dt.date(2026, 4, 2)) == -1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2028, 12, 1), dt.date(2029, 1, 5)),  # runs past the data
        (dt.date(2029, 2, 1), dt.date(2029, 3, 1)),  # starts after it
        (dt.date(2029, 1, 5), dt.date(2028, 12, 1)),  # backwards
    ],
)
def test_a_range_past_the_data_is_refused_naming_the_same_day_as_the_walk(
    start: dt.date, end: dt.date
) -> None:
    with pytest.raises(workdays.CalendarDataEnded) as counted:
        workdays.workdays_between(start, end)
    with pytest.raises(workdays.CalendarDataEnded) as walked:
        _walked(start, end)
    assert counted.value.day == walked.value.day
    assert str(counted.value) == str(walked.value)
