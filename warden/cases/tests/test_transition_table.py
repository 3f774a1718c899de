"""The whole transition table: every legal (action, from status) works and lands where the table says, with a
CaseTransition row, an audit entry and a bumped version; every other status refuses with a clear error and
changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from warden.accounts.models import Role
from warden.audit.models import AuditEntry
from warden.cases import services
from warden.cases.models import Case, CaseTransition, InformationRequest, Referral, Status
from warden.cases.tests import factories as f
from warden.cases.transitions import (
    TABLE,
    Action,
    IllegalTransition,
    NotPermitted,
    status_error,
    target_of,
)
from warden.flows import amendment, case_decision, submission
from warden.testing import Personas, make_user, sample_application

pytestmark = pytest.mark.django_db


def _referral(p: Personas, case: Case) -> Referral:
    return case.referrals.filter(team=p.fcdo).first() or Referral(case=case, team=p.fcdo)


def _open_request(p: Personas, case: Case) -> InformationRequest:
    req = case.information_requests.filter(answered_at__isnull=True).first()
    return req or InformationRequest.objects.create(
        case=case, asked_by=p.officer, question="Who is the end user?"
    )


def _issue(p: Personas, case: Case) -> Any:
    from warden.flows.case_decision import issue_licence

    return issue_licence(actor=p.officer, case=case)


DO: dict[Action, Callable[[Personas, Case], Any]] = {
    Action.EDIT_DRAFT: lambda p, c: submission.update_draft(
        actor=p.exporter, case=c, document=sample_application(end_use="Spare parts for transport helicopters")
    ),
    Action.SUBMIT: lambda p, c: submission.submit_case(actor=p.exporter, case=c),
    Action.START_INITIAL_CHECKS: lambda p, c: services.start_initial_checks(actor=p.officer, case=c),
    Action.REFER: lambda p, c: services.refer_case(
        actor=p.officer, case=c, teams=[p.mod], note="Please advise"
    ),
    Action.GIVE_ADVICE: lambda p, c: case_decision.give_advice(
        actor=p.adviser_fcdo, referral=_referral(p, c), kind="approve", text="No concerns"
    ),
    Action.REQUEST_INFORMATION: lambda p, c: services.request_information(
        actor=p.officer, case=c, question="Please send the signed end-user certificate"
    ),
    Action.ANSWER_REQUEST: lambda p, c: amendment.answer_information_request(
        actor=p.exporter, request=_open_request(p, c), answer="Attached"
    ),
    Action.RECOMMEND: lambda p, c: case_decision.recommend(
        actor=p.officer, case=c, decision="approved", reason="Fine"
    ),
    Action.FINALISE: lambda p, c: case_decision.finalise(
        actor=p.senior, case=c, decision="approved", reason="Agreed"
    ),
    # Proposing a decision against the engine is what finalise does when the engine disagrees (the sample
    # application to Norway: the engine approves, the senior officer refuses).
    Action.PROPOSE_OVERRULE: lambda p, c: case_decision.finalise(
        actor=p.senior,
        case=c,
        decision="refused",
        reason="Diversion risk",
        criteria=["EU-CP:7"],
        justification="Intelligence not in the engine's data",
    ),
    Action.COUNTERSIGN: lambda p, c: case_decision.countersign(actor=p.senior2, case=c, note="Agreed"),
    Action.REJECT_OVERRULE: lambda p, c: services.reject_overrule(
        actor=p.senior2, case=c, reason="The intelligence is stale"
    ),
    Action.ISSUE_LICENCE: _issue,
    Action.WITHDRAW: lambda p, c: services.withdraw(actor=p.exporter, case=c, reason="No longer needed"),
    Action.APPEAL: lambda p, c: services.appeal(actor=p.exporter, case=c, grounds="New end-user undertaking"),
    Action.CLOSE: lambda p, c: services.close_case(actor=p.officer, case=c, reason="Done"),
    Action.ASSIGN: lambda p, c: services.assign_case(actor=p.officer, case=c, officer=p.officer2),
    Action.ADD_NOTE: lambda p, c: services.add_note(actor=p.officer, case=c, text="Called the exporter"),
    Action.UPLOAD_DOCUMENT: lambda p, c: amendment.upload_document(
        actor=p.exporter, case=c, filename="euc.pdf", content=f.MINIMAL_PDF, kind="end_user_certificate"
    ),
}

EXPORTER_ACTIONS = {Action.EDIT_DRAFT, Action.SUBMIT, Action.ANSWER_REQUEST, Action.WITHDRAW, Action.APPEAL}
EXPORTER_ACTIONS |= {Action.UPLOAD_DOCUMENT}


# The actions that make a case (an exporter's application, an officer's proposal for a licence holder) have
# no case to act on; their own tests drive them (test_intake, licences/tests/test_officer_amendments).
MAKERS = {Action.CREATE, Action.PROPOSE_FOR_HOLDER}


def test_every_action_except_the_ones_making_a_case_has_a_driver() -> None:
    assert set(DO) == set(TABLE) - MAKERS


def _prepare(p: Personas, action: Action, status: Status) -> Case:
    """A case in `status` on which the guards of `action` (beyond the status) are satisfied."""
    if action == Action.RECOMMEND and status == Status.CONSULTATION:
        return f.advised(p)
    if action == Action.APPEAL or (action == Action.CLOSE and status == Status.FINALISED):
        return f.finalised(p, decision="refused")
    case = f.case_in(p, status)
    if action in (Action.COUNTERSIGN, Action.REJECT_OVERRULE):
        DO[Action.PROPOSE_OVERRULE](p, case)
    if action == Action.ANSWER_REQUEST:
        services.request_information(actor=p.officer, case=case, question="Which unit is the end user?")
    return case


LEGAL = sorted(
    ((a, s) for a, t in TABLE.items() if a not in MAKERS for s in t.sources),
    key=lambda pair: (list(Action).index(pair[0]), list(Status).index(pair[1])),
)


@pytest.mark.parametrize(("action", "status"), LEGAL, ids=[f"{a.value}-from-{s.value}" for a, s in LEGAL])
def test_legal_transition_works(personas: Personas, action: Action, status: Status) -> None:
    case = _prepare(personas, action, status)
    before_version = case.version
    before_audit = AuditEntry.objects.count()
    DO[action](personas, case)
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == target_of(action, status)
    assert stored.version == before_version + 1
    last = CaseTransition.objects.filter(case=case).order_by("-pk").first()
    assert last is not None
    assert (last.action, last.from_status, last.to_status) == (action.value, status.value, stored.status)
    new_entries = AuditEntry.objects.order_by("seq")[before_audit:]
    assert any(e.action == f"case.{action.value}" and e.case_id == case.pk for e in new_entries)


@pytest.mark.parametrize("status", list(Status), ids=[s.value for s in Status])
def test_every_other_action_is_refused_and_changes_nothing(personas: Personas, status: Status) -> None:
    p = personas
    case = f.case_in(p, status)
    stored = Case.objects.get(pk=case.pk)
    rows = CaseTransition.objects.filter(case=case).count()
    for action, t in TABLE.items():
        if action in MAKERS or status in t.sources:
            continue
        invisible = status == Status.DRAFT and action not in EXPORTER_ACTIONS
        no_referral = action == Action.GIVE_ADVICE and not case.referrals.filter(team=p.fcdo).exists()
        expected = NotPermitted if invisible or no_referral else IllegalTransition
        with pytest.raises(expected) as exc:
            DO[action](p, Case.objects.get(pk=case.pk))
        if expected is IllegalTransition:
            # A proposal is made through finalise, which names its own action in the refusal.
            named = Action.FINALISE if action == Action.PROPOSE_OVERRULE else action
            assert str(exc.value) == str(status_error(named, case.reference, status)), action
        after = Case.objects.get(pk=case.pk)
        assert (after.status, after.version) == (stored.status, stored.version), action
    assert CaseTransition.objects.filter(case=case).count() == rows


def test_the_refusal_says_what_is_wrong_and_what_is_needed(personas: Personas) -> None:
    case = f.in_consultation(personas)
    with pytest.raises(IllegalTransition) as exc:
        case_decision.finalise(actor=personas.senior, case=case, decision="approved", reason="x")
    assert str(exc.value) == (
        f"Cannot finalise {case.reference}: it is in consultation; finalising needs under final review"
    )


def test_create_stores_a_draft_with_a_create_row(personas: Personas) -> None:
    case = f.draft(personas)
    assert case.status == Status.DRAFT and case.reference.startswith("APP-")
    row = CaseTransition.objects.get(case=case)
    assert (row.action, row.from_status, row.to_status) == ("create", "", "draft")
    assert AuditEntry.objects.filter(case_id=case.pk, action="case.create").exists()


def test_the_full_journey_through_appeal_to_a_licence(personas: Personas) -> None:
    p = personas
    case = f.under_appeal(p)
    case_decision.recommend(
        actor=p.officer,
        case=case,
        decision="approved_with_conditions",
        reason="New EUC",
        conditions="Delivery verification certificate within 30 days",
    )
    # Approving on appeal goes against the engine (Belarus: refuse), so since issue 10 it is proposed with a
    # justification by a senior officer who did not refuse it and countersigned by a third one.
    case_decision.finalise(
        actor=p.senior2,
        case=case,
        decision="approved_with_conditions",
        reason="Agreed on appeal",
        conditions="Delivery verification certificate within 30 days",
        justification="The new end-user undertaking answers the findings",
    )
    third = make_user("sid", Role.SENIOR_OFFICER, org=p.authority, team=p.licensing)
    case_decision.countersign(actor=third, case=case)
    _issue(p, case)
    assert case.status == Status.LICENCE_ISSUED
    actions = list(CaseTransition.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-6:] == [
        "finalise",
        "appeal",
        "recommend",
        "propose_overrule",
        "countersign",
        "issue_licence",
    ]


def test_a_refusal_can_be_appealed_only_once(personas: Personas) -> None:
    p = personas
    case = f.under_appeal(p)
    case_decision.recommend(
        actor=p.officer, case=case, decision="refused", reason="Still", criteria=["EU-CP:7"]
    )
    # Another senior officer than the one who refused decides the appeal (issue 10).
    case_decision.finalise(
        actor=p.senior2, case=case, decision="refused", reason="Upheld", criteria=["EU-CP:7"]
    )
    with pytest.raises(IllegalTransition, match="already been appealed"):
        services.appeal(actor=p.exporter, case=case, grounds="Again")


def test_an_approval_cannot_be_appealed_and_a_refusal_gets_no_licence(personas: Personas) -> None:
    p = personas
    approved = f.finalised(p)
    with pytest.raises(IllegalTransition, match="only a refusal can be appealed"):
        services.appeal(actor=p.exporter, case=approved, grounds="?")
    refused = f.finalised(p, decision="refused")
    with pytest.raises(IllegalTransition, match="it was refused"):
        _issue(p, refused)


def test_the_appeal_window_closes(personas: Personas) -> None:
    import datetime as dt

    p = personas
    case = f.finalised(p, decision="refused")
    Case.objects.filter(pk=case.pk).update(finalised_at=case.finalised_at - dt.timedelta(days=29))
    case.refresh_from_db()
    with pytest.raises(IllegalTransition, match="appeal window closed"):
        services.appeal(actor=p.exporter, case=case, grounds="Late")
