"""Declarations of interest: an officer who declared an interest in an exporter may not act on its cases
(cases.policy), the declaration and its end are audited, and the rules on who declares and who reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from warden.accounts import interests
from warden.audit.models import AuditEntry
from warden.cases import policy, services
from warden.cases.tests import factories
from warden.flows import case_decision
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _declare(p: Personas, who: object = None, **kw: object) -> interests.InterestDeclaration:
    args: dict[str, object] = {
        "actor": who or p.officer,
        "organisation": p.org_a,
        "starts_on": clock.today() - dt.timedelta(days=10),
        "reason": "My brother is its finance director",
    }
    args.update(kw)
    return interests.declare_interest(**args)  # type: ignore[arg-type]


def test_an_officer_with_a_declared_interest_cannot_start_checks_on_that_exporters_case(
    personas: Personas,
) -> None:
    case = factories.submitted(personas)
    _declare(personas)
    why = policy.why_not(personas.officer, case, "start_initial_checks")
    assert why is not None
    assert "declared an interest in Northbridge Defence Ltd" in why and "conflict of interest" in why
    with pytest.raises(NotPermitted, match="declared an interest"):
        services.start_initial_checks(actor=personas.officer, case=case)
    # Another officer may; so may the same officer on another exporter's case.
    assert policy.why_not(personas.officer2, case, "start_initial_checks") is None


def test_a_senior_officer_with_an_interest_cannot_finalise_and_another_can(personas: Personas) -> None:
    case = factories.under_final_review(personas)
    _declare(personas, personas.senior)
    with pytest.raises(NotPermitted, match="conflict of interest"):
        case_decision.finalise(
            actor=personas.senior, case=case, decision="approved", reason="Fine", criteria=[]
        )
    assert case_decision.why_not(personas.senior2, case, "finalise") is None
    assert "finalise" not in case_decision.allowed_actions(personas.senior, case)


def test_the_interest_bars_recommending_advising_and_assigning(personas: Personas) -> None:
    case = factories.in_consultation(personas)
    _declare(personas, personas.adviser_fcdo)
    assert "declared an interest" in (policy.why_not(personas.adviser_fcdo, case, "give_advice") or "")
    _declare(personas, personas.officer)
    for action in ("assign", "refer", "request_information"):
        assert "declared an interest" in (policy.why_not(personas.officer, case, action) or ""), action


def test_the_interest_bars_issuing_the_licence(personas: Personas) -> None:
    from warden.flows.case_decision import issue_licence

    case = factories.finalised(personas)
    _declare(personas)
    with pytest.raises(NotPermitted, match="declared an interest"):
        issue_licence(actor=personas.officer, case=case)


def test_an_interest_outside_its_dates_does_not_bar(personas: Personas) -> None:
    case = factories.submitted(personas)
    today = clock.today()
    _declare(personas, starts_on=today + dt.timedelta(days=5))
    _declare(personas, starts_on=today - dt.timedelta(days=30), ends_on=today - dt.timedelta(days=1))
    assert policy.why_not(personas.officer, case, "start_initial_checks") is None


def test_ending_an_interest_lifts_the_bar_and_both_steps_are_audited(personas: Personas) -> None:
    case = factories.submitted(personas)
    declaration = _declare(personas)
    interests.end_interest(
        actor=personas.officer,
        declaration=declaration,
        ends_on=clock.today() - dt.timedelta(days=1),
        reason="Brother left the company",
    )
    assert policy.why_not(personas.officer, case, "start_initial_checks") is None
    actions = list(
        AuditEntry.objects.filter(object_type="accounts.interestdeclaration").values_list("action", flat=True)
    )
    assert actions == ["interest.declare", "interest.end"]


def test_only_the_declarer_ends_their_interest(personas: Personas) -> None:
    declaration = _declare(personas)
    with pytest.raises(NotPermitted):
        interests.end_interest(
            actor=personas.senior, declaration=declaration, ends_on=clock.today(), reason="x"
        )


def test_exporters_oversight_and_administrators_cannot_declare(personas: Personas) -> None:
    for who in (personas.exporter, personas.oversight, personas.admin):
        with pytest.raises(NotPermitted):
            _declare(personas, who)


def test_a_declaration_needs_a_reason_and_dates_in_order(personas: Personas) -> None:
    with pytest.raises(InvalidInput, match="reason"):
        _declare(personas, reason="  ")
    with pytest.raises(InvalidInput, match="before the start date") as err:
        _declare(personas, ends_on=clock.today() - dt.timedelta(days=20))
    assert err.value.field == "ends_on"
    with pytest.raises(InvalidInput, match="not an exporter"):
        _declare(personas, organisation=personas.authority)
    assert not interests.InterestDeclaration.objects.exists()


def test_the_officer_declares_on_the_page_and_supervisors_see_every_declaration(personas: Personas) -> None:
    officer = Client()
    officer.force_login(personas.officer)
    response = officer.post(
        "/interests/",
        {"organisation": personas.org_b.pk, "starts_on": "2026-01-05", "reason": "Former employer"},
    )
    assert response.status_code == 302
    bad = officer.post(
        "/interests/", {"organisation": personas.org_b.pk, "starts_on": "5/1/2026", "reason": "x"}
    )
    assert bad.status_code == 400 and "is not a date" in bad.content.decode()
    senior = Client()
    senior.force_login(personas.senior)
    page = senior.get("/interests/").content.decode()
    assert "Southgate Arms plc" in page and "Former employer" in page
    csv = senior.get("/interests/?format=csv")
    assert b"Former employer" in b"".join(csv.streaming_content)  # type: ignore[attr-defined]
    # Another officer sees only their own (none), an exporter not the page at all.
    other = Client()
    other.force_login(personas.officer2)
    assert "Former employer" not in other.get("/interests/").content.decode()
    exporter = Client()
    exporter.force_login(personas.exporter)
    assert exporter.get("/interests/").status_code == 403


def test_an_officer_with_an_interest_is_named_as_an_unfit_assignee(personas: Personas) -> None:
    case = factories.submitted(personas)
    _declare(personas, personas.officer2)
    why = interests.assignee_error(personas.officer2, case.organisation_id, case.reference)
    assert why is not None and "Cannot assign" in str(why) and "Oscar" in str(why)
    assert interests.assignee_error(personas.officer, case.organisation_id, case.reference) is None


def test_assigning_a_case_to_an_officer_with_an_interest_is_refused(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    _declare(personas, personas.officer2)
    with pytest.raises(NotPermitted, match="Cannot assign .* to Oscar: they declared an interest"):
        services.assign_case(actor=personas.senior, case=case, officer=personas.officer2)
    services.assign_case(actor=personas.senior, case=case, officer=personas.officer)


def _declaration_reads(queries: list[dict[str, str]]) -> int:
    return sum('FROM "accounts_interestdeclaration"' in q["sql"] for q in queries)


def test_the_case_page_lists_read_the_declarations_once_not_once_per_action(personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = factories.under_final_review(personas)
    with CaptureQueriesContext(connection) as captured:
        allowed = case_decision.allowed_actions(personas.senior, case)
        case_decision.blocked_actions(personas.senior, case)
    assert "finalise" in allowed
    assert _declaration_reads(captured.captured_queries) == 2  # one for each list, whatever its length


def test_with_a_declaration_in_force_every_listed_action_is_still_barred(personas: Personas) -> None:
    case = factories.under_final_review(personas)
    _declare(personas, personas.senior)
    allowed = case_decision.allowed_actions(personas.senior, case)
    assert not set(allowed) & interests.BARRED_ACTIONS
    blocked = dict(case_decision.blocked_actions(personas.senior, case))
    assert "declared an interest" in blocked["finalise"]
