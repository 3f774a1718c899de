"""Read-only views of the OGLs, registrations and uses for the pages, the API and the CLI (plain dicts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from warden.lib import clock
from warden.ogl.models import OglRegistration, OglUse, OglVersion, OpenGeneralLicence


def published() -> QuerySet[OpenGeneralLicence]:
    return OpenGeneralLicence.objects.prefetch_related(
        Prefetch("versions", queryset=OglVersion.objects.order_by("effective_from"))
    )


def version_dict(v: OglVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "effective_from": v.effective_from.isoformat(),
        "effective_until": v.effective_until.isoformat() if v.effective_until else None,
        "citation": v.citation,
        "url": v.url,
        "conditions": v.conditions,
        "permitted_destinations": list(v.permitted_destinations),
        "excluded_destinations": list(v.excluded_destinations),
        "permitted_ratings": list(v.permitted_ratings),
        "excluded_ratings": list(v.excluded_ratings),
        "excluded_end_use_flags": list(v.excluded_end_use_flags),
        "max_value": {"amount": str(v.max_value), "currency": v.max_value_currency} if v.max_value else None,
        "first_report_days": v.first_report_days,
        "report_every_months": v.report_every_months,
        "note": v.note,
    }


def ogl_dict(
    ogl: OpenGeneralLicence, *, day: dt.date | None = None, versions: bool = False
) -> dict[str, Any]:
    current = ogl.version_on(day or clock.today())
    out: dict[str, Any] = {
        "reference": ogl.reference,
        "title": ogl.title,
        "in_force": current is not None,
        "current": version_dict(current) if current else None,
    }
    if versions:
        out["versions"] = [version_dict(v) for v in ogl.versions.all()]
    return out


def use_dict(u: OglUse) -> dict[str, Any]:
    return {
        "customs_declaration": u.customs_declaration,
        "shipped_on": u.shipped_on.isoformat(),
        "destination": u.destination,
        "ratings": list(u.ratings),
        "description": u.description,
        "quantity": u.quantity,
        "value": {"amount": str(u.value_amount), "currency": u.currency},
        "consignee_name": u.consignee_name,
        "end_user_name": u.end_user_name,
        "end_use_flags": list(u.end_use_flags),
        "version": u.version.number,
        "reported_at": u.reported_at.isoformat(),
    }


def registration_dict(r: OglRegistration, *, uses: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "reference": r.reference,
        "ogl": r.ogl.reference,
        "organisation": r.organisation.name,
        "status": r.status,
        "registered_at": r.registered_at.isoformat(),
        "status_changed_at": r.status_changed_at.isoformat(),
        "status_reason": r.status_reason,
    }
    if uses:
        out["uses"] = [use_dict(u) for u in r.uses.select_related("version").order_by("-shipped_on", "-pk")]
    return out
