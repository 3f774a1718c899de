"""Who may see and decide screening matches: the one place these rules live. The views, the API, the
template tags and services.decide_match all ask here.

Seeing (a reader who may not see an object gets 404, never 403):
- the screening queue, the list versions and the screen/matches API: the authority's case readers
  (cases.policy.CASE_READERS); an exporter must not learn whether a party is listed;
- one match: whoever may see its case's findings (cases.policy.can_view_findings), so an adviser of the
  consulted team reads the matches on the case page, an adviser of another team does not know they exist;
- the queue and the matches API list only the matches of cases the reader may see.

Deciding (ROLES below is the table): licensing and senior officers, on a match they may see. Oversight and
policy officers read only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import QuerySet

from warden.accounts.models import Role
from warden.cases import policy as case_policy
from warden.screening.models import Match


class ScreeningAction(StrEnum):
    USE = "use"  # the queue, list versions, screening a name, listing matches
    DISPOSE = "dispose"  # decide a match true or false positive


ROLES: dict[ScreeningAction, frozenset[Role]] = {
    ScreeningAction.USE: frozenset(case_policy.CASE_READERS),
    ScreeningAction.DISPOSE: frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
}

# Kept for callers that ask for the deciding roles by this name.
DECIDERS = ROLES[ScreeningAction.DISPOSE]


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def may(user: Any, action: ScreeningAction | str) -> bool:
    return _active(user) and getattr(user, "role", None) in ROLES[ScreeningAction(action)]


def can_use_screening(user: Any) -> bool:
    return may(user, ScreeningAction.USE)


def visible_matches(user: Any) -> QuerySet[Match]:
    """The matches listed to `user` (queue, API): those of the cases they may see, for screening users."""
    if not can_use_screening(user):
        return Match.objects.none()
    return Match.objects.filter(case__in=case_policy.visible_cases(user))


def can_view_match(user: Any, match: Match) -> bool:
    return case_policy.can_view_findings(user, match.case)


def can_decide_matches(user: Any) -> bool:
    """Role only: whether decision forms are offered at all."""
    return may(user, ScreeningAction.DISPOSE)


def can_dispose_match(user: Any, match: Match) -> bool:
    return can_decide_matches(user) and can_view_match(user, match)


def dispose_refusal(user: Any, match: Match) -> str | None:
    """Why `user` may not decide `match`, or None. (Whether it is still open is the service's business.)"""
    if not can_view_match(user, match):
        return "No such match is visible to you"
    if not can_decide_matches(user):
        return "only licensing officers and senior officers decide screening matches"
    return None
