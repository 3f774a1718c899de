"""Amendment: an input of an open case changes -> the case records it -> re-screen -> re-assess.

Two ways the application of a submitted case changes after submission, read top to bottom:
- the exporter answers a request for information, possibly with an amended application (new goods and
  parties): the case records the answer (and resumes its clock); when the application changed, its
  parties are re-screened and the case re-assessed;
- someone attaches a document (an end-user certificate...): the case stores it; the case is re-assessed
  (a new assessment version only if the assessment reads it).
Each is one transaction. A draft's edits need neither: submission screens and assesses.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from warden.accounts.models import User
from warden.cases import services as case_services
from warden.cases.models import Case, Document, InformationRequest
from warden.flows import reassessment, undercut
from warden.legislation.ratings import rating_errors


@transaction.atomic(durable=True)
def answer_information_request(
    *, actor: User, request: InformationRequest, answer: str, document: dict[str, Any] | None = None
) -> InformationRequest:
    """The exporter's answer (case page, API, demo); raises what the case services raise."""
    req, amended = case_services.record_answer(
        actor=actor, request=request, answer=answer, document=document, ratings=rating_errors
    )
    if amended:
        reassessment.after_amendment(actor=actor, case=req.case, cause=reassessment.Cause.INFORMATION_ANSWER)
        undercut.check_new_application(case=req.case)
    return req


@transaction.atomic(durable=True)
def upload_document(
    *, actor: User, case: Case, filename: str, content: bytes, kind: str = "end_user_certificate"
) -> Document:
    """Attach a PDF to a case (see cases.services.store_document for who may and what is checked)."""
    doc = case_services.store_document(actor=actor, case=case, filename=filename, content=content, kind=kind)
    reassessment.reassess(actor=actor, case=doc.case, cause=reassessment.Cause.DOCUMENT_UPLOAD)
    return doc
