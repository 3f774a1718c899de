"""Read side of end-use control: the queue of checks (overdue first), one check as the API and CLI show it,
and the end-user certificate register, which is computed from the cases themselves (a certificate is
the application's end_user_certificate.number, stored on the case as euc_number, issued by the importing
state, i.e. the destination) rather than kept by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as When_
from django.db.models import IntegerField, QuerySet, Value, When

from warden.accounts.models import User
from warden.cases.models import Case, PartyRole, Status
from warden.enduse.matching import same_end_user
from warden.enduse.models import CheckStatus, DiversionFlag, EndUseCheck, EndUserProfile, Finding
from warden.enduse.services import END_USER_ROLES, end_user_of, profile_of
from warden.lib import clock


def checks(
    *, status: str = "", kind: str = "", inspector_id: int | None = None, today: dt.date | None = None
) -> QuerySet[EndUseCheck]:
    """Every check, overdue first (most overdue first), then planned, then done, each by due date."""
    day = today or clock.today()
    qs = (
        EndUseCheck.objects.select_related("licence__case", "inspector", "shipment")
        .prefetch_related("evidence", "flags__case")
        .annotate(
            rank=When_(
                When(completed_on__isnull=False, then=Value(2)),
                When(due_on__lt=day, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    )
    if status == CheckStatus.OVERDUE:
        qs = qs.filter(completed_on__isnull=True, due_on__lt=day)
    elif status == CheckStatus.PLANNED:
        qs = qs.filter(completed_on__isnull=True, due_on__gte=day)
    elif status == CheckStatus.DONE:
        qs = qs.filter(completed_on__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    if inspector_id is not None:
        qs = qs.filter(inspector_id=inspector_id)
    return qs.order_by("rank", "due_on", "pk")


def as_dict(row: EndUseCheck, today: dt.date | None = None) -> dict[str, Any]:
    day = today or clock.today()
    return {
        "id": row.pk,
        "reference": row.reference,
        "licence": row.licence.number,
        "case": row.licence.case.reference,
        "shipment": row.shipment_id,
        "kind": row.kind,
        "status": row.status_on(day),
        "due_on": row.due_on.isoformat(),
        "risk_score": row.risk_score,
        "reasons": list(row.reasons),
        "end_user": {"name": row.end_user_name, "country": row.end_user_country},
        "inspector": row.inspector.username if row.inspector else None,
        "completed_on": row.completed_on.isoformat() if row.completed_on else None,
        "finding": row.finding or None,
        "finding_notes": row.finding_notes,
        "evidence": [
            {"id": e.pk, "name": e.name, "content_type": e.content_type, "size": e.size, "sha256": e.sha256}
            for e in row.evidence.all()
        ],
        "flagged_cases": [f.case.reference for f in row.flags.all()],
        "flags": [flag_dict(f) for f in row.flags.all()],
        "withdrawn": _who_when_why(row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason),
    }


def flag_dict(f: DiversionFlag) -> dict[str, Any]:
    return {
        "id": f.pk,
        "case": f.case.reference,
        "check": f.check_row.reference,
        "party": f.party_name,
        "licence": f.licence.number if f.licence else None,
        "cleared": _who_when_why(f.cleared_at, f.cleared_by, f.cleared_reason),
    }


def _who_when_why(at: dt.datetime | None, by: User | None, reason: str) -> dict[str, str] | None:
    """A withdrawal or a clearing as the API shows it; None while it has not happened."""
    if at is None:
        return None
    return {"at": at.isoformat(), "by": by.username if by else "", "reason": reason}


# ------------------------------------------------------------------------- end-user certificate register


@dataclass(frozen=True)
class CertificateUse:
    case: Case
    end_user: str
    same_end_user: bool


def certificate_uses(case: Case) -> list[CertificateUse]:
    """The other submitted cases that give the same certificate (number, case-insensitively, from the same
    issuing state), each marked whether its end user is this case's end user (screening matcher)."""
    number = (case.euc_number or "").strip()
    if not number:
        return []
    others = (
        Case.objects.filter(euc_number__iexact=number, destination=case.destination)
        .exclude(pk=case.pk)
        .exclude(status=Status.DRAFT)
        .prefetch_related("parties")
        .order_by("pk")
    )
    name, country = end_user_of(case)
    uses = []
    for other in others:
        theirs = [p for p in other.parties.all() if p.role == PartyRole.END_USER]
        label = theirs[0].name if theirs else ""
        same = bool(name) and (
            same_end_user(
                name, country, [(p.name, p.country or other.destination, p.aliases or []) for p in theirs]
            )
            is not None
        )
        uses.append(CertificateUse(case=other, end_user=label, same_end_user=same))
    return uses


def case_panel(case: Case) -> dict[str, Any]:
    """What the case page's end-use panel shows: the certificate's other uses, the end users' profiles, the
    diversion flags on this case and the checks of its licence."""
    uses = certificate_uses(case)
    profiles: list[tuple[str, EndUserProfile]] = []
    for p in case.parties.all():
        if p.role in END_USER_ROLES:
            found = profile_of(p.name, p.country or case.destination)
            if found is not None:
                profiles.append((p.name, found))
    flags = list(
        DiversionFlag.objects.filter(case=case).select_related(
            "check_row__licence__case", "licence", "cleared_by"
        )
    )
    licence_checks = list(EndUseCheck.objects.filter(licence__case=case).order_by("due_on", "pk"))
    return {
        "same": [u for u in uses if u.same_end_user],
        "different": [u for u in uses if not u.same_end_user],
        "profiles": profiles,
        "flags": flags,
        "checks": licence_checks,
        "today": clock.today(),
    }


def country_record(code: str) -> dict[str, Any]:
    """Counts of the findings of checks on licences to destination `code`, and its end users' profiles."""
    code = (code or "").upper()
    rows = EndUseCheck.objects.filter(licence__case__destination=code)
    done = rows.filter(completed_on__isnull=False)
    # A withdrawn diversion finding was wrong: it is not counted as a diversion (nor as anything else).
    counts = {f: done.filter(finding=f, withdrawn_at__isnull=True).count() for f in Finding.values}
    return {
        "done": done.count(),
        "satisfactory": counts[Finding.SATISFACTORY],
        "concerns": counts[Finding.CONCERNS],
        "diversions": counts[Finding.DIVERSION],
        "overdue": rows.filter(completed_on__isnull=True, due_on__lt=clock.today()).count(),
        "profiles": list(EndUserProfile.objects.filter(country=code).order_by("-diversions", "name")[:20]),
    }
