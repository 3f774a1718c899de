"""Every separation-of-duties rule, each with a test that tries to break it."""

from __future__ import annotations

import pytest

from warden.cases import policy, services
from warden.cases.models import Case, Status
from warden.cases.tests import factories as f
from warden.cases.transitions import Action, NotPermitted, WorkflowError
from warden.flows import amendment, case_decision, submission
from warden.legislation.citable import citable_map
from warden.testing import Personas, application_for

pytestmark = pytest.mark.django_db


def test_the_recommending_officer_cannot_finalise_the_same_case(personas: Personas) -> None:
    p = personas
    case = f.advised(p)
    case_decision.recommend(actor=p.senior, case=case, decision="approved", reason="I worked this case")
    assert "finalise" not in case_decision.allowed_actions(p.senior, case)
    with pytest.raises(NotPermitted, match="separation of duties"):
        case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Self-approval")
    case_decision.finalise(actor=p.senior2, case=case, decision="approved", reason="Countersigned")
    assert case.status == Status.FINALISED and case.finalised_by == p.senior2


def test_a_licensing_officer_cannot_finalise(personas: Personas) -> None:
    case = f.under_final_review(personas)
    with pytest.raises(NotPermitted, match="only a senior officer"):
        case_decision.finalise(actor=personas.officer2, case=case, decision="approved", reason="x")


def test_an_adviser_sees_only_cases_referred_to_their_team(personas: Personas) -> None:
    p = personas
    referred = f.in_consultation(p)  # to foreign affairs
    other = f.in_initial_checks(p)
    assert list(policy.visible_cases(p.adviser_fcdo)) == [referred]
    assert list(policy.visible_cases(p.adviser_mod)) == []
    assert policy.can_view_case(p.adviser_fcdo, referred)
    assert not policy.can_view_case(p.adviser_mod, referred)
    assert not policy.can_view_case(p.adviser_fcdo, other)


def test_an_adviser_sees_only_their_own_referral_and_advice(personas: Personas) -> None:
    p = personas
    case = f.in_consultation(p)
    services.refer_case(actor=p.officer, case=case, teams=[p.mod])
    case_decision.give_advice(
        actor=p.adviser_mod,
        referral=case.referrals.get(team=p.mod),
        kind="refuse",
        text="Risk of diversion",
        criteria=["EU-CP:7"],
    )
    assert [r.team for r in policy.visible_referrals(p.adviser_fcdo, case)] == [p.fcdo]
    assert list(policy.visible_advice(p.adviser_fcdo, case)) == []
    assert [a.kind for a in policy.visible_advice(p.adviser_mod, case)] == ["refuse"]
    assert policy.visible_advice(p.officer, case).count() == 1
    assert not policy.can_view_notes(p.adviser_fcdo, case)


def test_an_adviser_cannot_answer_another_teams_referral(personas: Personas) -> None:
    p = personas
    case = f.in_consultation(p)
    services.refer_case(actor=p.officer, case=case, teams=[p.mod])
    with pytest.raises(NotPermitted, match="not referred to your team"):
        case_decision.give_advice(
            actor=p.adviser_fcdo, referral=case.referrals.get(team=p.mod), kind="approve", text="x"
        )
    with pytest.raises(NotPermitted, match="not referred to your team"):
        case_decision.give_advice(
            actor=p.adviser_mod, referral=case.referrals.get(team=p.fcdo), kind="approve", text="x"
        )
    assert case.referrals.filter(answered_at__isnull=False).count() == 0


def test_advice_is_given_once(personas: Personas) -> None:
    p = personas
    case = f.advised(p)
    with pytest.raises(WorkflowError, match="already given"):
        case_decision.give_advice(
            actor=p.adviser_fcdo, referral=case.referrals.get(team=p.fcdo), kind="approve", text="x"
        )


def test_exporters_see_only_their_own_organisations_cases(personas: Personas) -> None:
    p = personas
    mine = f.submitted(p)
    theirs = submission.create_application(actor=p.exporter_b, document=application_for(p.exporter_b))
    assert list(policy.visible_cases(p.exporter)) == [mine]
    assert list(policy.visible_cases(p.exporter_b)) == [theirs]
    assert not policy.can_view_case(p.exporter_b, mine)
    for action in (Action.WITHDRAW, Action.UPLOAD_DOCUMENT, Action.ANSWER_REQUEST):
        assert not policy.can_act(p.exporter_b, mine, action)
    with pytest.raises(NotPermitted, match="No case"):
        services.withdraw(actor=p.exporter_b, case=mine)
    services.request_information(actor=p.officer, case=Case.objects.get(pk=mine.pk), question="Who?")
    with pytest.raises(NotPermitted):
        amendment.answer_information_request(
            actor=p.exporter_b, request=mine.information_requests.get(), answer="Me"
        )


def test_exporters_never_see_internal_advice_notes_or_findings(personas: Personas) -> None:
    p = personas
    case = f.advised(p)
    services.add_note(actor=p.officer, case=case, text="Internal: end user linked to a broker we distrust")
    case_decision.recommend(actor=p.officer, case=case, decision="approved", reason="Internal reasoning")
    assert not policy.can_view_internal(p.exporter, case)
    assert not policy.can_view_notes(p.exporter, case)
    assert not policy.can_view_findings(p.exporter, case)
    assert list(policy.visible_advice(p.exporter, case)) == []
    assert list(policy.visible_referrals(p.exporter, case)) == []
    seen = set(policy.visible_transitions(p.exporter, case).values_list("action", flat=True))
    assert seen == {"create", "submit", "start_initial_checks"}
    case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Agreed")
    finalise_row = policy.visible_transitions(p.exporter, case).get(action="finalise")
    assert "recommended" not in str(finalise_row.data) and p.officer.username not in str(finalise_row.data)
    assert {"refer", "give_advice", "add_note", "recommend"} <= set(
        policy.visible_transitions(p.officer, case).values_list("action", flat=True)
    )


def test_drafts_are_private_to_the_exporter(personas: Personas) -> None:
    p = personas
    case = f.draft(p)
    for user in (p.officer, p.senior, p.oversight, p.policy, p.adviser_fcdo, p.admin):
        assert not policy.can_view_case(user, case)
        assert case not in policy.visible_cases(user)


def test_oversight_sees_everything_and_can_change_nothing(personas: Personas) -> None:
    p = personas
    cases = {s: f.case_in(p, s) for s in (Status.SUBMITTED, Status.CONSULTATION, Status.UNDER_FINAL_REVIEW)}
    assert set(policy.visible_cases(p.oversight)) == set(cases.values())
    for case in cases.values():
        assert policy.can_view_internal(p.oversight, case)
        assert case_decision.allowed_actions(p.oversight, case) == []
    with pytest.raises(NotPermitted, match="Oversight"):
        case_decision.finalise(
            actor=p.oversight, case=cases[Status.UNDER_FINAL_REVIEW], decision="approved", reason="x"
        )
    with pytest.raises(NotPermitted, match="Oversight"):
        services.add_note(actor=p.oversight, case=cases[Status.SUBMITTED], text="x")
    with pytest.raises(NotPermitted, match="Oversight"):
        services.refer_case(actor=p.oversight, case=cases[Status.CONSULTATION], teams=[p.mod])
    with pytest.raises(NotPermitted, match="Oversight"):
        services.start_initial_checks(actor=p.oversight, case=cases[Status.SUBMITTED])


def test_administrators_manage_users_but_do_not_decide_cases(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)
    assert not policy.can_view_case(p.admin, case)
    assert list(policy.visible_cases(p.admin)) == []
    with pytest.raises(NotPermitted):
        case_decision.finalise(actor=p.admin, case=case, decision="approved", reason="x")


def test_policy_officers_read_but_do_not_work_cases(personas: Personas) -> None:
    p = personas
    case = f.in_initial_checks(p)
    assert policy.can_view_case(p.policy, case)
    assert case_decision.allowed_actions(p.policy, case) == []
    with pytest.raises(NotPermitted, match="only a licensing officer or a senior officer"):
        case_decision.recommend(actor=p.policy, case=case, decision="approved", reason="x")


def test_officers_cannot_act_for_the_exporter(personas: Personas) -> None:
    p = personas
    case = f.submitted(p)
    with pytest.raises(NotPermitted, match="only an exporter"):
        services.withdraw(actor=p.officer, case=case)
    req = services.request_information(actor=p.officer, case=case, question="Who?")
    with pytest.raises(NotPermitted):
        amendment.answer_information_request(actor=p.officer, request=req, answer="Answering myself")


def test_inactive_users_can_do_nothing(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)
    p.senior2.is_active = False
    p.senior2.save()
    assert not policy.can_view_case(p.senior2, case)
    with pytest.raises(NotPermitted):
        case_decision.finalise(actor=p.senior2, case=case, decision="approved", reason="x")


def test_refusals_need_criteria_and_conditions_need_text(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p, destination="BY")  # a refusal the engine agrees with: no countersignature
    with pytest.raises(WorkflowError, match="at least one criterion"):
        case_decision.finalise(actor=p.senior, case=case, decision="refused", reason="No")
    with pytest.raises(WorkflowError, match="not a refusal criterion"):
        case_decision.finalise(
            actor=p.senior,
            case=case,
            decision="refused",
            reason="No",
            criteria=["EU-CP:9"],
            citable=citable_map(),  # the ruleset in force, as the case page, API and CLI pass it
        )
    with pytest.raises(WorkflowError, match="must state the conditions"):
        case_decision.finalise(actor=p.senior, case=case, decision="approved_with_conditions", reason="Yes")
    case_decision.finalise(
        actor=p.senior,
        case=case,
        decision="refused",
        reason="Diversion risk",
        criteria=["EU-CP:7", "ATT:7", "NATIONAL:UK-5"],
        citable=["EU-CP:7", "ATT:7", "NATIONAL:UK-5"],  # a ruleset with that national rule in force
    )
    assert case.decision_criteria == ["EU-CP:7", "ATT:7", "NATIONAL:UK-5"]


def test_no_recommendation_while_advice_or_answers_are_pending(personas: Personas) -> None:
    p = personas
    case = f.in_consultation(p)
    with pytest.raises(WorkflowError, match="waiting for advice from Foreign Affairs"):
        case_decision.recommend(actor=p.officer, case=case, decision="approved", reason="x")
    case = f.advised(p)
    services.request_information(actor=p.officer, case=case, question="Who?")
    with pytest.raises(WorkflowError, match="waiting for the exporter"):
        case_decision.recommend(actor=p.officer, case=case, decision="approved", reason="x")
