"""Catch-all referrals through the pages (Django client), /api/catch-all and `warden catch-all`: the same
policy everywhere, errors naming the field, nothing changed by a refusal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases.tests import factories
from warden.catchall import services
from warden.catchall.models import CatchAllReferral, Status
from warden.catchall.tests.test_services import note
from warden.cli import main
from warden.testing import Personas

pytestmark = pytest.mark.django_db

FORM = {
    "destination": "by",
    "goods_description": "Machine tools, 5-axis",
    "end_user_name": "Minsk Precision Works",
    "end_user_country": "BY",
    "end_use": "Civil engine parts",
    "flags": ["military_end_use"],
    "grounds": "The buyer asked for artillery-fuze tolerances.",
}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _api(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_exporter_notifies_through_the_form_and_is_told_not_to_export(personas: Personas) -> None:
    c = _client(personas.exporter)
    assert "Tell us you have reason to believe" in c.get("/catch-all/new/").content.decode()
    r = c.post("/catch-all/new/", FORM, follow=True)
    referral = CatchAllReferral.objects.get()
    assert referral.destination == "BY" and referral.flags == ["military_end_use"]
    page = r.content.decode()
    assert "Do not export these goods until the authority has decided" in page
    assert "for military use (incorporation into" in page
    assert "Record the decision" not in page  # the exporter does not decide


def test_a_bad_form_shows_the_error_on_its_field_and_stores_nothing(personas: Personas) -> None:
    r = _client(personas.exporter).post("/catch-all/new/", {**FORM, "destination": "XX"})
    assert r.status_code == 422
    assert "&#x27;XX&#x27; is not an ISO 3166 country code" in r.content.decode()
    assert not CatchAllReferral.objects.exists()


def test_exporters_see_only_their_own_referrals(personas: Personas) -> None:
    mine = services.notify(actor=personas.exporter, notification=note())
    theirs = services.notify(actor=personas.exporter_b, notification=note())
    page = _client(personas.exporter).get("/catch-all/").content.decode()
    assert mine.reference in page and theirs.reference not in page
    assert _client(personas.exporter).get(f"/catch-all/{theirs.pk}/").status_code == 404
    officer_page = _client(personas.officer).get("/catch-all/").content.decode()
    assert mine.reference in officer_page and theirs.reference in officer_page


def test_the_officer_decides_on_the_page_and_the_letter_states_the_basis(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note())
    c = _client(personas.senior)
    bad = c.post(f"/catch-all/{r.pk}/decide/", {"decision": "licence_required", "reason": "Embargo."})
    assert bad.status_code == 422 and "name the legal basis" in bad.content.decode()
    ok = c.post(
        f"/catch-all/{r.pk}/decide/",
        {"decision": "licence_required", "basis": "art4_1b", "reason": "Embargoed destination."},
    )
    assert ok.status_code == 302
    letter = _client(personas.exporter).get(f"/catch-all/{r.pk}/letter/").content.decode()
    assert "Notice that an export licence is required" in letter
    assert "Art. 4(1)(b)" in letter and "Belarus" in letter
    assert (
        _client(personas.exporter)
        .post(f"/catch-all/{r.pk}/decide/", {"decision": "not_required", "reason": "x"})
        .status_code
        == 403
    )


def test_the_exporter_links_its_application_on_the_page(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note(destination="NO", end_user_country="NO"))
    services.decide(
        actor=personas.senior, referral=r, decision="licence_required", basis="art4_1b", reason="x"
    )
    draft = factories.draft(personas)
    c = _client(personas.exporter)
    assert "Link the application" in c.get(f"/catch-all/{r.pk}/").content.decode()
    assert c.post(f"/catch-all/{r.pk}/link/", {"case": draft.pk}).status_code == 302
    r.refresh_from_db()
    assert r.status == Status.APPLIED and r.case == draft


def test_the_api_notifies_decides_and_links_under_the_same_policy(personas: Personas) -> None:
    exporter, senior = _api(personas.exporter), _api(personas.senior)
    body = {k: v for k, v in FORM.items()} | {"destination": "NO", "end_user_country": "NO"}
    created = exporter.post("/api/catch-all/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    ref = created.json()["reference"]
    assert (
        exporter.post(
            f"/api/catch-all/{ref}/decide",
            {"decision": "not_required", "reason": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    bad = senior.post(
        f"/api/catch-all/{ref}/decide", {"decision": "maybe", "reason": "x"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/decision"
    done = senior.post(
        f"/api/catch-all/{ref}/decide",
        {"decision": "licence_required", "basis": "art4_1b", "reason": "Military end user."},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "informed"
    draft = factories.draft(personas)
    linked = exporter.post(
        f"/api/catch-all/{ref}/link", {"case": draft.reference}, content_type="application/json"
    )
    assert linked.status_code == 200 and linked.json()["case"] == draft.reference
    assert _api(personas.exporter_b).get(f"/api/catch-all/{ref}").status_code == 404
    extra = exporter.post("/api/catch-all/", {**body, "colour": "red"}, content_type="application/json")
    assert extra.status_code == 422 and CatchAllReferral.objects.count() == 1


def test_the_cli_notifies_lists_and_decides(personas: Personas, tmp_path: Path, capsys: Any) -> None:
    f = tmp_path / "n.json"
    f.write_text(json.dumps(FORM), encoding="utf-8")
    assert main(["catch-all", "notify", str(f), "--as", personas.exporter.username]) == 0
    ref = CatchAllReferral.objects.get().reference
    assert main(["catch-all", "list", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])[0]["reference"] == ref
    assert (
        main(
            [
                "catch-all",
                "decide",
                ref,
                "--decision",
                "licence_required",
                "--reason",
                "x",
                "--as",
                personas.senior.username,
            ]
        )
        == 2
    )  # no basis
    assert "name the legal basis" in capsys.readouterr().err
    assert (
        main(
            [
                "catch-all",
                "decide",
                ref,
                "--decision",
                "not_required",
                "--reason",
                "Civil.",
                "--as",
                personas.exporter.username,
            ]
        )
        == 3
    )
    assert (
        main(
            [
                "catch-all",
                "decide",
                ref,
                "--decision",
                "not_required",
                "--reason",
                "Civil.",
                "--as",
                personas.senior.username,
            ]
        )
        == 0
    )
    assert CatchAllReferral.objects.get().status == Status.NOT_REQUIRED
    f.write_text("{not json", encoding="utf-8")
    assert main(["catch-all", "notify", str(f), "--as", personas.exporter.username]) == 2
    assert "not a readable JSON document" in capsys.readouterr().err


def test_the_case_page_names_the_referral_that_required_the_licence(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note(destination="NO", end_user_country="NO"))
    services.decide(actor=personas.senior, referral=r, decision="licence_required", basis="art5", reason="x")
    draft = factories.draft(personas)
    page = _client(personas.exporter).get(f"/cases/{draft.pk}/").content.decode()
    assert "Catch-all referral" not in page
    services.link_application(actor=personas.exporter, referral=r, case=draft)
    page = _client(personas.exporter).get(f"/cases/{draft.pk}/").content.decode()
    assert f"{r.reference}</a>: a licence is required (Reg. (EU) 2021/821 Art. 5" in page
