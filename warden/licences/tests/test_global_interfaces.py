"""The interfaces of global licences and officers' amendments: the API (finalise with refused lines, the
licence's destinations, a shipment's destination), the CLI (an officer's proposal, a CSV return's destination
column), the pages (the case's and the licence's destination lines, the shipment form, the officer's form)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from warden.cases.models import Case
from warden.cases.tests import factories
from warden.cases.tests.factories import api_for, client_for, under_final_review
from warden.cli import main
from warden.flows import case_decision
from warden.lib import clock
from warden.licences.models import Licence
from warden.testing import Personas, sample_global_application

pytestmark = pytest.mark.django_db


def _global_case(p: Personas) -> Case:
    doc = sample_global_application()
    return under_final_review(
        p, decision="approved", **{k: doc[k] for k in ("licence_type", "goods", "parties", "destinations")}
    )


def _post(c: Any, url: str, body: Any) -> Any:
    return c.post(url, data=json.dumps(body), content_type="application/json")


def test_the_api_finalises_with_a_refused_line_and_shows_the_licence_destinations(personas: Personas) -> None:
    case = _global_case(personas)
    body = {"decision": "approved", "reason": "Agreed", "refused_lines": {"2": ["EU-CP:1"]}}
    r = _post(api_for(personas.senior), f"/api/applications/{case.reference}/finalise", body)
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    licence = case_decision.issue_licence(actor=personas.officer, case=case)
    got = api_for(personas.exporter).get(f"/api/licences/{licence.number}").json()
    assert [d["country"] for d in got["destinations"]] == ["NO", "SE"]
    assert got["refused_destinations"] == [{"line": 2, "country": "BY", "criteria": ["EU-CP:1"]}]
    ship = {
        "line": 1,
        "quantity": 1,
        "currency": "EUR",
        "shipped_on": clock.today().isoformat(),
        "destination": "BY",
    }
    r = api_for(personas.exporter).post(
        f"/api/licences/{licence.number}/shipments",
        data=json.dumps(ship),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert r.status_code == 422 and "may go to NO, SE only" in r.content.decode()


def test_the_api_refuses_an_unknown_line_as_422_and_decides_nothing(personas: Personas) -> None:
    case = _global_case(personas)
    body = {"decision": "approved", "reason": "Agreed", "refused_lines": {"9": ["EU-CP:1"]}}
    r = _post(api_for(personas.senior), f"/api/applications/{case.reference}/finalise", body)
    assert r.status_code == 422 and "No destination line 9" in r.content.decode()
    case.refresh_from_db()
    assert case.decision == ""


def test_the_api_refuses_destination_lines_on_an_individual_application(personas: Personas) -> None:
    doc = sample_global_application(licence_type="individual")
    r = _post(api_for(personas.exporter), "/api/applications/", doc)
    assert r.status_code == 422
    assert [e["pointer"] for e in r.json()["errors"]] == ["/destinations"]


def test_the_pages_show_the_lines_the_engine_and_the_decision(personas: Personas) -> None:
    case = _global_case(personas)
    page = client_for(personas.senior).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="destination-line-BY"' in page and "Refuse destination 3, BY" in page
    case_decision.finalise(
        actor=personas.senior, case=case, decision="approved", reason="Agreed", refused_lines={2: ["EU-CP:1"]}
    )
    licence = case_decision.issue_licence(actor=personas.officer, case=case)
    page = client_for(personas.exporter).get(f"/licences/{licence.pk}/").content.decode()
    assert 'data-testid="destination-SE"' in page and 'data-testid="destination-BY"' not in page
    assert "Refused destinations (not on this licence)" in page
    assert "One of this licence&#x27;s destinations: NO, SE" in page


def test_an_officer_proposes_from_the_licence_page_and_the_cli(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    licence = Licence.objects.get(case=factories.licensed(personas))
    page = client_for(personas.officer).get(f"/licences/{licence.pk}/").content.decode()
    assert 'data-testid="propose-for-holder"' in page
    r = client_for(personas.officer).post(
        f"/licences/{licence.pk}/amend/", {"reason": "Narrow after a risk change", "quantity_0": "3"}
    )
    assert r.status_code == 302
    proposed = Case.objects.get(licence_amendment__licence=licence)
    assert proposed.document["goods"][0]["quantity"] == 3
    other = Licence.objects.get(case=factories.licensed(personas))
    code = main(
        [
            "licences",
            "propose-amendment",
            other.number,
            "--as",
            personas.officer.username,
            "--reason",
            "Narrow",
            "--quantity",
            "1=1",
        ]
    )
    assert code == 0 and "proposed for the holder" in capsys.readouterr().out
    assert (
        main(
            [
                "licences",
                "propose-amendment",
                other.number,
                "--as",
                personas.officer.username,
                "--reason",
                "Again",
                "--quantity",
                "1=1",
            ]
        )
        == 4
    )  # one proposal at a time: a conflict


def test_a_csv_return_names_the_destination_of_a_global_licence(personas: Personas, tmp_path: Path) -> None:
    case = _global_case(personas)
    case_decision.finalise(
        actor=personas.senior, case=case, decision="approved", reason="Agreed", refused_lines={2: ["EU-CP:1"]}
    )
    licence = case_decision.issue_licence(actor=personas.officer, case=case)
    path = tmp_path / "returns.csv"
    head = "licence_number,line,quantity,value_amount,currency,shipped_on,declaration_reference,destination\n"
    path.write_text(head + f"{licence.number},2,1,,EUR,{clock.today().isoformat()},DEC1,BY\n")
    assert main(["shipments", "import", str(path), "--as", personas.exporter.username]) == 2
    path.write_text(head + f"{licence.number},2,1,,EUR,{clock.today().isoformat()},DEC1,SE\n")
    assert main(["shipments", "import", str(path), "--as", personas.exporter.username]) == 0
    assert licence.destinations.get(country="SE").shipped_quantity == 1
