"""The one clock: every "now" and "today" in Warden comes from here.

"Today" is the calendar day in the authority's configured time zone (settings.TIME_ZONE), not the server's
local day nor UTC: at 00:30 in London on 1 July the UTC day is still 30 June, and a deadline, a certificate
date or an assessment date must not depend on which of the two a call site happened to use. The rules
engine stays pure: it never reads this clock, callers pass it the date.

Tests and the demo freeze time by patching django.utils.timezone.now, which both functions follow.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, time-zone aware (UTC)."""
    return timezone.now()


def today() -> dt.date:
    """The current calendar day in the configured time zone (settings.TIME_ZONE)."""
    return timezone.localdate(timezone.now())


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar day of an aware `moment` in the configured time zone (e.g. the day a case was
    submitted)."""
    return timezone.localdate(moment)
