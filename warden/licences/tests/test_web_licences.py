"""Licence pages: list, detail with drawdown, actions through the services, PDF download."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.cases.tests import factories
from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def licence(personas: Personas) -> Licence:
    return Licence.objects.get(case=factories.licensed(personas))


def test_list_and_detail(personas: Personas, licence: Licence) -> None:
    exporter = _client(personas.exporter)
    assert licence.number in exporter.get("/licences/").content.decode()
    html = exporter.get(f"/licences/{licence.pk}/").content.decode()
    assert "Main rotor blade set" in html
    assert "Record a shipment" in html
    assert "Suspend the licence" not in html


def test_exporter_records_a_shipment_and_sees_the_drawdown(personas: Personas, licence: Licence) -> None:
    line = licence.lines.get()
    response = _client(personas.exporter).post(
        f"/licences/{licence.pk}/act/record_shipment/",
        {
            "line": line.pk,
            "quantity": 1,
            "value_amount": "312500",
            "shipped_on": str(clock.today()),
            "reference": "AWB1",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.shipped_quantity == 1


def test_overdrawing_a_line_is_refused_with_a_message(personas: Personas, licence: Licence) -> None:
    line = licence.lines.get()
    response = _client(personas.exporter).post(
        f"/licences/{licence.pk}/act/record_shipment/",
        {
            "line": line.pk,
            "quantity": line.quantity + 1,
            "value_amount": "",
            "shipped_on": str(clock.today()),
        },
    )
    assert response.status_code == 422
    assert "Over-draw refused" in response.content.decode()
    line.refresh_from_db()
    assert line.shipped_quantity == 0


def test_senior_officer_suspends_and_reinstates(personas: Personas, licence: Licence) -> None:
    senior = _client(personas.senior)
    assert (
        senior.post(f"/licences/{licence.pk}/act/suspend/", {"reason": "Under investigation"}).status_code
        == 302
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED
    assert senior.post(f"/licences/{licence.pk}/act/reinstate/", {"reason": "Cleared"}).status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ISSUED


def test_exporter_cannot_revoke(personas: Personas, licence: Licence) -> None:
    response = _client(personas.exporter).post(f"/licences/{licence.pk}/act/revoke/", {"reason": "x"})
    assert response.status_code == 403
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ISSUED


def test_pdf_download(personas: Personas, licence: Licence) -> None:
    response = _client(personas.exporter).get(f"/licences/{licence.pk}/licence.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert licence.number in response["Content-Disposition"]
