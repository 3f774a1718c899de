"""A small caseload built through the real services, at a frozen moment in 2026, whose totals are worked
out by hand in the tests (see CASELOAD below)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from warden.cases.models import Case
from warden.cases.tests import factories
from warden.licences import services as licences
from warden.testing import Personas

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
YEAR = 2026

# A: Norway, ML10.d rotor blades x4, EUR 1,250,000: licensed, later revoked (parts: no ATT category).
# B: France, ML1.a rifles x100 EUR 200,000 and ML4.a missiles x10 GBP 500,000 (= EUR 590,550.00 at 1.1811);
#    licensed; 40 rifles shipped for EUR 80,000.
# C: Belarus, ML10.d, refused under EU-CP:7.
# D: Norway, submitted only (no decision: counted nowhere).
FRANCE_GOODS = [
    {"description": "Assault rifle 5.56 mm", "rating": "ML1.a", "quantity": 100,
     "value": {"amount": 200000, "currency": "EUR"}},
    {"description": "Surface-to-surface missile", "rating": "ML4.a", "quantity": 10,
     "value": {"amount": 500000, "currency": "GBP"}},
]  # fmt: skip
FRANCE_PARTIES = [
    {"role": "end_user", "type": "organisation", "sector": "armed_forces", "name": "Direction generale de l'armement",
     "aliases": [], "country": "FR", "address": "Paris, France", "identifiers": []},
]  # fmt: skip


@dataclass
class Caseload:
    norway: Case
    france: Case
    belarus: Case
    pending: Case


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


@pytest.fixture
def caseload(personas: Personas, frozen: Any) -> Caseload:
    p = personas
    norway = factories.licensed(p)
    licences.revoke_licence(actor=p.senior, licence=norway.licence, reason="End user no longer eligible")
    france = factories.licensed(p, destination="FR", goods=FRANCE_GOODS, parties=FRANCE_PARTIES)
    lic = france.licence
    rifles = lic.lines.get(goods_line__rating="ML1.a")
    licences.record_shipment(actor=p.officer, licence=lic, line=rifles, quantity=40, value_amount=80000)
    belarus = factories.finalised(p, decision="refused")
    pending = factories.submitted(p)
    return Caseload(norway, france, belarus, pending)
