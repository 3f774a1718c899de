"""Who may see what of a case (the seeing half of warden.cases.policy, which re-exports every name here):

- exporters see only their own organisation's cases (drafts included), and never the authority's
  internal advice, referrals, notes or assessment findings;
- advisers see only cases referred to their team, and only their own team's referral and advice;
- licensing officers, senior officers, policy officers, compliance inspectors (who follow a licence's
  end-use checks back to its case, warden.enduse) and oversight see every submitted case;
- administrators manage users and see no cases.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from warden.accounts.models import Role
from warden.cases.models import (
    Advice,
    Case,
    CaseTransition,
    Document,
    InformationRequest,
    Referral,
    Status,
)
from warden.cases.transitions import TABLE, Action

# Authority roles that read every submitted case.
CASE_READERS = frozenset(
    {
        Role.LICENSING_OFFICER,
        Role.SENIOR_OFFICER,
        Role.POLICY_OFFICER,
        Role.COMPLIANCE_INSPECTOR,
        Role.OVERSIGHT,
    }
)
# Authority roles that read internal material (all advice, notes, findings) of the cases they can see.
INTERNAL_READERS = CASE_READERS


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


# ---------------------------------------------------------------------------------------------- seeing


def visible_cases(user: Any) -> QuerySet[Case]:
    """Every case `user` may see. Use it as the base of every list, search and lookup by reference, so that
    a case the user may not see is simply not found (404, never 403: its existence is not leaked)."""
    qs = Case.objects.all()
    if not _active(user):
        return qs.none()
    if user.role == Role.EXPORTER:
        return qs.filter(organisation_id=user.organisation_id) if user.organisation_id else qs.none()
    if user.role == Role.ADVISER:
        if not user.team_id:
            return qs.none()
        return qs.filter(referrals__team_id=user.team_id).exclude(status=Status.DRAFT)
    if user.role in CASE_READERS:
        return qs.exclude(status=Status.DRAFT)
    return qs.none()


def can_view_case(user: Any, case: Case) -> bool:
    if not _active(user):
        return False
    if user.role == Role.EXPORTER:
        return bool(user.organisation_id) and case.organisation_id == user.organisation_id
    if case.status == Status.DRAFT:
        return False  # a draft is the exporter's own business until submitted
    if user.role == Role.ADVISER:
        return bool(user.team_id) and Referral.objects.filter(case=case, team_id=user.team_id).exists()
    return user.role in CASE_READERS


def can_view_internal(user: Any, case: Case) -> bool:
    """All advice, referrals, internal notes and the authority's assessment findings."""
    return _active(user) and user.role in INTERNAL_READERS and can_view_case(user, case)


def can_view_notes(user: Any, case: Case) -> bool:
    return can_view_internal(user, case)


def can_view_findings(user: Any, case: Case) -> bool:
    """Assessment findings and screening matches: the authority's reasoning. Advisers need them to advise."""
    if not _active(user) or user.role == Role.EXPORTER:
        return False
    return can_view_case(user, case)


def visible_referrals(user: Any, case: Case) -> QuerySet[Referral]:
    qs = Referral.objects.filter(case=case).select_related("team", "requested_by")
    if can_view_internal(user, case):
        return qs
    if _active(user) and user.role == Role.ADVISER and user.team_id:
        return qs.filter(team_id=user.team_id)
    return qs.none()


def visible_advice(user: Any, case: Case) -> QuerySet[Advice]:
    qs = Advice.objects.filter(case=case).select_related("referral__team", "adviser")
    if can_view_internal(user, case):
        return qs
    if _active(user) and user.role == Role.ADVISER and user.team_id:
        return qs.filter(referral__team_id=user.team_id)
    return qs.none()


def visible_transitions(user: Any, case: Case) -> QuerySet[CaseTransition]:
    """The case history. Exporters see the steps that concern them, not internal ones (referrals, advice,
    recommendations, notes). Advisers see those steps plus their own team's referral and advice: never the
    recommendation's reasoning, notes, or another team's referral note and advice."""
    qs = CaseTransition.objects.filter(case=case).select_related("actor")
    if not can_view_case(user, case):
        return qs.none()
    public = [t.action.value for t in TABLE.values() if t.exporter_visible]
    if user.role == Role.EXPORTER:
        return qs.filter(action__in=public)
    if user.role == Role.ADVISER:
        code = user.team.code if user.team_id else None
        # A referral step lists its teams; read them in Python (JSON containment differs between databases).
        referred = [
            pk
            for pk, data in qs.filter(action=Action.REFER).values_list("pk", "data")
            if code in ((data or {}).get("teams") or [])
        ]
        own_advice = qs.filter(action=Action.GIVE_ADVICE, data__team=code)
        return qs.filter(action__in=public) | qs.filter(pk__in=referred) | own_advice
    return qs


def visible_information_requests(user: Any, case: Case) -> QuerySet[InformationRequest]:
    qs = InformationRequest.objects.filter(case=case).select_related("asked_by", "answered_by")
    return qs if can_view_case(user, case) else qs.none()


def can_view_document(user: Any, document: Any) -> bool:
    """Whoever sees the case sees its documents, except that exporters see only their own organisation's
    uploads (a document an officer attaches to a case is internal)."""
    if not can_view_case(user, document.case):
        return False
    if user.role == Role.EXPORTER:
        return bool(document.uploaded_by.organisation_id == user.organisation_id)
    return True


def visible_documents(user: Any, case: Case) -> QuerySet[Document]:
    """The documents of `case` that `user` may see and download (same rule as can_view_document)."""
    qs = Document.objects.filter(case=case).select_related("uploaded_by").order_by("uploaded_at", "pk")
    if not can_view_case(user, case):
        return qs.none()
    if user.role == Role.EXPORTER:
        return qs.filter(uploaded_by__organisation_id=user.organisation_id)
    return qs
