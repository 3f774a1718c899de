"""Final decisions: finalise, the second signature when the engine is overruled, and advisers' provisos.

- A decision that goes against the criteria engine's recommendation (approve where it recommends refusal or
  has a deny finding, refuse where it recommends approval) is not final on one signature: `decide` stores it
  as a DecisionOverrule with the finaliser's written justification and the case waits under final review;
  `countersign` by a second senior officer (neither the proposer nor the recommender, see policy.refusal)
  finalises it, `reject_overrule` sends it back for a new decision.
- An adviser's proviso (Advice of kind "proviso") becomes a licence condition of an approval unless the
  officer records why it is left out: `omitted_provisos` maps the Advice pk to that reason. Either way a
  ProvisoOutcome row records what became of it, in the same transaction as the decision.

The public entry points are the service functions of warden.cases.services (finalise, countersign,
reject_overrule, in services/deciding.py), which own the durable transaction and delegate here; this module
never opens one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db.models import Count
from django.utils import timezone

from warden.accounts.models import User
from warden.cases import destination_lines, policy
from warden.cases.decision_context import DecisionContext, EngineView
from warden.cases.models import (
    Advice,
    AdviceKind,
    Case,
    Decision,
    DecisionOverrule,
    OverruleState,
    ProvisoOutcome,
)
from warden.cases.services.workflow import _decision_inputs, _move, _text
from warden.cases.transitions import Action
from warden.lib.errors import InvalidInput

APPROVALS = frozenset({Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS})


__all__ = ["APPROVALS", "EngineView", "against_engine", "countersign", "decide", "reject"]


def against_engine(decision: str, view: EngineView | None) -> str | None:
    """How `decision` goes against the engine, as a phrase, or None when it does not (or no assessment)."""
    if view is None:
        return None
    if decision in APPROVALS and (view.recommendation == "refuse" or view.deny_criteria):
        deny = ", ".join(view.deny_criteria)
        if view.recommendation == "refuse":
            return "the engine recommends refusal" + (f" (deny findings under {deny})" if deny else "")
        return f"the engine refers the case on a deny finding under {deny}"
    if decision == Decision.REFUSED and view.recommendation in ("approve", "approve_with_conditions"):
        return "the engine recommends approval"
    return None


# ---------------------------------------------------------------------------------------------- provisos


def provisos(case: Case) -> list[Advice]:
    """The advisers' provisos on `case`, oldest first."""
    return list(
        Advice.objects.filter(case=case, kind=AdviceKind.PROVISO)
        .exclude(proviso="")
        .select_related("referral__team")
        .order_by("given_at", "pk")
    )


def clean_omitted(case: Case, decision: str, omitted: Mapping[Any, str] | None) -> dict[str, str]:
    """{advice pk: reason} for the provisos left out, checked: each names a proviso of this case and gives a
    reason. Irrelevant for a refusal (no licence, no conditions)."""
    if decision not in APPROVALS:
        return {}
    known = {str(a.pk): a for a in provisos(case)}
    out: dict[str, str] = {}
    for key, reason in (omitted or {}).items():
        k = str(key)
        if k not in known:
            raise InvalidInput(f"{case.reference} has no proviso {k}", field="omitted_provisos")
        text = " ".join((reason or "").split())
        if text:
            out[k] = text
    return out


def carried_conditions(case: Case, decision: str, conditions: str, omitted: Mapping[str, str]) -> str:
    """The conditions with every proviso not left out appended (once: a proviso already written into the
    conditions is not repeated)."""
    if decision not in APPROVALS:
        return conditions
    out = conditions.strip()
    for a in provisos(case):
        if str(a.pk) in omitted:
            continue
        if a.proviso.strip().casefold() not in out.casefold():
            out = f"{out}\n{a.proviso.strip()}".strip()
    return out


def record_provisos(
    *, actor: User, case: Case, decision: str, omitted: Mapping[str, str]
) -> list[dict[str, Any]]:
    """ProvisoOutcome rows for the decision; returns their summary for the transition and audit entry."""
    if decision not in APPROVALS:
        return []
    rows = []
    for a in provisos(case):
        reason = omitted.get(str(a.pk), "")
        ProvisoOutcome.objects.create(
            case=case, advice=a, carried=not reason, reason=reason, decided_by=actor
        )
        rows.append({"advice": a.pk, "team": a.referral.team.code, "carried": not reason, "reason": reason})
    return rows


def required_conditions(case: Case) -> list[str]:
    """The provisos the case's latest decision carried into its conditions: its licence must keep them."""
    latest: dict[int, ProvisoOutcome] = {}
    for o in ProvisoOutcome.objects.filter(case=case).select_related("advice").order_by("pk"):
        latest[o.advice_id] = o
    return [o.advice.proviso.strip() for o in latest.values() if o.carried]


# ---------------------------------------------------------------------------------------------- deciding


def _apply(
    *,
    actor: User,
    decider: Any,
    locked: Case,
    action: Action,
    decision: str,
    criteria: list[str],
    reason: str,
    conditions: str,
    omitted: Mapping[str, str],
    internal: dict[str, Any],
    refused_lines: list[dict[str, Any]] | None = None,
) -> None:
    conditions = carried_conditions(locked, decision, conditions, omitted)
    if decision == Decision.APPROVED and conditions:
        # A carried proviso is a condition: the approval is an approval with conditions.
        decision = Decision.APPROVED_WITH_CONDITIONS
    outcomes = record_provisos(actor=decider, case=locked, decision=decision, omitted=omitted)
    locked.decision = decision
    locked.decision_criteria = criteria
    locked.decision_reason = reason
    locked.conditions = conditions
    locked.refused_destinations = refused_lines or []
    locked.finalised_by = decider
    locked.finalised_at = timezone.now()
    _move(
        actor=actor,
        case=locked,
        action=action,
        reason=reason,
        data={
            "decision": decision,
            "criteria": criteria,
            "conditions": conditions,
            **({"refused_lines": refused_lines} if refused_lines else {}),
        },
        # The recommendation and the provisos are internal: the exporter sees the decision, not these.
        internal={
            "recommended": locked.recommended_decision,
            "recommended_by": locked.recommended_by.username if locked.recommended_by else None,
            "provisos": outcomes,
            **internal,
        },
    )


def decide(
    *,
    actor: User,
    locked: Case,
    decision: str,
    reason: str,
    criteria: Iterable[str],
    conditions: str,
    justification: str,
    omitted_provisos: Mapping[Any, str] | None,
    citable: Collection[str],
    context: DecisionContext,
    refused_lines: destination_lines.RefusedLines | None = None,
) -> DecisionOverrule | None:
    """The body of services.finalise on the locked case: finalise it, or, when the decision goes against the
    engine, store it awaiting countersignature (returned). `refused_lines` refuses some destination lines of
    a global application within an approval (warden.cases.destination_lines)."""
    policy.check_act(actor, locked, Action.FINALISE, context=context)
    decision, crit, conditions = _decision_inputs(
        decision, criteria, conditions, what="A decision", citable=citable
    )
    reason = _text(reason, "reason", "The reason for the decision")
    omitted = clean_omitted(locked, decision, omitted_provisos)
    refused = destination_lines.clean_refused(locked, decision, refused_lines, citable=citable)
    view: EngineView | None = context.engine(locked)
    if view is not None and view.lines and decision in APPROVALS:
        conflict = destination_lines.against_engine_by_line(view, {r["line"] for r in refused})
    else:
        conflict = against_engine(decision, view)
    if conflict is None:
        _apply(
            actor=actor,
            decider=actor,
            locked=locked,
            action=Action.FINALISE,
            decision=decision,
            criteria=crit,
            reason=reason,
            conditions=conditions,
            omitted=omitted,
            internal={"engine": view.recommendation if view else None},
            refused_lines=refused,
        )
        return None
    assert view is not None
    if refused:
        # A DecisionOverrule holds one decision for the whole case; refused lines would be lost on countersign.
        raise InvalidInput(
            f"This partial approval goes against the engine ({conflict}): decide each line as the engine "
            "does, or decide the whole application and have it countersigned",
            field="refused_lines",
        )
    justification = " ".join((justification or "").split())
    if not justification:
        raise InvalidInput(
            f"This decision goes against the engine's recommendation ({conflict}): give a written "
            "justification; a second senior officer must then countersign it",
            field="justification",
        )
    policy.check_act(actor, locked, Action.PROPOSE_OVERRULE, context=context)
    overrule = DecisionOverrule.objects.create(
        case=locked,
        decision=decision,
        criteria=crit,
        reason=reason,
        conditions=conditions,
        justification=justification,
        omitted_provisos=dict(omitted),
        engine_recommendation=view.recommendation,
        engine_deny_criteria=list(view.deny_criteria),
        assessment_id=view.assessment_id,
        recommended_by_id=locked.recommended_by_id,
        proposed_by=actor,
    )
    _move(
        actor=actor,
        case=locked,
        action=Action.PROPOSE_OVERRULE,
        reason=justification,
        data={"overrule": overrule.pk, "decision": decision, "engine": view.recommendation},
        internal={"criteria": crit, "conditions": conditions, "conflict": conflict, "omitted": dict(omitted)},
    )
    return overrule


def countersign(*, actor: User, locked: Case, note: str, context: DecisionContext) -> DecisionOverrule:
    """The body of services.countersign: the second senior officer finalises the proposed decision."""
    policy.check_act(actor, locked, Action.COUNTERSIGN, context=context)
    overrule = DecisionOverrule.objects.select_for_update().get(case=locked, state=OverruleState.PENDING)
    overrule.state = OverruleState.COUNTERSIGNED
    overrule.countersigned_by = actor
    overrule.countersigned_at = timezone.now()
    overrule.countersign_note = " ".join((note or "").split())
    overrule.save()
    # The decision is the proposer's (finalised_by); the countersignature is this actor's act (transition, audit).
    _apply(
        actor=actor,
        decider=overrule.proposed_by,
        locked=locked,
        action=Action.COUNTERSIGN,
        decision=overrule.decision,
        criteria=list(overrule.criteria),
        reason=overrule.reason,
        conditions=overrule.conditions,
        omitted=overrule.omitted_provisos,
        internal={
            "overrule": overrule.pk,
            "engine": overrule.engine_recommendation,
            "justification": overrule.justification,
            "countersigned_by": actor.username,
            "note": overrule.countersign_note,
        },
    )
    return overrule


def reject(*, actor: User, locked: Case, reason: str) -> DecisionOverrule:
    """The body of services.reject_overrule: the proposal is sent back; the case can be decided anew."""
    policy.check_act(actor, locked, Action.REJECT_OVERRULE)
    reason = _text(reason, "reason", "The reason for rejecting the proposed decision")
    overrule = DecisionOverrule.objects.select_for_update().get(case=locked, state=OverruleState.PENDING)
    overrule.state = OverruleState.REJECTED
    overrule.countersigned_by = actor
    overrule.countersigned_at = timezone.now()
    overrule.countersign_note = reason
    overrule.save()
    _move(
        actor=actor,
        case=locked,
        action=Action.REJECT_OVERRULE,
        reason=reason,
        data={"overrule": overrule.pk, "decision": overrule.decision},
    )
    return overrule


# ---------------------------------------------------------------------------------------------- indicators


def overrule_counts() -> dict[str, int]:
    """Decisions against the engine, by state ({"pending": n, "countersigned": n, "rejected": n}), for
    integrity indicators."""
    counts = dict(
        DecisionOverrule.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return {s.value: int(counts.get(s.value, 0)) for s in OverruleState}
