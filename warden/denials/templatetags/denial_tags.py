"""The case page's undercut panel: the partner denials a case is flagged against, for the officers only."""

from __future__ import annotations

from typing import Any

from django import template

from warden.denials import policy
from warden.denials.models import UndercutFlag
from warden.lib import clock

register = template.Library()


@register.simple_tag
def undercut_flags(case: Any, user: Any) -> list[dict[str, Any]]:
    """Each flag with its denial's state and its consultation; empty for anyone who may not see denials."""
    if not policy.can_view_flags(user, case):
        return []
    today = clock.today()
    rows = []
    for flag in UndercutFlag.objects.filter(case_id=case.pk).select_related("denial", "consultation"):
        d = flag.denial
        c = getattr(flag, "consultation", None)
        rows.append(
            {
                "flag": flag,
                "denial": d,
                "in_force": flag.status == "open" and d.in_force_on(today),
                "consultation": c,
                "may_notify": c is not None and not c.notified and c.closed_on(today),
            }
        )
    return rows


@register.filter
def can_consult(user: Any, case: Any) -> bool:
    return policy.can_consult(user, case)
