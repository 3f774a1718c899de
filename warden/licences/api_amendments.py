"""Licence amendments through the API, mounted on /api/licences beside warden.licences.api:

    GET  /api/licences/{number}/versions     every version of the licence, oldest first, with what changed
    POST /api/licences/{number}/amendments   {reason, valid_until?, document}: the holder's amended terms as a
                                             warden.application/1 document; the amendment case is created and
                                             submitted (201 with its reference), then follows
                                             /api/applications/{reference} like any application

Refusals are the kernel's: 403 not the holder, 404 no such licence, 409 another amendment being decided or
a licence not in force, 422 a bad document (every error as a JSON pointer) or field; nothing is stored then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import ConfigDict

from warden.accounts.models import User
from warden.flows import licence_amendment
from warden.lib.errors import NotFound, NotPermitted
from warden.licences import amendments, policy, versions
from warden.licences.models import Licence

router = Router(tags=["licences"])


class AmendmentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=4000)
    valid_until: dt.date | None = None
    document: dict[str, Any] = Field(description="the amended terms, a warden.application/1 document")


class AmendmentOut(Schema):
    reference: str
    licence: str
    based_on: int
    status: str


class VersionOut(Schema):
    number: int
    effective_from: dt.date
    effective_until: dt.date | None
    case: str
    valid_until: dt.date
    conditions: str
    lines: list[dict[str, Any]]
    changes: list[str]


def _licence(request: HttpRequest, number: str) -> Licence:
    licence = policy.visible_licences(request.user).select_related("case").filter(number=number).first()
    if licence is None:
        raise NotFound(f"No licence {number} that you may see")
    return licence


@router.get("/{number}/versions", response=list[VersionOut], summary="The versions of a licence")
def list_versions(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    licence = _licence(request, number)
    return [
        {
            "number": v.number,
            "effective_from": v.effective_from,
            "effective_until": v.effective_until,
            "case": v.case.reference,
            "valid_until": v.valid_until,
            "conditions": v.conditions,
            "lines": v.lines,
            "changes": amendments.summary(v.diff),
        }
        for v in versions.versions_of(licence)
    ]


@router.post("/{number}/amendments", response={201: AmendmentOut}, summary="Propose an amendment (holder)")
def propose(request: HttpRequest, number: str, body: AmendmentIn) -> Any:
    licence = _licence(request, number)
    if not isinstance(request.user, User):
        raise NotPermitted("Log in first")
    case = licence_amendment.propose(
        actor=request.user,
        licence=licence,
        reason=body.reason,
        valid_until=body.valid_until,
        document=body.document,
        submit=True,
    )
    return HttpStatus(
        201,
        {
            "reference": case.reference,
            "licence": licence.number,
            "based_on": case.licence_amendment.based_on,
            "status": case.status,
        },
    )
