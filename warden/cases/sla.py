"""Service levels: the working-day target per licence type, and how the clock pauses while the authority
waits for the exporter. This module is the one place these numbers live."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from warden.cases.models import OPEN_STATUSES, Case, LicenceType
from warden.lib import clock
from warden.lib.workdays import add_workdays, workdays_between

# Working days from submission to decision, per licence type. Global licences cover many consignments and
# destinations and take longer to assess (the UK's OIEL target is 60 working days; SIEL 20).
SLA_WORKING_DAYS: dict[str, int] = {
    LicenceType.INDIVIDUAL: 20,
    LicenceType.GLOBAL: 60,
    LicenceType.BROKERING: 20,
    LicenceType.TRANSIT: 20,
    LicenceType.TEMPORARY: 20,
}


def today() -> dt.date:
    return clock.today()


def sla_days_for(licence_type: str) -> int:
    return SLA_WORKING_DAYS[licence_type]


def deadline_from(submitted_on: dt.date, licence_type: str) -> dt.date:
    """The decision deadline of a case submitted on `submitted_on`.

    >>> deadline_from(dt.date(2026, 3, 16), "individual")  # Monday + 20 working days; Easter skipped
    datetime.date(2026, 4, 15)
    """
    return add_workdays(submitted_on, sla_days_for(licence_type))


def paused_workdays(paused_since: dt.datetime, resumed_at: dt.datetime) -> int:
    """Working days the clock stood still: a question asked on Monday and answered on Wednesday pauses it
    for 2 working days. Computed on local calendar dates (the deadline is a date)."""
    start = clock.local_date(paused_since)
    end = clock.local_date(resumed_at)
    return max(0, workdays_between(start, end))


def working_days_left(case: Case, on: dt.date | None = None) -> int | None:
    """Working days until the deadline (negative when overdue); while paused, counted from the pause."""
    if case.sla_deadline is None:
        return None
    ref = clock.local_date(case.paused_since) if case.paused_since else (on or today())
    return workdays_between(ref, case.sla_deadline)


def deadline_info(case: Case) -> dict[str, Any]:
    """The case's deadline at a glance (queue, case page, dashboards): date, working days left, and
    overdue / due-soon / paused."""
    return deadline_info_of(case.sla_deadline, case.paused_since, case.status)


def deadline_info_of(
    deadline: dt.date | None, paused_since: dt.datetime | None, status: str, on: dt.date | None = None
) -> dict[str, Any]:
    """deadline_info from the three columns it reads, for lists read as values() (no Case built per row);
    `on` is today unless given, so a list of 50 rows asks the clock once."""
    is_open = status in OPEN_STATUSES
    left: int | None = None
    if deadline is not None:
        ref = clock.local_date(paused_since) if paused_since else (on or today())
        left = workdays_between(ref, deadline)
    state = ""
    if paused_since:
        state = "paused"
    elif left is not None and is_open:
        state = "overdue" if left < 0 else "due-soon" if left <= 5 else ""
    return {"date": deadline, "left": left, "state": state, "open": is_open}


def is_overdue(case: Case, on: dt.date | None = None) -> bool:
    """Open, past its deadline and not waiting for the exporter."""
    if case.status not in OPEN_STATUSES or case.sla_deadline is None or case.paused_since is not None:
        return False
    return case.sla_deadline < (on or today())


def overdue_q(on: dt.date | None = None) -> Q:
    """The same rule as is_overdue, for querysets: Case.objects.filter(overdue_q())."""
    return Q(status__in=list(OPEN_STATUSES), sla_deadline__lt=on or today(), paused_since__isnull=True)
