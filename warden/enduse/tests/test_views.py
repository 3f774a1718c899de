"""The end-use pages with Django's client: the queue, a check and its record form (multipart evidence), the
case page's panel (flags, suspension, certificate register), and who gets 404 or 403."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from warden.accounts.models import Role
from warden.cases.tests import factories as f
from warden.enduse import services
from warden.enduse.models import DiversionFlag, EndUseCheck, Finding
from warden.enduse.tests.conftest import Inspectors, parties_for, pdf
from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus
from warden.testing import Personas, make_user


def test_the_queue_shows_overdue_checks_first_to_staff_and_404_to_exporters(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    EndUseCheck.objects.filter(pk=dvc.pk).update(due_on=clock.today() - dt.timedelta(days=2))
    html = f.client_for(inspectors.ines).get("/end-use/?status=overdue").content.decode()
    assert dvc.reference in html and "1 overdue." in html and "Overdue" in html
    assert "Plan a check by hand" in html
    html = f.client_for(personas.oversight).get("/end-use/?status=done").content.decode()
    assert dvc.reference not in html and "Plan a check by hand" not in html
    assert f.client_for(personas.exporter).get("/end-use/").status_code == 404
    assert f.client_for(personas.exporter).get(f"/end-use/{dvc.pk}/").status_code == 404


def test_the_inspector_records_a_finding_with_evidence_from_the_check_page(
    dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    c = f.client_for(inspectors.ines)
    page = c.get(f"/end-use/{dvc.pk}/").content.decode()
    assert "Record the finding" in page and "the end-user certificate provides for" in page
    upload = SimpleUploadedFile("dvc.pdf", pdf("DVC"), content_type="application/pdf")
    r = c.post(f"/end-use/{dvc.pk}/record/", {"finding": Finding.SATISFACTORY, "evidence": [upload]})
    assert r.status_code == 302
    page = c.get(f"/end-use/{dvc.pk}/").content.decode()
    assert "finding recorded (satisfactory)" in page and "dvc.pdf" in page
    ev = dvc.evidence.get()
    r = c.get(f"/end-use/evidence/{ev.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_bad_input_shows_the_sentence_and_keeps_the_form_and_others_get_403(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    c = f.client_for(inspectors.ines)
    r = c.post(f"/end-use/{dvc.pk}/record/", {"finding": Finding.DIVERSION, "notes": ""})
    assert r.status_code == 422
    assert "notes: say what the check found (diversion) (nothing recorded)" in r.content.decode()
    bad = SimpleUploadedFile("x.pdf", b"not a pdf")
    r = c.post(f"/end-use/{dvc.pk}/record/", {"finding": Finding.SATISFACTORY, "evidence": [bad]})
    assert r.status_code == 422 and "Only PDF documents are accepted" in r.content.decode()
    r = c.post(f"/end-use/{dvc.pk}/record/", {"finding": Finding.SATISFACTORY, "completed_on": "soon"})
    assert r.status_code == 422 and "Completed on: &#x27;soon&#x27; is not a date" in r.content.decode()
    r = f.client_for(personas.senior).post(f"/end-use/{dvc.pk}/record/", {"finding": Finding.SATISFACTORY})
    assert r.status_code == 403
    dvc.refresh_from_db()
    assert dvc.completed_on is None


def test_a_diversion_shows_on_the_case_page_with_the_suspension_button(
    personas: Personas, licensed: Licence, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    c = f.client_for(inspectors.ines)
    c.post(f"/end-use/{dvc.pk}/record/", {"finding": Finding.DIVERSION, "notes": "Seen in a third country"})
    html = c.get(f"/cases/{licensed.case_id}/").content.decode()
    assert 'data-testid="diversion-flag"' in html and f"Suspend licence {licensed.number}" in html
    assert "1 diversion(s)" in html  # the end user's profile
    assert (
        'data-testid="enduse-panel"'
        not in f.client_for(personas.exporter).get(f"/cases/{licensed.case_id}/").content.decode()
    )
    flag = DiversionFlag.objects.get()
    # Oversight sees the flag but may not suspend; the inspector suspends through the licence service.
    assert f.client_for(personas.oversight).post(f"/end-use/flags/{flag.pk}/suspend/").status_code == 403
    assert Licence.objects.get(pk=licensed.pk).status == LicenceStatus.ISSUED
    r = c.post(f"/end-use/flags/{flag.pk}/suspend/", follow=True)
    assert f"Licence {licensed.number} suspended" in r.content.decode()
    assert Licence.objects.get(pk=licensed.pk).status == LicenceStatus.SUSPENDED


def test_the_case_page_shows_the_certificate_register(personas: Personas) -> None:
    a = f.submitted(personas)
    b = f.submitted(personas, parties=parties_for("Norwegian Defence Materiel Agency"))
    c = f.submitted(personas, parties=parties_for("Bergen Shipping Brokers AS"))
    html = f.client_for(personas.officer).get(f"/cases/{a.pk}/").content.decode()
    assert "This certificate (EUC-NO-2026-17, NO) is also on cases" in html and b.reference in html
    assert "is also given for a different end user" in html and c.reference in html


def test_an_officer_plans_a_check_by_hand_from_the_queue(personas: Personas, licensed: Licence) -> None:
    c = f.client_for(personas.officer)
    r = c.post(
        "/end-use/plan/", {"licence": licensed.number, "kind": "post_shipment_verification", "reason": "Tip"}
    )
    assert r.status_code == 302
    assert EndUseCheck.objects.filter(licence=licensed, planned_by=personas.officer).exists()
    r = c.post("/end-use/plan/", {"licence": "nope", "kind": "x", "reason": ""}, follow=True)
    assert "no licence &#x27;nope&#x27;" in r.content.decode()
    assert (
        f.client_for(personas.exporter).post("/end-use/plan/", {"licence": licensed.number}).status_code
        == 404
    )


def test_the_licence_page_lists_its_checks_and_a_shipment_recorded_there_plans_from_its_date(
    personas: Personas, licensed: Licence, dvc: EndUseCheck
) -> None:
    html = f.client_for(personas.officer).get(f"/licences/{licensed.pk}/").content.decode()
    assert 'data-testid="licence-end-use-checks"' in html and dvc.reference in html
    exporter = f.client_for(personas.exporter)
    assert (
        'data-testid="licence-end-use-checks"'
        not in exporter.get(f"/licences/{licensed.pk}/").content.decode()
    )
    day = clock.today()
    r = exporter.post(
        f"/licences/{licensed.pk}/act/record_shipment/",
        {"line": licensed.lines.get().pk, "quantity": 1, "shipped_on": day.isoformat()},
    )
    assert r.status_code == 302, r.content
    dvc.refresh_from_db()
    assert dvc.shipment is not None and dvc.due_on == day + dt.timedelta(days=90)
    services.record_finding(
        actor=make_user("ines", Role.COMPLIANCE_INSPECTOR), check=dvc, finding="diversion", notes="x"
    )
    html = f.client_for(personas.officer).get(f"/licences/{licensed.pk}/").content.decode()
    assert 'data-testid="licence-diversion-flag"' in html


def test_the_inspector_lands_on_their_checks(dvc: EndUseCheck, inspectors: Inspectors) -> None:
    EndUseCheck.objects.filter(pk=dvc.pk).update(due_on=clock.today() - dt.timedelta(days=1))
    html = f.client_for(inspectors.ines).get("/").content.decode()
    assert "No open check is assigned to you." in html and dvc.reference in html
    assert "Open the overdue queue (1)" in html


def test_the_country_profile_shows_what_the_checks_found_there(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    c = f.client_for(personas.policy)
    assert 'data-testid="country-end-use"' not in c.get("/legislation/countries/NO/").content.decode()
    f.client_for(inspectors.ines).post(
        f"/end-use/{dvc.pk}/record/", {"finding": Finding.DIVERSION, "notes": "x"}
    )
    html = c.get("/legislation/countries/NO/").content.decode()
    assert "1 check(s) done: 0 satisfactory, 0 with concerns, <strong>1 diversion(s)</strong>" in html
    assert "Norwegian Defence Materiel Agency: 1 check(s), 0 concern(s), 1 diversion(s)" in html


def test_the_inspector_can_open_the_interests_page_to_declare_one(inspectors: Inspectors) -> None:
    assert f.client_for(inspectors.ines).get("/interests/").status_code == 200
