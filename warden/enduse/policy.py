"""Who may see and do what in end-use control: the one place these rules live (views, API, CLI and services
ask here).

- Seeing the checks, their evidence, the end-user profiles and the flags on a case: the authority's case
  readers (cases.policy.CASE_READERS, which include the compliance inspector). An exporter never sees them:
  a planned check is not announced to the party it checks.
- Planning a check by hand: the licensing, senior and policy officers and the compliance inspector. The
  system plans from risk when a licence is issued or a shipment recorded (warden.flows.end_use).
- Recording a finding: the compliance inspector only, and only the one the check is assigned to when it is
  assigned (anyone else would be recording someone else's visit), and never on a licence of an exporter
  they declared an interest in (nor is such a check assigned to them). Never the system: a finding is a
  person's.
- Clearing a diversion flag (the flagged party is not the end user the check found: a false match) and
  withdrawing a diversion finding (evidence, or a later clean check, shows it was wrong; every flag it
  raised is cleared and the end user's record no longer counts it): a senior officer, with a reason. Not
  the inspector, who found it: undoing a finding that held up cases and offered suspensions is reviewed by
  someone else, as only a senior officer reinstates a suspended licence (warden.licences.policy). The
  inspector's part is the evidence: a later check's finding, or a note on the check. Never the system.
- Suspending a licence over a diversion flag: whoever warden.licences.policy lets suspend (senior and policy
  officers, the compliance inspector); the licence service checks it again.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from warden.accounts import interests
from warden.accounts.actors import Viewer
from warden.accounts.models import Role
from warden.cases import policy as case_policy
from warden.enduse.models import EndUseCheck
from warden.lib import clock
from warden.lib.actors import is_system
from warden.lib.errors import NotPermitted


class EndUseAction(StrEnum):
    VIEW = "view"
    PLAN = "plan"
    RECORD = "record"
    CLEAR = "clear"


ROLES: dict[EndUseAction, frozenset[str]] = {
    EndUseAction.VIEW: frozenset(case_policy.CASE_READERS),
    EndUseAction.PLAN: frozenset(
        {Role.LICENSING_OFFICER, Role.SENIOR_OFFICER, Role.POLICY_OFFICER, Role.COMPLIANCE_INSPECTOR}
    ),
    EndUseAction.RECORD: frozenset({Role.COMPLIANCE_INSPECTOR}),
    EndUseAction.CLEAR: frozenset({Role.SENIOR_OFFICER}),
}
SYSTEM_ACTIONS = frozenset({EndUseAction.VIEW, EndUseAction.PLAN})

MESSAGES = {
    EndUseAction.VIEW: "End-use checks are available to the licensing authority's staff only",
    EndUseAction.PLAN: "Only licensing, senior and policy officers and compliance inspectors plan end-use checks",
    EndUseAction.RECORD: "Only a compliance inspector records the finding of an end-use check",
    EndUseAction.CLEAR: "Only a senior officer clears a diversion flag or withdraws a diversion finding",
}


def may(actor: Viewer | None, action: EndUseAction | str) -> bool:
    action = EndUseAction(action)
    if actor is None:
        return False
    if is_system(actor):
        return action in SYSTEM_ACTIONS
    active = getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)
    return bool(active and getattr(actor, "role", None) in ROLES[action])


def check(actor: Viewer | None, action: EndUseAction | str) -> None:
    if not may(actor, action):
        raise NotPermitted(MESSAGES[EndUseAction(action)])


def can_view(actor: Viewer | None) -> bool:
    return may(actor, EndUseAction.VIEW)


def interest_conflict(inspector: Any, row: EndUseCheck) -> str | None:
    """An inspector does not verify an exporter they declared an interest in (warden.accounts.interests)."""
    found = interests.declaration_in_force(inspector, row.licence.case.organisation_id, clock.today())
    if found is None:
        return None
    return (
        f"{row.reference}: you declared an interest in {found.organisation.name} from "
        f"{found.starts_on.isoformat()} ({found.reason}); another inspector must do this check "
        "(conflict of interest)"
    )


def why_not_record(actor: Viewer | None, row: EndUseCheck) -> str | None:
    if not may(actor, EndUseAction.RECORD):
        return MESSAGES[EndUseAction.RECORD]
    conflict = interest_conflict(actor, row)
    if conflict is not None:
        return conflict
    if row.inspector_id is not None and row.inspector_id != getattr(actor, "pk", None):
        who = row.inspector.get_full_name() or row.inspector.username  # type: ignore[union-attr]
        return f"{row.reference} is assigned to {who}; only they record its finding"
    return None


def can_record(actor: Viewer | None, row: EndUseCheck) -> bool:
    return why_not_record(actor, row) is None and row.completed_on is None
