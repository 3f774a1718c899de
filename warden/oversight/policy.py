"""Who may use the oversight side: the one place these rules live (views, API, CLI and services ask here).

- the committee portal (every case and decision, read-only) and committee notes: the oversight role only.
  Notes are the committee's own space: the authority (officers, senior officers, administrators) neither
  reads nor writes them, and nothing the committee does here changes case data;
- integrity indicators and their drill-down: supervisors (senior officers) and oversight;
- search and saved searches: every signed-in person, over what the domains' own visibility rules let them
  see (cases.policy.visible_cases, screening.policy.visible_matches): exporters their organisation's cases.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from warden.accounts.models import Role, User


class OversightAction(StrEnum):
    PORTAL = "portal"
    NOTES = "notes"
    INDICATORS = "indicators"
    SEARCH = "search"


ROLES: dict[OversightAction, frozenset[str]] = {
    OversightAction.PORTAL: frozenset({Role.OVERSIGHT}),
    OversightAction.NOTES: frozenset({Role.OVERSIGHT}),
    OversightAction.INDICATORS: frozenset({Role.SENIOR_OFFICER, Role.OVERSIGHT}),
    OversightAction.SEARCH: frozenset(Role.values),
}


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def may(user: Any, action: OversightAction | str) -> bool:
    return _active(user) and getattr(user, "role", None) in ROLES[OversightAction(action)]


def can_use_portal(user: Any) -> bool:
    return may(user, OversightAction.PORTAL)


def can_keep_notes(user: Any) -> bool:
    return may(user, OversightAction.NOTES)


def can_see_indicators(user: Any) -> bool:
    return may(user, OversightAction.INDICATORS)


def can_search(user: Any) -> bool:
    return may(user, OversightAction.SEARCH)


def person(user: Any) -> User:
    """The signed-in person of a request (the views are behind login_required): a User for the services."""
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user
