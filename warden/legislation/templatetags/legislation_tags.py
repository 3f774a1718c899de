from __future__ import annotations

from typing import Any

from django import template

from warden.flows.rescreening import stale_lists
from warden.legislation import versions
from warden.legislation.forms import reference_label as _reference_label
from warden.legislation.models import CaseAssessment
from warden.legislation.versions import cause_label

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
    """The current assessment version (the only one whose findings the page shows)."""
    if case is None or not getattr(case, "pk", None):
        return None
    return versions.current(case)


@register.simple_tag
def assessment_history(case: Any) -> list[CaseAssessment]:
    """Every version, newest first, each with its cause and what changed against the one before."""
    if case is None or not getattr(case, "pk", None):
        return []
    return versions.history(case)


@register.simple_tag
def screened_against_older_list(case: Any) -> list[Any]:
    if case is None or not getattr(case, "pk", None):
        return []
    return stale_lists(case)


@register.filter
def cause_text(cause: str) -> str:
    return cause_label(cause)


@register.filter
def outcome_class(outcome: str) -> str:
    return OUTCOME_CLASS.get(outcome, "")


@register.filter
def rec_class(rec: str) -> str:
    return REC_CLASS.get(rec, "")


@register.filter
def nice(value: str) -> str:
    return str(value).replace("_", " ")


@register.filter
def reference_label(key: str) -> str:
    """Criterion and finding keys of the reference data ("ihl") as readers know them (regime names come from
    countries.yaml `regimes`; see warden.legislation.forms.reference_label)."""
    return _reference_label(key)
