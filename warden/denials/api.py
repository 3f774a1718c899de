"""REST API of denial notifications, mounted at /api/denials (token auth). The authority's case readers see
what is held; the policy officer (partner liaison) imports and exports (warden.denials.policy).
    GET  /api/denials/                              every denial held, ours and partners'
    POST /api/denials/import?from=FR                a partner's file as the body (application/json or
                                                    text/csv), all or nothing; 422 naming the record and
                                                    field of the first bad one, nothing stored
    GET  /api/denials/export?since=DATE&format=json our refusals as warden.denial/1 (json or csv)
An exporter's token gets 403: denials are confidential between states.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from warden.accounts.services import our_state
from warden.denials import exchange, policy, queries, services
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted

router = Router(tags=["denials"])


def _require(request: HttpRequest, action: policy.DenialAction) -> Any:
    if not policy.may(request.user, action):
        raise HttpError(403, "denial notifications are available to the licensing authority's staff only")
    return request.user


@router.get("/", summary="Every denial notification held, ours and partners'")
def held(request: HttpRequest) -> list[dict[str, Any]]:
    _require(request, policy.DenialAction.VIEW)
    return queries.held()


@router.post("/import", summary="Import a partner state's notifications (warden.denial/1, JSON or CSV)")
def import_file(request: HttpRequest) -> dict[str, Any]:
    actor = _require(request, policy.DenialAction.IMPORT)
    # `from` is a Python keyword: read it from the query string rather than as a parameter name.
    from_ = request.GET.get("from", "")
    if not from_:
        raise HttpError(422, "from: the issuing state is required (?from=CC)")
    content_type = request.content_type or ""
    fmt = "csv" if "csv" in content_type else "json" if "json" in content_type else None
    if fmt is None:
        raise HttpError(415, "send the file as application/json or text/csv")
    try:
        result = services.import_denials(actor=actor, issuing_state=from_, data=request.body, fmt=fmt)
    except exchange.DenialFormatError as exc:
        raise HttpError(422, f"{exc} (nothing imported)") from None
    except InvalidInput as exc:
        raise HttpError(422, str(exc).replace("--from", "from")) from None
    except NotPermitted as exc:
        raise HttpError(403, str(exc)) from None
    return {
        "issuing_state": result.issuing_state,
        "added": result.added,
        "updated": result.updated,
        "revoked": result.revoked,
        "unchanged": result.unchanged,
        "flagged_cases": result.flagged,
        "cleared_cases": result.cleared,
    }


@router.get("/export", summary="Our refusals as warden.denial/1 notifications", response={200: Any})
def export(request: HttpRequest, since: str = "", format: str = "json") -> Any:
    _require(request, policy.DenialAction.EXPORT)
    day = None
    if since:
        try:
            day = dt.date.fromisoformat(since)
        except ValueError:
            raise HttpError(422, f"since: {since!r} is not a date (YYYY-MM-DD)") from None
    if format not in exchange.FILE_FORMATS:
        raise HttpError(422, f"format: {format!r}: expected json or csv")
    denials = queries.ours(since=day)
    if format == "csv":
        response = HttpResponse(exchange.to_csv(denials), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="denials.csv"'
        return response
    doc = exchange.document(denials, issuing_state=our_state(), today=clock.today())
    return HttpResponse(json.dumps(doc, ensure_ascii=False), content_type="application/json")
