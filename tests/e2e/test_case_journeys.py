"""Case journeys besides the happy path, each through the real UI: a request for information (the clock
pauses, the exporter answers, the officer reads the answer), a refusal with criteria that the exporter
reads in words and appeals, and a withdrawal. Cases are set up through the services up to the step each
journey is about."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_action, sign_in
from warden.cases.models import Status
from warden.cases.tests import factories
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_for_information_pauses_the_case_until_the_exporter_answers(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    case = factories.in_initial_checks(personas)
    olivia = new_page()
    sign_in(olivia, "olivia", PASSWORD)
    olivia.goto(f"/cases/{case.pk}/")
    box = open_action(olivia, "request_information")
    box.get_by_label("Question to the exporter").fill("Please send the data sheet for the rotor blades")
    box.get_by_role("button", name="Ask the exporter for information").click()
    rfi = olivia.get_by_test_id("rfi")
    expect(rfi).to_contain_text("Please send the data sheet")
    expect(rfi).to_contain_text("Waiting for the exporter's answer; the deadline is paused")
    expect(olivia.locator(".deadline.paused")).to_contain_text("paused")
    shot(olivia, "rfi-01-officer-asked")

    # The exporter's dashboard lists the question; the link leads to the answer form.
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    questions = alice.get_by_test_id("open-requests")
    expect(questions).to_contain_text("Please send the data sheet")
    questions.get_by_role("link", name=case.reference).click()
    expect(alice.locator(".deadline.paused")).to_contain_text("waiting for the exporter")
    alice.get_by_label("Your answer").fill("Data sheet DS-114 is attached; blades are 7.2 m long")
    shot(alice, "rfi-02-exporter-answering")
    alice.get_by_role("button", name="Send answer").click()
    expect(alice.get_by_test_id("rfi")).to_contain_text("Data sheet DS-114")
    expect(alice.locator(".deadline.paused")).to_have_count(0)
    alice.goto("/")
    expect(alice.get_by_test_id("open-requests")).to_have_count(0)

    olivia.reload()
    expect(olivia.get_by_test_id("rfi")).to_contain_text("Data sheet DS-114")
    expect(olivia.locator(".deadline.paused")).to_have_count(0)
    shot(olivia, "rfi-03-officer-reads-answer")
    case.refresh_from_db()
    assert case.paused_since is None


def test_refusal_cites_criteria_in_words_and_the_exporter_appeals(
    personas: Personas, new_page: Any, shot: Any
) -> None:
    case = factories.under_final_review(personas, decision="refused")  # recommended by the officer
    sam = new_page()
    sign_in(sam, "sam", PASSWORD)
    sam.goto(f"/cases/{case.pk}/")
    box = open_action(sam, "finalise")
    box.get_by_label("Refused", exact=True).check()
    box.get_by_label("EU-CP:7 Risk of diversion or re-export").check()
    box.get_by_label("EU-CP:2 Human rights and international humanitarian law").check()
    box.get_by_label("Reasons given to the exporter").fill(
        "The consignee has re-exported controlled goods without consent before"
    )
    shot(sam, "refusal-01-senior-finalising")
    box.get_by_role("button", name="Finalise the decision").click()
    expect(sam.get_by_test_id("case-status")).to_have_text("Finalised")

    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto(f"/cases/{case.pk}/")
    panel = alice.get_by_test_id("decision-panel")
    expect(panel).to_contain_text("Refused")
    criteria = alice.get_by_test_id("decision-criteria")
    expect(criteria).to_contain_text("Risk of diversion or re-export")
    expect(criteria).to_contain_text("Human rights and international humanitarian law")
    expect(panel).to_contain_text("re-exported controlled goods without consent")
    expect(panel).to_contain_text("Appeal by")
    shot(alice, "refusal-02-exporter-reads-refusal")
    box = open_action(alice, "appeal")
    box.get_by_label("Grounds of appeal").fill("The consignee has been replaced by the end user itself")
    box.get_by_role("button", name="Appeal the refusal").click()
    expect(alice.get_by_test_id("case-status")).to_have_text("Under appeal")
    expect(alice.get_by_test_id("history")).to_contain_text("replaced by the end user itself")
    shot(alice, "refusal-03-exporter-appealed")
    case.refresh_from_db()
    assert case.status == Status.UNDER_APPEAL
    assert sorted(case.decision_criteria) == ["EU-CP:2", "EU-CP:7"]


def test_exporter_withdraws_an_application(personas: Personas, new_page: Any, shot: Any) -> None:
    case = factories.in_consultation(personas)
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.goto(f"/cases/{case.pk}/")
    box = open_action(alice, "withdraw")
    box.get_by_role("button", name="Withdraw the application").click()
    # A withdrawal needs a reason: the error is shown and nothing changes.
    expect(alice.get_by_test_id("error-summary")).to_contain_text("Reason")
    expect(alice.get_by_test_id("case-status")).to_have_text("Consultation")
    box = open_action(alice, "withdraw")
    box.get_by_label("Reason").fill("The customer cancelled the order")
    box.get_by_role("button", name="Withdraw the application").click()
    expect(alice.get_by_test_id("case-status")).to_have_text("Withdrawn")
    expect(alice.get_by_test_id("actions").get_by_test_id("action-withdraw")).to_have_count(0)
    shot(alice, "withdraw-01-exporter-withdrew")
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
