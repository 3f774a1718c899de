"""Who may see and do what on a case: the one place these rules live. Views, the API, the CLI and the
services all ask here, so a rule is enforced the same way everywhere.

Seeing:
- exporters see only their own organisation's cases (drafts included), and never the authority's
  internal advice, referrals, notes or assessment findings;
- advisers see only cases referred to their team, and only their own team's referral and advice;
- licensing officers, senior officers, policy officers and oversight see every submitted case;
- administrators manage users and see no cases.

Doing (on top of the status rules in transitions.TABLE):
- only the roles listed in the table may act; oversight and administrators can change nothing;
- the officer who recommended a decision cannot finalise (countersign) the same case;
- no case is decided (finalised, countersigned) or licensed over an open question: the decision gate the
  caller passes in `context` (warden.flows.case_decision: screening's, no unreviewed match at or above the
  review threshold, no party screened against an older list version than the one in force) must be open;
  a decision action checked without a context raises MissingDecisionContext instead of letting it through;
- a decision against the engine's recommendation is only proposed; a second senior officer, neither the
  proposer nor the recommender, countersigns (finalises) or rejects it (cases.decisions);
- an appeal is reviewed (recommended and decided again) by officers other than those who decided the refusal;
- an officer cannot recommend while a request to the exporter is open, nor while a referral is unanswered;
- a licence is only issued on an approval; only a refusal can be appealed, once, within APPEAL_WINDOW_DAYS.

`why_not(user, case, action, context=...)` returns the sentence explaining a refusal (or None); services raise it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from warden.accounts import interests
from warden.accounts.models import Role
from warden.cases.decision_context import DecisionContext, MissingDecisionContext
from warden.cases.models import (
    Case,
    CaseTransition,
    Decision,
    DecisionOverrule,
    InformationRequest,
    OverruleState,
    Referral,
    Status,
)
from warden.cases.transitions import (
    APPEAL_WINDOW_DAYS,
    TABLE,
    Action,
    get,
    status_error,
)

# Seeing: every rule lives in visibility.py; re-exported so that callers ask policy for both halves.
from warden.cases.visibility import (
    CASE_READERS,
    INTERNAL_READERS,
    _active,
    can_view_case,
    can_view_document,
    can_view_findings,
    can_view_internal,
    can_view_notes,
    visible_advice,
    visible_cases,
    visible_documents,
    visible_information_requests,
    visible_referrals,
    visible_transitions,
)
from warden.lib import clock
from warden.lib.errors import IllegalTransition, NotPermitted, WorkflowError

__all__ = [
    "CASE_READERS",
    "EXPLAINED",
    "GATED",
    "INTERNAL_READERS",
    "ROLE_NAMES",
    "allowed_actions",
    "appeal_deadline",
    "appealed_deciders",
    "blocked_actions",
    "can_act",
    "can_view_case",
    "can_view_document",
    "can_view_findings",
    "can_view_internal",
    "can_view_notes",
    "check_act",
    "pending_overrule",
    "refusal",
    "visible_advice",
    "visible_cases",
    "visible_documents",
    "visible_information_requests",
    "visible_referrals",
    "visible_transitions",
    "why_not",
]

ROLE_NAMES = {
    Role.EXPORTER: "an exporter of the applying organisation",
    Role.LICENSING_OFFICER: "a licensing officer",
    Role.ADVISER: "an adviser of a consulted department",
    Role.SENIOR_OFFICER: "a senior officer",
    Role.POLICY_OFFICER: "a policy officer",
    Role.COMPLIANCE_INSPECTOR: "a compliance inspector",
    Role.OVERSIGHT: "oversight",
    Role.ADMINISTRATOR: "an administrator",
}


# ---------------------------------------------------------------------------------------------- doing


def _role_error(user: Any, case: Case, action: Action) -> NotPermitted:
    t = get(action)
    if user.role == Role.OVERSIGHT:
        return NotPermitted(f"Oversight can read {case.reference} but cannot change anything")
    if user.role == Role.ADMINISTRATOR:
        return NotPermitted(f"Administrators manage users and do not work on cases such as {case.reference}")
    who = " or ".join(ROLE_NAMES[r] for r in Role if r in t.roles)
    return NotPermitted(f"Cannot {t.verb} {case.reference}: only {who} can")


def _open_requests(case: Case) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(case=case, answered_at__isnull=True)


def _unanswered_referrals(case: Case) -> QuerySet[Referral]:
    return Referral.objects.filter(case=case, answered_at__isnull=True).select_related("team")


def appeal_deadline(case: Case) -> dt.date | None:
    if case.decision != Decision.REFUSED or case.finalised_at is None:
        return None
    return clock.local_date(case.finalised_at) + dt.timedelta(days=APPEAL_WINDOW_DAYS)


def pending_overrule(case: Case) -> DecisionOverrule | None:
    """The decision against the engine's recommendation awaiting countersignature on `case`, if any."""
    return (
        DecisionOverrule.objects.filter(case=case, state=OverruleState.PENDING)
        .select_related("proposed_by")
        .first()
    )


def appealed_deciders(case: Case) -> set[int]:
    """While a refusal is under appeal (until it is decided again): the users who decided the refusal, its
    finaliser and any countersigner, who may not review the appeal."""
    if case.status not in (Status.UNDER_APPEAL, Status.UNDER_FINAL_REVIEW) or case.finalised_by_id is None:
        return set()
    out = {case.finalised_by_id}
    last = (
        DecisionOverrule.objects.filter(case=case, state=OverruleState.COUNTERSIGNED)
        .order_by("-countersigned_at", "-pk")
        .first()
    )
    if last is not None and last.countersigned_by_id is not None:
        out |= {last.countersigned_by_id, last.proposed_by_id}
    return out


def _decider_error(user: Any, case: Case, verb: str) -> WorkflowError | None:
    """Separation of duties and open requests, for whoever finalises or countersigns."""
    if case.recommended_by_id is not None and case.recommended_by_id == user.pk:
        return NotPermitted(
            f"You recommended the decision on {case.reference}; another senior officer must finalise it "
            "(separation of duties)"
        )
    if user.pk in appealed_deciders(case):
        return NotPermitted(
            f"You decided the refusal of {case.reference} that is under appeal; another senior officer must "
            "decide the appeal"
        )
    if _open_requests(case).exists():
        return IllegalTransition(
            f"Cannot {verb} {case.reference}: it is waiting for the exporter's answer to a request "
            "for information"
        )
    return None


# The actions that decide a case: checking one needs the decision context (gate, engine).
GATED = frozenset({Action.FINALISE, Action.PROPOSE_OVERRULE, Action.COUNTERSIGN, Action.ISSUE_LICENCE})


def _gate(case: Case, prefix: str, context: DecisionContext) -> WorkflowError | None:
    """The caller's decision gate (screening): 'Cannot finalise APP-...: Party 'X' has ...'."""
    why = context.gate(case)
    return None if why is None else IllegalTransition(f"{prefix}: {why}")


# What the officer who proposed an amendment on the holder's behalf may not do on it.
PROPOSER_MAY_NOT = frozenset(
    {Action.RECOMMEND, Action.FINALISE, Action.PROPOSE_OVERRULE, Action.COUNTERSIGN, Action.ISSUE_LICENCE}
)


def refusal(
    user: Any,
    case: Case | None,
    action: Action | str,
    *,
    context: DecisionContext | None = None,
    referral: Referral | None = None,
    on: dt.date | None = None,
    interest_cleared: bool = False,
) -> WorkflowError | None:
    """Why `user` may not do `action` on `case` now, as the exception a service would raise; None if allowed.

    Checked in this order: the user can see the case, has a role that may act, the case is in a status the
    table allows, and the action's own guards (separation of duties, open requests, pending advice...).
    A decision action (GATED) needs `context`; without one this raises MissingDecisionContext, so a caller
    that forgets the screening gate fails loudly instead of deciding over an open question.
    `interest_cleared`: the caller has found with interests.cannot_conflict, for this user, exporter and day,
    that no declared interest can bar the action (allowed_actions asks once for all the actions it lists)."""
    action = Action(action)
    t = get(action)
    if action in GATED and context is None:
        raise MissingDecisionContext(
            f"Checking {action.value} needs the decision context (warden.flows.case_decision.context())"
        )
    if not _active(user):
        return NotPermitted("Log in first")
    if action == Action.CREATE:
        if user.role != Role.EXPORTER or not user.organisation_id:
            return NotPermitted("Only an exporter of a registered organisation can create an application")
        return None
    if action == Action.PROPOSE_FOR_HOLDER:
        if user.role not in t.roles:
            return NotPermitted(
                "Only a licensing or senior officer can propose an amendment on the holder's behalf"
            )
        return None
    assert case is not None
    if not can_view_case(user, case):
        return NotPermitted(f"No case {case.reference} is visible to you")
    if user.role not in t.roles:
        return _role_error(user, case, action)
    if not interest_cleared and (
        conflict := interests.conflict_error(
            user, case.organisation_id, action, f"Cannot {t.verb} {case.reference}", on
        )
    ):
        return conflict  # a declared interest in the exporter bars the decisions and the steps shaping them
    if case.status not in t.sources:
        return status_error(action, case.reference, case.status)

    if action in PROPOSER_MAY_NOT and user.role != Role.EXPORTER and case.created_by_id == user.pk:
        # Separation of duties: the officer who proposed a change on the holder's behalf does not decide it.
        return NotPermitted(
            f"You proposed {case.reference} on the holder's behalf; another officer must {t.verb} it"
        )
    if action == Action.GIVE_ADVICE:
        qs = Referral.objects.filter(case=case, team_id=user.team_id)
        ref = referral if referral is not None else qs.first()
        if ref is None or ref.team_id != user.team_id or ref.case_id != case.pk:
            return NotPermitted(f"{case.reference} was not referred to your team")
        if ref.answered_at is not None:
            return IllegalTransition(f"Your team has already given its advice on {case.reference}")
    elif action == Action.ANSWER_REQUEST:
        if not _open_requests(case).exists():
            return IllegalTransition(f"{case.reference} has no open request for information to answer")
    elif action == Action.RECOMMEND:
        if user.pk in appealed_deciders(case):
            return NotPermitted(
                f"You decided the refusal of {case.reference} that is under appeal; another officer must "
                "review the appeal"
            )
        if _open_requests(case).exists():
            return IllegalTransition(
                f"Cannot recommend a decision on {case.reference}: it is waiting for the exporter's answer "
                "to a request for information"
            )
        pending = [r.team.name for r in _unanswered_referrals(case)]
        if pending:
            return IllegalTransition(
                f"Cannot recommend a decision on {case.reference}: still waiting for advice from "
                + ", ".join(sorted(pending))
            )
    elif action in (Action.FINALISE, Action.PROPOSE_OVERRULE):
        err = _decider_error(user, case, "finalise")
        if err is not None:
            return err
        if pending_overrule(case) is not None:
            return IllegalTransition(
                f"A decision on {case.reference} against the engine's recommendation is awaiting the "
                "countersignature of a second senior officer; it must be countersigned or rejected first"
            )
        assert context is not None
        return _gate(case, f"Cannot finalise {case.reference}", context)
    elif action in (Action.COUNTERSIGN, Action.REJECT_OVERRULE):
        overrule = pending_overrule(case)
        if overrule is None:
            return IllegalTransition(f"{case.reference} has no decision awaiting countersignature")
        if action == Action.REJECT_OVERRULE:
            return None  # any senior officer may send it back, the proposer too (withdrawing it)
        if overrule.proposed_by_id == user.pk:
            return NotPermitted(
                f"You proposed the decision on {case.reference}; a second senior officer must countersign it"
            )
        if user.pk in (overrule.recommended_by_id, case.recommended_by_id):
            return NotPermitted(
                f"You recommended the decision on {case.reference}; a senior officer who neither recommended "
                "nor proposed it must countersign it (separation of duties)"
            )
        err = _decider_error(user, case, "countersign the decision on")
        if err is not None:
            return err
        assert context is not None
        view = context.engine(case)
        if view is not None and (view.recommendation, sorted(view.deny_criteria)) != (
            overrule.engine_recommendation,
            sorted(overrule.engine_deny_criteria),
        ):
            # The justification answered a recommendation that is no longer the engine's.
            return IllegalTransition(
                f"The engine re-assessed {case.reference} after the decision was proposed (it now recommends "
                f"{view.recommendation.replace('_', ' ')}); reject the proposal so that the case is decided on "
                "the current assessment"
            )
        return _gate(case, f"Cannot countersign the decision on {case.reference}", context)
    elif action == Action.ISSUE_LICENCE:
        if case.decision not in (Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS):
            return IllegalTransition(f"Cannot issue a licence on {case.reference}: it was refused")
        assert context is not None
        return _gate(case, f"Cannot issue a licence on {case.reference}", context)
    elif action == Action.APPEAL:
        if case.decision != Decision.REFUSED:
            return IllegalTransition(f"Cannot appeal {case.reference}: only a refusal can be appealed")
        if CaseTransition.objects.filter(case=case, action=Action.APPEAL).exists():
            return IllegalTransition(f"The refusal of {case.reference} has already been appealed once")
        deadline = appeal_deadline(case)
        if deadline is not None and (on or clock.today()) > deadline:
            return IllegalTransition(
                f"Cannot appeal {case.reference}: the appeal window closed on {deadline.isoformat()}"
            )
    elif action == Action.CLOSE and case.status == Status.FINALISED and case.decision != Decision.REFUSED:
        return IllegalTransition(f"Cannot close {case.reference}: it was approved; issue its licence first")
    return None


def why_not(user: Any, case: Case | None, action: Action | str, **kwargs: Any) -> str | None:
    """The refusal as a sentence for the user, or None when `user` may do `action` on `case` now."""
    err = refusal(user, case, action, **kwargs)
    return None if err is None else str(err)


def can_act(user: Any, case: Case | None, action: Action | str, **kwargs: Any) -> bool:
    return refusal(user, case, action, **kwargs) is None


def check_act(user: Any, case: Case | None, action: Action | str, **kwargs: Any) -> None:
    """Raise the refusal (NotPermitted, IllegalTransition) if `user` may not do `action` now."""
    err = refusal(user, case, action, **kwargs)
    if err is not None:
        raise err


def allowed_actions(user: Any, case: Case, *, context: DecisionContext) -> list[str]:
    """The actions `user` may take on `case` right now, in table order: the buttons a case page shows.
    CREATE and PROPOSE_FOR_HOLDER are never listed (they have no case yet)."""
    if not _active(user) or not can_view_case(user, case):
        return []
    out = []
    cleared: bool | None = None  # read once, when the first action needs it, not once per action
    for action, t in TABLE.items():
        if not t.sources or user.role not in t.roles or case.status not in t.sources:
            continue
        if cleared is None:
            cleared = interests.cannot_conflict(user, case.organisation_id)
        if refusal(user, case, action, context=context, interest_cleared=cleared) is None:
            out.append(action.value)
    return out


# Actions whose refusal the case page explains instead of silently hiding the button.
EXPLAINED = (Action.FINALISE, Action.COUNTERSIGN, Action.ISSUE_LICENCE, Action.RECOMMEND)


def blocked_actions(user: Any, case: Case, *, context: DecisionContext) -> list[tuple[str, str]]:
    """(action, why_not) for the decision steps the user's role could take in this status but may not take
    now (an open screening question, a pending countersignature, separation of duties...): the case page
    shows the reason where the button would be. Authority users only: the reasons are internal."""
    if not can_view_internal(user, case):
        return []
    out = []
    cleared: bool | None = None
    for action in EXPLAINED:
        t = get(action)
        if user.role not in t.roles or case.status not in t.sources:
            continue
        if cleared is None:
            cleared = interests.cannot_conflict(user, case.organisation_id)
        why = why_not(user, case, action, context=context, interest_cleared=cleared)
        if why:
            out.append((action.value, why))
    return out
