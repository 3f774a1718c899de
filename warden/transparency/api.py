"""The refusal letter over the API: GET /api/applications/{reference}/refusal-letter.pdf (token auth, like the
rest of /api/applications). 404 for a case the caller may not see or that is not refused: which cases exist
is not leaked."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from warden.cases import policy as case_policy
from warden.transparency import refusal_letter

router = Router(tags=["refusal letters"])


class ErrorOut(Schema):
    detail: str


@router.get(
    "/{reference}/refusal-letter.pdf",
    response={404: ErrorOut},
    summary="The refusal letter of a refused application (PDF)",
)
def refusal_letter_pdf(request: HttpRequest, reference: str) -> Any:
    case = case_policy.visible_cases(request.user).filter(reference=reference).first()
    if case is None or not refusal_letter.can_have_letter(request.user, case):  # type: ignore[arg-type]
        return HttpStatus(404, {"detail": "No refusal letter for this application"})
    content = refusal_letter.refusal_letter(actor=request.user, case=case)  # type: ignore[arg-type]
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="refusal-{case.reference}.pdf"'
    return response
