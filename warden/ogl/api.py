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
Refusals come from warden.ogl.services through the API's one error shape (warden.config.api).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from warden.accounts.actors import signed_in
from warden.ogl import policy, queries, services
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
