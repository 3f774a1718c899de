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


# Declarations of interest (warden.accounts.interests): the people who act on cases declare their own;
# supervisors (senior officers) and oversight read everyone's, and nobody edits another person's.
INTEREST_DECLARERS = frozenset(
    {Role.LICENSING_OFFICER, Role.SENIOR_OFFICER, Role.ADVISER, Role.POLICY_OFFICER}
)
INTEREST_SUPERVISORS = frozenset({Role.SENIOR_OFFICER, Role.OVERSIGHT})


def _is_active(user: Any) -> bool:
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    )


def can_declare_interest(user: Any) -> bool:
    return _is_active(user) and getattr(user, "role", None) in INTEREST_DECLARERS


def can_view_all_interests(user: Any) -> bool:
    return _is_active(user) and getattr(user, "role", None) in INTEREST_SUPERVISORS
