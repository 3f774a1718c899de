"""The licence page's shipment form carries a one-time key, so a double submission records one shipment; the
page shows what is left of each line; a CSV return is uploaded there, all or nothing, with the summary."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from warden.cases.tests import factories
from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus, Shipment
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def licence(personas: Personas) -> Licence:
    return Licence.objects.get(case=factories.licensed(personas))


def _key_on(html: str) -> str:
    found = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert found, "the shipment form carries a hidden one-time key"
    return found.group(1)


def test_the_form_carries_a_fresh_key_and_a_double_submission_records_one(
    personas: Personas, licence: Licence
) -> None:
    exporter = _client(personas.exporter)
    page = exporter.get(f"/licences/{licence.pk}/").content.decode()
    key = _key_on(page)
    form = {
        "line": licence.lines.get().pk,
        "quantity": 1,
        "shipped_on": str(clock.today()),
        "reference": "AWB-9",
        "idempotency_key": key,
    }
    url = f"/licences/{licence.pk}/act/record_shipment/"
    assert exporter.post(url, form).status_code == 302
    second = exporter.post(url, form, follow=True)
    assert "sent twice; recorded once" in second.content.decode()
    assert Shipment.objects.count() == 1
    assert _key_on(second.content.decode()) != key  # the next shipment gets a new key


def test_a_double_submission_of_the_last_shipment_is_not_refused_as_exhausted(
    personas: Personas, licence: Licence
) -> None:
    exporter = _client(personas.exporter)
    form = {
        "line": licence.lines.get().pk,
        "quantity": 4,
        "shipped_on": str(clock.today()),
        "idempotency_key": "a" * 32,
    }
    url = f"/licences/{licence.pk}/act/record_shipment/"
    assert exporter.post(url, form).status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.EXHAUSTED
    again = exporter.post(url, form)
    assert again.status_code == 302
    assert Shipment.objects.count() == 1


def test_the_page_shows_what_is_left_of_each_line(personas: Personas, licence: Licence) -> None:
    from warden.licences import services

    services.record_shipment(actor=personas.exporter, licence=licence, line=licence.lines.get(), quantity=1)
    html = _client(personas.exporter).get(f"/licences/{licence.pk}/").content.decode()
    assert re.search(r'data-testid="quantity-left">3<', html)
    assert re.search(r'data-testid="value-left">937,500.00 EUR<', html)


def _upload(licence: Licence, currency: str = "EUR") -> SimpleUploadedFile:
    body = (
        "licence_number,line,quantity,value_amount,currency,shipped_on,declaration_reference\n"
        f"{licence.number},1,2,,{currency},{clock.today().isoformat()},26GB000000000007\n"
    )
    return SimpleUploadedFile("march.csv", body.encode(), content_type="text/csv")


def test_the_exporter_uploads_a_return_and_a_second_upload_records_nothing(
    personas: Personas, licence: Licence
) -> None:
    exporter = _client(personas.exporter)
    url = f"/licences/{licence.pk}/returns/"
    r = exporter.post(url, {"file": _upload(licence)}, follow=True)
    assert "march.csv: 1 recorded, 0 already recorded." in r.content.decode()
    r = exporter.post(url, {"file": _upload(licence)}, follow=True)
    assert "march.csv: 0 recorded, 1 already recorded." in r.content.decode()
    assert Shipment.objects.get().quantity == 2


def test_a_bad_return_is_shown_on_the_form_and_records_nothing(personas: Personas, licence: Licence) -> None:
    exporter = _client(personas.exporter)
    r = exporter.post(f"/licences/{licence.pk}/returns/", {"file": _upload(licence, currency="USD")})
    assert r.status_code == 422
    assert "march.csv: row 2, currency:" in r.content.decode()
    assert exporter.post(f"/licences/{licence.pk}/returns/", {}).status_code == 422
    assert not Shipment.objects.exists()


def test_oversight_is_not_offered_the_upload_and_is_refused(personas: Personas, licence: Licence) -> None:
    oversight = _client(personas.oversight)
    assert "import-returns" not in oversight.get(f"/licences/{licence.pk}/").content.decode()
    r = oversight.post(f"/licences/{licence.pk}/returns/", {"file": _upload(licence)})
    assert r.status_code == 403
    assert not Shipment.objects.exists()
