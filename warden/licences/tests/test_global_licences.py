"""A global licence: approved with one destination line refused, it lists only the approved lines; a shipment
must go to one of them, covering the goods shipped, within the line's own caps."""

from __future__ import annotations

from typing import Any

import pytest

from warden.cases.models import Case
from warden.cases.tests.factories import under_final_review
from warden.flows import case_decision
from warden.lib.errors import InvalidInput
from warden.licences import services
from warden.licences.destinations import DestinationOverDraw
from warden.licences.models import Licence
from warden.testing import Personas, sample_global_application

pytestmark = pytest.mark.django_db


def _global_doc() -> dict[str, Any]:
    doc = sample_global_application()
    return {k: doc[k] for k in ("licence_type", "goods", "parties", "destinations")}


def _decided(p: Personas, refused: dict[int, list[str]] | None) -> Case:
    case = under_final_review(p, decision="approved", **_global_doc())
    case_decision.finalise(
        actor=p.senior, case=case, decision="approved", reason="Agreed", refused_lines=refused
    )
    case.refresh_from_db()
    return case


def _licensed(p: Personas) -> Licence:
    case = _decided(p, {2: ["EU-CP:1"]})
    return case_decision.issue_licence(actor=p.officer, case=case)


def test_an_approval_refusing_the_embargoed_line_lists_only_the_approved_destinations(
    personas: Personas,
) -> None:
    licence = _licensed(personas)
    assert licence.case.refused_destinations == [{"line": 2, "country": "BY", "criteria": ["EU-CP:1"]}]
    assert [d.country for d in licence.destinations.all()] == ["NO", "SE"]
    sweden = licence.destinations.get(country="SE")
    assert sweden.goods_lines == [1] and sweden.quantity_cap == 4
    assert [p["name"] for p in sweden.parties] == ["Swedish Defence Materiel Administration"]


def test_approving_the_embargoed_line_goes_against_the_engine_and_needs_a_justification(
    personas: Personas,
) -> None:
    case = under_final_review(personas, decision="approved", **_global_doc())
    with pytest.raises(InvalidInput, match="BY"):
        case_decision.finalise(actor=personas.senior, case=case, decision="approved", reason="Agreed")


def test_refusing_every_line_or_a_line_that_does_not_exist_is_refused(personas: Personas) -> None:
    case = under_final_review(personas, decision="approved", **_global_doc())
    for refused, words in (
        ({0: ["EU-CP:1"], 1: ["EU-CP:1"], 2: ["EU-CP:1"]}, "refuse the application"),
        ({7: ["EU-CP:1"]}, "No destination line 7"),
        ({2: []}, "at least one criterion"),
    ):
        with pytest.raises(InvalidInput, match=words):
            case_decision.finalise(
                actor=personas.senior, case=case, decision="approved", reason="Agreed", refused_lines=refused
            )
    case.refresh_from_db()
    assert case.decision == "" and case.refused_destinations == []


def _ship(p: Personas, licence: Licence, line_no: int, quantity: int, destination: str | None) -> Any:
    ln = licence.lines.get(goods_line__line_no=line_no)
    return services.record_shipment(
        actor=p.exporter, licence=licence, line=ln, quantity=quantity, destination=destination
    )


def test_a_shipment_to_a_destination_not_on_the_licence_is_refused_saying_what_is_allowed(
    personas: Personas,
) -> None:
    licence = _licensed(personas)
    for country in ("BY", "DK"):
        with pytest.raises(InvalidInput, match="may go to NO, SE only"):
            _ship(personas, licence, 0, 1, country)
    with pytest.raises(InvalidInput, match="say which of its destinations"):
        _ship(personas, licence, 0, 1, None)
    assert not licence.shipments.exists()


def test_a_destination_line_covers_only_its_goods(personas: Personas) -> None:
    licence = _licensed(personas)
    with pytest.raises(InvalidInput, match="covers goods line"):
        _ship(personas, licence, 0, 1, "SE")  # Sweden's line holds the gearboxes (goods line 2) only


def test_each_destination_lines_caps_are_drawn_down_separately(personas: Personas) -> None:
    licence = _licensed(personas)
    _ship(personas, licence, 1, 3, "SE")
    with pytest.raises(DestinationOverDraw, match="allows 4 units to SE, 1 left"):
        _ship(personas, licence, 1, 2, "SE")
    # Norway has no cap of its own: the goods line's total (10 gearboxes, 3 shipped) is what is left.
    shipment = _ship(personas, licence, 1, 7, "NO")
    assert shipment.destination.country == "NO"
    sweden = licence.destinations.get(country="SE")
    assert sweden.shipped_quantity == 3


def test_a_goods_line_only_refused_destinations_would_receive_is_not_licensed(personas: Personas) -> None:
    doc = _global_doc()
    doc["destinations"][0]["goods"] = [1]  # the rotor blades (goods line 1) only to Belarus now
    case = under_final_review(personas, decision="approved", **doc)
    case_decision.finalise(
        actor=personas.senior, case=case, decision="approved", reason="Agreed", refused_lines={2: ["EU-CP:1"]}
    )
    licence = case_decision.issue_licence(actor=personas.officer, case=case)
    assert [ln.goods_line.line_no for ln in licence.lines.all()] == [1]


def test_a_refused_destination_line_is_one_of_our_denials_and_the_approved_lines_are_not(
    personas: Personas,
) -> None:
    from warden.denials import queries

    case = _decided(personas, {2: ["EU-CP:1"]})
    ours = [d for d in queries.ours() if d["reference"].startswith(case.reference)]
    assert [(d["reference"], d["destination"], d["criteria"]) for d in ours] == [
        (f"{case.reference}/3", "BY", ["EU-CP:1"])
    ]
    assert ours[0]["end_user"]["name"] == "Air Force Logistics Command BY"
    assert [g["description"] for g in ours[0]["goods"]] == ["Main rotor blade set"]


def test_the_pdf_lists_the_licensed_destinations_and_not_the_refused_ones_parties(personas: Personas) -> None:
    from warden.licences.pdf import render_licence_pdf
    from warden.licences.tests.test_pdf import pdf_text

    text = " ".join(pdf_text(render_licence_pdf(_licensed(personas))).split())
    assert "Destinations licensed" in text
    assert "Swedish Defence Materiel Administration" in text
    assert "Air Force Logistics Command BY" not in text
