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
from warden.cases.web.queue import merged_page
from warden.enduse import queries as enduse_queries
from warden.enduse.models import CheckStatus
from warden.lib import clock
from warden.lib.workdays import add_workdays
from warden.licences.models import Licence

ROW_FIELDS = ("organisation", "team", "case_officer")
OPEN = sorted(OPEN_STATUSES)
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
    # One small count per team, each answered from the (team, status) index alone; a single GROUP BY over
    # every open case read the table rows and was the slowest query of the page with 100,000 cases.
    rows = []
    for team in Team.objects.order_by("name"):
        n = open_cases.filter(team_id=team.pk).count()
        if n:
            rows.append({"team_id": team.pk, "team__name": team.name, "n": n})
    unrouted = open_cases.filter(team__isnull=True).count()
    if unrouted:
        rows.append({"team_id": None, "team__name": "", "n": unrouted})
    return rows


def _by_deadline(qs: QuerySet[Case]) -> list[Case]:
    """The first rows of open cases in deadline order, read per status (see queue.merged_page: one IN query
    sorted as a whole costs a sort of every open case)."""
    return merged_page(qs, [str(s) for s in OPEN], "deadline", 0, LIMIT)


def officer(user: User) -> dict[str, Any]:
    today = sla.today()
    open_cases = policy.visible_cases(user).filter(status__in=OPEN)
    soon = add_workdays(today, 5)
    return {
        "my_cases": _by_deadline(open_cases.filter(case_officer=user)),
        "my_count": open_cases.filter(case_officer=user).count(),
        "team_counts": _team_counts(open_cases),
        "overdue_count": open_cases.filter(sla.overdue_q(today)).count(),
        "overdue": _by_deadline(open_cases.filter(sla.overdue_q(today))),
        "due_soon": _by_deadline(
            open_cases.filter(sla_deadline__gte=today, sla_deadline__lte=soon, paused_since__isnull=True)
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
        # Drafts are the exporters' own business until submitted: never counted here.
        "status_counts": [(v, labels[v], counts.get(v, 0)) for v in Status.values if v != Status.DRAFT],
        "overdue_count": cases.filter(sla.overdue_q()).count(),
        "decisions": _rows(cases.filter(finalised_at__isnull=False).order_by("-finalised_at")),
        "decided_last_30": cases.filter(finalised_at__gte=timezone.now() - dt.timedelta(days=30)).count(),
    }


def inspector(user: User) -> dict[str, Any]:
    """The compliance inspector's checks: theirs still open (overdue first) and the overdue nobody took."""
    mine = enduse_queries.checks(inspector_id=user.pk).filter(completed_on__isnull=True)
    overdue = enduse_queries.checks(status=CheckStatus.OVERDUE)
    return {
        "mine": list(mine[:LIMIT]),
        "overdue_count": overdue.count(),
        "unassigned_overdue": list(overdue.filter(inspector__isnull=True)[:LIMIT]),
        "today": clock.today(),
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
    Role.COMPLIANCE_INSPECTOR: ("enduse/dashboard.html", inspector),
}


def for_user(user: User) -> tuple[str, dict[str, Any]]:
    """(template, context) of the user's dashboard."""
    template, build = BUILDERS.get(user.role, ("web/dashboard_policy.html", _nothing))  # type: ignore[call-overload]
    return template, build(user)
