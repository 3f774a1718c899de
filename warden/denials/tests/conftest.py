from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from warden.cases.models import Case
from warden.cases.tests import factories as f
from warden.denials import services
from warden.lib.actors import system
from warden.testing import Personas

DATA = Path(__file__).parent / "data"
# Frozen so that the three-year window is the same whenever the tests run: the French 2022 denial has
# expired, the 2025 and 2026 ones are in force.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)

DECCAN = {
    "role": "end_user",
    "type": "organisation",
    "sector": "commercial",
    "name": "Deccan Rotorcraft Overhaul Private Limited",
    "country": "IN",
    "address": "Bengaluru",
}
CONSIGNEE = {
    "role": "consignee",
    "type": "organisation",
    "sector": "commercial",
    "name": "Coromandel Freight Forwarders Pvt Ltd",
    "country": "IN",
}


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def import_file(name: str, state: str = "FR") -> services.ImportResult:
    path = DATA / name
    return services.import_denials(
        actor=system("tests"),
        issuing_state=state,
        data=path.read_bytes(),
        fmt=path.suffix.lstrip("."),
        filename=name,
    )


def to_deccan(**overrides: Any) -> dict[str, Any]:
    """The sample application re-aimed at the end user France refused (ML10.d to India)."""
    return {"destination": "IN", "parties": [DECCAN, CONSIGNEE], **overrides}


@pytest.fixture
def fr_denials(db: None) -> services.ImportResult:
    return import_file("fr-2026.json")


@pytest.fixture
def flagged(personas: Personas, fr_denials: services.ImportResult) -> Case:
    """A submitted application essentially identical to France's FR-DN-2026-0147."""
    return f.submitted(personas, **to_deccan())
