"""REST API of the oversight side, mounted at /api/oversight (token auth): the search (every signed-in
person, over what they may see) and the integrity indicators (senior officers and oversight). A bad filter
is a 422 naming the field and the value, never an unfiltered answer."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from warden.oversight import indicators, policy, search
from warden.oversight.thresholds import definitions

router = Router(tags=["oversight"])
API_PAGE = 100


@router.get("/search", summary="Search cases, licences, parties or screening matches you may see")
def search_api(
    request: HttpRequest,
    kind: str = "cases",
    q: str = "",
    rating: str = "",
    destination: str = "",
    status: str = "",
    since: str = "",
    until: str = "",
    page: str = "",
) -> dict[str, Any]:
    if not policy.can_search(request.user):
        raise HttpError(403, "sign in to search")
    params = {
        "kind": kind,
        "q": q,
        "rating": rating,
        "destination": destination,
        "status": status,
        "since": since,
        "until": until,
        "page": page,
    }
    parsed = search.parse_params(request.user, params)
    if not parsed.ok:
        raise HttpError(422, "; ".join(f"{k}: {v}" for k, v in parsed.errors.items()))
    spec = search.KINDS[str(parsed.values["kind"])]
    found = search.results(request.user, parsed)
    paginator = Paginator(found.values_list("pk", flat=True), API_PAGE)
    number = int(str(parsed.values.get("page") or 1))
    if number > paginator.num_pages:
        raise HttpError(422, f"page: page {number} does not exist: there are {paginator.num_pages} pages")
    rows = search.page_objects(found, list(paginator.page(number).object_list))
    keys = [h.lower().replace(" ", "_") for h in spec.headers]
    return {
        "kind": parsed.values["kind"],
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "results": [dict(zip(keys, spec.row(o), strict=True)) for o in rows],
    }


@router.get("/indicators", summary="The integrity indicators, their thresholds and their hits")
def indicators_api(request: HttpRequest) -> list[dict[str, Any]]:
    if not policy.can_see_indicators(request.user):
        raise HttpError(403, "the integrity indicators are shown to senior officers and oversight")
    out = []
    for ident in definitions():
        result = indicators.compute(ident)
        d = result.definition
        out.append(
            {
                "id": d.id,
                "title": d.title,
                "basis": d.basis,
                "thresholds": {k: {"value": t.value, "reason": t.reason} for k, t in d.thresholds.items()},
                "hits": [
                    {"subject": h.subject, "why": h.sentence, "case_ids": list(h.case_ids)}
                    for h in result.hits
                ],
            }
        )
    return out
