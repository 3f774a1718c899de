"""The notice a "licence required" decision sends to partner states and customs: written with the decision,
audited, exported as warden.catchall/1 (JSON and CSV) by the page, the API and the CLI, seen by the
authority and exported by the partner-liaison (policy) officer only; never shown to the exporter."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.audit.models import AuditEntry
from warden.catchall import services
from warden.catchall.models import CatchAllNotice, CatchAllReferral
from warden.catchall.tests.test_services import note
from warden.cli import main
from warden.lib import clock
from warden.lib.months import add_months
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _required(personas: Personas, **over: object) -> CatchAllReferral:
    r = services.notify(actor=personas.exporter, notification=note(**over))
    return services.decide(
        actor=personas.officer,
        referral=r,
        decision="licence_required",
        reason="Military end use in an embargoed destination.",
        basis="art4_1b",
    )


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _api(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_licence_required_decision_issues_one_audited_notice_for_a_year(personas: Personas) -> None:
    r = _required(personas)
    notice = CatchAllNotice.objects.get()
    today = clock.today()
    assert (notice.referral_id, notice.issued_on, notice.valid_until) == (r.pk, today, add_months(today, 12))
    assert notice.issuing_state == personas.authority.country
    data = json.loads(AuditEntry.objects.get(action="catchall.notice").entry)["data"]
    assert data["reference"] == r.reference and data["basis"] == "art4_1b"


def test_no_licence_required_tells_nobody(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note())
    services.decide(actor=personas.officer, referral=r, decision="not_required", reason="Civil buyer.")
    assert not CatchAllNotice.objects.exists()
    assert not AuditEntry.objects.filter(action="catchall.notice").exists()


def test_the_api_exports_json_and_csv_with_goods_parties_decision_and_validity(personas: Personas) -> None:
    r = _required(personas)
    doc = _api(personas.policy).get("/api/catch-all/notices").json()
    assert doc["format"] == "warden.catchall/1" and doc["issuing_state"] == personas.authority.country
    [n] = doc["notices"]
    assert n["reference"] == r.reference and n["basis"] == "art4_1b" and n["decision"] == "licence_required"
    assert n["goods"] == [{"rating": "catch all", "description": "Machine tools, 5-axis"}]
    assert n["exporter"]["name"] == personas.org_a.name and n["end_user"]["name"] == "Minsk Precision Works"
    assert n["valid_until"] == add_months(clock.today(), 12).isoformat()
    text = _api(personas.policy).get("/api/catch-all/notices?format=csv").content.decode()
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["reference"], row["destination"], row["goods_rating"]) == (r.reference, "BY", "catch all")


def test_since_keeps_later_notices_and_bad_input_is_a_422(personas: Personas) -> None:
    _required(personas)
    tomorrow = clock.today().toordinal() + 1
    later = _api(personas.policy).get(
        f"/api/catch-all/notices?since={clock.today().fromordinal(tomorrow).isoformat()}"
    )
    assert later.json()["notices"] == []
    assert _api(personas.policy).get("/api/catch-all/notices?since=2026-13-01").status_code == 422
    assert _api(personas.policy).get("/api/catch-all/notices?format=xml").status_code == 422


def test_only_the_partner_liaison_officer_exports_and_exporters_never_see_notices(personas: Personas) -> None:
    r = _required(personas)
    assert _api(personas.officer).get("/api/catch-all/notices").status_code == 403
    assert _api(personas.exporter).get("/api/catch-all/notices").status_code == 403
    assert _client(personas.exporter).get("/catch-all/notices/").status_code == 404
    assert _client(personas.exporter).get(f"/catch-all/{r.pk}/customs/").status_code == 404
    assert "Customs notice" not in _client(personas.exporter).get(f"/catch-all/{r.pk}/").content.decode()
    officer_page = _client(personas.officer).get("/catch-all/notices/").content.decode()
    assert r.reference in officer_page and "notices-json" not in officer_page
    assert _client(personas.officer).get("/catch-all/notices/?format=json").status_code == 403
    download = _client(personas.policy).get("/catch-all/notices/?format=json")
    assert (
        download.status_code == 200 and json.loads(download.content)["notices"][0]["reference"] == r.reference
    )


def test_the_customs_notice_names_goods_exporter_end_user_decision_and_validity(personas: Personas) -> None:
    r = _required(personas)
    page = _client(personas.policy).get(f"/catch-all/{r.pk}/customs/").content.decode()
    for text in ("Notice to customs", personas.org_a.name, "Minsk Precision Works", "Machine tools, 5-axis"):
        assert text in page
    assert f"{clock.today()} to {add_months(clock.today(), 12)}" in page


def test_the_cli_writes_the_notices_as_json_or_csv(personas: Personas, capsys: Any) -> None:
    r = _required(personas)
    assert main(["catch-all", "notices", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["notices"][0]["reference"] == r.reference
    assert main(["catch-all", "notices", "--format", "csv"]) == 0
    assert r.reference in capsys.readouterr().out
