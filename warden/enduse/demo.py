"""The demo's end-use control: the checks the risk planning made while the caseload was replayed (the demo
issues its licences through warden.flows.case_decision, which plans them), and, so that the demo always
shows one, an overdue delivery verification assigned to the demo compliance inspector."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from warden.accounts.models import User
from warden.enduse import queries, services
from warden.enduse.models import CheckKind, CheckStatus, EndUseCheck
from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus

REASON = "Demo: the embassy has not confirmed the delivery"


def ensure_overdue_check(*, officer: User, inspector: User) -> EndUseCheck | None:
    """An overdue check assigned to `inspector` (the first overdue one, or one an officer planned by hand
    when the licence was young), or None when the demo holds no issued licence."""
    overdue = queries.checks(status=CheckStatus.OVERDUE).filter(inspector__isnull=True).first()
    if overdue is None:
        overdue = queries.checks(status=CheckStatus.OVERDUE).first()
    if overdue is None:
        licence = Licence.objects.filter(status=LicenceStatus.ISSUED).order_by("valid_from", "pk").first()
        if licence is None:
            return None
        # Planned by hand at a moment far enough back for its due date to have passed.
        day = min(licence.valid_from, clock.today() - dt.timedelta(days=60))
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        with clock.travel(moment):
            overdue = services.plan_check(
                actor=officer,
                licence=licence,
                kind=CheckKind.DVC,
                reason=REASON,
                due_on=day + dt.timedelta(days=30),
                inspector=inspector,
            )
        return overdue
    if overdue.inspector_id is None:
        overdue = services.assign_check(actor=officer, check=overdue, inspector=inspector)
    return overdue
