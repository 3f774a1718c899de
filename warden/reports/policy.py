"""Who may generate the annual reports: the authority's licensing, senior and policy officers and the
oversight readers. The reports hold aggregates only, but before publication they are the authority's
working figures; exporters, consulted advisers and administrators (who see no cases) get none."""

from __future__ import annotations

from warden.accounts.actors import Actor
from warden.accounts.models import Role
from warden.lib.actors import SystemActor

REPORT_ROLES = frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER, Role.POLICY_OFFICER, Role.OVERSIGHT})


def _by_role(actor: Actor | None, roles: frozenset[str], why_not: str) -> str | None:
    """The refusal of an act the system and the active holders of `roles` may do: `why_not` for anyone else."""
    if actor is None:
        return "no actor: pass warden.lib.actors.system(reason) for the system"
    if isinstance(actor, SystemActor):
        return None
    if not actor.is_active:
        return "this account is deactivated"
    if actor.role not in roles:
        return why_not
    return None


def refusal(actor: Actor | None) -> str | None:
    """Why `actor` may not generate reports, or None when they may."""
    return _by_role(
        actor, REPORT_ROLES, "annual reports are for licensing, senior and policy officers and oversight"
    )


def may_generate(actor: Actor | None) -> bool:
    return refusal(actor) is None


# The UN Register's background forms (holdings, national production) are the state's figures that the
# policy side gathers from the ministry of defence; the senior officer signs the return off. The system is
# the operator's command line (`warden unroca-background import`), as for the other reference data loads.
BACKGROUND_ROLES = frozenset({Role.POLICY_OFFICER, Role.SENIOR_OFFICER})
# The row a goods line counts in is a classification of the goods, the licensing officers' work; an
# officer's act, so never the system.
LINE_CATEGORY_ROLES = frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER, Role.POLICY_OFFICER})


def background_refusal(actor: Actor | None) -> str | None:
    """Why `actor` may not record the UNROCA background forms, or None when they may."""
    return _by_role(
        actor, BACKGROUND_ROLES, "the UNROCA background forms are recorded by the policy and senior officers"
    )


def line_category_refusal(actor: Actor | None) -> str | None:
    """Why `actor` may not set the ATT/UNROCA category of a goods line, or None when they may."""
    if actor is None or isinstance(actor, SystemActor):
        return "a line's category is an officer's classification: name the officer"
    if not actor.is_active:
        return "this account is deactivated"
    if actor.role not in LINE_CATEGORY_ROLES:
        return "a goods line's report category is set by the licensing, senior and policy officers"
    return None
