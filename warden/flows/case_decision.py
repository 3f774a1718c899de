"""Case decision: finalise (or propose against the engine) -> countersign -> issue the licence.

Read top to bottom, this is what an officer's decision is checked against. `context()` gathers what the
decision needs from the domains above cases: the screening gate (no unreviewed match at or above the
review threshold, no party screened against an outdated list: `screening.gate.why_blocked`), the undercut
gate (no grant over a partner's denial before the consultation: `denials.policy.why_no_grant`) and the
engine's latest recommendation (`legislation.engine_view`). The case services and `cases.policy` take that
context as a required argument, so there is no way to decide a case with the gate forgotten; every
interface (case page, API, CLI, demo) calls the functions here. The criteria an advice, a recommendation
or a decision may cite are the law's too (`legislation.citable`): the services require them as `citable`,
and here they default to the ruleset in force.

Not to be confused with `flows/decisions.py`, an officer's decision on a screening *match*.

Each function is one durable transaction: the case service locks the case, then the gate and the engine
are read on the locked row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from warden.accounts.models import User
from warden.cases import policy
from warden.cases import services as case_services
from warden.cases.decision_context import DecisionContext
from warden.cases.models import Advice, Case, Referral
from warden.cases.transitions import Action
from warden.denials.policy import why_no_grant
from warden.flows import end_use
from warden.legislation.citable import citable_map
from warden.legislation.engine_view import engine_view
from warden.licences import amendments as licence_amendments
from warden.licences import services as licence_services
from warden.licences.models import Licence
from warden.screening import gate


def _gates(case: Case) -> str | None:
    """The first closed gate: screening (an open match, an outdated list), then a partner's denial the
    case is essentially identical to and whose consultation is not done (warden.denials.policy)."""
    return gate.why_blocked(case) or why_no_grant(case)


def context() -> DecisionContext:
    """The decision gates and the engine's recommendation, as every case decision is checked against."""
    return DecisionContext(gate=_gates, engine=engine_view)


# ---------------------------------------------------------------------------------------------- asking


def why_not(user: Any, case: Case | None, action: Action | str, **kwargs: Any) -> str | None:
    """policy.why_not with the decision context: the sentence the case page, API and CLI show."""
    return policy.why_not(user, case, action, context=context(), **kwargs)


def allowed_actions(user: Any, case: Case) -> list[str]:
    """The buttons of the case page (policy.allowed_actions with the gate)."""
    return policy.allowed_actions(user, case, context=context())


def blocked_actions(user: Any, case: Case) -> list[tuple[str, str]]:
    """The decision steps shown with the reason they are blocked (policy.blocked_actions with the gate)."""
    return policy.blocked_actions(user, case, context=context())


# ---------------------------------------------------------------------------------------------- citing


def _citable(given: Collection[str] | None) -> Collection[str]:
    # The form's own list when the interface showed one (the same ruleset), else the one in force now.
    return citable_map() if given is None else given


def give_advice(
    *,
    actor: User,
    referral: Referral,
    kind: str,
    text: str,
    proviso: str = "",
    criteria: Iterable[str] = (),
    citable: Collection[str] | None = None,
    expected_version: int | None = None,
) -> Advice:
    """An adviser answers their team's referral (cases.services.give_advice), citing the law in force."""
    return case_services.give_advice(
        actor=actor,
        referral=referral,
        kind=kind,
        text=text,
        proviso=proviso,
        criteria=criteria,
        citable=_citable(citable),
        expected_version=expected_version,
    )


def recommend(
    *,
    actor: User,
    case: Case,
    decision: str,
    reason: str,
    criteria: Iterable[str] = (),
    conditions: str = "",
    citable: Collection[str] | None = None,
    expected_version: int | None = None,
) -> Case:
    """The case officer's recommendation (cases.services.recommend), citing the law in force."""
    return case_services.recommend(
        actor=actor,
        case=case,
        decision=decision,
        reason=reason,
        criteria=criteria,
        conditions=conditions,
        citable=_citable(citable),
        expected_version=expected_version,
    )


# ---------------------------------------------------------------------------------------------- deciding


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
    citable: Collection[str] | None = None,
    expected_version: int | None = None,
    refused_lines: Mapping[int, Iterable[str]] | None = None,
) -> Case:
    """A senior officer decides (cases.services.finalise): final, or proposed when against the engine."""
    return case_services.finalise(
        actor=actor,
        case=case,
        decision=decision,
        reason=reason,
        criteria=criteria,
        conditions=conditions,
        justification=justification,
        omitted_provisos=omitted_provisos,
        citable=_citable(citable),
        expected_version=expected_version,
        context=context(),
        refused_lines=refused_lines,
    )


def countersign(*, actor: User, case: Case, note: str = "", expected_version: int | None = None) -> Case:
    """A second senior officer countersigns a decision proposed against the engine (cases.services)."""
    return case_services.countersign(
        actor=actor, case=case, note=note, expected_version=expected_version, context=context()
    )


def reject_overrule(*, actor: User, case: Case, reason: str, expected_version: int | None = None) -> Case:
    """A proposed decision is sent back: no gate to check (nothing is decided), here so that the three
    steps of an overrule are called from one place."""
    return case_services.reject_overrule(
        actor=actor, case=case, reason=reason, expected_version=expected_version
    )


def issue_licence(
    *,
    actor: User,
    case: Case,
    valid_from: dt.date | None = None,
    conditions: str | None = None,
    expected_version: int | None = None,
) -> Licence:
    """The licence of an approval (licences.services.issue_licence), refused while the gate is closed; for an
    amendment case, the next version of the licence it amends (licences.amendments.grant_amendment). Then
    the end-use checks its risk calls for (warden.flows.end_use; issuing is a durable transaction of its
    own, so the planning follows it rather than joining it)."""
    if licence_amendments.amendment_of(case) is not None:
        amended = licence_amendments.grant_amendment(actor=actor, case=case, context=context())
        end_use.after_licence_issued(licence=amended)
        return amended
    licence = licence_services.issue_licence(
        actor=actor,
        case=case,
        valid_from=valid_from,
        conditions=conditions,
        expected_version=expected_version,
        context=context(),
    )
    end_use.after_licence_issued(licence=licence)
    return licence
