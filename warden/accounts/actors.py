"""The concrete actor type of every domain above accounts: a person or the system (see warden.lib.actors)."""

from __future__ import annotations

from typing import TypeAlias

from warden.accounts.models import User
from warden.lib.actors import SystemActor, is_system, system

Actor: TypeAlias = User | SystemActor

__all__ = ["Actor", "SystemActor", "is_system", "system"]
