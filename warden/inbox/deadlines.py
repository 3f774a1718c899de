"""Deadlines approaching, told once each (the key names the case or licence and the date): an open case
whose decision is due within DUE_SOON working days (its case officer, else its team's senior officers), a
request for information unanswered for REMIND_DAYS days (the exporter), a live licence expiring within
EXPIRY_DAYS days (its holder), an open general licence return due within warden.ogl.returns.APPROACHING_DAYS
(the registration's exporters; a missed one is told from its audit entry, the compliance flag, by
warden.inbox.delivery). Run daily: `warden inbox daily`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from warden.accounts.models import Role, User
from warden.cases import sla
from warden.cases.models import OPEN_STATUSES, Case, InformationRequest
from warden.inbox import mail
from warden.inbox.delivery import create, exporters_of
from warden.inbox.models import Kind, Notification
from warden.licences.models import Licence, LicenceStatus
from warden.ogl import returns
from warden.ogl.models import OglRegistration

DUE_SOON = 3
REMIND_DAYS = 10
EXPIRY_DAYS = 30


@transaction.atomic
def check(today: dt.date) -> int:
    made: list[Notification] = []
    cases = Case.objects.filter(
        status__in=OPEN_STATUSES, sla_deadline__isnull=False, paused_since__isnull=True
    )
    for case in cases.select_related("case_officer"):
        left = sla.working_days_left(case, today)
        if left is None or not (0 <= left <= DUE_SOON):
            continue
        seniors = User.objects.filter(role=Role.SENIOR_OFFICER, is_active=True)
        if case.team_id is not None:
            seniors = seniors.filter(team_id=case.team_id)
        who = [case.case_officer] if case.case_officer else list(seniors)
        made += create(
            who,
            Kind.DEADLINE,
            f"{case.reference}: decision due {case.sla_deadline} ({left} working day(s) left)",
            "",
            f"/cases/{case.pk}/",
            f"sla:{case.pk}:{case.sla_deadline}",
        )
    cutoff = timezone.now() - dt.timedelta(days=REMIND_DAYS)
    for req in InformationRequest.objects.filter(
        answered_at__isnull=True, asked_at__lt=cutoff
    ).select_related("case"):
        made += create(
            exporters_of(req.case.organisation_id),
            Kind.REQUEST,
            f"{req.case.reference}: a request for information waits for your answer",
            req.question,
            f"/cases/{req.case_id}/",
            f"rfi:{req.pk}:reminder",
        )
    soon = today + dt.timedelta(days=EXPIRY_DAYS)
    live = Licence.objects.filter(status=LicenceStatus.ISSUED, valid_until__gte=today, valid_until__lte=soon)
    for lic in live.select_related("case"):
        made += create(
            exporters_of(lic.case.organisation_id),
            Kind.DEADLINE,
            f"Licence {lic.number} expires on {lic.valid_until}",
            "",
            f"/licences/{lic.pk}/",
            f"expiry:{lic.pk}:{lic.valid_until}",
        )
    due = Licence.objects.filter(return_due__isnull=False, returned_on__isnull=True, return_due__lte=soon)
    for lic in due.select_related("case"):
        late = lic.return_due is not None and lic.return_due < today
        made += create(
            exporters_of(lic.case.organisation_id),
            Kind.DEADLINE,
            f"Licence {lic.number}: the goods {'were due back' if late else 'are due back'} by {lic.return_due}",
            "Record their return on the licence page.",
            f"/licences/{lic.pk}/",
            f"return:{lic.pk}:{'late' if late else 'soon'}",
        )
    regs = OglRegistration.objects.filter(status__in=returns.OWING, uses__isnull=False).distinct()
    for owed in returns.queue(list(regs.select_related("ogl").prefetch_related("returns")), today):
        if owed.state != returns.ReturnState.APPROACHING:
            continue
        reg, s = owed.registration, owed.scheduled
        made += create(
            exporters_of(reg.organisation_id),
            Kind.DEADLINE,
            f"Registration {reg.reference}: return {s.number} is due by {s.due_on}",
            f"It covers the uses shipped from {s.period_start} to {s.due_on}; file it on the registration page.",
            f"/open-licences/registrations/{reg.pk}/#returns-h",
            f"oglreturn:{reg.pk}:{s.number}:soon",
        )
    mail.send_immediate(made)
    return len(made)
