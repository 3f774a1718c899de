"""Pages and per-request look-ups (sessions, users, API tokens) read the database on every request: a page
is never stale after a change (whichever worker made it), never shown to someone who may not see it, and its
forms carry the reader's own CSRF token; logouts, revocations and deactivations take effect at once.
(These tests guarded a per-process page cache, since removed; they stay to keep any future cache honest.)"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from warden.accounts.services import create_api_token, deactivate_user, revoke_api_token
from warden.cases import services
from warden.cases.models import Case
from warden.cases.tests import factories
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _client(user, **kwargs) -> Client:  # type: ignore[no-untyped-def]
    c = Client(**kwargs)
    c.force_login(user)
    return c


def _status_shown(html: str) -> str:
    m = re.search(r'data-testid="case-status">([^<]*)<', html)
    assert m, "the case page shows a status"
    return m.group(1)


def test_case_page_shows_the_new_state_after_a_transition(personas: Personas) -> None:
    case = factories.submitted(personas)
    officer = _client(personas.officer)
    url = f"/cases/{case.pk}/"
    assert _status_shown(officer.get(url).content.decode()) == "Submitted"
    assert _status_shown(officer.get(url).content.decode()) == "Submitted"  # and again
    services.start_initial_checks(actor=personas.officer2, case=case)
    case.refresh_from_db()
    assert _status_shown(officer.get(url).content.decode()) == case.get_status_display() != "Submitted"


def test_case_page_shows_a_note_added_by_another_officer(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    officer = _client(personas.officer)
    url = f"/cases/{case.pk}/"
    assert "Checked the end-user certificate" not in officer.get(url).content.decode()
    services.add_note(actor=personas.officer2, case=case, text="Checked the end-user certificate")
    assert "Checked the end-user certificate" in officer.get(url).content.decode()


def test_case_page_is_fresh_after_a_change_in_this_process_without_an_audit_entry(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    officer = _client(personas.officer)
    url = f"/cases/{case.pk}/"
    officer.get(url)
    goods = case.goods.first()
    goods.description = "Renamed directly, as a test or a shell would"
    goods.save()
    assert "Renamed directly, as a test or a shell would" in officer.get(url).content.decode()


def test_queue_shows_a_case_submitted_after_it_was_read(personas: Personas) -> None:
    factories.submitted(personas)
    officer = _client(personas.officer)
    officer.get("/cases/")
    new = factories.submitted(personas, reference="LATE-1")
    assert new.reference in officer.get("/cases/").content.decode()


def test_case_page_is_not_served_to_users_who_may_not_see_it(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    url = f"/cases/{case.pk}/"
    officer_html = _client(personas.officer).get(url).content.decode()
    assert "internal-tag" in officer_html
    # Another organisation's exporter and an adviser without a referral: not found.
    assert _client(personas.exporter_b).get(url).status_code == 404
    assert _client(personas.adviser_fcdo).get(url).status_code == 404
    # The applicant sees the case, without anything internal that the officer sees.
    own = _client(personas.exporter).get(url)
    assert own.status_code == 200
    assert "internal-tag" not in own.content.decode()
    # Once referred (in another worker), the adviser sees it.
    services.refer_case(actor=personas.officer, case=case, teams=[personas.fcdo], note="Views, please")
    assert _client(personas.adviser_fcdo).get(url).status_code == 200


def test_two_officers_each_get_their_own_name_and_token(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    url = f"/cases/{case.pk}/"
    first = _client(personas.officer).get(url).content.decode()
    second = _client(personas.officer2).get(url).content.decode()
    assert personas.officer.display_name in first and personas.officer2.display_name in second
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first + second)
    assert tokens and all(tokens)


def test_a_form_on_a_case_page_posts_with_the_readers_csrf_token(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    officer = _client(personas.officer, enforce_csrf_checks=True)
    url = f"/cases/{case.pk}/"
    officer.get(url)
    html = officer.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token
    r = officer.post(
        f"/cases/{case.pk}/act/add_note/",
        {"csrfmiddlewaretoken": token.group(1), "text": "Posted from the page"},
    )
    assert r.status_code == 302
    assert "Posted from the page" in officer.get(url).content.decode()


def test_logout_ends_the_session_for_every_copy_of_the_cookie(personas: Personas) -> None:
    officer = _client(personas.officer)
    other = Client()
    other.cookies = officer.cookies
    assert other.get("/cases/").status_code == 200
    officer.post("/logout/")
    assert other.get("/cases/").status_code == 302


def test_a_deactivated_users_session_is_refused(personas: Personas) -> None:
    officer = _client(personas.officer)
    assert officer.get("/cases/").status_code == 200
    deactivate_user(actor=personas.admin, user=personas.officer)
    assert officer.get("/cases/").status_code == 302


def test_a_revoked_token_is_refused_at_once(personas: Personas) -> None:
    case = factories.submitted(personas)
    row, token = create_api_token(actor=personas.exporter, user=personas.exporter, name="erp")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/applications/{case.reference}"
    assert api.get(url).json()["status"] == "submitted"
    revoke_api_token(actor=personas.exporter, token=row)
    assert api.get(url).status_code == 401


def test_status_api_hides_other_organisations_cases_and_follows_changes(personas: Personas) -> None:
    case = factories.submitted(personas)
    _, token_b = create_api_token(actor=personas.exporter_b, user=personas.exporter_b, name="b")
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token_b}").get(f"/api/applications/{case.reference}").status_code
        == 404
    )
    _, token = create_api_token(actor=personas.exporter, user=personas.exporter, name="a")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    services.start_initial_checks(actor=personas.officer, case=case)
    assert (
        api.get(f"/api/applications/{case.reference}").json()["status"] == Case.objects.get(pk=case.pk).status
    )


def test_every_oversight_case_page_read_is_logged(personas: Personas) -> None:
    from warden.audit.models import AuditEntry

    case = factories.submitted(personas)
    reader = Client()
    reader.force_login(personas.oversight)
    for _ in range(3):
        assert reader.get(f"/cases/{case.pk}/").status_code == 200
    reads = AuditEntry.objects.filter(case_id=case.pk, action="read.case", actor=personas.oversight)
    assert reads.count() == 3
    officer = Client()
    officer.force_login(personas.officer)
    officer.get(f"/cases/{case.pk}/")
    assert (
        AuditEntry.objects.filter(case_id=case.pk, action="read.case").count() == 3
    )  # officers' reads are routine
