"""Template helpers of the screening partials: the matches of a case, and who may decide them."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import QuerySet

from warden.accounts.actors import Viewer
from warden.cases.models import Case
from warden.screening import policy
from warden.screening.models import Match
from warden.screening.presentation import Why
from warden.screening.presentation import match_why as _match_why

register = template.Library()


@register.simple_tag
def case_matches(case: Any) -> QuerySet[Match]:
    return (
        Match.objects.filter(case=case)
        .select_related("party", "entry__version__list", "decided_by")
        .order_by("status", "-score", "pk")
    )


@register.filter
def can_decide(user: Viewer | None) -> bool:
    # A template without a user (an error page) offers no decision; the policy refuses a missing actor.
    return user is not None and policy.can_decide_matches(user)


@register.simple_tag
def match_why(match: Match) -> Why:
    return _match_why(match)


@register.simple_tag
def stale_screening(case: Case, user: Viewer) -> str:
    """Why the case's screening is out of date (an older or missing list version), if `user` can fix it."""
    from warden.screening import gate

    if not policy.can_rescreen(user, case):
        return ""
    return gate.stale_list_reason(case) or ""
