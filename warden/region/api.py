"""REST API of the regional-stability view, mounted at /api/region (token auth; warden.region.policy).
GET  /api/region/?region=middle-east&from=2020&to=2024   the view as JSON (TIV as decimal strings)
GET  /api/region/case/{case_id}                          a case's regional panel
POST /api/region/sipri?filename=NAME                     a SIPRI trade-register CSV as the body
                                                         (text/csv), all or nothing; 422 naming the
                                                         line and column of the first bad row
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from warden.cases.models import Case
from warden.cases.visibility import can_view_case
from warden.lib.errors import InvalidInput, NotPermitted
from warden.region import export, filters, policy, queries, services, sipri

router = Router(tags=["region"])


def _require(request: HttpRequest, action: policy.RegionAction) -> Any:
    reason = policy.why_not(request.user, action)  # type: ignore[arg-type]
    if reason:
        raise HttpError(403, reason)
    return request.user


@router.get("/", summary="The regional-stability view of a region and years")
def region(request: HttpRequest) -> dict[str, Any]:
    _require(request, policy.RegionAction.VIEW)
    try:
        reg, window = filters.parse(request.GET)
    except InvalidInput as exc:
        raise HttpError(422, str(exc)) from None
    result: dict[str, Any] = export.jsonable(queries.region_view(reg, window))
    return result


@router.get("/case/{case_id}", summary="A case's regional-stability panel")
def case_panel(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = _require(request, policy.RegionAction.VIEW)
    case = Case.objects.filter(pk=case_id).first() if 0 < case_id < 2**63 else None
    if case is None or not can_view_case(user, case):
        raise HttpError(404, f"case {case_id}: not found")
    result: dict[str, Any] = export.jsonable(queries.case_panel(case))
    return result


@router.post("/sipri", summary="Import a SIPRI trade-register CSV (all or nothing)")
def import_sipri(request: HttpRequest, filename: str = "upload.csv") -> dict[str, Any]:
    actor = _require(request, policy.RegionAction.IMPORT)
    try:
        result = services.import_register(actor=actor, data=request.body, filename=filename)
    except NotPermitted as exc:
        raise HttpError(403, str(exc)) from None
    except (sipri.SipriFormatError, InvalidInput) as exc:
        raise HttpError(422, f"{filename}: {exc} (nothing imported)") from None
    return {"file": result.file.filename, "format": result.file.fmt, "rows": result.rows,
            "replaced": result.replaced, "unmapped": list(result.unmapped), "summary": result.summary()}  # fmt: skip
