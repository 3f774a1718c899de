"""Who may do what with open general licences: the one place these rules live (the views, the API, the CLI
and the services ask here).

- Reading the published OGLs (their conditions, destinations, ratings): any signed-in person, and the
  system. They are public law; an exporter reads them before deciding to register.
- Publishing an OGL or a new version: the policy officer (who keeps the law as data), and the system
  (`warden ogl load`, the demo loader).
- Registering, reporting a use, deregistering and surrendering: an exporter, for its own organisation only.
- Suspending, revoking and reinstating a registration (the sanction ladder, after-licence.md section 4.1):
  the senior officer, with a reason. Never the system: a sanction is a person's decision.
- Filing a periodic return: the holder (an exporter of the registered organisation), as for a use.
- Flagging a missed return (the compliance flag on the registration): the system, by the daily sweep
  (`warden inbox daily`, `warden ogl sweep-returns`); a missed date is a fact, not a decision.
- Seeing every registration and its uses (the officers' view): the authority's case readers (licensing,
  senior and policy officers, oversight). An exporter sees its own organisation's registrations only.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet

from warden.accounts.actors import Viewer, person
from warden.accounts.models import Role
from warden.lib.actors import is_system
from warden.ogl.models import OglRegistration


class OglAction(StrEnum):
    VIEW = "view"
    PUBLISH = "publish"
    REGISTER = "register"  # also report use, deregister, surrender: the holder's acts
    SANCTION = "sanction"  # suspend, revoke, reinstate
    OVERSEE = "oversee"  # see every registration and use, and the queue of returns due
    SWEEP = "sweep"  # flag the returns missed (the system's daily run)


READERS = frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER, Role.POLICY_OFFICER, Role.OVERSIGHT})
ROLES: dict[OglAction, frozenset[str]] = {
    OglAction.VIEW: frozenset(Role.values),
    OglAction.PUBLISH: frozenset({Role.POLICY_OFFICER}),
    OglAction.REGISTER: frozenset({Role.EXPORTER}),
    OglAction.SANCTION: frozenset({Role.SENIOR_OFFICER}),
    OglAction.OVERSEE: READERS,
    OglAction.SWEEP: frozenset(),
}
SYSTEM_ACTIONS = frozenset({OglAction.VIEW, OglAction.PUBLISH, OglAction.OVERSEE, OglAction.SWEEP})


def _active(actor: Viewer | None) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False))


def may(actor: Viewer | None, action: OglAction | str) -> bool:
    action = OglAction(action)
    if actor is None:
        return False
    if is_system(actor):
        return action in SYSTEM_ACTIONS
    if not _active(actor) or getattr(actor, "role", None) not in ROLES[action]:
        return False
    # An exporter acts for its organisation: one without an organisation has nothing to register.
    return action != OglAction.REGISTER or getattr(actor, "organisation_id", None) is not None


def holds(actor: Viewer | None, registration: OglRegistration) -> bool:
    """`actor` may act as the holder of `registration` (an exporter of its organisation)."""
    who = person(actor)
    return (
        who is not None
        and may(who, OglAction.REGISTER)
        and registration.organisation_id == who.organisation_id
    )


def can_view_registration(actor: Viewer | None, registration: OglRegistration) -> bool:
    return may(actor, OglAction.OVERSEE) or holds(actor, registration)


def visible_registrations(actor: Viewer | None) -> QuerySet[OglRegistration]:
    rows = OglRegistration.objects.select_related("ogl", "organisation", "registered_by")
    if may(actor, OglAction.OVERSEE):
        return rows
    who = person(actor)
    if who is not None and who.organisation_id is not None and may(who, OglAction.REGISTER):
        return rows.filter(organisation_id=who.organisation_id)
    return rows.none()
