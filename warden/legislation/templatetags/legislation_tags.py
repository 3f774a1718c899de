from __future__ import annotations

from typing import Any

from django import template

from warden.legislation.models import CaseAssessment

register = template.Library()

OUTCOME_CLASS = {
    "deny": "d-refused",
    "risk": "s-draft",
    "condition": "d-approved_with_conditions",
    "pass": "d-approved",
}
REC_CLASS = {
    "refuse": "d-refused",
    "refer": "s-draft",
    "approve_with_conditions": "d-approved",
    "approve": "d-approved",
}


@register.simple_tag
def case_assessment(case: Any) -> CaseAssessment | None:
    if case is None or not getattr(case, "pk", None):
        return None
    return (
        CaseAssessment.objects.filter(case=case)
        .select_related("revision")
        .order_by("-created_at", "-pk")
        .first()
    )


@register.filter
def outcome_class(outcome: str) -> str:
    return OUTCOME_CLASS.get(outcome, "")


@register.filter
def rec_class(rec: str) -> str:
    return REC_CLASS.get(rec, "")


@register.filter
def nice(value: str) -> str:
    return str(value).replace("_", " ")
