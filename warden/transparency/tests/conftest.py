from __future__ import annotations

import pytest
from django.test import Client

from warden.licences.models import Licence
from warden.testing import Personas
from warden.transparency.tests import seed


@pytest.fixture
def caseload(personas: Personas) -> dict[str, list[Licence]]:
    """15 licences and 4 refusals (see test_dashboard's module docstring for the hand-counted figures)."""
    p = personas
    out = {
        "FR": [seed.licence(p, "FR", "ML1.a") for _ in range(5)],
        "DE": [seed.licence(p, "DE", "ML10.b", org=p.org_b) for _ in range(4)],
        "IT": [seed.licence(p, "IT", "ML4", year=2024)],
        "US": [seed.licence(p, "US", "5A001") for _ in range(3)],
        "SA": [seed.licence(p, "SA", "ML1.a") for _ in range(2)],
    }
    seed.refusal(p, "SA", ["EU-CP:7", "EU-CP:2"])
    seed.refusal(p, "SA", ["EU-CP:7"])
    seed.refusal(p, "RU", ["EU-CP:7"])
    seed.refusal(p, "RU", ["EU-CP:1"])
    return out


@pytest.fixture
def anonymous() -> Client:
    return Client()
