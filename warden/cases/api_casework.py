"""The officers' case actions through the API, mounted on /api/applications beside warden.cases.api, under
the same policy functions and decision gates as the case page (warden.cases.web.case_actions calls the same
services and flows):

    POST /api/applications/{reference}/start-checks   a licensing officer takes a submitted case
    POST /api/applications/{reference}/assign         {officer: USERNAME}
    POST /api/applications/{reference}/refer          {teams: [CODE...], note}
    POST /api/applications/{reference}/advice         {kind, text, proviso, criteria} (the adviser's team)
    POST /api/applications/{reference}/requests       {question}: a request for information to the exporter
    POST /api/applications/{reference}/recommend      {decision, reason, criteria, conditions}
    POST /api/applications/{reference}/notes          {text}: an internal note
    POST /api/applications/{reference}/withdraw       {reason}: the exporter withdraws
    POST /api/applications/{reference}/appeal         {grounds}: the exporter appeals a refusal

Each answers 200 with the case's status (as GET /{reference}), 404 for a case the token's user may not see,
403 with the policy's sentence, 409 for a state that does not allow it, 422 naming the field. Bodies refuse
unknown fields; `expected_version` (optional) refuses a stale write with 409.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from warden.accounts.models import Team, User
from warden.cases import services
from warden.cases.api import _case_out, _person, _visible
from warden.cases.api_schemas import CaseOut
from warden.cases.models import Case, Referral
from warden.flows import case_decision
from warden.lib.errors import InvalidInput, NotFound

router = Router(tags=["casework"])


class _In(Schema):
    model_config = ConfigDict(extra="forbid")
    expected_version: int | None = Field(None, ge=0, le=2_147_483_647)


class AssignIn(_In):
    officer: str = Field(max_length=150, description="the officer's username")


class ReferIn(_In):
    teams: list[str] = Field(min_length=1, max_length=20)
    note: str = Field("", max_length=4000)


class AdviceIn(_In):
    kind: str = Field(max_length=20, description="approve | proviso | refuse | no_view")
    text: str = Field(max_length=8000)
    proviso: str = Field("", max_length=4000)
    criteria: list[str] = Field(default_factory=list, max_length=40)


class QuestionIn(_In):
    question: str = Field(max_length=8000)


class RecommendIn(_In):
    decision: str = Field(max_length=40)
    reason: str = Field(max_length=8000)
    criteria: list[str] = Field(default_factory=list, max_length=40)
    conditions: str = Field("", max_length=8000)


class TextIn(_In):
    text: str = Field(max_length=8000)


class ReasonIn(_In):
    reason: str = Field("", max_length=8000)


class GroundsIn(_In):
    grounds: str = Field(max_length=8000)


def _case(request: HttpRequest, reference: str) -> Case:
    case = _visible(request, reference)
    if case is None:
        raise NotFound("Not found")
    return case


def _done(case: Case) -> dict[str, Any]:
    case.refresh_from_db()
    return _case_out(case)


@router.post("/{reference}/start-checks", response=CaseOut, summary="Take a submitted case (initial checks)")
def start_checks(request: HttpRequest, reference: str, body: _In) -> dict[str, Any]:
    case = _case(request, reference)
    services.start_initial_checks(actor=_person(request), case=case, expected_version=body.expected_version)
    return _done(case)


@router.post("/{reference}/assign", response=CaseOut, summary="Assign the case to an officer")
def assign(request: HttpRequest, reference: str, body: AssignIn) -> dict[str, Any]:
    case = _case(request, reference)
    officer = User.objects.filter(username=body.officer, is_active=True).first()
    if officer is None:
        raise InvalidInput(f"no active user {body.officer!r}", where="officer")
    services.assign_case(
        actor=_person(request), case=case, officer=officer, expected_version=body.expected_version
    )
    return _done(case)


@router.post("/{reference}/refer", response=CaseOut, summary="Refer the case to advisory teams")
def refer(request: HttpRequest, reference: str, body: ReferIn) -> dict[str, Any]:
    case = _case(request, reference)
    known = {t.code: t for t in Team.objects.filter(code__in=body.teams)}
    unknown = [code for code in body.teams if code not in known]
    if unknown:
        raise InvalidInput(f"no team {', '.join(unknown)}", where="teams")
    services.refer_case(
        actor=_person(request),
        case=case,
        teams=[known[c] for c in body.teams],
        note=body.note,
        expected_version=body.expected_version,
    )
    return _done(case)


@router.post("/{reference}/advice", response=CaseOut, summary="Give your team's advice on a referred case")
def advice(request: HttpRequest, reference: str, body: AdviceIn) -> dict[str, Any]:
    case = _case(request, reference)
    actor = _person(request)
    referral = (
        Referral.objects.filter(case=case, team_id=actor.team_id).first()
        if actor.team_id is not None
        else None
    )
    if referral is None:
        raise InvalidInput(f"{case.reference} was not referred to your team", where="kind")
    case_decision.give_advice(
        actor=actor,
        referral=referral,
        kind=body.kind,
        text=body.text,
        proviso=body.proviso,
        criteria=body.criteria,
        expected_version=body.expected_version,
    )
    return _done(case)


@router.post("/{reference}/requests", response=CaseOut, summary="Ask the exporter for information")
def request_information(request: HttpRequest, reference: str, body: QuestionIn) -> dict[str, Any]:
    case = _case(request, reference)
    services.request_information(
        actor=_person(request), case=case, question=body.question, expected_version=body.expected_version
    )
    return _done(case)


@router.post("/{reference}/recommend", response=CaseOut, summary="Recommend a decision (case officer)")
def recommend(request: HttpRequest, reference: str, body: RecommendIn) -> dict[str, Any]:
    case = _case(request, reference)
    case_decision.recommend(
        actor=_person(request),
        case=case,
        decision=body.decision,
        reason=body.reason,
        criteria=body.criteria,
        conditions=body.conditions,
        expected_version=body.expected_version,
    )
    return _done(case)


@router.post("/{reference}/notes", response=CaseOut, summary="Add an internal note")
def note(request: HttpRequest, reference: str, body: TextIn) -> dict[str, Any]:
    case = _case(request, reference)
    services.add_note(
        actor=_person(request), case=case, text=body.text, expected_version=body.expected_version
    )
    return _done(case)


@router.post("/{reference}/withdraw", response=CaseOut, summary="Withdraw your application")
def withdraw(request: HttpRequest, reference: str, body: ReasonIn) -> dict[str, Any]:
    case = _case(request, reference)
    services.withdraw(
        actor=_person(request), case=case, reason=body.reason, expected_version=body.expected_version
    )
    return _done(case)


@router.post("/{reference}/appeal", response=CaseOut, summary="Appeal against a refusal")
def appeal(request: HttpRequest, reference: str, body: GroundsIn) -> dict[str, Any]:
    case = _case(request, reference)
    services.appeal(
        actor=_person(request), case=case, grounds=body.grounds, expected_version=body.expected_version
    )
    return _done(case)
