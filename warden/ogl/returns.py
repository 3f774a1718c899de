"""Periodic returns of an OGL registration: when each is due, the holder filing one, and the daily sweep that
flags a missed one on the registration (after-licence.md §8.4: "periodic returns per authority ...;
reminders before due dates"; §7: "reporting reminders for general licences").

The schedule follows from the terms and the first use, so it is computed, not stored (like an end-use
check's status): the first return is due `first_report_days` after the first export (the 2011 GEA rule:
notify first use within 30 days), then one every `report_every_months` counted from that first due date
(so the days do not drift month by month). Each return covers the uses shipped from the previous due date
(or the first export) to its own. Before the first use nothing is due; an ended registration
(deregistered, surrendered, revoked) owes nothing more. The terms are those of the version in force today.

A row (OglReturn) exists once a return is filed or found missed; `missed_at` is the compliance flag, kept
after a late filing. Each change writes its audit entry in its transaction; the inbox reminds the holder
from that entry and from the dates (warden.inbox.deadlines)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction

from warden.accounts.actors import Actor, the_person
from warden.audit.services import record
from warden.lib import clock
from warden.lib.errors import Conflict, NotPermitted
from warden.lib.months import add_months
from warden.ogl import policy
from warden.ogl.models import OglRegistration, OglReturn, OglVersion
from warden.ogl.models import RegistrationStatus as S

# A return may be filed from this many days before it is due, and the holder is reminded from then on.
APPROACHING_DAYS = 14
OWING = frozenset({S.EXTANT, S.SUSPENDED})  # a suspension does not stop the reporting duty


class ReturnState(StrEnum):
    FILED = "filed"
    OPEN = "open"  # its period runs; not yet within APPROACHING_DAYS of the due date
    APPROACHING = "approaching"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Scheduled:
    number: int
    period_start: dt.date
    due_on: dt.date


def schedule(
    first_use: dt.date, first_report_days: int, every_months: int, today: dt.date
) -> list[Scheduled]:
    """The returns whose period has begun by `today`, oldest first (pure).

    >>> [s.due_on.isoformat() for s in schedule(dt.date(2026, 1, 10), 30, 6, dt.date(2026, 9, 1))]
    ['2026-02-09', '2026-08-09', '2027-02-09']
    """
    first_due = first_use + dt.timedelta(days=first_report_days)
    out = [Scheduled(1, first_use, first_due)]
    while every_months > 0 and out[-1].due_on <= today:
        n = len(out) + 1
        out.append(Scheduled(n, out[-1].due_on, add_months(first_due, (n - 1) * every_months)))
    return out


@dataclass(frozen=True)
class ReturnDue:
    registration: OglRegistration
    scheduled: Scheduled
    row: OglReturn | None
    state: ReturnState

    @property
    def missed(self) -> bool:
        return self.row is not None and self.row.missed_at is not None


def _terms(reg: OglRegistration, today: dt.date) -> OglVersion | None:
    current = reg.ogl.version_on(today)
    if current is not None:
        return current
    return reg.ogl.versions.filter(effective_from__lte=today).order_by("-effective_from").first()


def _state(s: Scheduled, row: OglReturn | None, today: dt.date) -> ReturnState:
    if row is not None and row.filed_at is not None:
        return ReturnState.FILED
    if s.due_on < today:
        return ReturnState.OVERDUE
    if s.due_on - dt.timedelta(days=APPROACHING_DAYS) <= today:
        return ReturnState.APPROACHING
    return ReturnState.OPEN


def returns_of(reg: OglRegistration, today: dt.date | None = None) -> list[ReturnDue]:
    """Every return of `reg` whose period has begun, with its state; empty before the first use."""
    day = today or clock.today()
    first = reg.uses.order_by("shipped_on").values_list("shipped_on", flat=True).first()
    terms = _terms(reg, day)
    if first is None or terms is None:
        return []
    rows = {r.number: r for r in reg.returns.all()}
    plan = schedule(first, terms.first_report_days, terms.report_every_months, day)
    if reg.status not in OWING:
        # An ended registration owes what fell due while it ran, nothing after.
        ended = clock.local_date(reg.status_changed_at)
        plan = [s for s in plan if s.due_on <= ended or s.number in rows]
    return [ReturnDue(reg, s, rows.get(s.number), _state(s, rows.get(s.number), day)) for s in plan]


def next_due(reg: OglRegistration, today: dt.date | None = None) -> ReturnDue | None:
    """The oldest return not filed yet; when all are filed, the one whose period starts next (None before
    the first use, or once the registration has ended and owes nothing)."""
    day = today or clock.today()
    held = returns_of(reg, day)
    pending = next((r for r in held if r.state != ReturnState.FILED), None)
    if pending is not None or not held or reg.status not in OWING:
        return pending
    terms = _terms(reg, day)
    assert terms is not None  # returns_of found some
    following = schedule(
        held[0].scheduled.period_start,
        terms.first_report_days,
        terms.report_every_months,
        held[-1].scheduled.due_on,
    )[-1]
    if following.number == held[-1].scheduled.number:
        return None  # no periodic returns after the first (report_every_months 0)
    return ReturnDue(reg, following, None, _state(following, None, day))


def queue(registrations: list[OglRegistration], today: dt.date | None = None) -> list[ReturnDue]:
    """The returns overdue or approaching of `registrations`: overdue first, then by due date."""
    day = today or clock.today()
    out = [
        r
        for reg in registrations
        for r in returns_of(reg, day)
        if r.state in (ReturnState.OVERDUE, ReturnState.APPROACHING)
    ]
    return sorted(out, key=lambda r: (r.state != ReturnState.OVERDUE, r.scheduled.due_on, r.registration.pk))


@transaction.atomic
def file_return(*, actor: Actor, registration: OglRegistration) -> OglReturn:
    """The holder files the oldest return not yet filed, from APPROACHING_DAYS before its due date (or late):
    the uses reported for its period are its content, none makes it a nil return."""
    if not policy.holds(actor, registration):
        raise NotPermitted(
            f"Only an exporter of {registration.organisation.name} files this registration's returns"
        )
    reg = OglRegistration.objects.select_for_update().select_related("ogl").get(pk=registration.pk)
    today = clock.today()
    due = next_due(reg, today)
    if due is None:
        raise Conflict(
            f"Registration {reg.reference} has no return to file: the first is due "
            "a set number of days after the first export (report the use first)"
        )
    s = due.scheduled
    if due.state == ReturnState.OPEN:
        opens = s.due_on - dt.timedelta(days=APPROACHING_DAYS)
        raise Conflict(
            f"Return {s.number} of {reg.reference} is due on {s.due_on}; it can be filed from {opens}"
        )
    uses = reg.uses.filter(shipped_on__gte=s.period_start, shipped_on__lt=s.due_on).count()
    row, _ = OglReturn.objects.select_for_update().get_or_create(
        registration=reg, number=s.number, defaults={"period_start": s.period_start, "due_on": s.due_on}
    )
    row.filed_at, row.filed_by, row.uses = clock.now(), the_person(actor, "file a return"), uses
    row.save(update_fields=["filed_at", "filed_by", "uses"])
    record(
        actor=actor,
        action="ogl.return",
        target=row,
        data={
            "registration": reg.reference,
            "number": s.number,
            "period": [s.period_start.isoformat(), s.due_on.isoformat()],
            "uses": uses,
            "late": s.due_on < today,
        },
    )
    return row


@transaction.atomic
def flag_missed(*, actor: Actor, today: dt.date | None = None) -> list[OglReturn]:
    """The daily sweep: every return past its due date and not filed gets its compliance flag, once."""
    if not policy.may(actor, policy.OglAction.SWEEP):
        raise NotPermitted("Missed returns are flagged by the system's daily run")
    day = today or clock.today()
    flagged: list[OglReturn] = []
    regs = OglRegistration.objects.filter(uses__isnull=False).distinct().select_related("ogl").order_by("pk")
    for reg in regs:
        for due in returns_of(reg, day):
            if due.state != ReturnState.OVERDUE or due.missed:
                continue
            s = due.scheduled
            row, _ = OglReturn.objects.select_for_update().get_or_create(
                registration=reg,
                number=s.number,
                defaults={"period_start": s.period_start, "due_on": s.due_on},
            )
            row.missed_at = clock.now()
            row.save(update_fields=["missed_at"])
            record(
                actor=actor,
                action="ogl.return_missed",
                target=row,
                data={"registration": reg.reference, "number": s.number, "due_on": s.due_on.isoformat()},
            )
            flagged.append(row)
    return flagged
