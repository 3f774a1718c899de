"""Each role lands on what needs its attention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from warden.cases import services
from warden.cases.models import Case
from warden.cases.tests import factories
from warden.licences.models import Licence
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _home(user) -> str:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    response = c.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_exporter_sees_drafts_open_questions_decisions_and_licences(personas: Personas) -> None:
    draft = factories.draft(personas)
    asked = factories.in_initial_checks(personas)
    services.request_information(actor=personas.officer, case=asked, question="Who maintains the blades?")
    licensed = factories.licensed(personas)
    html = _home(personas.exporter)
    assert draft.reference in html
    assert "Who maintains the blades?" in html
    assert licensed.reference in html
    assert Licence.objects.get(case=licensed).number in html
    assert 'href="/cases/new/"' in html


def test_exporter_dashboard_shows_nothing_of_another_organisation(personas: Personas) -> None:
    case = factories.licensed(personas)
    html = _home(personas.exporter_b)
    assert case.reference not in html


def test_officer_sees_own_cases_and_overdue_ones(personas: Personas) -> None:
    mine = factories.in_initial_checks(personas)
    late = factories.submitted(personas)
    Case.objects.filter(pk=late.pk).update(sla_deadline=dt.date(2020, 1, 6))
    html = _home(personas.officer)
    assert mine.reference in html
    assert late.reference in html
    assert 'data-testid="overdue-count">1<' in html
    assert "Licensing Unit" in html


def test_adviser_sees_referrals_awaiting_their_team(personas: Personas) -> None:
    case = factories.in_consultation(personas)  # referred to foreign affairs
    assert case.reference in _home(personas.adviser_fcdo)
    assert case.reference not in _home(personas.adviser_mod)


def test_senior_officer_sees_cases_awaiting_final_review(personas: Personas) -> None:
    case = factories.under_final_review(personas)
    html = _home(personas.senior)
    assert "Awaiting final review" in html
    assert case.reference in html


def test_oversight_sees_counts_by_status_and_the_audit_log_link(personas: Personas) -> None:
    factories.submitted(personas)
    factories.finalised(personas, decision="refused")
    html = _home(personas.oversight)
    assert 'href="/audit/"' in html
    assert 'data-testid="status-counts"' in html
    assert "Read-only" in html


def test_policy_officer_is_pointed_at_legislation(personas: Personas) -> None:
    assert 'href="/legislation/"' in _home(personas.policy)


def test_navigation_shows_name_and_role(personas: Personas) -> None:
    html = _home(personas.adviser_fcdo)
    assert 'data-testid="user-name">Fiona<' in html
    assert "Adviser (consulted department) · Foreign Affairs" in html
    assert 'aria-current="page"' in html


def test_not_yet_routed_count_links_to_the_queue_of_cases_without_a_team(personas: Personas) -> None:
    waiting = factories.submitted(personas)  # no team until an officer starts the initial checks
    taken = factories.in_initial_checks(personas)
    html = _home(personas.officer)
    assert (
        '<a href="/cases/?team=none" data-testid="not-routed">Not yet routed</a></th><td class="num">1<'
        in html
    )
    c = Client()
    c.force_login(personas.officer)
    queue = c.get("/cases/?team=none").content.decode()
    assert waiting.reference in queue and taken.reference not in queue
    assert '<option value="none" selected>Not yet routed</option>' in queue
    team = c.get(f"/cases/?team={personas.officer.team_id}").content.decode()
    assert taken.reference in team and waiting.reference not in team
