"""Who may see and do what on a licence. A licence is visible to whoever may see its case
(warden.cases.policy); the lifecycle actions and their roles are the table below.

The system (warden.lib.actors.SystemActor) does what SYSTEM_ACTS names: expire licences (the daily task),
exhaust them (a shipment that uses up the last quantity) and suspend them (a law change's impact run). It
never reinstates, revokes or surrenders a licence, nor records a shipment: those are people's decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet

from warden.accounts.actors import Actor, Viewer, is_system, require_actor
from warden.accounts.models import Role
from warden.cases import policy as case_policy
from warden.lib.errors import IllegalTransition, NotPermitted, WorkflowError
from warden.licences.models import Licence, LicenceStatus


class LicenceAction(StrEnum):
    ISSUE = "issue"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"
    SURRENDER = "surrender"
    EXPIRE = "expire"
    EXHAUST = "exhaust"
    RECORD_SHIPMENT = "record_shipment"
    PROPOSE_AMENDMENT = "propose_amendment"
    RECORD_RETURN = "record_return"
    AMEND = "amend"


@dataclass(frozen=True)
class LicenceTransition:
    action: LicenceAction
    sources: frozenset[LicenceStatus]
    target: LicenceStatus | None  # None: status unchanged (a shipment that does not use the licence up)
    roles: frozenset[Role]  # empty: only the system (a scheduled task or another service) does it
    verb: str


_LIVE = frozenset({LicenceStatus.ISSUED, LicenceStatus.SUSPENDED})

# The licence lifecycle (issuing is the case's ISSUE_LICENCE transition; see warden.cases.transitions).
LICENCE_TABLE: dict[LicenceAction, LicenceTransition] = {
    t.action: t
    for t in (
        LicenceTransition(
            LicenceAction.SUSPEND,
            frozenset({LicenceStatus.ISSUED}),
            LicenceStatus.SUSPENDED,
            # The compliance inspector suspends on a diversion finding (warden.enduse); only a senior
            # officer reinstates, so the suspension is reviewed by someone else.
            frozenset({Role.SENIOR_OFFICER, Role.POLICY_OFFICER, Role.COMPLIANCE_INSPECTOR}),
            "suspend",
        ),
        LicenceTransition(
            LicenceAction.REINSTATE,
            frozenset({LicenceStatus.SUSPENDED}),
            LicenceStatus.ISSUED,
            frozenset({Role.SENIOR_OFFICER}),
            "reinstate",
        ),
        LicenceTransition(
            LicenceAction.REVOKE, _LIVE, LicenceStatus.REVOKED, frozenset({Role.SENIOR_OFFICER}), "revoke"
        ),
        LicenceTransition(
            LicenceAction.SURRENDER, _LIVE, LicenceStatus.SURRENDERED, frozenset({Role.EXPORTER}), "surrender"
        ),
        LicenceTransition(LicenceAction.EXPIRE, _LIVE, LicenceStatus.EXPIRED, frozenset(), "expire"),
        LicenceTransition(
            LicenceAction.EXHAUST,
            frozenset({LicenceStatus.ISSUED}),
            LicenceStatus.EXHAUSTED,
            frozenset(),
            "exhaust",
        ),
        LicenceTransition(
            LicenceAction.RECORD_SHIPMENT,
            frozenset({LicenceStatus.ISSUED}),
            None,
            frozenset({Role.EXPORTER, Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
            "record a shipment against",
        ),
        # A temporary export's goods come back: recorded by the holder or an officer, whatever has become of
        # the licence since (an expired licence's goods must still return).
        LicenceTransition(
            LicenceAction.RECORD_RETURN,
            frozenset(LicenceStatus),
            None,
            frozenset({Role.EXPORTER, Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
            "record the return of the goods of",
        ),
        # The holder proposes, or an officer on the holder's behalf (to narrow a licence after a risk change);
        # the change is then a case of its own (warden.licences.amendments), which its proposer cannot decide.
        LicenceTransition(
            LicenceAction.PROPOSE_AMENDMENT,
            frozenset({LicenceStatus.ISSUED}),
            None,
            frozenset({Role.EXPORTER, Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
            "propose an amendment to",
        ),
        # Granting it is the amendment case's ISSUE_LICENCE step, by whoever may issue licences.
        LicenceTransition(
            LicenceAction.AMEND,
            frozenset({LicenceStatus.ISSUED}),
            None,
            frozenset({Role.SENIOR_OFFICER, Role.LICENSING_OFFICER}),
            "amend",
        ),
    )
}

_ROLE_NAMES = case_policy.ROLE_NAMES

SYSTEM_ACTS: frozenset[LicenceAction] = frozenset(
    {LicenceAction.EXPIRE, LicenceAction.EXHAUST, LicenceAction.SUSPEND}
)


def visible_licences(user: Viewer) -> QuerySet[Licence]:
    return Licence.objects.filter(case__in=case_policy.visible_cases(user))


def can_view_licence(user: Viewer, licence: Licence) -> bool:
    return case_policy.can_view_case(user, licence.case)


def licence_refusal(user: Actor, licence: Licence, action: LicenceAction | str) -> WorkflowError | None:
    """Why `user` (a person, or the system for SYSTEM_ACTS) may not do `action` on `licence` now; None
    when allowed."""
    require_actor(user, "licences.policy.licence_refusal")
    t = LICENCE_TABLE[LicenceAction(action)]
    if is_system(user):
        if t.action not in SYSTEM_ACTS:
            return NotPermitted(f"The system does not {t.verb} licences: a person decides that")
    else:
        if not can_view_licence(user, licence):
            return NotPermitted(f"No licence {licence.number} is visible to you")
        if user.role not in t.roles:
            if user.role == Role.OVERSIGHT:
                return NotPermitted(f"Oversight can read licence {licence.number} but cannot change anything")
            if not t.roles:
                return NotPermitted(f"Licences {t.action.value} automatically; nobody does it by hand")
            who = " or ".join(_ROLE_NAMES[r] for r in Role if r in t.roles)
            return NotPermitted(f"Cannot {t.verb} licence {licence.number}: only {who} can")
    if licence.status not in t.sources:
        needs = " or ".join(s.label.lower() for s in LicenceStatus if s in t.sources)
        return IllegalTransition(
            f"Cannot {t.verb} licence {licence.number}: it is {licence.get_status_display().lower()}; "
            f"that needs it to be {needs}"
        )
    if t.action == LicenceAction.RECORD_RETURN:
        if licence.return_due is None:
            return IllegalTransition(
                f"Licence {licence.number} is not a temporary export: nothing comes back"
            )
        if licence.returned_on is not None:
            return IllegalTransition(
                f"The return of the goods of licence {licence.number} was already recorded ({licence.returned_on})"
            )
    return None


def can_act_on_licence(user: Actor, licence: Licence, action: LicenceAction | str) -> bool:
    return licence_refusal(user, licence, action) is None


def check_licence_act(user: Actor, licence: Licence, action: LicenceAction | str) -> None:
    err = licence_refusal(user, licence, action)
    if err is not None:
        raise err


def allowed_licence_actions(user: Actor, licence: Licence) -> list[str]:
    """The licence actions `user` may take now (buttons on the licence panel); never the automatic ones."""
    return [
        a.value for a, t in LICENCE_TABLE.items() if t.roles and licence_refusal(user, licence, a) is None
    ]
