"""The inbox in a real browser: Alice is told that the authority asks her for information, opens it from her
inbox (it is marked read) and lands on the case; she switches her e-mail to a daily digest."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from warden.cases import services as case_services
from warden.cases.tests import factories
from warden.inbox.models import MailPreference, Notification
from warden.testing import PASSWORD, Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_exporter_opens_a_request_from_the_inbox(personas: Personas, new_page: Any, shot: Any) -> None:
    case = factories.in_initial_checks(personas)
    case_services.request_information(actor=personas.officer, case=case, question="Which unit will use them?")
    alice = new_page()
    sign_in(alice, "alice", PASSWORD)
    alice.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    row = alice.get_by_test_id("notification").filter(has_text="the authority asks for information")
    expect(row).to_contain_text("Which unit will use them?")
    shot(alice, "inbox")
    row.get_by_role("button", name="Open").click()
    expect(alice.get_by_role("heading", name=case.reference)).to_be_visible()
    assert Notification.objects.get(user=personas.exporter, kind="request").read_at is not None
    alice.goto("/inbox/")
    alice.get_by_label("One e-mail a day (digest)").check()
    alice.get_by_test_id("mail-form").get_by_role("button", name="Save").click()
    expect(alice.get_by_text("E-mail: one e-mail a day (digest).")).to_be_visible()
    assert MailPreference.objects.get(user=personas.exporter).mode == "daily"
