"""Who acts. Every service function takes an `actor`: a person (an `accounts.User`) or `SystemActor`, the
system itself acting for a named reason (a list import's re-screen, the demo loader, `warden init`).

Before issue 11, `actor=None` silently meant "the system, allowed everything" and `actor: Any` hid which
was meant. Now the system is explicit and says why it acts, so the audit log and the policy functions can
tell a scheduled re-screen from a forgotten argument: policy functions refuse `None`, and a `SystemActor`
is allowed only the acts a policy names for it.

The person side is a Protocol so that the layers below `accounts` (audit, lib) can name it without
importing the user model; `warden.accounts.actors.Actor` is the concrete union the domains above use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs  # typing.TypeIs from Python 3.13; annotations only


@runtime_checkable
class Person(Protocol):
    """What the lower layers read of a person: the audit log's actor columns."""

    pk: Any
    username: str


@dataclass(frozen=True, slots=True)
class SystemActor:
    """The system acting on its own: `reason` says why ("list import re-screen", "demo loader")."""

    reason: str
    pk: None = None
    username: str = "system"
    role: str = "system"
    organisation_id: None = None
    team_id: None = None
    is_authority: bool = True
    is_exporter: bool = False

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("a system actor must say why it acts")

    @property
    def display_name(self) -> str:
        return f"system ({self.reason})"


def system(reason: str) -> SystemActor:
    """The system actor for `reason`."""
    return SystemActor(reason=reason)


AnyActor: TypeAlias = "Person | SystemActor"
# Whom a read check is asked about: an actor, or an anonymous request's user (allowed nothing).
AnyViewer: TypeAlias = "Person | SystemActor | AnonymousUser"


def is_system(actor: object) -> TypeIs[SystemActor]:
    return isinstance(actor, SystemActor)


def require_actor(actor: object, what: str) -> None:
    """Refuse a missing actor loudly: before issue 11 `None` meant "the system, allowed everything", so a
    forgotten argument was an unchecked act. A TypeError (a programming error, not a refusal for a person)."""
    if actor is None:
        raise TypeError(
            f"{what} needs an actor: a person, or warden.lib.actors.system(reason) for the system"
        )
