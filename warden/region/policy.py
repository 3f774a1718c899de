"""Who may read the regional-stability view and import SIPRI data: the one place these rules live.

- Reading (the region view, a case's regional panel, the API and CLI listings): the authority's officers who
  assess Criterion 4 (licensing, senior and policy officers, advisers) and oversight, read-only. Exporters
  never: the view shows other exporters' licensed transfers.
- Importing a SIPRI file: the policy officer, who keeps the reference data, and the system (`warden region
  import`, the operator's command line)."""

from __future__ import annotations

from enum import StrEnum

from warden.accounts.actors import Actor
from warden.accounts.models import Role
from warden.lib.actors import is_system


class RegionAction(StrEnum):
    VIEW = "view"
    IMPORT = "import"


ROLES: dict[RegionAction, frozenset[str]] = {
    RegionAction.VIEW: frozenset(
        {Role.LICENSING_OFFICER, Role.SENIOR_OFFICER, Role.POLICY_OFFICER, Role.ADVISER, Role.OVERSIGHT}
    ),
    RegionAction.IMPORT: frozenset({Role.POLICY_OFFICER}),
}
SYSTEM_ACTS = frozenset({RegionAction.VIEW, RegionAction.IMPORT})


def may(actor: Actor | None, action: RegionAction | str) -> bool:
    act = RegionAction(action)
    if actor is None:
        return False
    if is_system(actor):
        return act in SYSTEM_ACTS
    active = getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)
    return bool(active and getattr(actor, "role", None) in ROLES[act])


def why_not(actor: Actor | None, action: RegionAction | str) -> str | None:
    if may(actor, action):
        return None
    if RegionAction(action) is RegionAction.IMPORT:
        return "Only the policy officer imports SIPRI arms-transfer data"
    return "The regional-stability view is for the licensing authority's officers and oversight"
