"""Reports counting licences by destination count a global licence once per destination line it holds (the
refused line not at all); a licence for one destination still counts once under it."""

from __future__ import annotations

import pytest

from warden.cases.tests import factories
from warden.flows import case_decision
from warden.lib import clock
from warden.reports import common, queries
from warden.testing import Personas, sample_global_application

pytestmark = pytest.mark.django_db


def test_a_global_licence_counts_once_per_licensed_destination_line(personas: Personas) -> None:
    doc = sample_global_application()
    case = factories.under_final_review(
        personas, **{k: doc[k] for k in ("licence_type", "goods", "parties", "destinations")}
    )
    case_decision.finalise(
        actor=personas.senior, case=case, decision="approved", reason="Agreed", refused_lines={2: ["EU-CP:1"]}
    )
    case_decision.issue_licence(actor=personas.officer, case=case)
    factories.licensed(personas)  # an individual licence to Norway
    year = clock.today().year
    _, rows = queries.licences_by_ml(year, common.Euro(year).rates(), by_type=True)
    assert sorted((r["dest"], r["ltype"], r["n"]) for r in rows) == [
        ("NO", "global", 1),
        ("NO", "individual", 1),
        ("SE", "global", 1),
    ]
