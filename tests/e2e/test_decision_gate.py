"""No decision over an open question, in a real browser: the senior officer sees on the case page why the case
cannot be finalised (the unreviewed screening match, naming the party and the entry), has no finalise form,
and a crafted POST is refused; once the officer has reviewed the match the decision can be made. A decision
against the engine is then proposed with a justification and countersigned by a second senior officer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import csrf_post, open_action, sign_in
from warden.cases.models import Case, Status
from warden.cases.tests import factories
from warden.flows import decisions as match_decisions
from warden.flows import rescreening as list_import
from warden.lib.actors import system
from warden.screening.models import Match, MatchStatus
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).resolve().parents[2] / "warden" / "screening" / "tests" / "fixtures"
LISTED = {
    "role": "end_user",
    "type": "organisation",
    "sector": "commercial",
    "name": "Korea Mining Development Trading Corporation",
    "country": "KP",
}


def test_the_officer_sees_the_screening_gate_and_cannot_finalise(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    p = personas
    list_import.import_list(
        actor=system("test"), list_name="un-sc", fmt="un-xml", path=FIXTURES / "un.xml", rescreen="none"
    )
    case = factories.under_final_review(p, parties=[LISTED])
    match = Match.objects.get(case=case, status=MatchStatus.OPEN)

    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.goto(f"/cases/{case.pk}/")
    notice = sam.get_by_test_id("blocked-action").filter(has_text="Finalise the decision")
    expect(notice).to_contain_text(
        "Party 'Korea Mining Development Trading Corporation' has an unreviewed screening match with "
        f"'{match.entry.name}' (un-sc, {match.score:.2f})"
    )
    expect(sam.get_by_test_id("action-finalise")).to_have_count(0)
    shot(sam, "gate-01-finalise-held-by-an-unreviewed-match")

    # The server refuses a crafted POST as well: nothing changes.
    r = csrf_post(
        sam,
        f"/cases/{case.pk}/act/finalise/",
        {"decision": "refused", "reason": "Listed", "criteria": "EU-CP:1"},
    )
    assert r.status == 403
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW

    # The officer reviews the match; the senior officer can now decide.
    match_decisions.dispose_match(actor=p.officer, match=match, decision=MatchStatus.TRUE_MATCH)
    sam.goto(f"/cases/{case.pk}/")
    expect(sam.get_by_test_id("blocked-action")).to_have_count(0)
    box = open_action(sam, "finalise")
    box.get_by_label("Refused").check()
    box.get_by_label("Reasons given to the exporter").fill("The end user is a listed entity.")
    box.get_by_label("EU-CP:1 International obligations, embargoes and sanctions").check()
    box.get_by_role("button", name="Finalise the decision").click()
    expect(sam.get_by_test_id("case-status")).to_have_text("Finalised")
    shot(sam, "gate-02-finalised-after-review")


def test_an_overrule_is_proposed_and_countersigned_by_a_second_senior_officer(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    p = personas
    case = factories.under_final_review(p)  # the engine recommends approval
    why = "Reliable reporting of diversion by the consignee that the engine's data does not hold."

    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.goto(f"/cases/{case.pk}/")
    box = open_action(sam, "finalise")
    box.get_by_label("Refused").check()
    box.get_by_label("Reasons given to the exporter").fill("Risk of diversion.")
    box.get_by_label("EU-CP:7 Risk of diversion or re-export").check()
    box.get_by_label("Justification for going against the engine's recommendation").fill(why)
    box.get_by_role("button", name="Finalise the decision").click()
    expect(sam.get_by_test_id("overrule")).to_contain_text("Awaiting countersignature")
    expect(sam.locator('[data-testid="blocked-action"][data-action="countersign"]')).to_contain_text(
        "a second senior officer must countersign it"
    )
    shot(sam, "gate-03-overrule-awaiting-countersignature")

    sara = new_page()
    sign_in(sara, "sara", PASSWORD)
    sara.goto(f"/cases/{case.pk}/")
    expect(sara.get_by_test_id("overrule-justification")).to_have_text(why)
    box = open_action(sara, "countersign")
    box.get_by_role("button", name="Countersign the proposed decision").click()
    expect(sara.get_by_test_id("case-status")).to_have_text("Finalised")
    expect(sara.get_by_test_id("overrule-countersigner")).to_contain_text("Sara")
    shot(sara, "gate-04-overrule-countersigned")
