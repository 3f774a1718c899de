"""What a person sees of the catch-all referrals (warden.catchall.policy decides; this only filters)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from warden.accounts.actors import Viewer, person
from warden.accounts.models import Role
from warden.cases.models import Case
from warden.catchall import policy
from warden.catchall.models import CatchAllReferral, Status


def visible(actor: Viewer | None) -> QuerySet[CatchAllReferral]:
    qs = CatchAllReferral.objects.select_related("organisation", "raised_by", "decided_by", "case")
    if not policy.may(actor, policy.ReferralAction.VIEW):
        return qs.none()
    who = person(actor)
    if who is not None and who.role == Role.EXPORTER:
        return qs.filter(organisation_id=who.organisation_id) if who.organisation_id else qs.none()
    return qs


def open_first(qs: QuerySet[CatchAllReferral]) -> list[CatchAllReferral]:
    """Undecided referrals first (the goods wait on them), oldest first; then the decided, newest first."""
    rows = list(qs)
    undecided = sorted((r for r in rows if r.status == Status.ASSESSING), key=lambda r: (r.raised_at, r.pk))
    return undecided + [r for r in rows if r.status != Status.ASSESSING]


def linkable_cases(referral: CatchAllReferral) -> QuerySet[Case]:
    """The exporter's applications a referral may be linked to: same destination, not linked yet."""
    return (
        Case.objects.filter(organisation_id=referral.organisation_id, destination=referral.destination)
        .exclude(catch_all_referral__isnull=False)
        .order_by("-pk")
    )


def as_dict(r: CatchAllReferral) -> dict[str, Any]:
    return {
        "reference": r.reference,
        "origin": r.origin,
        "status": r.status,
        "status_label": r.get_status_display(),
        "organisation": r.organisation.name,
        "destination": r.destination,
        "goods_description": r.goods_description,
        "rating": r.rating,
        "end_user_name": r.end_user_name,
        "end_user_country": r.end_user_country,
        "end_use": r.end_use,
        "flags": list(r.flags),
        "grounds": r.grounds,
        "intended_export_on": r.intended_export_on,
        "raised_at": r.raised_at,
        "raised_by": r.raised_by.username,
        "decided_on": r.decided_on,
        "decided_by": r.decided_by.username if r.decided_by else "",
        "basis": r.basis,
        "letter": r.letter,
        "decision_reason": r.decision_reason,
        "embargo_status": list(r.embargo_status),
        "case": r.case.reference if r.case else None,
    }
