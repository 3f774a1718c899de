"""REST API of screening, mounted at /api/screening (token auth). Authority case readers only
(warden.screening.policy): an exporter must not learn from the API whether a party is listed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from warden.lib.errors import InvalidInput, NotPermitted
from warden.screening import policy
from warden.screening.engine import screen_query
from warden.screening.matcher.records import Query
from warden.screening.models import ListVersion

router = Router(tags=["screening"])


def _reader(request: HttpRequest) -> Any:
    user = request.user
    if not policy.can_use_screening(user):
        raise NotPermitted("screening is available to licensing authority staff only")
    return user


@router.get("/screen", summary="Screen one name against the current lists (warden.screening/1)")
def screen(
    request: HttpRequest,
    name: str,
    type: str = "any",
    country: str = "",
    dob: str = "",
    threshold: float | None = None,
) -> dict[str, Any]:
    _reader(request)
    if not name.strip():
        raise InvalidInput("name: must not be empty", where="name")
    if type not in ("person", "organisation", "any"):
        raise InvalidInput("type: expected person or organisation", where="type")
    q = Query(name=name, kind=type, country=country.upper() or None, dob=dob or None)
    return screen_query(q, threshold=threshold)


@router.get("/lists", summary="The list versions in force")
def lists(request: HttpRequest) -> list[dict[str, Any]]:
    _reader(request)
    return [
        {
            "list": v.list.name,
            "title": v.list.title,
            "version": v.number,
            "imported_at": v.imported_at.isoformat(),
            "sha256": v.sha256,
            "entries": v.entries_count,
            "added": v.added,
            "changed": v.changed,
            "removed": v.removed,
        }
        for v in ListVersion.objects.filter(is_current=True).select_related("list").order_by("list__name")
    ]


@router.get("/matches", summary="Screening matches of the cases the caller may see (open ones by default)")
def matches(request: HttpRequest, status: str = "open") -> list[dict[str, Any]]:
    user = _reader(request)
    qs = policy.visible_matches(user).select_related("case", "party", "entry")
    if status != "all":
        qs = qs.filter(status=status)
    return [
        {
            "id": m.pk,
            "application": m.case.reference,
            "party": m.party.index,
            "party_name": m.party.name,
            "list": m.list_name,
            "entry": m.entry_key,
            "name": m.entry.name,
            "matched_name": m.matched_name,
            "score": round(m.score, 4),
            "status": m.status,
            "explanation": m.explanation,
        }
        for m in qs.order_by("-score", "pk")[:500]
    ]
