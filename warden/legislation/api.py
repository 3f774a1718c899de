"""REST API mounted at /api/legislation (token auth):
POST /api/legislation/assess?as_of=YYYY-MM-DD   assess a warden.application/1 document (nothing stored)
GET  /api/legislation/cases/{reference}/assessment   the current assessment of a case (authority users)
GET  /api/legislation/cases/{reference}/assessment/history   every version, with cause and changes
GET  /api/legislation/revisions                  reference-data revisions and their digests
GET  /api/legislation/ratings?q=ML10             search the control list in force today (any user)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status as HttpStatus

from warden.cases.models import Case
from warden.flows.rescreening import stale_lists
from warden.flows.submission import validate_application
from warden.legislation import lookup, policy, services
from warden.legislation.models import CaseAssessment, ReferenceRevision
from warden.legislation.ratings import live_reference
from warden.legislation.versions import cause_label, history
from warden.lib import clock
from warden.lib.errors import NotPermitted

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
    errors = validate_application(doc, as_of=as_of)
    if errors:
        detail = f"The document is not a valid warden.application/1 ({len(errors)} error(s))"
        return HttpStatus(422, {"detail": detail, "errors": [e.as_dict() for e in errors]})
    return services.assess_application(doc, as_of or clock.today())


@router.get(
    "/cases/{reference}/assessment",
    response={200: dict, 404: dict},
    summary="The assessment stored with a case",
)
def case_assessment(request: HttpRequest, reference: str) -> Any:
    # The case's own rule (cases.policy.can_view_findings): a case whose findings the caller may not see is
    # not found, whatever their role, so that guessing references reveals nothing.
    case = Case.objects.filter(reference=reference).first()
    if case is None or not policy.can_view_case_assessment(request.user, case):
        return HttpStatus(404, {"detail": "Not found"})
    ca = services.latest_assessment(case)
    if ca is None:
        return HttpStatus(404, {"detail": "No assessment stored for this case"})
    return {**ca.document, "version": version_info(ca)}


@router.get(
    "/cases/{reference}/assessment/history",
    response={200: list[dict[str, Any]], 404: dict[str, Any]},
    summary="Every version of a case's assessment, newest first, with its cause and what changed",
)
def case_assessment_history(request: HttpRequest, reference: str) -> Any:
    case = Case.objects.filter(reference=reference).first()
    if case is None or not policy.can_view_case_assessment(request.user, case):  # as case_assessment
        return HttpStatus(404, {"detail": "Not found"})
    return [
        {**version_info(ca), "recommendation": ca.recommendation, "changes": ca.diff} for ca in history(case)
    ]


@router.get("/revisions", response=list[dict[str, Any]], summary="Reference-data revisions")
def revisions(request: HttpRequest) -> Any:
    # Digests let anyone check which data an assessment used; a revision's note is the authority's own
    # (a country assessment's reason), so only readers of the legislation pages get it.
    internal = policy.can_view_legislation(request.user)
    return [
        {
            "number": r.number,
            "digest": r.digest,
            "digests": r.digests,
            "source": r.source,
            **({"note": r.note} if internal else {}),
            "created_at": r.created_at.isoformat(),
        }
        for r in ReferenceRevision.objects.only("number", "digest", "digests", "source", "note", "created_at")
    ]


@router.get(
    "/ratings",
    response={200: dict[str, Any], 403: dict[str, Any], 422: dict[str, Any]},
    summary="Search the control list in force today by rating number (ML10, 5A002) or words (unmanned)",
)
def ratings(request: HttpRequest, q: str = "") -> Any:
    # The look-up the application form uses (warden.legislation.lookup): best first, at most 20 entries.
    if not policy.can_look_up_ratings(request.user):
        raise NotPermitted("Not available to you")
    on = clock.today()
    return lookup.search(live_reference(), lookup.clean_query(q, where="/query/q"), on).as_dict(on)


def version_info(ca: CaseAssessment) -> dict[str, Any]:
    """What the API adds beside the current assessment document: which version it is, when and why it was
    made, and the lists the case was not screened against in their current version (until the re-screen
    after an import has run)."""
    return {
        "number": ca.version,
        "assessed_at": ca.created_at.isoformat(),
        "as_of": ca.as_of.isoformat(),
        "cause": ca.cause,
        "cause_label": cause_label(ca.cause),
        "caused_by": ca.caused_by,
        "screened_against_older_list": [str(s) for s in stale_lists(ca.case)],
    }
