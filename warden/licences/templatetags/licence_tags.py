"""The amendment panels: a licence's versions (with the holder's "propose an amendment" form) on the licence
page, and on an amendment case's page what it changes against the terms in force."""

from __future__ import annotations

from typing import Any

from django import template

from warden.lib.errors import WorkflowError
from warden.licences import amendments, versions
from warden.licences.models import Licence, LicenceVersion

register = template.Library()


@register.inclusion_tag("licences/_versions.html", takes_context=True)
def licence_versions(context: template.Context, licence: Licence) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    why_not = "not signed in" if user is None else ""
    if user is not None:
        try:
            amendments.check_propose(user, licence)
        except WorkflowError as exc:
            why_not = str(exc)
    history = versions.versions_of(licence)
    return {
        "licence": licence,
        "versions": [{"v": v, "changes": amendments.summary(v.diff)} for v in reversed(history)],
        "amended": len(history) > 1,
        "pending": amendments.open_amendment(licence),
        "may_propose": user is not None and getattr(user, "role", "") == "exporter" and not why_not,
        # An officer proposes on the holder's behalf, from the terms in force with narrower quantities.
        "may_propose_for_holder": user is not None
        and getattr(user, "role", "") in ("licensing_officer", "senior_officer")
        and not why_not,
        "goods": list(licence.lines.select_related("goods_line").order_by("goods_line__line_no")),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("licences/_amendment_panel.html")
def amendment_panel(case: Any) -> dict[str, Any]:
    amendment = amendments.amendment_of(case)
    if amendment is None:
        return {"amendment": None}
    granted = LicenceVersion.objects.filter(licence=amendment.licence, case=case).first()
    if granted is not None:
        diff = granted.diff
    else:
        diff = versions.diff_documents(versions.terms_case(amendment.licence).document, case.document)
    return {
        "amendment": amendment,
        "granted": granted,
        "changes": amendments.summary(diff),
    }
