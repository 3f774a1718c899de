from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from warden.accounts.models import Role, User
from warden.cases.models import Case
from warden.cases.tests import factories as f
from warden.demo.stages import tiny_pdf
from warden.enduse.models import EndUseCheck
from warden.licences.models import Licence
from warden.testing import Personas, make_user

# The sample application's end user, and the same organisation as another exporter spells it.
END_USER = "Norwegian Defence Materiel Agency"


@pytest.fixture(autouse=True)
def upload_dir(settings: Any, tmp_path: Path) -> Path:
    """Evidence goes to a fresh directory per test."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR  # type: ignore[no-any-return]


@dataclass
class Inspectors:
    ines: User
    ivan: User


@pytest.fixture
def inspectors(personas: Personas) -> Inspectors:
    return Inspectors(
        ines=make_user("ines", Role.COMPLIANCE_INSPECTOR, org=personas.authority),
        ivan=make_user("ivan", Role.COMPLIANCE_INSPECTOR, org=personas.authority),
    )


def licence_of(case: Case) -> Licence:
    return Licence.objects.get(case=case)


@pytest.fixture
def licensed(personas: Personas) -> Licence:
    """The sample licence (ML10.d to Norway, a certificate that provides for a DVC): a DVC planned at issue."""
    return licence_of(f.licensed(personas))


@pytest.fixture
def dvc(licensed: Licence) -> EndUseCheck:
    return EndUseCheck.objects.get(licence=licensed)


def pdf(text: str = "Visit report") -> bytes:
    return tiny_pdf(text)


def parties_for(end_user: str, role: str = "end_user") -> list[dict[str, object]]:
    """The sample application's parties with another end user (in Norway)."""
    return [
        {"role": role, "type": "organisation", "sector": "armed_forces", "name": end_user, "country": "NO"},
        {
            "role": "consignee",
            "type": "organisation",
            "sector": "commercial",
            "name": "Kjeller Aero Services AS",
            "country": "NO",
        },
    ]
