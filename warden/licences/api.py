"""REST API of licences and their shipments (returns), mounted at /api/licences (token auth).

    GET  /api/licences/?page=1&page_size=50&status=...   the licences you may see, newest first
    GET  /api/licences/{number}                          status, validity, lines with what is left, shipments
    GET  /api/licences/{number}/shipments                the shipments recorded against it, newest first
    POST /api/licences/{number}/shipments                record a shipment; header Idempotency-Key required
    POST /api/licences/shipments/import                  a CSV return (docs/shipments-csv.md), all or nothing

Who sees what is the licence pages' rule (warden.licences.policy.visible_licences): an exporter sees their
organisation's licences, the authority's staff and oversight see all. A licence you may not see answers
404, never 403, so that guessing numbers reveals nothing; one you see but may not draw down (oversight, an
adviser) answers 403.

Idempotency: every POST of a shipment carries an `Idempotency-Key` header (up to 200 characters, e.g. a
UUID). The first request with a key records the shipment and answers 201; a retry with the same key and the
same body answers 200 with the same shipment and records nothing; the same key with a different body
answers 409. Keys are the caller's own: two users' keys never collide.

Refusals: 404 unknown licence; 403 not permitted; 409 the licence is not in force, an over-draw (the message
says what is left), a key reused for another shipment; 422 bad input (a date after today or outside the
validity, a currency other than the line's, an unknown line), naming the field as a JSON pointer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Header as header_param
from ninja.responses import Status as HttpStatus

from warden.accounts.models import User
from warden.cases.api_schemas import ErrorOut
from warden.flows import end_use
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.licences import policy, returns, shipments
from warden.licences.api_schemas import (
    LicenceDetailOut,
    LicencePageOut,
    ReturnsImportOut,
    ShipmentIn,
    ShipmentOut,
)
from warden.licences.models import Licence, LicenceLine, LicenceStatus, Shipment
from warden.licences.money import money

router = Router(tags=["licences"])

_CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string", "description": "a CSV return (docs/shipments-csv.md)"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


def _person(request: HttpRequest) -> User:
    """The token's user (the API authenticates every call; the policy refuses anyone else)."""
    if not isinstance(request.user, User):
        raise NotPermitted("Log in first")
    return request.user


def _visible(request: HttpRequest) -> QuerySet[Licence]:
    return policy.visible_licences(request.user).select_related("case", "case__organisation")


def _not_found(number: str) -> HttpStatus[dict[str, Any]]:
    return HttpStatus(404, {"detail": f"No licence {number!r} is visible to you"})


def _summary(licence: Licence) -> dict[str, Any]:
    status = licence.effective_status(clock.today())
    return {
        "number": licence.number,
        "status": status,
        "status_label": LicenceStatus(status).label,
        "in_force": status == LicenceStatus.ISSUED,
        "application": licence.case.reference,
        "holder": licence.case.organisation.name,
        "destination": licence.case.destination,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
    }


def _line(ln: LicenceLine) -> dict[str, Any]:
    qty_left, value_left = shipments.left_on(ln)
    return {
        "line": ln.goods_line.line_no + 1,
        "goods": ln.goods_line.description,
        "rating": ln.goods_line.rating,
        "quantity": ln.quantity,
        "shipped_quantity": ln.shipped_quantity,
        "quantity_left": qty_left,
        "value_amount": str(money(ln.value_amount)),
        "shipped_value": str(money(ln.shipped_value)),
        "value_left": str(value_left),
        "currency": ln.currency,
    }


def _shipment(s: Shipment) -> dict[str, Any]:
    return {
        "id": s.pk,
        "licence": s.licence.number,
        "line": s.line.goods_line.line_no + 1,
        "goods": s.line.goods_line.description,
        "quantity": s.quantity,
        "value_amount": str(money(s.value_amount)),
        "currency": s.currency,
        "shipped_on": s.shipped_on,
        "reference": s.reference,
        "recorded_at": s.recorded_at,
    }


def _shipments_of(licence: Licence) -> list[dict[str, Any]]:
    rows = licence.shipments.select_related("licence", "line__goods_line").order_by("-shipped_on", "-pk")
    return [_shipment(s) for s in rows]


@router.get("/", response=LicencePageOut, summary="List the licences you may see")
def list_licences(
    request: HttpRequest, page: int = 1, page_size: int = 50, status: str = ""
) -> dict[str, Any]:
    page_size = max(1, min(page_size, 200))
    page = max(1, min(page, 1_000_000))
    qs = _visible(request).order_by("-issued_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    rows = qs[(page - 1) * page_size : page * page_size]
    return {"count": qs.count(), "page": page, "page_size": page_size, "results": [_summary(x) for x in rows]}


@router.get(
    "/{number}", response={200: LicenceDetailOut, 404: ErrorOut}, summary="A licence and its drawdown"
)
def licence_detail(request: HttpRequest, number: str) -> Any:
    licence = _visible(request).filter(number=number).first()
    if licence is None:
        return _not_found(number)
    lines = licence.lines.select_related("goods_line").order_by("goods_line__line_no")
    return HttpStatus(
        200,
        {
            **_summary(licence),
            "conditions": licence.conditions,
            "lines": [_line(ln) for ln in lines],
            "destinations": [
                {
                    "country": d.country,
                    "goods_lines": [n + 1 for n in d.goods_lines],
                    "parties": d.parties,
                    "quantity_cap": d.quantity_cap,
                    "quantity_shipped": d.shipped_quantity,
                    "value_cap": None if d.value_cap is None else str(d.value_cap),
                    "value_shipped": str(d.shipped_value),
                    "currency": d.currency,
                }
                for d in licence.destinations.all()
            ],
            "refused_destinations": licence.case.refused_destinations,
            "shipments": _shipments_of(licence),
        },
    )


@router.get(
    "/{number}/shipments",
    response={200: list[ShipmentOut], 404: ErrorOut},
    summary="The shipments recorded against a licence",
)
def licence_shipments(request: HttpRequest, number: str) -> Any:
    licence = _visible(request).filter(number=number).first()
    if licence is None:
        return _not_found(number)
    return HttpStatus(200, _shipments_of(licence))


@router.post(
    "/{number}/shipments",
    response={200: ShipmentOut, 201: ShipmentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Record a shipment (Idempotency-Key required; a retry answers 200 with the same shipment)",
)
def record_shipment(
    request: HttpRequest,
    number: str,
    body: ShipmentIn,
    idempotency_key: str = header_param(
        ...,
        alias="Idempotency-Key",
        max_length=shipments.MAX_KEY_LENGTH,
        description="one unique key per shipment (e.g. a UUID); a retry with the same key records nothing",
    ),
) -> Any:
    licence = _visible(request).filter(number=number).first()
    if licence is None:
        return _not_found(number)
    line = licence.lines.filter(goods_line__line_no=body.line - 1).first()
    if line is None:
        raise InvalidInput(
            f"Licence {licence.number} has no line {body.line} (it has {licence.lines.count()})",
            where="/body/line",
        )
    try:
        done = shipments.record_shipment_once(
            actor=_person(request),
            licence=licence,
            line=line,
            quantity=body.quantity,
            value_amount=body.value_amount,
            currency=body.currency,
            shipped_on=body.shipped_on,
            reference=body.reference,
            idempotency_key=idempotency_key,
            destination=body.destination,
        )
    except InvalidInput as exc:
        # The service names its own field; the client knows it as a place in its request.
        where = "/header/Idempotency-Key" if exc.where == "idempotency_key" else f"/body/{exc.where}"
        raise InvalidInput(str(exc), where=where) from None
    if not done.replayed:
        end_use.after_shipment_recorded(shipment=done.shipment)  # a check its risk may call for
    return HttpStatus(200 if done.replayed else 201, _shipment(done.shipment))


def _csv_of(request: HttpRequest) -> tuple[bytes, str] | HttpStatus[dict[str, Any]]:
    content_type = (request.content_type or "").lower()
    if content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is not None:
            return upload.read(), upload.name or "upload.csv"
        text = request.POST.get("file")
        if text is not None:
            return text.encode("utf-8"), "upload.csv"
        return HttpStatus(422, {"detail": "Send the CSV as a multipart file named 'file'"})
    if content_type in ("text/csv", "text/plain"):
        return request.body, "request body"
    return HttpStatus(
        415, {"detail": "Send the CSV as text/csv, or as multipart/form-data with a file named 'file'"}
    )


@router.post(
    "/shipments/import",
    response={200: ReturnsImportOut, 403: ErrorOut, 409: ErrorOut, 415: ErrorOut, 422: ErrorOut},
    summary="Import a CSV return of shipments (all or nothing; a re-import records nothing new)",
    openapi_extra=_CSV_BODY,
)
def import_returns(request: HttpRequest) -> Any:
    got = _csv_of(request)
    if isinstance(got, HttpStatus):
        return got
    data, name = got
    try:
        result = returns.import_returns(actor=_person(request), data=data, filename=name)
        for shipment in result.recorded:
            end_use.after_shipment_recorded(shipment=shipment)
    except InvalidInput as exc:
        # "row 3, quantity" as a pointer into the file's rows, as the other imports' errors point.
        row, _, column = exc.where.removeprefix("row ").partition(", ")
        where = f"/rows/{row}/{column}" if row.isdigit() else exc.where
        raise InvalidInput(str(exc), where=where) from None
    every = sorted(result.recorded + result.already, key=lambda s: s.pk)
    return HttpStatus(
        200,
        {
            "recorded": len(result.recorded),
            "already_recorded": len(result.already),
            "summary": result.summary(),
            "shipments": [_shipment(s) for s in every],
        },
    )
