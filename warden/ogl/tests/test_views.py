"""The OGL pages through the Django client: the list and an OGL's terms for any signed-in person,
registering, "My registrations", the use-report form (refusals shown on the form, a double submit recording
one use), and the officers' view with the senior officer's sanctions."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from warden.accounts.models import User
from warden.ogl import loader
from warden.ogl.models import OglRegistration, OglUse, OpenGeneralLicence, RegistrationStatus
from warden.ogl.tests.conftest import REF
from warden.testing import Personas


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


USE = {
    "shipped_on": "2026-12-01",
    "customs_declaration": "26GB-DEC-1",
    "destination": "NO",
    "ratings": "ML10.d",
    "description": "Rotor blade spares",
    "quantity": "4",
    "value": "12500",
    "currency": "GBP",
    "consignee_name": "Kjeller Aero Services AS",
    "end_user_name": "Norwegian Defence Materiel Agency",
}


def test_any_signed_in_person_reads_the_ogls_with_country_names(
    personas: Personas, ogl: OpenGeneralLicence
) -> None:
    for who in (personas.exporter, personas.officer, personas.adviser_fcdo, personas.admin):
        page = _client(who).get("/open-licences/")
        assert page.status_code == 200
        assert REF in page.content.decode() and "Norway (NO)" in page.content.decode()
    detail = _client(personas.exporter).get(f"/open-licences/{REF}/").content.decode()
    assert "Register to use" in detail
    assert "Terms in force today (version 2)" in detail and "Turkey (TR)" in detail  # excluded by version 2
    assert "Spare parts for equipment in service" in detail
    assert "Register to use" not in _client(personas.officer).get(f"/open-licences/{REF}/").content.decode()
    assert Client().get("/open-licences/").status_code == 302  # sign in first
    assert _client(personas.exporter).get("/open-licences/OGL-NONE/").status_code == 404


def test_an_exporter_registers_then_reports_a_use_once_however_often_it_submits(
    personas: Personas, ogl: OpenGeneralLicence
) -> None:
    alice = _client(personas.exporter)
    r = alice.post(f"/open-licences/{REF}/register/")
    reg = OglRegistration.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/open-licences/registrations/{reg.pk}/"
    page = alice.get(r["Location"]).content.decode()
    assert reg.reference in page and "Report a use" in page
    for _ in range(2):  # a double click
        r = alice.post(f"/open-licences/registrations/{reg.pk}/uses/", USE)
        assert r.status_code == 302
    assert OglUse.objects.count() == 1
    mine = alice.get("/open-licences/registrations/").content.decode()
    assert "My registrations" in mine and reg.reference in mine
    page = alice.get(f"/open-licences/registrations/{reg.pk}/").content.decode()
    assert "26GB-DEC-1" in page and "Norway (NO)" in page
    # The OGL page now shows the registration instead of the button; a crafted POST is refused with the reason.
    detail = alice.get(f"/open-licences/{REF}/").content.decode()
    assert "Your registration" in detail and reg.reference in detail and "Register to use" not in detail
    r = alice.post(f"/open-licences/{REF}/register/", follow=True)
    assert "already holds OGL-TEST-PARTS" in r.content.decode()


def test_a_refused_use_is_shown_on_the_form_with_what_was_typed(
    personas: Personas, registration: OglRegistration
) -> None:
    r = _client(personas.exporter).post(
        f"/open-licences/registrations/{registration.pk}/uses/", {**USE, "destination": "FR"}
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "destination: FR is not a permitted destination of OGL-TEST-PARTS" in text
    assert 'value="26GB-DEC-1"' in text and '<option value="FR" selected>' in text
    assert not OglUse.objects.exists()


def test_other_companies_do_not_see_a_registration(personas: Personas, registration: OglRegistration) -> None:
    bob = _client(personas.exporter_b)
    assert bob.get(f"/open-licences/registrations/{registration.pk}/").status_code == 404
    assert bob.post(f"/open-licences/registrations/{registration.pk}/uses/", USE).status_code == 404
    assert registration.reference not in bob.get("/open-licences/registrations/").content.decode()
    assert _client(personas.adviser_fcdo).get("/open-licences/registrations/").status_code == 404


def test_officers_see_every_registration_and_the_senior_officer_suspends_it(
    personas: Personas, registration: OglRegistration
) -> None:
    page = _client(personas.officer).get("/open-licences/registrations/").content.decode()
    assert registration.reference in page and "Northbridge Defence Ltd" in page
    detail = (
        _client(personas.officer).get(f"/open-licences/registrations/{registration.pk}/").content.decode()
    )
    assert "Sanctions" not in detail and "Report a use" not in detail
    senior = _client(personas.senior)
    r = senior.post(
        f"/open-licences/registrations/{registration.pk}/status/",
        {"action": "suspend", "reason": ""},
        follow=True,
    )
    assert "reason: required" in r.content.decode()
    r = senior.post(
        f"/open-licences/registrations/{registration.pk}/status/",
        {"action": "suspend", "reason": "Records not kept"},
        follow=True,
    )
    assert "is now suspended" in r.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUSPENDED
    # The officer may not; the exporter sees why and no longer gets the form.
    r = _client(personas.officer).post(
        f"/open-licences/registrations/{registration.pk}/status/",
        {"action": "revoke", "reason": "x"},
        follow=True,
    )
    assert "Only a senior officer may revoke" in r.content.decode()
    alice: Any = (
        _client(personas.exporter).get(f"/open-licences/registrations/{registration.pk}/").content.decode()
    )
    assert "Suspended: Records not kept" in alice and "Report a use" not in alice
    filtered = _client(personas.officer).get("/open-licences/registrations/?status=extant").content.decode()
    assert registration.reference not in filtered


def test_the_policy_officer_publishes_from_an_uploaded_file(personas: Personas) -> None:
    paula = _client(personas.policy)
    assert "Publish licences or new versions" in paula.get("/open-licences/").content.decode()
    upload = SimpleUploadedFile("ogl.yaml", loader.SHIPPED.read_bytes())
    r = paula.post("/open-licences/load/", {"file": upload}, follow=True)
    assert "ogl.yaml: 3 version(s) published, 0 unchanged" in r.content.decode()
    bad = SimpleUploadedFile("bad.yaml", b"format: warden.ogl/1\nlicences: []\n")
    r = paula.post("/open-licences/load/", {"file": bad}, follow=True)
    assert "licences: a list of open general licences is required (nothing published)" in r.content.decode()
    alice = _client(personas.exporter)
    assert "Publish licences" not in alice.get("/open-licences/").content.decode()
    r = alice.post(
        "/open-licences/load/",
        {"file": SimpleUploadedFile("x.yaml", loader.SHIPPED.read_bytes())},
        follow=True,
    )
    assert "Only the policy officer publishes" in r.content.decode()
    assert OpenGeneralLicence.objects.count() == 2
