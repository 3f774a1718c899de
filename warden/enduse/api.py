"""REST API of end-use checks, mounted at /api/end-use (token auth). The authority's case readers list and
read checks; the compliance inspector records a finding (warden.enduse.policy).
    GET  /api/end-use/?status=overdue&kind=...   the checks, overdue first (status planned|done|overdue),
                                                 a page of `limit` (1-1000, default 200) from `offset`
    GET  /api/end-use/{id}                       one check, with its evidence and the cases it flagged
    POST /api/end-use/{id}/finding               {"finding", "notes", "completed_on", "evidence":
                                                  [{"name", "content_base64"}]} (PDFs, as case documents)
    POST /api/end-use/{id}/withdraw              {"reason"}: a diversion finding shown to be wrong is withdrawn
                                                 and every flag it raised cleared (senior officer)
    POST /api/end-use/flags/{id}/clear           {"reason"}: one flag cleared, a false match (senior officer)
An exporter's token gets 403: checks are not announced to the parties they check.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from warden.accounts.actors import Actor
from warden.enduse import policy, queries, services
from warden.enduse.models import CheckKind, CheckStatus, DiversionFlag, EndUseCheck
from warden.lib.errors import InvalidInput

router = Router(tags=["end-use"])
MAX_PAGE = 1000


class EvidenceIn(Schema):
    name: str = Field(max_length=255)
    content_base64: str


class FindingIn(Schema):
    finding: str = Field(description="satisfactory | concerns | diversion")
    notes: str = ""
    completed_on: dt.date | None = None
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=20)


class ReasonIn(Schema):
    reason: str = Field(max_length=4000)


def _viewer(request: HttpRequest) -> Actor:
    if not policy.can_view(request.user):
        raise HttpError(403, policy.MESSAGES[policy.EndUseAction.VIEW])
    return request.user  # type: ignore[return-value]


def _get(pk: int) -> EndUseCheck:
    row = EndUseCheck.objects.select_related("licence__case", "inspector", "shipment").filter(pk=pk).first()
    if row is None:
        raise HttpError(404, f"No end-use check {pk}")
    return row


@router.get("/", summary="End-use checks, overdue first (a page of `limit` from `offset`)")
def list_checks(
    request: HttpRequest, status: str = "", kind: str = "", limit: int = 200, offset: int = 0
) -> list[dict[str, Any]]:
    _viewer(request)
    if not 1 <= limit <= MAX_PAGE:
        raise HttpError(422, f"limit: {limit}: expected 1 to {MAX_PAGE}")
    if offset < 0:
        raise HttpError(422, f"offset: {offset}: expected 0 or more")
    if status and status not in CheckStatus.values:
        raise HttpError(422, f"status: {status!r}: expected {', '.join(CheckStatus.values)}")
    if kind and kind not in CheckKind.values:
        raise HttpError(422, f"kind: {kind!r}: expected {', '.join(CheckKind.values)}")
    rows = queries.checks(status=status, kind=kind)[offset : offset + limit]
    return [queries.as_dict(c) for c in rows]


@router.get("/{int:check_id}", summary="One end-use check")
def get_check(request: HttpRequest, check_id: int) -> dict[str, Any]:
    _viewer(request)
    return queries.as_dict(_get(check_id))


def _decode(items: list[EvidenceIn]) -> list[tuple[str, bytes]]:
    out = []
    for i, item in enumerate(items):
        try:
            out.append((item.name, base64.b64decode(item.content_base64, validate=True)))
        except (binascii.Error, ValueError):
            raise InvalidInput(
                f"evidence/{i}/content_base64: not base64", field=f"evidence/{i}/content_base64"
            ) from None
    return out


@router.post("/{int:check_id}/finding", summary="Record the finding of a check (compliance inspector)")
def record_finding(request: HttpRequest, check_id: int, body: FindingIn) -> dict[str, Any]:
    actor = _viewer(request)
    row = _get(check_id)
    done = services.record_finding(
        actor=actor,
        check=row,
        finding=body.finding,
        notes=body.notes,
        completed_on=body.completed_on,
        evidence=_decode(body.evidence),
    )
    out = queries.as_dict(done.check)
    out["suspendable_licences"] = [lic.number for lic in done.suspendable]
    return out


@router.post("/{int:check_id}/withdraw", summary="Withdraw a diversion finding shown wrong (senior officer)")
def withdraw_finding(request: HttpRequest, check_id: int, body: ReasonIn) -> dict[str, Any]:
    actor = _viewer(request)
    row = _get(check_id)
    cleared = services.withdraw_finding(actor=actor, check=row, reason=body.reason)
    out = queries.as_dict(EndUseCheck.objects.get(pk=row.pk))
    out["cleared_flags"] = [f.pk for f in cleared]
    return out


@router.post("/flags/{int:flag_id}/clear", summary="Clear one diversion flag: a false match (senior officer)")
def clear_flag(request: HttpRequest, flag_id: int, body: ReasonIn) -> dict[str, Any]:
    actor = _viewer(request)
    flag = DiversionFlag.objects.filter(pk=flag_id).first()
    if flag is None:
        raise HttpError(404, f"No diversion flag {flag_id}")
    return queries.flag_dict(services.clear_flag(actor=actor, flag=flag, reason=body.reason))
