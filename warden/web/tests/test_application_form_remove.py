"""Removing a goods line or a party from a draft: the ticked lines are dropped when saving, the other
parties keep the keys the form does not edit (aliases), and removing everything asks for a line again."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.cases.models import Case
from warden.flows import submission
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db

MAIN = {
    "licence_type": "individual",
    "destination": "NO",
    "end_use": "Spares for transport helicopters",
}
GOODS = {
    "goods-0-description": "Rotor blade",
    "goods-0-rating": "ML10.d",
    "goods-0-quantity": "4",
    "goods-0-value_amount": "1000",
    "goods-0-currency": "EUR",
    "goods-1-description": "Gearbox",
    "goods-1-rating": "ML10.d",
    "goods-1-quantity": "1",
    "goods-1-value_amount": "200",
    "goods-1-currency": "EUR",
}
PARTIES = {
    "parties-0-role": "consignee",
    "parties-0-party_type": "organisation",
    "parties-0-sector": "commercial",
    "parties-0-name": "Kjeller Aero Services AS",
    "parties-1-role": "end_user",
    "parties-1-party_type": "organisation",
    "parties-1-sector": "armed_forces",
    "parties-1-name": "Norwegian Defence Materiel Agency",
}


def _draft(p: Personas) -> Case:
    parties = [
        {
            "role": "consignee",
            "type": "organisation",
            "sector": "commercial",
            "name": "Kjeller Aero Services AS",
        },
        {
            "role": "end_user",
            "type": "organisation",
            "sector": "armed_forces",
            "name": "Norwegian Defence Materiel Agency",
            "aliases": ["NDMA"],
        },
    ]
    return submission.create_application(actor=p.exporter, document=sample_application(parties=parties))


def test_ticked_lines_are_removed_and_the_others_keep_their_own_details(personas: Personas) -> None:
    case = _draft(personas)
    c = Client()
    c.force_login(personas.exporter)
    page = c.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "Remove this goods line when saving" in page and "Remove this party when saving" in page
    r = c.post(
        f"/cases/{case.pk}/edit/",
        {**MAIN, **GOODS, **PARTIES, "goods-0-remove": "on", "parties-0-remove": "on"},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    doc = case.document
    assert [g["description"] for g in doc["goods"]] == ["Gearbox"]
    assert [p["name"] for p in doc["parties"]] == ["Norwegian Defence Materiel Agency"]
    assert doc["parties"][0]["aliases"] == ["NDMA"]  # kept with its own party, not the removed one's


def test_removing_every_goods_line_asks_for_one_and_changes_nothing(personas: Personas) -> None:
    case = _draft(personas)
    before = case.document
    c = Client()
    c.force_login(personas.exporter)
    r = c.post(
        f"/cases/{case.pk}/edit/",
        {**MAIN, **GOODS, **PARTIES, "goods-0-remove": "on", "goods-1-remove": "on"},
    )
    assert r.status_code in (200, 422)
    assert "Goods line 3, Description" in r.content.decode()
    case.refresh_from_db()
    assert case.document == before
