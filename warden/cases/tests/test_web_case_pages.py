"""The case pages through the Django test client: the exporter's form (with schema errors next to fields),
JSON upload, the case page's action forms, and the queue's filters and query count."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from warden.cases import services
from warden.cases.models import Case, InformationRequest, Status
from warden.cases.tests import factories
from warden.flows import amendment
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


FORM = {
    "reference": "NB-1",
    "licence_type": "individual",
    "destination": "no",
    "end_use": "Spares for transport helicopters",
    "euc_number": "EUC-1",
    "euc_issued_on": "2026-01-10",
    "euc_re_export": "with_consent",
    "goods-0-description": "Rotor blade",
    "goods-0-rating": "ML10.d",
    "goods-0-quantity": "4",
    "goods-0-value_amount": "1000.50",
    "goods-0-currency": "eur",
    "goods-3-description": "Gearbox",
    "goods-3-rating": "ML10.d",
    "goods-3-quantity": "1",
    "goods-3-value_amount": "200",
    "goods-3-currency": "EUR",
    "goods-7-description": "",  # an unused "add another" line is ignored
    "parties-0-role": "end_user",
    "parties-0-party_type": "organisation",
    "parties-0-sector": "armed_forces",
    "parties-0-name": "Norwegian Defence Materiel Agency",
    "parties-0-country": "NO",
}


def test_exporter_creates_a_draft_from_the_form(personas: Personas) -> None:
    response = _client(personas.exporter).post("/cases/new/", FORM)
    assert response.status_code == 302
    case = Case.objects.get(organisation=personas.org_a)
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.status == Status.DRAFT
    assert case.destination == "NO"
    assert [g.description for g in case.goods.all()] == ["Rotor blade", "Gearbox"]
    assert case.document["goods"][0]["value"] == {"amount": 1000.5, "currency": "EUR"}
    assert case.document["end_user_certificate"]["number"] == "EUC-1"


def test_schema_error_is_shown_next_to_the_field_and_nothing_is_stored(personas: Personas) -> None:
    data = {**FORM, "goods-3-rating": "BANANA"}
    response = _client(personas.exporter).post("/cases/new/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_goods-3-rating_error"' in html
    assert 'aria-describedby="id_goods-3-rating_hint id_goods-3-rating_error"' in html
    assert 'href="#id_goods-3-rating"' in html  # the summary links to the field
    assert not Case.objects.exists()


def test_missing_certificate_date_is_reported_on_its_field(personas: Personas) -> None:
    response = _client(personas.exporter).post("/cases/new/", {**FORM, "euc_issued_on": ""})
    assert response.status_code == 422
    assert 'id="id_euc_issued_on_error"' in response.content.decode()


def test_add_another_line_without_javascript_keeps_what_was_typed(personas: Personas) -> None:
    response = _client(personas.exporter).post("/cases/new/", {**FORM, "add_goods": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="goods-4-description"' in html
    assert 'value="Gearbox"' in html
    assert not Case.objects.exists()


def test_htmx_goods_line_moves_the_add_button_on(personas: Personas) -> None:
    html = _client(personas.exporter).get("/cases/new/goods-line/?index=2").content.decode()
    assert 'name="goods-2-description"' in html
    assert 'hx-swap-oob="true"' in html
    assert "index=3" in html


def test_upload_json_creates_a_draft(personas: Personas) -> None:
    upload = SimpleUploadedFile("app.json", json.dumps(sample_application()).encode(), "application/json")
    response = _client(personas.exporter).post("/cases/new/upload/", {"document": upload})
    assert response.status_code == 302
    assert Case.objects.get().status == Status.DRAFT


def test_upload_json_with_schema_errors_names_the_pointer(personas: Personas) -> None:
    doc = sample_application(destination="Norway")
    upload = SimpleUploadedFile("app.json", json.dumps(doc).encode(), "application/json")
    response = _client(personas.exporter).post("/cases/new/upload/", {"document": upload})
    assert response.status_code == 422
    assert "/destination" in response.content.decode()
    assert not Case.objects.exists()


def test_upload_of_something_that_is_not_json_is_refused(personas: Personas) -> None:
    upload = SimpleUploadedFile("app.json", b"{not json", "application/json")
    response = _client(personas.exporter).post("/cases/new/upload/", {"document": upload})
    assert response.status_code == 422
    assert "Not a readable JSON document" in response.content.decode()


def test_authority_cannot_open_the_new_application_form(personas: Personas) -> None:
    assert _client(personas.officer).get("/cases/new/").status_code == 404


def test_exporter_edits_a_draft(personas: Personas) -> None:
    case = factories.draft(personas)
    client = _client(personas.exporter)
    page = client.get(f"/cases/{case.pk}/edit/")
    assert page.status_code == 200
    assert "Main rotor blade set" in page.content.decode()
    response = client.post(f"/cases/{case.pk}/edit/", {**FORM, "end_use": "Changed end use"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.end_use == "Changed end use"


def test_submit_needs_the_declaration(personas: Personas) -> None:
    case = factories.draft(personas)
    client = _client(personas.exporter)
    response = client.post(f"/cases/{case.pk}/act/submit/", {})
    assert response.status_code == 422
    assert "Confirm the declaration" in response.content.decode()
    assert client.post(f"/cases/{case.pk}/act/submit/", {"declaration": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_request_for_information_and_answer(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    officer = _client(personas.officer)
    r = officer.post(f"/cases/{case.pk}/act/request_information/", {"question": "Who maintains the blades?"})
    assert r.status_code == 302
    request = InformationRequest.objects.get(case=case)
    exporter = _client(personas.exporter)
    page = exporter.get(f"/cases/{case.pk}/").content.decode()
    assert "Who maintains the blades?" in page
    assert "Send answer" in page
    r = exporter.post(
        f"/cases/{case.pk}/act/answer_request/", {"request_id": request.pk, "answer": "The end user itself"}
    )
    assert r.status_code == 302
    request.refresh_from_db()
    assert request.answer == "The end user itself"


def test_refusal_without_criteria_shows_the_service_error_on_the_field(personas: Personas) -> None:
    case = factories.advised(personas)
    response = _client(personas.officer).post(
        f"/cases/{case.pk}/act/recommend/", {"decision": "refused", "reason": "Diversion risk"}
    )
    assert response.status_code == 422
    assert 'id="id_recommend_criteria_error"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.CONSULTATION


def test_illegal_action_is_refused_with_the_policy_sentence(personas: Personas) -> None:
    case = factories.in_consultation(personas)  # advice still pending
    response = _client(personas.officer).post(
        f"/cases/{case.pk}/act/recommend/", {"decision": "approved", "reason": "Fine"}
    )
    assert response.status_code == 403
    assert "still waiting for advice from Foreign Affairs" in response.content.decode()


def test_finalise_form_is_prefilled_with_the_recommendation(personas: Personas) -> None:
    case = factories.under_final_review(personas, decision="refused")
    html = _client(personas.senior).get(f"/cases/{case.pk}/").content.decode()
    assert re.search(r'name="decision" value="refused"[^>]*checked', html)
    assert re.search(r'name="criteria" value="EU-CP:7"[^>]*checked', html)
    # The recommendation's internal reasoning is not copied into the reasons the exporter will read.
    assert re.search(r'<textarea name="reason"[^>]*id="id_finalise_reason"[^>]*>\s*</textarea>', html)


def test_document_download_only_for_those_who_see_the_case(personas: Personas) -> None:
    case = factories.submitted(personas)
    doc = amendment.upload_document(
        actor=personas.exporter, case=case, filename="euc.pdf", content=factories.MINIMAL_PDF
    )
    response = _client(personas.officer).get(f"/cases/{case.pk}/documents/{doc.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert _client(personas.exporter_b).get(f"/cases/{case.pk}/documents/{doc.pk}/").status_code == 404


def test_queue_filters(personas: Personas) -> None:
    a = factories.submitted(personas)
    b = factories.submitted(personas, destination="SE", licence_type="global")
    officer = _client(personas.officer)
    html = officer.get("/cases/?destination=se").content.decode()
    assert b.reference in html and a.reference not in html
    html = officer.get("/cases/?licence_type=individual").content.decode()
    assert a.reference in html and b.reference not in html
    services.start_initial_checks(actor=personas.officer, case=a)
    html = officer.get("/cases/?mine=on").content.decode()
    assert a.reference in html and b.reference not in html
    html = officer.get("/cases/?status=submitted").content.decode()
    assert b.reference in html and a.reference not in html


def test_queue_overdue_filter_and_highlight(personas: Personas) -> None:
    import datetime as dt

    a = factories.submitted(personas)
    b = factories.submitted(personas)
    Case.objects.filter(pk=a.pk).update(sla_deadline=dt.date(2020, 1, 6))
    html = _client(personas.officer).get("/cases/?overdue=on").content.decode()
    assert a.reference in html and b.reference not in html
    assert 'class="overdue"' in html
    assert "overdue by" in html


def test_queue_query_count_does_not_grow_with_rows(personas: Personas, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        factories.in_initial_checks(personas)
    officer = _client(personas.officer)
    officer.get("/cases/")  # warm the session and caches
    with django_assert_max_num_queries(14) as few:
        officer.get("/cases/")
    for _ in range(6):
        factories.in_initial_checks(personas)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer.get("/cases/")


def test_caseworker_queue_starts_on_open_cases(personas: Personas) -> None:
    open_case = factories.submitted(personas)
    done = factories.licensed(personas)
    officer = _client(personas.officer)
    html = officer.get("/cases/").content.decode()
    assert open_case.reference in html and done.reference not in html
    html = officer.get("/cases/?status=").content.decode()  # "Any status"
    assert open_case.reference in html and done.reference in html


def test_queue_pages_of_open_cases_follow_the_deadline_order(personas: Personas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The open-cases queue is read per status and merged; its pages must match one plain ordered query."""
    import datetime as dt

    from warden.cases.models import OPEN_STATUSES
    from warden.cases.web import queue

    monkeypatch.setattr(queue, "PAGE_SIZE", 3)
    cases = [factories.submitted(personas) for _ in range(4)] + [
        factories.in_initial_checks(personas) for _ in range(4)
    ]
    for i, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(
            sla_deadline=dt.date(2026, 12, 1) + dt.timedelta(days=(i * 5) % 7)
        )
    expected = list(
        Case.objects.filter(status__in=list(OPEN_STATUSES))
        .order_by("sla_deadline", "id")
        .values_list("reference", flat=True)
    )
    officer = _client(personas.officer)
    seen = []
    for page in (1, 2, 3):
        html = officer.get(f"/cases/?page={page}").content.decode()
        seen += [ref for ref in re.findall(r'<a href="/cases/\d+/">(APP-[\d-]+)</a>', html)]
    assert seen == expected
    latest = officer.get("/cases/?sort=-deadline").content.decode()
    assert re.findall(r'<a href="/cases/\d+/">(APP-[\d-]+)</a>', latest) == list(reversed(expected))[:3]


def test_exporter_sees_a_refusal_with_its_criteria_explained(personas: Personas) -> None:
    case = factories.finalised(personas, decision="refused")
    html = _client(personas.exporter).get(f"/cases/{case.pk}/").content.decode()
    assert "Refused" in html
    assert "EU-CP:7 Risk of diversion or re-export" in html
    assert "Appeal the refusal" in html


def test_action_forms_load_on_demand_with_or_without_javascript(personas: Personas) -> None:
    case = factories.advised(personas)
    officer = _client(personas.officer)
    page = officer.get(f"/cases/{case.pk}/").content.decode()
    assert f'hx-get="/cases/{case.pk}/act/add_note/"' in page  # closed actions load their form when opened
    fragment = officer.get(f"/cases/{case.pk}/act/add_note/", HTTP_HX_REQUEST="true").content.decode()
    assert 'name="text"' in fragment and "<html" not in fragment
    full = officer.get(f"/cases/{case.pk}/act/add_note/").content.decode()
    assert "<html" in full and 'id="id_add_note_text"' in full
    assert _client(personas.oversight).get(f"/cases/{case.pk}/act/add_note/").status_code == 404


def test_declared_end_use_flags_reach_the_document_the_page_and_the_assessment(personas: Personas) -> None:
    from warden.legislation.versions import current

    client = _client(personas.exporter)
    form = {**FORM, "end_use_flags": ["uav", "military_end_use"]}
    assert client.post("/cases/new/", form).status_code == 302
    case = Case.objects.get(organisation=personas.org_a)
    assert case.document["end_use_flags"] == [
        "military_end_use",
        "uav",
    ]  # the form's order, not the click order
    edit = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert re.search(r'value="uav"[^>]*checked', edit) or re.search(r'checked[^>]*value="uav"', edit)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "for, or part of, an unmanned aerial vehicle (drone)" in page
    assert client.post(f"/cases/{case.pk}/act/submit/", {"declaration": "on"}).status_code == 302
    assessment = current(case)
    assert assessment is not None
    rules = {f["rule"] for f in assessment.document["findings"]}
    assert {"uav.mtcr", "uav.regional_stability"} <= rules


def test_an_unknown_end_use_flag_is_refused_on_its_field(personas: Personas) -> None:
    response = _client(personas.exporter).post("/cases/new/", {**FORM, "end_use_flags": ["espionage"]})
    assert response.status_code == 422
    assert "espionage is not one of the available choices" in response.content.decode()
    assert not Case.objects.filter(organisation=personas.org_a).exists()
