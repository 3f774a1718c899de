"""The concrete actor type of every domain above accounts: a person or the system (see warden.lib.actors).

`Actor` is who acts (service functions take one). `Viewer` is whom a read check is asked about: an actor or
the request's user as Django types it, possibly anonymous (an anonymous viewer is allowed nothing).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from warden.accounts.models import User
from warden.lib.actors import SystemActor, is_system, require_actor, system
from warden.lib.errors import NotPermitted

Actor: TypeAlias = User | SystemActor
Viewer: TypeAlias = User | SystemActor | AnonymousUser


def person(viewer: Viewer | None) -> User | None:
    """The signed-in, active person behind `viewer`, or None (anonymous, deactivated, or the system)."""
    if isinstance(viewer, User) and viewer.is_authenticated and viewer.is_active:
        return viewer
    return None


def the_person(actor: Actor, what: str) -> User:
    """`actor` as the person who does `what` (an act only a person does, whom the row names: the licence's
    issuer, the shipment's recorder); the system is refused, as its policy would."""
    require_actor(actor, what)
    if isinstance(actor, User):
        return actor
    raise NotPermitted(f"the system does not {what}: a person does")


def signed_in(request: HttpRequest) -> User:
    """The request's person, for a view that acts as them (behind login_required, so this only narrows the
    type; an anonymous request is refused as a 403 all the same)."""
    user = person(request.user)
    if user is None:
        raise NotPermitted("sign in first")
    return user


__all__ = [
    "Actor",
    "SystemActor",
    "Viewer",
    "is_system",
    "person",
    "require_actor",
    "signed_in",
    "system",
    "the_person",
]
