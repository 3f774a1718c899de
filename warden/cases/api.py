"""REST API for exporters' own systems, mounted at /api/applications (token auth, see accounts/api.py).

    POST /api/applications/                                   submit a warden.application/1 document
    GET  /api/applications/?page=1&page_size=50&status=...    the cases you may see, newest first
    GET  /api/applications/{reference}                        status, deadline, open requests, decision, licence
    POST /api/applications/{reference}/requests/{id}/answer   answer a request for information
    GET  /api/applications/{reference}/licence.pdf            the licence document

For the authority's own tooling (senior and licensing officers' tokens), the decision steps, refused with
409 and the policy's sentence while a decision gate is closed (an unreviewed screening match, a stale list):
    POST /api/applications/{reference}/finalise      decide (or propose a decision against the engine)
    POST /api/applications/{reference}/countersign   countersign a proposed decision against the engine
    POST /api/applications/{reference}/licence       issue the licence of an approval

Same rules as the web UI (warden.cases.policy): a case you may not see answers 404, never 403, so that
guessing references reveals nothing. An invalid document answers 422 with every error as a JSON pointer and
a message, and nothing is stored. Thin adapter: all decisions are in services and policy.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.responses import Status as HttpStatus

from warden.accounts.actors import signed_in
from warden.accounts.models import User
from warden.cases import policy, services, sla
from warden.cases.api_schemas import (
    AnswerIn,
    CaseListOut,
    CaseOut,
    CountersignIn,
    DecisionOut,
    ErrorOut,
    FinaliseIn,
    ListFilters,
    RequestOut,
)
from warden.cases.models import Case, InformationRequest, Status
from warden.cases.queries import case_with_licence as _case_by_reference
from warden.cases.queries import open_requests as _open_requests
from warden.cases.schema import FieldError
from warden.cases.transitions import (
    CaseConflict,
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    WorkflowError,
)
from warden.flows import amendment, case_decision, submission
from warden.legislation.citable import citable_map
from warden.lib import safe_json

router = Router(tags=["applications"])


_NOT_FOUND = {"detail": "Not found"}


def _error(exc: WorkflowError) -> HttpStatus[dict[str, Any]]:
    if isinstance(exc, services.InvalidDocument):
        return HttpStatus(422, {"detail": str(exc), "errors": [e.as_dict() for e in exc.errors]})
    if isinstance(exc, InvalidInput):
        pointer = f"/{exc.field}" if exc.field else ""
        return HttpStatus(422, {"detail": str(exc), "errors": [{"pointer": pointer, "message": str(exc)}]})
    if isinstance(exc, NotPermitted):
        return HttpStatus(403, {"detail": str(exc)})
    if isinstance(exc, (IllegalTransition, CaseConflict)):
        return HttpStatus(409, {"detail": str(exc)})
    return HttpStatus(400, {"detail": str(exc)})


def _case_out(case: Case) -> dict[str, Any]:
    finalised = case.status in (Status.FINALISED, Status.LICENCE_ISSUED, Status.CLOSED, Status.UNDER_APPEAL)
    licence = (
        getattr(case, "licence", None) if case.status in (Status.LICENCE_ISSUED, Status.CLOSED) else None
    )
    open_requests = _open_requests(case)
    return {
        "reference": case.reference,
        "client_reference": case.client_reference,
        "status": case.status,
        "status_label": case.get_status_display(),
        "licence_type": case.licence_type,
        "destination": case.destination,
        "submitted_at": case.submitted_at,
        "sla_deadline": case.sla_deadline,
        "working_days_left": sla.working_days_left(case) if case.is_open else None,
        "waiting_for_exporter": case.paused_since is not None,
        "overdue": sla.is_overdue(case),
        "open_requests": open_requests,
        "decision": (case.decision or None) if finalised else None,
        "decision_criteria": case.decision_criteria if finalised else [],
        "decision_reason": case.decision_reason if finalised else "",
        "conditions": case.conditions if finalised else "",
        "appeal_deadline": policy.appeal_deadline(case),
        "licence": licence,
    }


def _person(request: HttpRequest) -> User:
    """The token's user (the router authenticates every call; the policy refuses anyone else)."""
    if not isinstance(request.user, User):
        raise NotPermitted("Log in first")
    return request.user


def _visible(request: HttpRequest, reference: str) -> Case | None:
    """The case with this reference if the caller may see it (policy.can_view_case, the per-case form of
    policy.visible_cases), else None, with its licence joined (cases.queries)."""
    case = _case_by_reference(reference)
    if case is None or not policy.can_view_case(request.user, case):
        return None
    return case


@router.post(
    "/",
    response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Submit an application (warden.application/1)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "object", "description": "A warden.application/1 document"}
                }
            },
        }
    },
)
def submit_application(request: HttpRequest) -> Any:
    """Validate the document; if valid, create the case and submit it in one transaction (201 with its
    reference and status). If not, 422 with every error as a JSON pointer and a message; nothing stored."""
    try:
        doc = safe_json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"The body is not valid JSON: {exc}"
        return HttpStatus(422, {"detail": msg, "errors": [{"pointer": "", "message": msg}]})
    errors: list[FieldError] = submission.validate_application(doc)
    if errors:
        detail = f"The document is not a valid warden.application/1 ({len(errors)} error(s))"
        return HttpStatus(422, {"detail": detail, "errors": [e.as_dict() for e in errors]})
    try:
        case = submission.submit_application(actor=_person(request), document=doc)
    except WorkflowError as exc:
        return _error(exc)
    return HttpStatus(201, _case_out(case))


@router.get("/", response=CaseListOut, summary="List your applications")
def list_applications(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    page_size = max(1, min(filters.page_size, 200))
    page = max(1, filters.page)
    qs = policy.visible_cases(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    count = qs.count()
    rows = qs.order_by("-created_at", "-pk").values(
        "reference",
        "client_reference",
        "status",
        "licence_type",
        "destination",
        "submitted_at",
        "sla_deadline",
        "decision",
    )[(page - 1) * page_size : page * page_size]
    results = [{**r, "decision": r["decision"] or None} for r in rows]
    return {"count": count, "page": page, "page_size": page_size, "results": results}


@router.get("/{reference}", response={200: CaseOut, 404: ErrorOut}, summary="Status of an application")
def application_status(request: HttpRequest, reference: str) -> Any:
    case = _visible(request, reference)
    if case is None:
        return HttpStatus(404, _NOT_FOUND)
    return HttpStatus(200, _case_out(case))


@router.post(
    "/{reference}/requests/{request_id}/answer",
    response={200: RequestOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Answer a request for information",
)
def answer_request(request: HttpRequest, reference: str, request_id: int, body: AnswerIn) -> Any:
    case = _visible(request, reference)
    if case is None:
        return HttpStatus(404, _NOT_FOUND)
    req = InformationRequest.objects.filter(case=case, pk=request_id).first()
    if req is None:
        return HttpStatus(404, _NOT_FOUND)
    try:
        amendment.answer_information_request(
            actor=_person(request), request=req, answer=body.answer, document=body.document
        )
    except WorkflowError as exc:
        return _error(exc)
    return HttpStatus(200, req)


@router.get(
    "/{reference}/licence.pdf",
    response={200: None, 404: ErrorOut},
    summary="The licence document (PDF)",
    # Integer key: Ninja's own responses use integers, and a string "200" beside them is a duplicate key
    # in openapi.json that Swagger UI refuses to render.
    openapi_extra={
        "responses": {
            200: {
                "description": "The licence document",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def licence_pdf(request: HttpRequest, reference: str) -> Any:
    from warden.licences.models import Licence
    from warden.licences.pdf import licence_pdf as render

    case = _visible(request, reference)
    licence = Licence.objects.filter(case=case).first() if case is not None else None
    if licence is None:
        return HttpStatus(404, _NOT_FOUND)
    pdf = render(actor=signed_in(request), licence=licence)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{licence.number}.pdf"'
    return response


def _decision_out(case: Case, detail: str) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "status": case.status,
        "decision": case.decision or None,
        "awaiting_countersignature": policy.pending_overrule(case) is not None,
        "detail": detail,
    }


_DECISION_RESPONSES = {200: DecisionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/{reference}/finalise", response=_DECISION_RESPONSES, summary="Finalise a decision (senior officer)"
)
def finalise(request: HttpRequest, reference: str, body: FinaliseIn) -> Any:
    case = _visible(request, reference)
    if case is None:
        return HttpStatus(404, _NOT_FOUND)
    try:
        case_decision.finalise(
            actor=_person(request),
            case=case,
            decision=body.decision,
            reason=body.reason,
            criteria=body.criteria,
            conditions=body.conditions,
            justification=body.justification,
            omitted_provisos=body.omitted_provisos,
            citable=citable_map(),  # the ruleset in force, national criteria included
            refused_lines=body.refused_lines or None,
        )
    except WorkflowError as exc:
        return _error(exc)
    pending = policy.pending_overrule(case) is not None
    detail = "Awaiting the countersignature of a second senior officer" if pending else "Finalised"
    return HttpStatus(200, _decision_out(case, detail))


@router.post(
    "/{reference}/countersign",
    response=_DECISION_RESPONSES,
    summary="Countersign a decision against the engine",
)
def countersign(request: HttpRequest, reference: str, body: CountersignIn) -> Any:
    case = _visible(request, reference)
    if case is None:
        return HttpStatus(404, _NOT_FOUND)
    try:
        case_decision.countersign(actor=_person(request), case=case, note=body.note)
    except WorkflowError as exc:
        return _error(exc)
    return HttpStatus(200, _decision_out(case, "Countersigned and finalised"))


@router.post("/{reference}/licence", response=_DECISION_RESPONSES, summary="Issue the licence of an approval")
def issue_licence(request: HttpRequest, reference: str) -> Any:
    case = _visible(request, reference)
    if case is None:
        return HttpStatus(404, _NOT_FOUND)
    try:
        licence = case_decision.issue_licence(actor=_person(request), case=case)
    except WorkflowError as exc:
        return _error(exc)
    return HttpStatus(200, _decision_out(case, f"Licence {licence.number} issued"))
