"""/api/licences: the caller's licences, a licence with what is left, its shipments, recording a shipment
with an Idempotency-Key (201 then 200 on replay), CSV returns; each refusal with its status and message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases.tests import factories as f
from warden.lib import clock
from warden.licences import services
from warden.licences.models import Licence, Shipment
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def licence(personas: Personas) -> Licence:
    return Licence.objects.get(case=f.licensed(personas))


def _body(**over: Any) -> dict[str, Any]:
    return {
        "line": 1,
        "quantity": 1,
        "value_amount": "312500.005",
        "currency": "EUR",
        "shipped_on": clock.today().isoformat(),
        "reference": "AWB-7",
        **over,
    }


def _post(client: Client, licence: Licence, body: dict[str, Any], key: str | None = "k-1") -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        f"/api/licences/{licence.number}/shipments", body, content_type="application/json", **headers
    )


def test_the_exporter_lists_their_licences_and_officers_and_oversight_see_all(
    personas: Personas, licence: Licence
) -> None:
    mine = _api(personas.exporter).get("/api/licences/").json()
    assert [x["number"] for x in mine["results"]] == [licence.number]
    assert mine["results"][0]["in_force"] is True
    assert _api(personas.exporter_b).get("/api/licences/").json()["count"] == 0
    for staff in (personas.officer, personas.oversight):
        assert _api(staff).get("/api/licences/").json()["count"] == 1


def test_a_licence_shows_its_lines_with_what_is_left_and_its_shipments(
    personas: Personas, licence: Licence
) -> None:
    services.record_shipment(actor=personas.exporter, licence=licence, line=licence.lines.get(), quantity=1)
    r = _api(personas.exporter).get(f"/api/licences/{licence.number}")
    assert r.status_code == 200
    doc = r.json()
    assert (doc["status"], doc["valid_until"]) == ("issued", licence.valid_until.isoformat())
    (line,) = doc["lines"]
    assert (line["line"], line["quantity_left"], line["value_left"], line["currency"]) == (
        1,
        3,
        "937500.00",
        "EUR",
    )
    assert [s["quantity"] for s in doc["shipments"]] == [1]
    shipments = _api(personas.exporter).get(f"/api/licences/{licence.number}/shipments").json()
    assert shipments[0]["value_amount"] == "312500.00"


def test_an_unknown_or_unseen_licence_is_404(personas: Personas, licence: Licence) -> None:
    assert _api(personas.exporter).get("/api/licences/NOPE-1").status_code == 404
    assert _api(personas.exporter_b).get(f"/api/licences/{licence.number}").status_code == 404
    assert _api(personas.exporter_b).get(f"/api/licences/{licence.number}/shipments").status_code == 404
    r = _post(_api(personas.exporter_b), licence, _body())
    assert r.status_code == 404 and "is visible to you" in r.json()["detail"]


def test_a_shipment_is_201_then_a_retry_with_the_same_key_is_200_with_the_same_shipment(
    personas: Personas, licence: Licence
) -> None:
    api = _api(personas.exporter)
    first = _post(api, licence, _body())
    assert first.status_code == 201, first.content
    assert first.json()["value_amount"] == "312500.01"  # half up to the cent
    again = _post(api, licence, _body())
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Shipment.objects.count() == 1


def test_the_same_key_with_another_body_is_409(personas: Personas, licence: Licence) -> None:
    api = _api(personas.exporter)
    assert _post(api, licence, _body()).status_code == 201
    r = _post(api, licence, _body(quantity=2))
    assert r.status_code == 409
    assert "was used for a different shipment" in r.json()["detail"]


def test_the_idempotency_key_is_required(personas: Personas, licence: Licence) -> None:
    r = _post(_api(personas.exporter), licence, _body(), key=None)
    assert r.status_code == 422
    assert r.json()["errors"][0]["pointer"].endswith("Idempotency-Key")
    assert not Shipment.objects.exists()


def test_oversight_may_read_but_not_record_403(personas: Personas, licence: Licence) -> None:
    r = _post(_api(personas.oversight), licence, _body())
    assert r.status_code == 403
    assert "Oversight can read licence" in r.json()["detail"]


def test_an_over_draw_or_a_licence_not_in_force_is_409_saying_why(
    personas: Personas, licence: Licence
) -> None:
    api = _api(personas.exporter)
    r = _post(api, licence, _body(quantity=5, value_amount=None))
    assert r.status_code == 409
    assert "has 4 of 4 left; this shipment is 5" in r.json()["detail"]
    services.suspend_licence(actor=personas.senior, licence=licence, reason="Review")
    r = _post(api, licence, _body(), key="k-2")
    assert r.status_code == 409 and "it is suspended" in r.json()["detail"]


@pytest.mark.parametrize(
    ("over", "pointer", "words"),
    [
        ({"currency": "USD"}, "/body/currency", "is licensed in EUR; this shipment is in USD"),
        (
            {"shipped_on": (clock.today() + dt.timedelta(days=2)).isoformat()},
            "/body/shipped_on",
            "a shipment cannot be dated after today",
        ),
        ({"line": 9}, "/body/line", "has no line 9"),
        ({"value_amount": "NaN"}, None, ""),
        ({"quantity": 0}, None, ""),
    ],
)
def test_bad_input_is_422_naming_the_field(
    personas: Personas, licence: Licence, over: dict[str, Any], pointer: str | None, words: str
) -> None:
    r = _post(_api(personas.exporter), licence, _body(**over))
    assert r.status_code == 422, r.content
    if pointer:
        assert r.json()["errors"][0]["pointer"] == pointer
        assert words in r.json()["detail"]
    assert not Shipment.objects.exists()


def _csv(licence: Licence, qty: int = 1, ref: str = "26GB-1") -> bytes:
    return (
        "licence_number,line,quantity,value_amount,currency,shipped_on,declaration_reference\n"
        f"{licence.number},1,{qty},,EUR,{clock.today().isoformat()},{ref}\n"
    ).encode()


def test_a_csv_return_as_text_csv_then_again_records_nothing_new(
    personas: Personas, licence: Licence
) -> None:
    api = _api(personas.exporter)
    r = api.post("/api/licences/shipments/import", _csv(licence), content_type="text/csv")
    assert r.status_code == 200, r.content
    assert (r.json()["recorded"], r.json()["already_recorded"]) == (1, 0)
    r = api.post("/api/licences/shipments/import", _csv(licence), content_type="text/csv")
    assert r.json()["summary"] == "0 recorded, 1 already recorded"
    assert Shipment.objects.count() == 1


def test_a_csv_return_as_a_multipart_upload(personas: Personas, licence: Licence) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("march.csv", _csv(licence, qty=2), content_type="text/csv")
    r = _api(personas.exporter).post("/api/licences/shipments/import", {"file": upload})
    assert r.status_code == 200, r.content
    assert r.json()["shipments"][0]["quantity"] == 2


def test_a_bad_csv_row_is_422_pointing_at_the_row_and_column_and_records_nothing(
    personas: Personas, licence: Licence
) -> None:
    api = _api(personas.exporter)
    bad = _csv(licence).replace(b",EUR,", b",USD,")
    r = api.post("/api/licences/shipments/import", bad, content_type="text/csv")
    assert r.status_code == 422
    assert r.json()["errors"][0]["pointer"] == "/rows/2/currency"
    assert r.json()["detail"].startswith("row 2, currency:")
    r = api.post("/api/licences/shipments/import", _csv(licence, qty=9), content_type="text/csv")
    assert r.status_code == 409 and "row 2, quantity: Over-draw refused" in r.json()["detail"]
    assert (
        api.post("/api/licences/shipments/import", b"{}", content_type="application/json").status_code == 415
    )
    assert not Shipment.objects.exists()
