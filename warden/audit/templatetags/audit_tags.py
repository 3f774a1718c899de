from __future__ import annotations

from typing import Any

from django import template

from warden.audit import policy
from warden.audit.models import AuditEntry
from warden.audit.presentation import HistoryItem, action_label, history_item
from warden.cases import policy as case_policy

register = template.Library()

HISTORY_LIMIT = 200


@register.simple_tag(takes_context=True)
def audit_case_history(context: template.Context, case: Any) -> list[HistoryItem] | None:
    """The case's history from the audit log, oldest first, for authority users; None for anyone else
    (exporters see the case's transitions instead)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if case is None or not case_policy.can_view_internal(user, case):
        return None
    rows = AuditEntry.objects.filter(case_id=case.pk).order_by("-seq")[:HISTORY_LIMIT]
    return [history_item(e) for e in reversed(list(rows))]


@register.simple_tag(takes_context=True)
def audit_can_browse(context: template.Context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    # A page rendered without a user (an error page) offers no link; the policy refuses a missing actor.
    return user is not None and policy.can_browse(user)


@register.filter
def audit_action(action: str) -> str:
    return action_label(action)
