from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from warden.lib.actors import system
from warden.ogl import services
from warden.ogl import terms as t
from warden.ogl.models import OglRegistration, OpenGeneralLicence
from warden.testing import Personas

# Frozen so that "today", the registration day and the versions' dates are the same whenever the tests run.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
REF = "OGL-TEST-PARTS"


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


V1: dict[str, Any] = {
    "effective_from": "2025-01-01",
    "citation": "Test OGL (Parts) 2025",
    "conditions": "Spare parts for equipment in service with the destination's armed forces.",
    "permitted_destinations": ["NO", "SE", "TR"],
    "permitted_ratings": ["ML10.d", "ML5"],
    "excluded_ratings": ["ML5.c"],
    "excluded_end_use_flags": ["wmd", "internal_repression"],
    "max_value": "100000",
    "max_value_currency": "GBP",
}
# Version 2 from 1 Jun 2026: Turkey excluded, UAV end use excluded, a higher cap.
V2: dict[str, Any] = {
    **V1,
    "effective_from": "2026-06-01",
    "citation": "Test OGL (Parts) 2025, as amended 2026",
    "permitted_destinations": ["NO", "SE"],
    "excluded_destinations": ["TR"],
    "excluded_end_use_flags": ["wmd", "internal_repression", "uav"],
    "max_value": "200000",
}


@pytest.fixture
def ogl(db: None) -> OpenGeneralLicence:
    actor = system("tests")
    services.publish(actor=actor, reference=REF, title="Test OGL: parts", terms=t.parse_terms(V1))
    services.publish(actor=actor, reference=REF, title="Test OGL: parts", terms=t.parse_terms(V2))
    return OpenGeneralLicence.objects.get(reference=REF)


@pytest.fixture
def registration(
    personas: Personas, ogl: OpenGeneralLicence, monkeypatch: pytest.MonkeyPatch
) -> OglRegistration:
    """Alice's company registered on 1 Mar 2026 (under version 1)."""
    at(monkeypatch, dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC))
    reg = services.register(actor=personas.exporter, ogl=ogl)
    at(monkeypatch, NOW)
    return reg


def use(**overrides: Any) -> services.UseReport:
    fields: dict[str, Any] = {
        "shipped_on": "2026-11-20",
        "destination": "NO",
        "ratings": ["ML10.d"],
        "description": "Main rotor blade spares",
        "quantity": 4,
        "value": "12500.00",
        "currency": "GBP",
        "consignee_name": "Kjeller Aero Services AS",
        "end_user_name": "Norwegian Defence Materiel Agency",
        "customs_declaration": "26GB000000000001A1",
        "end_use_flags": [],
    }
    fields.update(overrides)
    return services.UseReport(**fields)
