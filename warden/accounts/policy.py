"""Who may manage people: the one place this rule lives (views and services ask here).

- administrators add people, change roles and deactivate accounts; to anyone else the people pages do not
  exist (404);
- everyone signed in manages their own API tokens only (another person's token is a 404).
"""

from __future__ import annotations

from typing import Any

from warden.accounts.models import Role

PEOPLE_MANAGERS = frozenset({Role.ADMINISTRATOR})


def can_manage_people(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) in PEOPLE_MANAGERS
    )
