"""Casework between submission and decision: pick-up, assignment, referrals and advice, requests for
information and their answers, withdrawal, appeal, closing, internal notes."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from warden.accounts import interests
from warden.accounts.models import Role, Team, User
from warden.cases import policy
from warden.cases.models import (
    Advice,
    AdviceKind,
    Case,
    CaseNote,
    InformationRequest,
    Referral,
)
from warden.cases.schema import RatingCheck
from warden.cases.services.intake import _store_document_rows, _validated
from warden.cases.services.workflow import (
    _conflict,
    _criteria,
    _lock,
    _move,
    _sync,
    _text,
)
from warden.cases.sla import deadline_from, paused_workdays
from warden.cases.transitions import Action
from warden.lib import clock
from warden.lib.errors import IllegalTransition, InvalidInput, NotPermitted
from warden.lib.workdays import add_workdays

# ---------------------------------------------------------------------------------------------- casework


@transaction.atomic(durable=True)
def start_initial_checks(*, actor: User, case: Case, expected_version: int | None = None) -> Case:
    """An officer picks up a submitted case: it becomes theirs (case officer) unless already assigned."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.START_INITIAL_CHECKS)
    if locked.case_officer_id is None:
        locked.case_officer = actor
    if locked.team_id is None and actor.team_id:
        locked.team_id = actor.team_id
    _move(actor=actor, case=locked, action=Action.START_INITIAL_CHECKS)
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def assign_case(*, actor: User, case: Case, officer: Any, expected_version: int | None = None) -> Case:
    """Make `officer` (a licensing or senior officer) the case officer."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.ASSIGN)
    if officer.role not in (Role.LICENSING_OFFICER, Role.SENIOR_OFFICER) or not officer.is_active:
        raise InvalidInput(
            f"{officer.display_name} is not an active licensing or senior officer", field="officer"
        )
    if (conflict := interests.assignee_error(officer, locked.organisation_id, locked.reference)) is not None:
        raise conflict  # the officer declared an interest in this exporter (accounts.interests)
    locked.case_officer = officer
    if officer.team_id:
        locked.team_id = officer.team_id
    _move(actor=actor, case=locked, action=Action.ASSIGN, data={"officer": officer.username})
    _sync(case, locked)
    return locked


def _teams(teams: Iterable[Team | str | int]) -> list[Team]:
    out: list[Team] = []
    for t in teams:
        if isinstance(t, Team):
            team = t
        else:
            found = (
                Team.objects.filter(code=t).first()
                if isinstance(t, str)
                else Team.objects.filter(pk=t).first()
            )
            if found is None:
                raise InvalidInput(f"No team {t!r}", field="teams")
            team = found
        if not team.is_advisory:
            raise InvalidInput(f"{team.name} is not a consulted department", field="teams")
        if team not in out:
            out.append(team)
    if not out:
        raise InvalidInput("Choose at least one department to consult", field="teams")
    return out


@transaction.atomic(durable=True)
def refer_case(
    *,
    actor: User,
    case: Case,
    teams: Iterable[Team | str | int],
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Ask consulted departments (advisory Teams, or their codes) for advice; the case moves to consultation.
    A case already in consultation can be referred to further departments, not twice to the same one."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.REFER)
    chosen = _teams(teams)
    already = set(Referral.objects.filter(case=locked, team__in=chosen).values_list("team__name", flat=True))
    if already:
        raise InvalidInput(
            f"{locked.reference} was already referred to {', '.join(sorted(already))}", field="teams"
        )
    Referral.objects.bulk_create(
        Referral(case=locked, team=t, requested_by=actor, note=note.strip()) for t in chosen
    )
    _move(
        actor=actor,
        case=locked,
        action=Action.REFER,
        reason=note.strip(),
        data={"teams": [t.code for t in chosen]},
    )
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def give_advice(
    *,
    actor: User,
    referral: Referral,
    kind: str,
    text: str,
    proviso: str = "",
    criteria: Iterable[str] = (),
    citable: Collection[str],
    expected_version: int | None = None,
) -> Advice:
    """An adviser answers their team's referral: approve, proviso (approve with a proviso), refuse (with at
    least one criterion) or no_view. The case stays in consultation; once every referral is answered the
    officer can recommend. Not version-checked unless `expected_version` is given (advisers of different
    departments work in parallel)."""
    locked = Case.objects.select_for_update().get(pk=referral.case_id)
    if expected_version is not None and locked.version != expected_version:
        raise _conflict(locked)
    ref = Referral.objects.select_related("team").filter(pk=referral.pk, case_id=locked.pk).first()
    if ref is None:
        raise NotPermitted(f"{locked.reference} has no such referral")
    policy.check_act(actor, locked, Action.GIVE_ADVICE, referral=ref)
    if kind not in AdviceKind.values:
        raise InvalidInput(f"Advice must be one of {', '.join(AdviceKind.values)}", field="kind")
    text = _text(text, "text", "The advice text")
    proviso = (proviso or "").strip()
    crit = _criteria(criteria, citable=citable)
    if kind == AdviceKind.REFUSE and not crit:
        raise InvalidInput(
            "Advice to refuse must cite at least one criterion (e.g. EU-CP:2)", field="criteria"
        )
    if kind == AdviceKind.PROVISO and not proviso:
        raise InvalidInput("Advice with a proviso must state the proviso", field="proviso")
    now = timezone.now()
    advice = Advice.objects.create(
        referral=ref,
        case=locked,
        adviser=actor,
        kind=kind,
        proviso=proviso if kind == AdviceKind.PROVISO else "",
        criteria=crit if kind == AdviceKind.REFUSE else [],
        text=text,
    )
    ref.answered_at = now
    ref.save(update_fields=["answered_at"])
    referral.answered_at = now
    _move(
        actor=actor,
        case=locked,
        action=Action.GIVE_ADVICE,
        data={"team": ref.team.code, "kind": kind, "criteria": advice.criteria},
    )
    return advice


@transaction.atomic(durable=True)
def request_information(
    *, actor: User, case: Case, question: str, expected_version: int | None = None
) -> InformationRequest:
    """Ask the exporter a question. The case keeps its status but waits: paused_since is set and the SLA
    clock stops until every open request is answered."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.REQUEST_INFORMATION)
    question = _text(question, "question", "The question")
    req = InformationRequest.objects.create(case=locked, asked_by=actor, question=question)
    if locked.paused_since is None:
        locked.paused_since = req.asked_at
    _move(
        actor=actor, case=locked, action=Action.REQUEST_INFORMATION, reason=question, data={"request": req.pk}
    )
    _sync(case, locked)
    return req


@transaction.atomic
def record_answer(
    *,
    actor: User,
    request: InformationRequest,
    answer: str,
    document: dict[str, Any] | None = None,
    ratings: RatingCheck,
) -> tuple[InformationRequest, bool]:
    """The case's part of warden.flows.amendment.answer_information_request (call that): the exporter
    answers. When no request is left open the clock resumes: the deadline moves back by the working days it
    stood still (sla.paused_workdays). With `document`, the answer also amends the application (a new valid
    warden.application/1 replacing goods and parties). Returns the request and whether the application
    changed (the flow then re-screens and re-assesses the case)."""
    locked = Case.objects.select_for_update().get(pk=request.case_id)
    req = InformationRequest.objects.select_for_update().get(pk=request.pk)
    policy.check_act(actor, locked, Action.ANSWER_REQUEST)
    if req.answered_at is not None:
        raise IllegalTransition(f"That request on {locked.reference} was already answered")
    answer = _text(answer, "answer", "The answer")
    amended = document is not None and _validated(document, ratings) != locked.document
    now = timezone.now()
    req.answer = answer
    req.answered_by = actor
    req.answered_at = now
    req.save(update_fields=["answer", "answered_by", "answered_at"])
    data: dict[str, Any] = {"request": req.pk}
    still_open = InformationRequest.objects.filter(case=locked, answered_at__isnull=True).exists()
    if not still_open and locked.paused_since is not None:
        paused = paused_workdays(locked.paused_since, now)
        if locked.sla_deadline is not None:
            locked.sla_deadline = add_workdays(locked.sla_deadline, paused)
        locked.sla_paused_days += paused
        locked.paused_since = None
        data.update(
            paused_workdays=paused,
            sla_deadline=locked.sla_deadline.isoformat() if locked.sla_deadline else None,
        )
    if amended:
        assert document is not None
        _store_document_rows(locked, document)
        data["amended"] = True
    _move(actor=actor, case=locked, action=Action.ANSWER_REQUEST, data=data)
    for f in ("answer", "answered_by_id", "answered_at"):
        setattr(request, f, getattr(req, f))
    return req, amended


@transaction.atomic(durable=True)
def withdraw(*, actor: User, case: Case, reason: str = "", expected_version: int | None = None) -> Case:
    """The exporter withdraws a draft or an open case. Open requests for information are left as they were."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.WITHDRAW)
    locked.paused_since = None
    _move(actor=actor, case=locked, action=Action.WITHDRAW, reason=(reason or "").strip())
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def appeal(*, actor: User, case: Case, grounds: str, expected_version: int | None = None) -> Case:
    """The exporter appeals a refusal (once, within transitions.APPEAL_WINDOW_DAYS of the decision). The case
    goes under appeal; an officer reviews it and recommends again, and a senior officer finalises again."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.APPEAL)
    grounds = _text(grounds, "grounds", "The grounds of appeal")
    previous = {"decision": locked.decision, "criteria": locked.decision_criteria}
    locked.recommended_by = None
    locked.recommended_decision = ""
    locked.recommendation_reason = ""
    locked.recommended_criteria = []
    # The appeal is a fresh review with the case type's service level from today: kept at the original
    # submission's deadline, every appeal would be overdue the day it arrives and drown the real backlog.
    locked.sla_deadline = deadline_from(clock.today(), locked.licence_type)
    _move(
        actor=actor,
        case=locked,
        action=Action.APPEAL,
        reason=grounds,
        data={"appealed": previous, "sla_deadline": locked.sla_deadline.isoformat()},
    )
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def close_case(*, actor: User, case: Case, reason: str = "", expected_version: int | None = None) -> Case:
    """Close a refused case (after any appeal) or a licensed one whose licence has ended."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.CLOSE)
    _move(actor=actor, case=locked, action=Action.CLOSE, reason=(reason or "").strip())
    _sync(case, locked)
    return locked


@transaction.atomic(durable=True)
def add_note(*, actor: User, case: Case, text: str, expected_version: int | None = None) -> CaseNote:
    """An internal note by an officer; never shown to the exporter."""
    locked = _lock(case, expected_version)
    policy.check_act(actor, locked, Action.ADD_NOTE)
    text = _text(text, "text", "The note")
    note = CaseNote.objects.create(case=locked, author=actor, text=text)
    _move(actor=actor, case=locked, action=Action.ADD_NOTE, data={"note": note.pk})
    _sync(case, locked)
    return note
