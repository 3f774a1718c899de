"""The committee portal, per role: oversight reads every case and decision and keeps its own notes; the
authority neither reads nor writes those notes; every case opened is logged; reads leave the queue's cache
marker alone."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.audit.models import AuditEntry
from warden.cases.models import Case
from warden.cases.tests import factories
from warden.oversight.models import CommitteeNote
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_oversight_opens_a_case_with_its_decision_and_proofs_and_the_read_is_logged(
    personas: Personas,
) -> None:
    case = factories.finalised(personas)
    page = _client(personas.oversight).get(f"/oversight/cases/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert case.reference in html and "Approved" in html and "inclusion proof" in html
    assert AuditEntry.objects.filter(case_id=case.pk, action="read.oversight_case").count() == 1


def test_reading_cases_does_not_move_the_queue_cache_marker(personas: Personas) -> None:
    # While the whole-page cache exists (issue 2; the performance work may replace it with narrower keys).
    pagecache = pytest.importorskip("warden.web.pagecache")
    if not hasattr(pagecache, "global_marker"):
        pytest.skip("no global page-cache marker any more")
    case = factories.submitted(personas)
    before = pagecache.global_marker()
    _client(personas.oversight).get(f"/oversight/cases/{case.pk}/")
    _client(personas.oversight).get(f"/cases/{case.pk}/")
    assert pagecache.global_marker() == before


def test_the_committee_adds_a_note_and_only_the_committee_sees_it(personas: Personas) -> None:
    case = factories.submitted(personas)
    owen = _client(personas.oversight)
    response = owen.post(
        "/oversight/notes/", {"case": case.pk, "text": "Ask about the end user at the hearing"}
    )
    assert response.status_code == 302
    assert "Ask about the end user" in owen.get(f"/oversight/cases/{case.pk}/").content.decode()
    note = CommitteeNote.objects.get()
    entry = AuditEntry.objects.get(action="oversight.note_added")
    assert entry.case_id is None and "Ask about" not in entry.entry  # the log holds its digest only
    for who in (personas.officer, personas.senior, personas.admin):
        c = _client(who)
        assert c.get(f"/oversight/cases/{case.pk}/").status_code == 403
        assert c.post("/oversight/notes/", {"case": case.pk, "text": "x"}).status_code == 403
        assert "Ask about the end user" not in c.get(f"/cases/{case.pk}/").content.decode()
    assert CommitteeNote.objects.count() == 1 and note.author == personas.oversight


def test_an_empty_note_is_refused_with_a_message_and_nothing_stored(personas: Personas) -> None:
    owen = _client(personas.oversight)
    response = owen.post("/oversight/notes/", {"text": "  "}, follow=True)
    assert "Write the note first" in response.content.decode()
    assert not CommitteeNote.objects.exists()


def test_oversight_cannot_change_case_data(personas: Personas) -> None:
    case = factories.submitted(personas)
    owen = _client(personas.oversight)
    owen.post(f"/cases/{case.pk}/action/start_initial_checks/", {})
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_decisions_list_filters_against_the_engine_and_names_a_bad_filter(personas: Personas) -> None:
    factories.finalised(personas)
    owen = _client(personas.oversight)
    page = owen.get("/oversight/decisions/")
    assert page.status_code == 200 and "APP-" in page.content.decode()
    assert "No decision matches" in owen.get("/oversight/decisions/?against=yes").content.decode()
    bad = owen.get("/oversight/decisions/?decision=granted&since=yesterday")
    text = bad.content.decode()
    assert bad.status_code == 400
    assert (
        "Decision &#x27;granted&#x27; is not one of" in text and "&#x27;yesterday&#x27; is not a date" in text
    )
    csv = owen.get("/oversight/decisions/?format=csv")
    assert b"Against the engine" in b"".join(csv.streaming_content)  # type: ignore[attr-defined]


def test_the_portal_is_the_committees_alone(personas: Personas) -> None:
    assert _client(personas.oversight).get("/oversight/").status_code == 200
    for who in (personas.exporter, personas.officer, personas.senior, personas.admin):
        assert _client(who).get("/oversight/").status_code == 403


def test_saved_searches_are_per_person(personas: Personas) -> None:
    owen = _client(personas.oversight)
    owen.post("/search/save/", {"name": "Norway", "path": "/search/", "query": "destination=NO&page=3"})
    assert "/search/?destination=NO" in owen.get("/oversight/").content.decode()
    other = _client(personas.officer)
    assert "Norway" not in other.get("/search/").content.decode()
    refused = owen.post(
        "/search/save/", {"name": "Away", "path": "https://evil.example/", "query": ""}, follow=True
    )
    assert "Only these pages can be saved" in refused.content.decode()


def test_the_portal_case_shows_the_engines_findings(personas: Personas) -> None:
    case = factories.submitted(personas, destination="BY")  # an embargoed destination: deny findings
    html = _client(personas.oversight).get(f"/oversight/cases/{case.pk}/").content.decode()
    assert 'data-testid="findings"' in html and "Basis:" in html


def test_the_portal_case_lists_the_interests_declared_in_its_exporter(personas: Personas) -> None:
    from warden.accounts import interests
    from warden.lib import clock

    case = factories.submitted(personas)
    interests.declare_interest(
        actor=personas.officer, organisation=personas.org_a, starts_on=clock.today(), reason="Former employer"
    )
    html = _client(personas.oversight).get(f"/oversight/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-interests"' in html and "Former employer" in html
