"""An adviser's proviso becomes a licence condition unless the officer records why not (audited, shown); an
appeal is reviewed by officers other than the one who decided the refusal."""

from __future__ import annotations

import html
from typing import Any

import pytest

from warden.audit.models import AuditEntry
from warden.cases.models import Case, ProvisoOutcome, Status
from warden.cases.tests import factories as f
from warden.cases.transitions import Action, InvalidInput, NotPermitted
from warden.flows import case_decision
from warden.flows.case_decision import issue_licence
from warden.testing import Personas

pytestmark = pytest.mark.django_db

PROVISO = "No re-export without the prior written consent of the authority"


def _with_proviso(p: Personas) -> tuple[Case, Any]:
    case = f.in_consultation(p)
    advice = case_decision.give_advice(
        actor=p.adviser_fcdo,
        referral=case.referrals.get(team=p.fcdo),
        kind="proviso",
        proviso=PROVISO,
        text="Acceptable with a re-export control",
    )
    case.refresh_from_db()
    case_decision.recommend(actor=p.officer, case=case, decision="approved", reason="Fine")
    return case, advice


def test_a_proviso_is_carried_into_the_conditions_and_the_licence(personas: Personas) -> None:
    p = personas
    case, advice = _with_proviso(p)
    case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Approved")
    assert case.decision == "approved_with_conditions" and PROVISO in case.conditions
    outcome = ProvisoOutcome.objects.get(case=case)
    assert (outcome.advice, outcome.carried, outcome.decided_by) == (advice, True, p.senior)
    licence = issue_licence(actor=p.officer, case=case)
    assert PROVISO in licence.conditions
    entry = AuditEntry.objects.get(case_id=case.pk, action="case.finalise")
    assert '"carried":true' in entry.entry.replace(" ", "")


def test_a_licence_cannot_drop_a_carried_proviso(personas: Personas) -> None:
    p = personas
    case, _ = _with_proviso(p)
    case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="Approved")
    with pytest.raises(InvalidInput, match="must keep the adviser's proviso"):
        issue_licence(actor=p.officer, case=case, conditions="Annual report")
    assert case.status == Status.FINALISED


def test_leaving_a_proviso_out_needs_a_recorded_reason_shown_on_the_case(personas: Personas) -> None:
    p = personas
    case, advice = _with_proviso(p)
    why = "The end user is a NATO ally's armed forces; the consent rule is in the end-user certificate"
    r = f.client_for(p.senior).post(
        f"/cases/{case.pk}/act/finalise/",
        {"decision": "approved", "reason": "Approved", f"omit_proviso_{advice.pk}": why},
    )
    assert r.status_code == 302
    stored = Case.objects.get(pk=case.pk)
    assert (stored.decision, stored.conditions) == ("approved", "")
    outcome = ProvisoOutcome.objects.get(case=case)
    assert (outcome.carried, outcome.reason) == (False, why)
    page = html.unescape(f.client_for(p.officer).get(f"/cases/{case.pk}/").content.decode())
    assert f"Left out by {p.senior.display_name}: {why}" in page
    assert PROVISO not in issue_licence(actor=p.officer, case=stored).conditions


def test_the_finalise_form_offers_each_proviso(personas: Personas) -> None:
    p = personas
    case, advice = _with_proviso(p)
    page = html.unescape(f.client_for(p.senior).get(f"/cases/{case.pk}/").content.decode())
    assert f'name="omit_proviso_{advice.pk}"' in page and PROVISO in page


def test_an_unknown_proviso_cannot_be_left_out(personas: Personas) -> None:
    p = personas
    case, _ = _with_proviso(p)
    with pytest.raises(InvalidInput, match="has no proviso 999"):
        case_decision.finalise(
            actor=p.senior, case=case, decision="approved", reason="x", omitted_provisos={999: "because"}
        )


# ------------------------------------------------------------------------------------------ appeals


def test_the_officer_who_refused_does_not_review_the_appeal(personas: Personas) -> None:
    p = personas
    case = f.under_appeal(p)  # refused by p.senior
    case_decision.recommend(
        actor=p.officer, case=case, decision="refused", reason="Still", criteria=["EU-CP:7"]
    )
    assert "another senior officer must decide the appeal" in (
        case_decision.why_not(p.senior, case, Action.FINALISE) or ""
    )
    with pytest.raises(NotPermitted, match="under appeal"):
        case_decision.finalise(
            actor=p.senior, case=case, decision="refused", reason="Upheld", criteria=["EU-CP:7"]
        )
    case_decision.finalise(
        actor=p.senior2, case=case, decision="refused", reason="Upheld", criteria=["EU-CP:7"]
    )
    assert case.status == Status.FINALISED and case.finalised_by == p.senior2


def test_the_deciding_senior_officer_cannot_recommend_on_the_appeal_either(personas: Personas) -> None:
    p = personas
    case = f.under_appeal(p)
    with pytest.raises(NotPermitted, match="another officer must review the appeal"):
        case_decision.recommend(actor=p.senior, case=case, decision="approved", reason="On reflection")
    r = f.client_for(p.senior).post(
        f"/cases/{case.pk}/act/recommend/", {"decision": "approved", "reason": "x"}
    )
    assert r.status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_APPEAL


def test_the_cli_leaves_a_proviso_out_with_its_reason(personas: Personas) -> None:
    from warden.cli import main

    p = personas
    case, advice = _with_proviso(p)
    argv = ["cases", "finalise", case.reference, "--as", p.senior.username, "--decision", "approved"]
    assert main([*argv, "--reason", "Approved", "--omit-proviso", "nonsense"]) == 2
    assert main([*argv, "--reason", "Approved", "--omit-proviso", f"{advice.pk}=Covered by the EUC"]) == 0
    outcome = ProvisoOutcome.objects.get(case=case)
    assert (outcome.carried, outcome.reason) == (False, "Covered by the EUC")
