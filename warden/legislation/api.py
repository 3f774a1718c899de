"""REST API mounted at /api/legislation (token auth):
POST /api/legislation/assess?as_of=YYYY-MM-DD   assess a warden.application/1 document (nothing stored)
GET  /api/legislation/cases/{reference}/assessment   the current assessment of a case (authority users)
GET  /api/legislation/cases/{reference}/assessment/history   every version, with cause and changes
GET  /api/legislation/revisions                  reference-data revisions and their digests
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status as HttpStatus

from warden.cases.models import Case
from warden.cases.schema import validate_application
from warden.legislation import services
from warden.legislation.models import ReferenceRevision
from warden.legislation.versions import history, version_info

router = Router(tags=["legislation"])


@router.post(
    "/assess",
    response={200: dict, 422: dict},
    summary="Assess an application (warden.assessment/1); nothing is stored",
)
def assess(request: HttpRequest, as_of: dt.date | None = None) -> Any:
    try:
        doc = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"The body is not valid JSON: {exc}"
        return HttpStatus(422, {"detail": msg, "errors": [{"pointer": "", "message": msg}]})
    errors = validate_application(doc)
    if errors:
        detail = f"The document is not a valid warden.application/1 ({len(errors)} error(s))"
        return HttpStatus(422, {"detail": detail, "errors": [e.as_dict() for e in errors]})
    return services.assess_application(doc, as_of or dt.date.today())


@router.get(
    "/cases/{reference}/assessment",
    response={200: dict, 404: dict},
    summary="The assessment stored with a case",
)
def case_assessment(request: HttpRequest, reference: str) -> Any:
    user = request.user
    case = Case.objects.filter(reference=reference).first()
    if case is None or not getattr(user, "is_authority", False):
        return HttpStatus(404, {"detail": "Not found"})
    ca = services.latest_assessment(case)
    if ca is None:
        return HttpStatus(404, {"detail": "No assessment stored for this case"})
    return {**ca.document, "version": version_info(ca)}


@router.get(
    "/cases/{reference}/assessment/history",
    response={200: list[dict], 404: dict},
    summary="Every version of a case's assessment, newest first, with its cause and what changed",
)
def case_assessment_history(request: HttpRequest, reference: str) -> Any:
    user = request.user
    case = Case.objects.filter(reference=reference).first()
    if case is None or not getattr(user, "is_authority", False):  # the same check as case_assessment
        return HttpStatus(404, {"detail": "Not found"})
    return [
        {**version_info(ca), "recommendation": ca.recommendation, "changes": ca.diff} for ca in history(case)
    ]


@router.get("/revisions", response=list[dict], summary="Reference-data revisions")
def revisions(request: HttpRequest) -> Any:
    return [
        {
            "number": r.number,
            "digest": r.digest,
            "digests": r.digests,
            "source": r.source,
            "note": r.note,
            "created_at": r.created_at.isoformat(),
        }
        for r in ReferenceRevision.objects.only("number", "digest", "digests", "source", "note", "created_at")
    ]
