"""REST API of catch-all referrals, mounted at /api/catch-all (token auth; warden.catchall.policy decides).
    GET  /api/catch-all/                        the referrals the token's user may see, undecided first
    POST /api/catch-all/                        an exporter's notification, or an officer's concern (with
                                                `organisation`); 201 with the referral
    GET  /api/catch-all/notices?since=DATE&format=json|csv
                                                the notices to partner states and customs, as
                                                warden.catchall/1 (partner-liaison officer)
    GET  /api/catch-all/{reference}             one referral
    POST /api/catch-all/{reference}/decide      {decision: licence_required|not_required, reason, basis, letter}
    POST /api/catch-all/{reference}/link        {case: APP-...}: the application a licence-required decision
                                                called for
Refusals are the kernel's (403 policy, 409 state, 422 input naming the field); nothing changes then.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus
from pydantic import ConfigDict

from warden.accounts.models import Organisation, User
from warden.accounts.services import our_state
from warden.cases.models import Case
from warden.catchall import notices, policy, queries, services
from warden.catchall.models import CatchAllReferral
from warden.catchall.policy import ReferralAction
from warden.flows import catch_all as flow
from warden.lib import clock
from warden.lib.errors import InvalidInput

router = Router(tags=["catch-all"])


class NotificationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    destination: str = Field(max_length=10)
    goods_description: str = Field(max_length=services.LIMITS["goods_description"])
    rating: str = Field("", max_length=services.LIMITS["rating"])
    end_user_name: str = Field(max_length=services.LIMITS["end_user_name"])
    end_user_country: str = Field("", max_length=10)
    end_use: str = Field(max_length=services.LIMITS["end_use"])
    grounds: str = Field(max_length=services.LIMITS["grounds"])
    flags: list[str] = Field(default_factory=list, max_length=5)
    intended_export_on: dt.date | None = None
    organisation: str = Field("", max_length=300, description="an officer's concern: the exporter's name")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    decision: str = Field(max_length=30)
    reason: str = Field(max_length=8000)
    basis: str = Field("", max_length=20)
    letter: str = Field("", max_length=30)


class LinkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    case: str = Field(max_length=40, description="the application's reference (APP-...)")


class ReferralOut(Schema):
    reference: str
    origin: str
    status: str
    status_label: str
    organisation: str
    destination: str
    goods_description: str
    rating: str
    end_user_name: str
    end_user_country: str
    end_use: str
    flags: list[str]
    grounds: str
    intended_export_on: dt.date | None
    raised_at: dt.datetime
    raised_by: str
    decided_on: dt.date | None
    decided_by: str
    basis: str
    letter: str
    decision_reason: str
    embargo_status: list[dict[str, str]]
    case: str | None


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not policy.may(user, ReferralAction.VIEW):
        raise HttpError(403, "catch-all referrals are for exporters and the licensing authority's staff")
    return user


def _one(request: HttpRequest, reference: str) -> CatchAllReferral:
    referral = queries.visible(_user(request)).filter(reference=reference).first()
    if referral is None:
        raise HttpError(404, f"no catch-all referral {reference} that you may see")
    return referral


@router.get("/", response=list[ReferralOut], summary="The catch-all referrals you may see, undecided first")
def listing(request: HttpRequest) -> list[dict[str, Any]]:
    return [queries.as_dict(r) for r in queries.open_first(queries.visible(_user(request)))]


@router.post(
    "/", response={201: ReferralOut}, summary="Notify (exporter) or raise (officer) a catch-all referral"
)
def create(request: HttpRequest, body: NotificationIn) -> Any:
    user = _user(request)
    data = body.model_dump(exclude={"organisation"})
    note = services.Notification.from_dict(data)
    if policy.may(user, ReferralAction.RAISE):
        org = Organisation.objects.filter(name=body.organisation, kind=Organisation.Kind.EXPORTER).first()
        if org is None:
            raise InvalidInput(f"organisation: no exporter named {body.organisation!r}", where="organisation")
        referral = services.raise_concern(actor=user, organisation=org, notification=note)
    else:
        if body.organisation:
            raise InvalidInput(
                "organisation: an exporter notifies for its own organisation", where="organisation"
            )
        referral = services.notify(actor=user, notification=note)
    return HttpStatus(201, queries.as_dict(referral))


@router.get(
    "/notices",
    summary="Catch-all notices to partner states and customs (warden.catchall/1)",
    response={200: Any},
)
def notice_export(request: HttpRequest, since: str = "", format: str = "json") -> Any:
    if not policy.may_export_notices(request.user):
        raise HttpError(403, "only the partner-liaison (policy) officer exports catch-all notices")
    day = None
    if since:
        try:
            day = dt.date.fromisoformat(since)
        except ValueError:
            raise HttpError(422, f"since: {since!r} is not a date (YYYY-MM-DD)") from None
    if format not in notices.FILE_FORMATS:
        raise HttpError(422, f"format: {format!r}: expected json or csv")
    records = [notices.as_record(n) for n in notices.held(since=day)]
    if format == "csv":
        response = HttpResponse(notices.to_csv(records), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="catch-all-notices.csv"'
        return response
    doc = notices.document(records, issuing_state=our_state(), today=clock.today())
    return HttpResponse(json.dumps(doc, ensure_ascii=False), content_type="application/json")


@router.get("/{reference}", response=ReferralOut, summary="One catch-all referral")
def detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return queries.as_dict(_one(request, reference))


@router.post("/{reference}/decide", response=ReferralOut, summary="Decide: licence required or not")
def decide(request: HttpRequest, reference: str, body: DecisionIn) -> dict[str, Any]:
    referral = _one(request, reference)
    services.decide(
        actor=_user(request),
        referral=referral,
        decision=body.decision,
        reason=body.reason,
        basis=body.basis,
        letter=body.letter,
    )
    return queries.as_dict(referral)


@router.post(
    "/{reference}/link", response=ReferralOut, summary="Link the licence application to the referral"
)
def link(request: HttpRequest, reference: str, body: LinkIn) -> dict[str, Any]:
    referral = _one(request, reference)
    user = _user(request)
    case = Case.objects.filter(reference=body.case).first()
    if case is None or (user.role == "exporter" and case.organisation_id != user.organisation_id):
        raise InvalidInput(f"case: no application {body.case} that you may link", where="case")
    flow.link_application(actor=user, referral=referral, case=case)
    return queries.as_dict(referral)
