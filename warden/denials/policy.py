"""Who may do what with denial notifications and undercut consultations, and when a grant must wait: the one
place these rules live (the views, the API, the CLI and the services ask here).

- Reading (the denials page, list and export, the flags on a case page): the authority's case readers
  (cases.policy.CASE_READERS). Denials are confidential between states (CP Art. 4): an exporter never sees
  them, nor whether its case is flagged.
- Importing a partner's file and exporting ours: the policy officer, who is the partner-liaison officer
  (no new role: liaison with partner states is policy work), and the system (`warden denials import`).
- Recording a consultation of the denying state, its answer, and the notice of a grant: the policy officer
  and the licensing and senior officers, who work the case.

The grant gate (why_no_grant, registered as a decision gate in apps.py): no licence is issued on a case
essentially identical to a partner's denial in force until the denying state was consulted and answered
(or its deadline passed) and the notice to that state with our reasons is recorded. The gate reads the
case's decision: the case gates cannot see which decision a senior officer is about to finalise, and a
refusal (following the denial) must never be held up, so the check bites on the grant itself, the licence.
The case page shows the flag and the consultation's state to the officers before they decide.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from warden.accounts.actors import Viewer
from warden.accounts.models import Role
from warden.cases import policy as case_policy
from warden.cases.models import Case, Decision
from warden.denials.models import FlagStatus, UndercutFlag
from warden.lib import clock
from warden.lib.actors import is_system


class DenialAction(StrEnum):
    VIEW = "view"
    IMPORT = "import"
    EXPORT = "export"
    CONSULT = "consult"


ROLES: dict[DenialAction, frozenset[str]] = {
    DenialAction.VIEW: frozenset(case_policy.CASE_READERS),
    DenialAction.IMPORT: frozenset({Role.POLICY_OFFICER}),
    DenialAction.EXPORT: frozenset({Role.POLICY_OFFICER}),
    DenialAction.CONSULT: frozenset({Role.POLICY_OFFICER, Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
}
# The system (the command line of the deployment's operator) reads, imports, exports and re-checks flags;
# it never records a consultation, which is an officer's act.
SYSTEM_ACTIONS = frozenset({DenialAction.VIEW, DenialAction.IMPORT, DenialAction.EXPORT})


def may(actor: Viewer | None, action: DenialAction | str) -> bool:
    action = DenialAction(action)
    if actor is None:
        return False
    if is_system(actor):
        return action in SYSTEM_ACTIONS
    active = getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)
    return bool(active and getattr(actor, "role", None) in ROLES[action])


def can_view(actor: Viewer | None) -> bool:
    return may(actor, DenialAction.VIEW)


def can_view_flags(actor: Viewer | None, case: Case) -> bool:
    return can_view(actor) and (is_system(actor) or case_policy.can_view_case(actor, case))


def can_consult(actor: Viewer | None, case: Case) -> bool:
    return may(actor, DenialAction.CONSULT) and case_policy.can_view_case(actor, case)


def _approving(case: Case) -> bool:
    return case.decision in (Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS)


def why_no_grant(case: Any) -> str | None:
    """Why `case` may not be granted yet because of a partner's denial, or None (a decision gate: read-only)."""
    if not _approving(case):
        return None
    today = clock.today()
    flags = UndercutFlag.objects.filter(case_id=case.pk, status=FlagStatus.OPEN).select_related(
        "denial", "consultation"
    )
    for flag in flags.order_by("pk"):
        d = flag.denial
        if not d.in_force_on(today):
            continue  # expired since it was flagged: no longer a question
        what = f"it is essentially identical to {d.issuing_state} denial {d.reference}"
        c = getattr(flag, "consultation", None)
        if c is None:
            return f"{what}; consult {d.issuing_state} before granting (Common Position Art. 4)"
        if not c.closed_on(today):
            return f"{what}; {d.issuing_state} was consulted and has until {c.deadline} to answer"
        if not c.notified:
            return f"{what}; record the notice to {d.issuing_state} with the reasons for granting first"
    return None
