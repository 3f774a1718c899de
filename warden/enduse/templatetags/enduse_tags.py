"""The case page's end-use panel: diversion flags (with the suspension they offer), the certificate
register and the end users' profiles, for the authority's case readers only."""

from __future__ import annotations

from typing import Any

from django import template

from warden.cases import policy as case_policy
from warden.enduse import policy, queries
from warden.enduse.models import DiversionFlag, EndUseCheck
from warden.lib import clock
from warden.licences.policy import LicenceAction, can_act_on_licence

register = template.Library()


@register.simple_tag
def end_use_panel(case: Any, user: Any) -> dict[str, Any]:
    if not (policy.can_view(user) and case_policy.can_view_case(user, case)):
        return {"visible": False}
    panel = queries.case_panel(case)
    lic = next((f.licence for f in panel["flags"] if f.standing and f.licence is not None), None)
    panel["may_suspend"] = lic is not None and can_act_on_licence(user, lic, LicenceAction.SUSPEND)
    panel["may_clear"] = policy.may(user, policy.EndUseAction.CLEAR)
    panel["visible"] = bool(
        panel["flags"] or panel["same"] or panel["different"] or panel["profiles"] or panel["checks"]
    )
    return panel


@register.simple_tag
def licence_checks(licence: Any, user: Any) -> dict[str, Any]:
    """The licence's checks with their status and the diversion flags on it, for those who may see checks;
    empty for anyone else."""
    if not (policy.can_view(user) and case_policy.can_view_case(user, licence.case)):
        return {}
    today = clock.today()
    rows = EndUseCheck.objects.filter(licence=licence).select_related("inspector").order_by("due_on", "pk")
    flags = DiversionFlag.objects.filter(licence=licence).select_related("check_row", "cleared_by")
    return {"checks": [(c, c.status_on(today)) for c in rows], "flags": list(flags)}


@register.simple_tag
def country_record(code: str, user: Any) -> dict[str, Any]:
    """What the checks found in destination `code`, and the end users there with findings."""
    if not policy.can_view(user):
        return {}
    return queries.country_record(code)
