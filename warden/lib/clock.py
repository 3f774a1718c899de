"""The one clock: every "now" and "today" in Warden comes from here.

"Today" is the calendar day in the authority's configured time zone (settings.TIME_ZONE), not the server's
local day nor UTC: at 00:30 in London on 1 July the UTC day is still 30 June, and a deadline, a certificate
date or an assessment date must not depend on which of the two a call site happened to use. The rules
engine stays pure: it never reads this clock, callers pass it the date.

The time zone is settings.TIME_ZONE and nothing else. Tests freeze time with pytest's monkeypatch of
django.utils.timezone.now, which every function here follows. The demo generator replays months of history
at their own moments through `travel()`, the one supported way for application code to run at a chosen
moment: the override is held in a ContextVar, so it applies only to the code running inside the `with`
block (other threads, and asyncio tasks started elsewhere, keep the real clock), and it ends with the block.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

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


@dataclass
class Travel:
    """The moment inside a `travel()` block; set `.now` to move it (forwards, in the demo's replay)."""

    now: dt.datetime


_travel: ContextVar[Travel | None] = ContextVar("warden_clock_travel", default=None)
_bridge_lock = threading.Lock()
_bridge_users = 0
_django_now: Callable[[], dt.datetime] | None = None


def _bridged_now() -> dt.datetime:
    travel = _travel.get()
    if travel is not None:
        return travel.now
    assert _django_now is not None
    return _django_now()


@contextmanager
def travel(start: dt.datetime) -> Iterator[Travel]:
    """Run the block at `start` (move it with the returned handle's `.now`). For the demo generator only
    (warden.demo.caseload), which replays a caseload's history through the real services at each step's moment.

    Django's own DateTimeField(auto_now/auto_now_add) reads django.utils.timezone.now, not this module, so while
    any travel block is open that function delegates to a context-aware one: inside the block it returns the
    travel moment, everywhere else (other threads, other contexts) the real time, exactly as before."""
    if timezone.is_naive(start):
        raise ValueError("travel() needs an aware datetime")
    global _bridge_users, _django_now
    with _bridge_lock:
        if _bridge_users == 0:
            _django_now = timezone.now
            timezone.now = _bridged_now
        _bridge_users += 1
    handle = Travel(start)
    token = _travel.set(handle)
    try:
        yield handle
    finally:
        _travel.reset(token)
        with _bridge_lock:
            _bridge_users -= 1
            if _bridge_users == 0:
                assert _django_now is not None
                timezone.now = _django_now
                _django_now = None
