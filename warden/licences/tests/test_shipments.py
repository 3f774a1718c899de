"""Shipments draw licences down; over-draws are refused with a clear message; a used-up licence is exhausted."""

from __future__ import annotations

import datetime as dt

import pytest

from warden.cases.tests import factories as f
from warden.cases.transitions import IllegalTransition, InvalidInput, NotPermitted
from warden.flows import case_decision, submission
from warden.licences import services
from warden.licences.models import LicenceStatus, Shipment
from warden.licences.shipments import OverDraw
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db


def two_line_licence(p: Personas):  # type: ignore[no-untyped-def]
    doc = sample_application()
    doc["goods"].append(
        {
            "description": "Tail rotor gearbox",
            "rating": "ML10.d",
            "quantity": 2,
            "value": {"amount": 300000, "currency": "EUR"},
        }
    )
    from warden.cases import services as cs

    case = submission.create_application(actor=p.exporter, document=doc)
    submission.submit_case(actor=p.exporter, case=case)
    cs.start_initial_checks(actor=p.officer, case=case)
    case_decision.recommend(actor=p.officer, case=case, decision="approved", reason="ok")
    case_decision.finalise(actor=p.senior, case=case, decision="approved", reason="ok")
    return case_decision.issue_licence(actor=p.officer, case=case)


def test_shipments_draw_down_and_exhaust_the_licence(personas: Personas) -> None:
    p = personas
    lic = two_line_licence(p)
    blades, gearbox = lic.lines.order_by("goods_line__line_no")
    s1 = services.record_shipment(actor=p.exporter, licence=lic, line=blades, quantity=3, reference="AWB-1")
    assert str(s1.value_amount) == "937500.00"  # unit value times quantity by default
    services.record_shipment(actor=p.exporter, licence=lic, line=gearbox, quantity=2)
    assert lic.status == LicenceStatus.ISSUED
    services.record_shipment(actor=p.exporter, licence=lic, line=blades, quantity=1)
    lic.refresh_from_db()
    assert lic.status == LicenceStatus.EXHAUSTED
    blades.refresh_from_db()
    assert (blades.shipped_quantity, str(blades.shipped_value)) == (4, "1250000.00")
    with pytest.raises(IllegalTransition, match="exhausted"):
        services.record_shipment(actor=p.exporter, licence=lic, line=blades, quantity=1)


def test_an_over_draw_is_refused_with_what_is_left(personas: Personas) -> None:
    p = personas
    lic = f.licensed(p).licence
    line = lic.lines.get()
    services.record_shipment(actor=p.exporter, licence=lic, line=line, quantity=3)
    with pytest.raises(OverDraw, match=r"has 1 of 4 left; this shipment is 2"):
        services.record_shipment(actor=p.exporter, licence=lic, line=line, quantity=2)
    with pytest.raises(OverDraw, match="left; this shipment is worth"):
        services.record_shipment(actor=p.exporter, licence=lic, line=line, quantity=1, value_amount=400000)
    assert Shipment.objects.count() == 1


def test_no_shipments_on_a_suspended_licence_or_outside_validity(personas: Personas) -> None:
    p = personas
    lic = f.licensed(p).licence
    line = lic.lines.get()
    with pytest.raises(InvalidInput, match="outside that"):
        services.record_shipment(
            actor=p.exporter,
            licence=lic,
            line=line,
            quantity=1,
            shipped_on=lic.valid_from - dt.timedelta(days=1),
        )
    services.suspend_licence(actor=p.senior, licence=lic, reason="Review")
    with pytest.raises(IllegalTransition, match="suspended"):
        services.record_shipment(actor=p.exporter, licence=lic, line=line, quantity=1)


def test_only_the_holder_or_officers_record_shipments(personas: Personas) -> None:
    p = personas
    lic = f.licensed(p).licence
    for user in (p.exporter_b, p.oversight, p.adviser_fcdo):
        with pytest.raises(NotPermitted):
            services.record_shipment(actor=user, licence=lic, line=lic.lines.get(), quantity=1)
