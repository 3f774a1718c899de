"""The demo's global licence: made once through the real flows, Belarus refused, Norway and Sweden licensed."""

from __future__ import annotations

import pytest

from warden.cases.models import Case
from warden.demo.global_licence import ensure_demo_global_licence
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_the_demo_global_licence_is_made_once_with_the_embargoed_line_refused(personas: Personas) -> None:
    ref = ensure_demo_global_licence(
        exporter=personas.exporter, officer=personas.officer, senior=personas.senior
    )
    case = Case.objects.get(reference=ref)
    assert [d.country for d in case.licence.destinations.all()] == ["NO", "SE"]
    assert [r["country"] for r in case.refused_destinations] == ["BY"]
    assert (
        ensure_demo_global_licence(
            exporter=personas.exporter, officer=personas.officer, senior=personas.senior
        )
        is None
    )
