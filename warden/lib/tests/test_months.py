"""Calendar months: the same day later, or that month's last day."""

from __future__ import annotations

import datetime as dt
import doctest

from warden.lib import months
from warden.lib.months import add_months


def test_a_day_missing_from_the_later_month_is_its_last_day() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 3, 15), 12) == dt.date(2027, 3, 15)
    assert doctest.testmod(months).failed == 0
