"""Who may generate the annual reports: the authority's licensing, senior and policy officers and the
oversight readers. The reports hold aggregates only, but before publication they are the authority's
working figures; exporters, consulted advisers and administrators (who see no cases) get none."""

from __future__ import annotations

from warden.accounts.actors import Actor
from warden.accounts.models import Role
from warden.lib.actors import SystemActor

REPORT_ROLES = frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER, Role.POLICY_OFFICER, Role.OVERSIGHT})


def refusal(actor: Actor | None) -> str | None:
    """Why `actor` may not generate reports, or None when they may."""
    if actor is None:
        return "no actor: pass warden.lib.actors.system(reason) for the system"
    if isinstance(actor, SystemActor):
        return None
    if not actor.is_active:
        return "this account is deactivated"
    if actor.role not in REPORT_ROLES:
        return "annual reports are for licensing, senior and policy officers and oversight"
    return None


def may_generate(actor: Actor | None) -> bool:
    return refusal(actor) is None
