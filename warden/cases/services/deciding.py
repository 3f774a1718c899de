"""The decision steps: a recommendation, then the final decision (or a proposal against the engine,
countersigned or rejected: warden.cases.decisions holds the body)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db import transaction

from warden.accounts.models import User
from warden.cases import decisions, policy
from warden.cases.decision_context import DecisionContext
from warden.cases.models import (
    Case,
)
from warden.cases.services.workflow import (
    _decision_inputs,
    _lock,
    _move,
    _sync,
    _text,
)
from warden.cases.transitions import Action

# ---------------------------------------------------------------------------------------------- deciding


@transaction.atomic(durable=True)
def recommend(
    *,
    actor: User,
    case: Case,
    decision: str,
    reason: str,
    criteria: Iterable[str] = (),
    conditions: str = "",
    citable: Collection[str],
    expected_version: int | None = None,
) -> Case:
    """The case officer recommends a decision and sends the case to final review. Needs no open request
    for information and every referral answered. Whoever recommends cannot finalise the same case."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.RECOMMEND)
    decision, crit, conditions = _decision_inputs(
        decision, criteria, conditions, what="A recommendation", citable=citable
    )
    reason = _text(reason, "reason", "The reason for the recommendation")
    locked.recommended_by = actor
    locked.recommended_decision = decision
    locked.recommendation_reason = reason
    locked.recommended_criteria = crit
    locked.conditions = conditions
    if locked.case_officer_id is None:
        locked.case_officer = actor
    _move(
        actor=actor,
        case=locked,
        action=Action.RECOMMEND,
        reason=reason,
        data={"decision": decision, "criteria": crit, "conditions": conditions},
    )
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def finalise(
    *,
    actor: User,
    case: Case,
    decision: str,
    reason: str,
    criteria: Iterable[str] = (),
    conditions: str = "",
    justification: str = "",
    omitted_provisos: Mapping[Any, str] | None = None,
    citable: Collection[str],
    expected_version: int | None = None,
    context: DecisionContext,
    refused_lines: Mapping[int, Iterable[str]] | None = None,
) -> Case:
    """A senior officer (never the one who recommended) decides: approved, approved_with_conditions (with
    the conditions) or refused (citing at least one criterion, e.g. "EU-CP:1"). Two senior officers
    finalising at once: the second gets CaseConflict and nothing of theirs is stored. Issuing the licence
    of an approval is a separate step (warden.licences.services.issue_licence).

    Refused while a decision gate is closed (an unreviewed screening match, a stale list version). A decision
    against the engine's recommendation needs `justification` and is only proposed: the case stays under
    final review until another senior officer calls `countersign` (see warden.cases.decisions). `context`
    holds the gate and the engine (warden.flows.case_decision builds it; there is no default). Advisers'
    provisos become conditions of an approval unless `omitted_provisos` ({advice pk: reason}) leaves them out.
    `refused_lines` ({line index: criteria}) refuses some destination lines of a global application within an
    approval (warden.cases.destination_lines)."""
    locked = _lock(case, expected_version)
    decisions.decide(
        actor=actor,
        locked=locked,
        decision=decision,
        reason=reason,
        criteria=criteria,
        conditions=conditions,
        justification=justification,
        omitted_provisos=omitted_provisos,
        citable=citable,
        context=context,
        refused_lines=refused_lines,
    )
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def countersign(
    *,
    actor: User,
    case: Case,
    note: str = "",
    expected_version: int | None = None,
    context: DecisionContext,
) -> Case:
    """A second senior officer (neither the proposer nor the recommender) countersigns the decision proposed
    against the engine's recommendation: the case is finalised with it."""
    locked = _lock(case, expected_version)
    decisions.countersign(actor=actor, locked=locked, note=note, context=context)
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def reject_overrule(*, actor: User, case: Case, reason: str, expected_version: int | None = None) -> Case:
    """A senior officer sends back the decision proposed against the engine's recommendation; the case stays
    under final review for a new decision."""
    locked = _lock(case, expected_version)
    decisions.reject(actor=actor, locked=locked, reason=reason)
    _sync(case, locked)
    return locked
