"""What each role needs to see first. Every query starts from policy.visible_cases(user), so the dashboard
can never show a case its reader may not open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from warden.accounts.models import Role, Team, User
from warden.cases import policy, sla
from warden.cases.models import OPEN_STATUSES, Case, InformationRequest, Referral, Status
from warden.lib.workdays import add_workdays
from warden.licences.models import Licence

ROW_FIELDS = ("organisation", "team", "case_officer")
LIMIT = 10


def _rows(qs: QuerySet[Case]) -> list[Case]:
    # The application document can be large and no dashboard table shows it.
    return list(qs.select_related(*ROW_FIELDS).defer("document")[:LIMIT])


def _licences(user: User) -> QuerySet[Licence]:
    return Licence.objects.filter(case__in=policy.visible_cases(user)).select_related("case")


def exporter(user: User) -> dict[str, Any]:
    cases = policy.visible_cases(user)
    return {
        "drafts": _rows(cases.filter(status=Status.DRAFT).order_by("-updated_at")),
        "open_requests": list(
            InformationRequest.objects.filter(case__in=cases, answered_at__isnull=True)
            .select_related("case")
            .order_by("asked_at")[:LIMIT]
        ),
        "in_progress": _rows(cases.filter(status__in=list(OPEN_STATUSES)).order_by("sla_deadline")),
        "decisions": _rows(cases.filter(finalised_at__isnull=False).order_by("-finalised_at")),
        "licences": list(_licences(user).order_by("-issued_at")[:LIMIT]),
    }


def _team_counts(open_cases: QuerySet[Case]) -> list[dict[str, Any]]:
    # Grouped on the indexed team_id alone, names looked up afterwards: a join in the GROUP BY made
    # this the slowest query of the dashboard with 100,000 cases.
    counts = {
        row["team_id"]: row["n"] for row in open_cases.order_by().values("team_id").annotate(n=Count("id"))
    }
    names = dict(Team.objects.filter(pk__in=[t for t in counts if t]).values_list("pk", "name"))
    rows = [{"team_id": t, "team__name": names.get(t, ""), "n": n} for t, n in counts.items()]
    return sorted(rows, key=lambda r: (r["team_id"] is None, r["team__name"]))


def officer(user: User) -> dict[str, Any]:
    today = sla.today()
    open_cases = policy.visible_cases(user).filter(status__in=list(OPEN_STATUSES))
    soon = add_workdays(today, 5)
    return {
        "my_cases": _rows(open_cases.filter(case_officer=user).order_by("sla_deadline")),
        "team_counts": _team_counts(open_cases),
        "unassigned": open_cases.filter(case_officer__isnull=True).count(),
        "overdue_count": open_cases.filter(sla.overdue_q(today)).count(),
        "overdue": _rows(open_cases.filter(sla.overdue_q(today)).order_by("sla_deadline")),
        "due_soon": _rows(
            open_cases.filter(
                sla_deadline__gte=today, sla_deadline__lte=soon, paused_since__isnull=True
            ).order_by("sla_deadline")
        ),
    }


def adviser(user: User) -> dict[str, Any]:
    referrals = (
        Referral.objects.filter(
            team_id=user.team_id or 0, answered_at__isnull=True, case__in=policy.visible_cases(user)
        )
        .select_related("case", "case__organisation", "requested_by")
        .order_by("requested_at")
    )
    return {"referrals": list(referrals[:50]), "referral_count": referrals.count()}


def senior(user: User) -> dict[str, Any]:
    ctx = officer(user)
    ctx["final_review"] = _rows(
        policy.visible_cases(user)
        .filter(status=Status.UNDER_FINAL_REVIEW)
        .select_related("recommended_by")
        .order_by("sla_deadline")
    )
    return ctx


def oversight(user: User) -> dict[str, Any]:
    cases = policy.visible_cases(user)
    labels = dict(Status.choices)
    counts = {row["status"]: row["n"] for row in cases.values("status").annotate(n=Count("id"))}
    return {
        "status_counts": [(value, labels[value], counts.get(value, 0)) for value in Status.values],
        "overdue_count": cases.filter(sla.overdue_q()).count(),
        "decisions": _rows(cases.filter(finalised_at__isnull=False).order_by("-finalised_at")),
        "decided_last_30": cases.filter(finalised_at__gte=timezone.now() - dt.timedelta(days=30)).count(),
    }


def _nothing(user: User) -> dict[str, Any]:
    return {}


BUILDERS = {
    Role.EXPORTER: ("web/dashboard_exporter.html", exporter),
    Role.LICENSING_OFFICER: ("web/dashboard_officer.html", officer),
    Role.SENIOR_OFFICER: ("web/dashboard_officer.html", senior),
    Role.ADVISER: ("web/dashboard_adviser.html", adviser),
    Role.OVERSIGHT: ("web/dashboard_oversight.html", oversight),
    Role.ADMINISTRATOR: ("web/dashboard_admin.html", _nothing),
}


def for_user(user: User) -> tuple[str, dict[str, Any]]:
    """(template, context) of the user's dashboard."""
    template, build = BUILDERS.get(user.role, ("web/dashboard_policy.html", _nothing))  # type: ignore[call-overload]
    return template, build(user)
