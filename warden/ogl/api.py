"""REST API of open general licences, mounted at /api/open-licences (token auth).
    GET  /api/open-licences/                                  the published OGLs (terms in force today)
    GET  /api/open-licences/{reference}                       one OGL with every version
    POST /api/open-licences/{reference}/register              register the token user's organisation (201)
    GET  /api/open-licences/registrations                     an exporter's own; every one for officers
    GET  /api/open-licences/registrations/{reference}         one registration with its uses
    POST /api/open-licences/registrations/{reference}/uses    report a use: 201 recorded, 200 when the same
                                                              customs declaration was already reported
                                                              (a retry), 409 when reported with other
                                                              details, 422 naming the field and condition
    GET  /api/open-licences/returns                           returns overdue or approaching (yours, or all
                                                              for officers), overdue first
    GET  /api/open-licences/registrations/{reference}/returns every return of a registration, with its state
    POST /api/open-licences/registrations/{reference}/returns the holder files the oldest return due (201)
Refusals come from warden.ogl.services through the API's one error shape (warden.config.api).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from warden.accounts.actors import signed_in
from warden.ogl import policy, queries, returns, services
from warden.ogl.models import OglRegistration, OpenGeneralLicence

router = Router(tags=["open general licences"])


class UseIn(Schema):
    shipped_on: str
    customs_declaration: str
    destination: str
    ratings: list[str]
    description: str
    quantity: int
    value: str | int | float
    currency: str
    consignee_name: str
    end_user_name: str
    end_use_flags: list[str] = []


def _ogl(reference: str) -> OpenGeneralLicence:
    ogl = queries.published().filter(reference=reference).first()
    if ogl is None:
        raise HttpError(404, f"No open general licence {reference}")
    return ogl


def _registration(request: HttpRequest, reference: str) -> OglRegistration:
    reg = policy.visible_registrations(request.user).filter(reference=reference).first()
    if reg is None:
        raise HttpError(404, f"No registration {reference} is visible to you")
    return reg


@router.get("/", summary="The published open general licences, with the terms in force today")
def published(request: HttpRequest) -> list[dict[str, Any]]:
    if not policy.may(request.user, policy.OglAction.VIEW):
        raise HttpError(403, "sign in first")
    return [queries.ogl_dict(ogl) for ogl in queries.published()]


@router.get("/registrations", summary="Registrations: your organisation's, or every one for the authority")
def registrations(request: HttpRequest) -> list[dict[str, Any]]:
    return [queries.registration_dict(r) for r in policy.visible_registrations(request.user)]


def _return_dict(r: returns.ReturnDue) -> dict[str, Any]:
    s, row = r.scheduled, r.row
    return {
        "registration": r.registration.reference,
        "number": s.number,
        "period_start": s.period_start.isoformat(),
        "due_on": s.due_on.isoformat(),
        "state": r.state.value,
        "missed": r.missed,
        "filed_at": row.filed_at.isoformat() if row and row.filed_at else None,
        "uses": row.uses if row and row.filed_at else None,
    }


@router.get("/returns", summary="Returns overdue or approaching: yours, or every one for the authority")
def returns_due(request: HttpRequest) -> list[dict[str, Any]]:
    regs = list(policy.visible_registrations(request.user).prefetch_related("returns"))
    return [_return_dict(r) for r in returns.queue(regs)]


@router.get("/registrations/{reference}/returns", summary="Every return of a registration with its state")
def registration_returns(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    return [_return_dict(r) for r in returns.returns_of(_registration(request, reference))]


@router.post(
    "/registrations/{reference}/returns", response={201: dict[str, Any]}, summary="File the oldest return due"
)
def file_return(request: HttpRequest, reference: str) -> Any:
    reg = _registration(request, reference)
    row = returns.file_return(actor=signed_in(request), registration=reg)
    done = next(r for r in returns.returns_of(reg) if r.scheduled.number == row.number)
    return HttpStatus(201, _return_dict(done))


@router.get("/registrations/{reference}", summary="One registration with its uses")
def registration(request: HttpRequest, reference: str) -> dict[str, Any]:
    return queries.registration_dict(_registration(request, reference), uses=True)


@router.post(
    "/registrations/{reference}/uses",
    response={200: dict[str, Any], 201: dict[str, Any]},
    summary="Report a use (idempotent on the customs declaration)",
)
def report_use(request: HttpRequest, reference: str, body: UseIn) -> Any:
    reg = _registration(request, reference)
    use, created = services.report_use(
        actor=signed_in(request), registration=reg, report=services.UseReport(**body.dict())
    )
    return HttpStatus(201 if created else 200, queries.use_dict(use))


@router.get("/{reference}", summary="One open general licence with every version")
def licence(request: HttpRequest, reference: str) -> dict[str, Any]:
    if not policy.may(request.user, policy.OglAction.VIEW):
        raise HttpError(403, "sign in first")
    return queries.ogl_dict(_ogl(reference), versions=True)


@router.post("/{reference}/register", response={201: dict[str, Any]}, summary="Register to use an OGL")
def register(request: HttpRequest, reference: str) -> Any:
    reg = services.register(actor=signed_in(request), ogl=_ogl(reference))
    return HttpStatus(201, queries.registration_dict(reg))
