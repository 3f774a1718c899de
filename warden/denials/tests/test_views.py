"""The denials page and the case page's undercut panel, through Django's test client."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from warden.cases.models import Case
from warden.cases.tests import factories as f
from warden.denials.models import Consultation, Denial, UndercutFlag
from warden.denials.tests.conftest import DATA, to_deccan
from warden.testing import Personas


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


def test_the_policy_officer_imports_from_the_page_and_sees_what_is_held(personas: Personas) -> None:
    case = f.submitted(personas, **to_deccan())
    c = _client(personas.policy)
    r = c.post("/denials/import/", {"issuing_state": "fr", "file": _upload("fr-2026.json")}, follow=True)
    page = r.content.decode()
    assert "FR: 3 added" in page and f"Flagged: {case.reference}" in page
    assert 'data-testid="denial-FR-DN-2026-0147"' in page and "1 case(s) flagged" in page


def test_a_bad_upload_shows_the_error_and_imports_nothing(personas: Personas) -> None:
    r = _client(personas.policy).post(
        "/denials/import/", {"issuing_state": "DE", "file": _upload("de-bad-date.csv")}, follow=True
    )
    assert (
        "de-bad-date.csv: line 3, date: &#x27;2026-13-01&#x27; is not a calendar date" in r.content.decode()
    )
    assert not Denial.objects.exists()


def test_the_page_does_not_exist_for_exporters_and_import_is_the_liaison_officers(personas: Personas) -> None:
    assert _client(personas.exporter).get("/denials/").status_code == 404
    officer = _client(personas.officer)
    assert officer.get("/denials/").status_code == 200
    assert "Import a partner" not in officer.get("/denials/").content.decode()
    r = officer.post("/denials/import/", {"issuing_state": "FR", "file": _upload("fr-2026.json")})
    assert r.status_code == 403 and not Denial.objects.exists()


def test_the_case_page_shows_the_flag_to_officers_and_records_the_consultation(
    flagged: Case, personas: Personas
) -> None:
    officer = _client(personas.officer)
    page = officer.get(f"/cases/{flagged.pk}/").content.decode()
    assert (
        "Essentially identical to FR denial FR-DN-2026-0147" in page and 'data-testid="consult-form"' in page
    )
    flag = UndercutFlag.objects.get(case=flagged)
    r = officer.post(f"/denials/flags/{flag.pk}/consult/", {"note": "Same end user?"}, follow=True)
    assert "Consultation of FR about FR-DN-2026-0147 recorded" in r.content.decode()
    assert Consultation.objects.get(flag=flag).deadline.isoformat() == "2026-12-22"
    # The exporter learns nothing of the denial from its own case page.
    assert "FR-DN-2026-0147" not in _client(personas.exporter).get(f"/cases/{flagged.pk}/").content.decode()


def test_a_bad_date_in_the_consultation_form_is_a_message_not_a_500(
    flagged: Case, personas: Personas
) -> None:
    flag = UndercutFlag.objects.get(case=flagged)
    r = _client(personas.officer).post(
        f"/denials/flags/{flag.pk}/consult/", {"deadline": "next week"}, follow=True
    )
    assert r.status_code == 200 and "Deadline: &#x27;next week&#x27; is not a date" in r.content.decode()
    assert not Consultation.objects.exists()
