"""Who may do what with catch-all referrals: the one place these rules live (views, API, CLI and services
ask here).

- An exporter notifies for its own organisation and sees only its organisation's referrals; it links its
  own application to a referral that requires a licence.
- The authority's case readers (licensing, senior and policy officers, oversight) see every referral.
- Licensing, senior and policy officers raise a concern of their own; licensing and senior officers decide.
  Separation of duties: whoever raised a concern does not decide it.
- The system (the operator's command line) reads; it never notifies, raises or decides: each is a person's
  act that the letter and the audit log must name.
- The notices a "licence required" decision produces for partner states and customs (CatchAllNotice): the
  authority's case readers see them; the policy officer, who is the partner-liaison officer (as for
  denials: no new role), and the system export them. An exporter never sees them: what the authority tells
  other states is between states; the exporter has its inform letter.
"""

from __future__ import annotations

from enum import StrEnum

from warden.accounts.actors import Viewer, person
from warden.accounts.models import Role
from warden.cases.visibility import CASE_READERS
from warden.catchall.models import CatchAllReferral, Origin, Status
from warden.lib.actors import is_system


class ReferralAction(StrEnum):
    VIEW = "view"
    NOTIFY = "notify"
    RAISE = "raise"
    DECIDE = "decide"
    LINK = "link"


ROLES: dict[ReferralAction, frozenset[str]] = {
    ReferralAction.VIEW: frozenset(CASE_READERS | {Role.EXPORTER}),
    ReferralAction.NOTIFY: frozenset({Role.EXPORTER}),
    ReferralAction.RAISE: frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER, Role.POLICY_OFFICER}),
    ReferralAction.DECIDE: frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
    ReferralAction.LINK: frozenset({Role.EXPORTER, Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
}


def _active(actor: Viewer | None) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


def may(actor: Viewer | None, action: ReferralAction | str) -> bool:
    """May `actor` do `action` at all (on some referral)?"""
    action = ReferralAction(action)
    if actor is None:
        return False
    if is_system(actor):
        return action == ReferralAction.VIEW
    return _active(actor) and getattr(actor, "role", None) in ROLES[action]


NOTICE_READERS = frozenset(CASE_READERS)
NOTICE_EXPORTERS = frozenset({Role.POLICY_OFFICER})


def may_see_notices(actor: Viewer | None) -> bool:
    if actor is None:
        return False
    if is_system(actor):
        return True
    return _active(actor) and getattr(actor, "role", None) in NOTICE_READERS


def may_export_notices(actor: Viewer | None) -> bool:
    """The partner-liaison (policy) officer and the system send the notices out."""
    if actor is None:
        return False
    if is_system(actor):
        return True
    return _active(actor) and getattr(actor, "role", None) in NOTICE_EXPORTERS


def _own(actor: Viewer | None, referral: CatchAllReferral) -> bool:
    who = person(actor)
    return who is not None and (who.role != Role.EXPORTER or who.organisation_id == referral.organisation_id)


def can_view(actor: Viewer | None, referral: CatchAllReferral) -> bool:
    return may(actor, ReferralAction.VIEW) and (is_system(actor) or _own(actor, referral))


def why_not(
    actor: Viewer | None, referral: CatchAllReferral | None, action: ReferralAction | str
) -> str | None:
    """Why `actor` may not do `action` (on `referral`), as a sentence for the person; None when allowed."""
    action = ReferralAction(action)
    if not may(actor, action):
        who = "the system" if is_system(actor) else "your role"
        return f"{who} may not {action.value} a catch-all referral"
    if referral is None:
        if action == ReferralAction.NOTIFY and getattr(actor, "organisation_id", None) is None:
            return "your account belongs to no exporter organisation"
        return None
    if not can_view(actor, referral):
        return "no such referral"
    if action == ReferralAction.DECIDE:
        if referral.status != Status.ASSESSING:
            return f"{referral.reference} was already decided ({referral.get_status_display()})"
        if referral.origin == Origin.AUTHORITY and referral.raised_by_id == getattr(actor, "pk", None):
            return "whoever raised a concern does not decide it: another officer must (separation of duties)"
    if action == ReferralAction.LINK and referral.status != Status.INFORMED:
        return (
            f"only a referral that requires a licence is linked to an application; {referral.reference} is "
            f"{referral.get_status_display().lower()}"
        )
    return None
