"""Everything the case page shows, filtered by policy for the reader: exporters never get internal advice,
notes, findings, screening or the recommendation; an adviser gets only their own team's referral."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest

from warden.accounts.models import User
from warden.cases import policy
from warden.cases.forms import AnswerForm
from warden.cases.models import Case, CaseNote
from warden.cases.transitions import Action
from warden.cases.web.case_actions import ACTIONS, make_form
from warden.flows import case_decision
from warden.legislation.engine_view import engine_view
from warden.web.templatetags.warden_tags import template_exists


def _initial(action: str, case: Case) -> dict[str, Any]:
    if action == Action.FINALISE and case.recommended_decision:
        # The senior officer countersigns the officer's recommendation unless they decide otherwise. The
        # recommendation's reasoning is internal, so it is NOT copied into the reasons the exporter will read.
        return {
            "decision": case.recommended_decision,
            "criteria": case.recommended_criteria,
            "conditions": case.conditions,
        }
    return {}


def auto_id(action: str) -> str:
    """Field ids per action, so that two forms on one page never share an id (labels stay bound)."""
    return f"id_{action}_%s"


PRIMARY = [
    Action.SUBMIT,
    Action.START_INITIAL_CHECKS,
    Action.GIVE_ADVICE,
    Action.RECOMMEND,
    Action.COUNTERSIGN,
    Action.FINALISE,
    Action.ISSUE_LICENCE,
]


def _note(name: str, case: Case) -> str:
    """What the finaliser must know before deciding: the engine's recommendation, and that going against it
    needs a justification and a second senior officer's countersignature (cases.decisions)."""
    if name != Action.FINALISE:
        return ""
    view = engine_view(case)
    if view is None:
        return ""
    deny = f" (deny findings under {', '.join(view.deny_criteria)})" if view.deny_criteria else ""
    return (
        f"The engine recommends {view.recommendation.replace('_', ' ')}{deny}. A decision against it needs a "
        "written justification and the countersignature of a second senior officer."
    )


def action_form(name: str, case: Case, bound: forms.Form | None = None) -> dict[str, Any]:
    spec = ACTIONS[name]
    form = bound or make_form(name, case, initial=_initial(name, case), auto_id=auto_id(name))
    return {"name": name, "spec": spec, "form": form, "open": True, "note": _note(name, case)}


def action_forms(
    allowed: list[str], case: Case, bound: dict[str, forms.Form] | None = None, show: str | None = None
) -> list[dict[str, Any]]:
    """One entry per action the user may take now (`allowed`, from policy.allowed_actions). Only the open
    ones carry their form: the first safe action, any with errors, and `show` (asked for without JavaScript);
    the others load theirs when opened, which keeps the case page light."""
    bound = bound or {}
    # Proposing an overrule is what the finalise form does when the engine disagrees: no button of its own.
    offered = [
        n for n in allowed if n not in (Action.ANSWER_REQUEST, Action.PROPOSE_OVERRULE) and n in ACTIONS
    ]
    # Answers sit next to each question and editing a draft is a link. Opened by default: the step that
    # moves the case on, else the first action that is not destructive.
    default = next((n for n in PRIMARY if n in offered), None) or next(
        (n for n in offered if not ACTIONS[n].danger), None
    )
    out = []
    for name in offered:
        spec = ACTIONS[name]
        is_open = name in bound or name == show or (name == default and not bound and show is None)
        if is_open:
            out.append(action_form(name, case, bound.get(name)))
        else:
            out.append({"name": name, "spec": spec, "form": None, "open": False})
    return out


def context(
    request: HttpRequest, case: Case, bound: dict[str, forms.Form] | None = None, show: str | None = None
) -> dict[str, Any]:
    user = request.user
    bound = bound or {}
    allowed = case_decision.allowed_actions(user, case)
    internal = policy.can_view_internal(user, case)
    has_audit_history = internal and template_exists("audit/_history.html")
    requests = list(policy.visible_information_requests(user, case))
    can_answer = Action.ANSWER_REQUEST in allowed
    answer_forms = {}
    if can_answer:
        posted = bound.get(Action.ANSWER_REQUEST)
        for r in requests:
            if r.answered_at is None:
                if posted is not None and str(posted.data.get("request_id")) == str(r.pk):
                    answer_forms[r.pk] = posted
                else:
                    answer_forms[r.pk] = AnswerForm(initial={"request_id": r.pk}, auto_id=f"id_rfi{r.pk}_%s")
    licence = getattr(case, "licence", None)  # joined by page_cases; one query for a case read without it
    blocked = [
        {"name": n, "label": ACTIONS[n].label, "why": why}
        for n, why in case_decision.blocked_actions(user, case)
    ]
    if policy.pending_overrule(case) is None:
        blocked = [b for b in blocked if b["name"] != Action.COUNTERSIGN]  # nothing to countersign: no news
    return {
        "case": case,
        "user": user,
        "internal": internal,
        "show_findings": policy.can_view_findings(user, case),
        "goods": list(case.goods.all()),
        "parties": list(case.parties.all()),
        "documents": list(policy.visible_documents(user, case)),
        "referrals": list(policy.visible_referrals(user, case)),
        "advice": list(policy.visible_advice(user, case)),
        "requests": [{"r": r, "form": answer_forms.get(r.pk)} for r in requests],
        "notes": list(CaseNote.objects.filter(case=case).select_related("author").order_by("-at"))
        if policy.can_view_notes(user, case)
        else [],
        # With the audit app's history partial, authority readers get that instead of the transition rows.
        "has_audit_history": has_audit_history,
        "transitions": [] if has_audit_history else list(policy.visible_transitions(user, case)),
        "actions": action_forms(allowed, case, bound, show),
        "blocked": blocked,
        "overrules": list(case.overrules.select_related("proposed_by", "countersigned_by", "recommended_by"))
        if internal
        else [],
        "proviso_outcomes": list(case.proviso_outcomes.select_related("advice__referral__team", "decided_by"))
        if internal
        else [],
        "can_edit": Action.EDIT_DRAFT in allowed,
        "licence": licence,
        "appeal_deadline": policy.appeal_deadline(case),
        "all_forms": list(bound.values()),
    }


def page_cases(user: User) -> QuerySet[Case]:
    """The cases `user` may open (policy.visible_cases), with the rows the page header shows joined."""
    return policy.visible_cases(user).select_related(
        "organisation", "team", "case_officer", "recommended_by", "finalised_by", "licence"
    )
