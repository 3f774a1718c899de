"""Overruling the engine is a second-signature act: a final decision against the engine's recommendation needs
a written justification and the countersignature of a second senior officer who neither proposed it nor
recommended it; both are shown on the case, audited and countable. Approving with a refusal criterion is
refused."""

from __future__ import annotations

import html
import json

import pytest

from warden.accounts.models import Role
from warden.audit.models import AuditEntry
from warden.cases import decisions, policy, services
from warden.cases.models import Case, DecisionOverrule, OverruleState, Status
from warden.cases.tests import factories as f
from warden.cases.transitions import Action, IllegalTransition, InvalidInput, NotPermitted
from warden.cli import main
from warden.flows import case_decision
from warden.lib.actors import system
from warden.testing import Personas, make_user

pytestmark = pytest.mark.django_db

# The sample application to Norway: the engine recommends approval (with conditions); refusing overrules it.
REFUSE = {"decision": "refused", "reason": "Diversion risk", "criteria": ["EU-CP:7"]}
WHY = "Intelligence on the consignee that the engine's data does not hold"


def test_refusing_where_the_engine_approves_needs_a_justification(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)
    with pytest.raises(InvalidInput, match="goes against the engine's recommendation") as exc:
        case_decision.finalise(actor=p.senior, case=case, **REFUSE)  # type: ignore[arg-type]
    assert exc.value.field == "justification"
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW
    assert not DecisionOverrule.objects.exists()


def test_a_justified_overrule_waits_for_a_second_senior_officer(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)
    case_decision.finalise(actor=p.senior, case=case, justification=WHY, **REFUSE)  # type: ignore[arg-type]
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == Status.UNDER_FINAL_REVIEW and stored.decision == ""
    o = DecisionOverrule.objects.get(case=case)
    assert (o.state, o.decision, o.proposed_by, o.recommended_by) == (
        "pending",
        "refused",
        p.senior,
        p.officer,
    )
    assert o.engine_recommendation == "approve_with_conditions" and o.justification == WHY
    assert o.assessment_id is not None
    entry = AuditEntry.objects.get(case_id=case.pk, action="case.propose_overrule")
    assert WHY in entry.entry
    # The proposer cannot countersign, nor finalise anything else meanwhile.
    with pytest.raises(NotPermitted, match="second senior officer must countersign"):
        case_decision.countersign(actor=p.senior, case=stored)
    with pytest.raises(IllegalTransition, match="awaiting the countersignature"):
        case_decision.finalise(actor=p.senior2, case=stored, decision="approved", reason="x")
    case_decision.countersign(actor=p.senior2, case=stored, note="Agreed")
    assert (stored.status, stored.decision, stored.finalised_by) == (Status.FINALISED, "refused", p.senior)
    o.refresh_from_db()
    assert (o.state, o.countersigned_by) == (OverruleState.COUNTERSIGNED, p.senior2)
    signed = AuditEntry.objects.get(case_id=case.pk, action="case.countersign")
    assert signed.actor_id == p.senior2.pk
    assert decisions.overrule_counts() == {"pending": 0, "countersigned": 1, "rejected": 0}


def test_the_recommender_cannot_countersign(personas: Personas) -> None:
    p = personas
    case = f.advised(p)
    case_decision.recommend(
        actor=p.senior2, case=case, decision="approved", reason="Fine"
    )  # a senior recommends
    case_decision.finalise(actor=p.senior, case=case, justification=WHY, **REFUSE)  # type: ignore[arg-type]
    with pytest.raises(NotPermitted, match="neither recommended nor proposed"):
        case_decision.countersign(actor=p.senior2, case=case)
    third = make_user("sid", Role.SENIOR_OFFICER, org=p.authority, team=p.licensing)
    case_decision.countersign(actor=third, case=case)
    assert case.status == Status.FINALISED


def test_a_rejected_overrule_sends_the_case_back_for_a_new_decision(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)
    case_decision.finalise(actor=p.senior, case=case, justification=WHY, **REFUSE)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        services.reject_overrule(actor=p.senior2, case=case, reason=" ")
    services.reject_overrule(actor=p.senior2, case=case, reason="The intelligence is two years old")
    assert DecisionOverrule.objects.get(case=case).state == OverruleState.REJECTED
    case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Approved")
    assert case.status == Status.FINALISED and case.decision == "approved"
    assert decisions.overrule_counts()["rejected"] == 1


def test_approving_where_the_engine_refuses_is_an_overrule(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p, destination="BY")  # the engine: refuse (deny findings)
    with pytest.raises(InvalidInput, match="the engine recommends refusal"):
        case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Fine")
    case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Fine", justification=WHY)
    o = DecisionOverrule.objects.get(case=case)
    assert o.engine_recommendation == "refuse" and "EU-CP:1" in o.engine_deny_criteria


def test_approving_on_a_refer_with_a_deny_finding_is_an_overrule() -> None:
    view = decisions.EngineView(recommendation="refer", deny_criteria=["EU-CP:1"])
    assert (
        decisions.against_engine("approved", view)
        == "the engine refers the case on a deny finding under EU-CP:1"
    )
    assert decisions.against_engine("approved", decisions.EngineView("refer")) is None
    assert decisions.against_engine("refused", decisions.EngineView("refer")) is None
    assert (
        decisions.against_engine("refused", decisions.EngineView("approve"))
        == "the engine recommends approval"
    )


def test_approving_with_a_refusal_criterion_ticked_is_refused(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)
    with pytest.raises(InvalidInput, match=r"cannot cite refusal criteria \(EU-CP:7\)") as exc:
        case_decision.finalise(
            actor=p.senior, case=case, decision="approved", reason="Fine", criteria=["EU-CP:7"]
        )
    assert exc.value.field == "criteria"
    r = f.client_for(p.senior).post(
        f"/cases/{case.pk}/act/finalise/", {"decision": "approved", "reason": "Fine", "criteria": ["EU-CP:7"]}
    )
    assert r.status_code == 422 and "cannot cite refusal criteria" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW


def test_the_web_workflow_shows_both_signatures(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)
    sam = f.client_for(p.senior)
    page = html.unescape(sam.get(f"/cases/{case.pk}/").content.decode())
    assert "The engine recommends approve with conditions. A decision against it needs a written" in page
    r = sam.post(f"/cases/{case.pk}/act/finalise/", {**REFUSE, "justification": ""})
    assert r.status_code == 422 and "give a written justification" in html.unescape(r.content.decode())
    r = sam.post(f"/cases/{case.pk}/act/finalise/", {**REFUSE, "justification": WHY})
    assert r.status_code == 302
    page = html.unescape(sam.get(f"/cases/{case.pk}/").content.decode())
    assert 'data-testid="overrule" data-state="pending"' in page and WHY in page
    assert 'data-action="countersign"' in page  # sam may not countersign: the page says why
    sara = f.client_for(p.senior2)
    page = sara.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/act/countersign/"' in page
    assert sam.post(f"/cases/{case.pk}/act/countersign/", {}).status_code == 403
    assert sara.post(f"/cases/{case.pk}/act/countersign/", {"note": "Agreed"}).status_code == 302
    page = html.unescape(sara.get(f"/cases/{case.pk}/").content.decode())
    assert 'data-state="countersigned"' in page and "Sara" in page
    assert Case.objects.get(pk=case.pk).status == Status.FINALISED
    # The exporter sees the decision, never the justification.
    page = f.client_for(p.exporter).get(f"/cases/{case.pk}/").content.decode()
    assert WHY not in html.unescape(page) and "overrule" not in page


def test_the_api_and_cli_route_an_overrule_to_countersignature(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    p = personas
    case = f.under_final_review(p)
    body = {**REFUSE, "justification": WHY}
    r = f.api_for(p.senior).post(
        f"/api/applications/{case.reference}/finalise", data=json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["awaiting_countersignature"] is True
    r = f.api_for(p.senior).post(
        f"/api/applications/{case.reference}/countersign", data="{}", content_type="application/json"
    )
    assert r.status_code == 403 and "second senior officer" in r.json()["detail"]
    assert main(["cases", "countersign", case.reference, "--as", p.senior.username]) == 1
    assert main(["cases", "countersign", case.reference, "--as", p.senior2.username]) == 0
    assert Case.objects.get(pk=case.pk).status == Status.FINALISED
    assert policy.pending_overrule(case) is None
    assert Action.COUNTERSIGN not in case_decision.allowed_actions(p.senior2, Case.objects.get(pk=case.pk))


def test_the_cli_refuses_an_unjustified_overrule_with_exit_2(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    p = personas
    case = f.under_final_review(p)
    argv = ["cases", "finalise", case.reference, "--as", p.senior.username, "--decision", "refused"]
    assert main([*argv, "--reason", "Risk", "--criterion", "EU-CP:7"]) == 2
    assert "justification" in capsys.readouterr().err
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW


def test_a_proposal_made_on_an_older_assessment_cannot_be_countersigned(personas: Personas) -> None:
    from warden.legislation.services import assess_case

    p = personas
    case = f.under_final_review(p)
    case_decision.finalise(actor=p.senior, case=case, justification=WHY, **REFUSE)  # type: ignore[arg-type]
    assess_case(
        actor=system("test"), case=case, trigger="manual"
    )  # same inputs, same recommendation: still valid
    assert case_decision.why_not(p.senior2, case, Action.COUNTERSIGN) is None
    # The inputs change (here: the destination) and the engine now recommends refusal.
    Case.objects.filter(pk=case.pk).update(document={**case.document, "destination": "BY"})
    assess_case(actor=system("test"), case=Case.objects.get(pk=case.pk), trigger="manual")
    with pytest.raises(IllegalTransition, match="re-assessed .* after the decision was proposed .*refuse"):
        case_decision.countersign(actor=p.senior2, case=case)
    services.reject_overrule(actor=p.senior2, case=case, reason="Decide on the current assessment")
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW
