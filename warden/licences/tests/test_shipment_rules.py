"""The shipment rules every way in shares (warden.licences.shipments): one shipment per idempotency key, no
date after today, the line's currency only, one rounding rule, over-draws refused with what is left."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from warden.audit.models import AuditEntry
from warden.cases.tests import factories as f
from warden.cases.transitions import InvalidInput
from warden.lib import clock
from warden.licences import services
from warden.licences.models import Licence, LicenceStatus, Shipment
from warden.licences.money import money, share
from warden.licences.shipments import KeyReused, OverDraw
from warden.testing import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(personas: Personas) -> Licence:
    # One line: 4 main rotor blade sets licensed for 1,250,000.00 EUR.
    return Licence.objects.get(case=f.licensed(personas))


def test_the_same_key_twice_records_one_shipment_and_returns_the_first(
    personas: Personas, licence: Licence
) -> None:
    line = licence.lines.get()
    first = services.record_shipment_once(
        actor=personas.exporter,
        licence=licence,
        line=line,
        quantity=1,
        reference="AWB-1",
        idempotency_key="k1",
    )
    again = services.record_shipment_once(
        actor=personas.exporter,
        licence=licence,
        line=line,
        quantity=1,
        reference="AWB-1",
        idempotency_key="k1",
    )
    assert (first.replayed, again.replayed) == (False, True)
    assert again.shipment.pk == first.shipment.pk
    assert Shipment.objects.count() == 1
    line.refresh_from_db()
    assert line.shipped_quantity == 1
    assert AuditEntry.objects.filter(action="licence.record_shipment").count() == 1


def test_the_same_key_for_a_different_shipment_is_refused(personas: Personas, licence: Licence) -> None:
    line = licence.lines.get()
    services.record_shipment(
        actor=personas.exporter, licence=licence, line=line, quantity=1, idempotency_key="k1"
    )
    with pytest.raises(KeyReused, match=r"'k1' was used for a different shipment .* differs in quantity"):
        services.record_shipment(
            actor=personas.exporter, licence=licence, line=line, quantity=2, idempotency_key="k1"
        )
    assert Shipment.objects.count() == 1


def test_a_key_is_one_recorders_own(personas: Personas, licence: Licence) -> None:
    # The officer's key "k1" is not the exporter's: each records its shipment.
    line = licence.lines.get()
    services.record_shipment(
        actor=personas.exporter, licence=licence, line=line, quantity=1, idempotency_key="k1"
    )
    services.record_shipment(
        actor=personas.officer, licence=licence, line=line, quantity=1, idempotency_key="k1"
    )
    assert Shipment.objects.count() == 2


def test_replaying_the_shipment_that_used_the_licence_up_returns_it(
    personas: Personas, licence: Licence
) -> None:
    line = licence.lines.get()
    first = services.record_shipment(
        actor=personas.exporter, licence=licence, line=line, quantity=4, idempotency_key="all"
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.EXHAUSTED
    again = services.record_shipment_once(
        actor=personas.exporter, licence=licence, line=line, quantity=4, idempotency_key="all"
    )
    assert again.replayed and again.shipment.pk == first.pk


def test_a_shipment_cannot_be_dated_after_today(personas: Personas, licence: Licence) -> None:
    tomorrow = clock.today() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput, match="a shipment cannot be dated after today") as refused:
        services.record_shipment(
            actor=personas.exporter,
            licence=licence,
            line=licence.lines.get(),
            quantity=1,
            shipped_on=tomorrow,
        )
    assert refused.value.field == "shipped_on"
    assert not Shipment.objects.exists()


def test_every_shipment_carries_the_lines_currency_and_another_is_refused(
    personas: Personas, licence: Licence
) -> None:
    line = licence.lines.get()
    assert line.currency == "EUR"
    with pytest.raises(InvalidInput, match="is licensed in EUR; this shipment is in USD") as refused:
        services.record_shipment(
            actor=personas.exporter, licence=licence, line=line, quantity=1, value_amount="1", currency="usd"
        )
    assert refused.value.field == "currency"
    s = services.record_shipment(
        actor=personas.exporter, licence=licence, line=line, quantity=1, currency="eur"
    )
    assert s.currency == "EUR"
    assert (
        services.record_shipment(actor=personas.exporter, licence=licence, line=line, quantity=1).currency
        == "EUR"
    )


def test_amounts_round_half_up_to_the_cent_everywhere() -> None:
    assert money("0.125") == Decimal("0.13")  # banker's rounding would give 0.12
    assert money("0.135") == Decimal("0.14")
    assert money(2) == Decimal("2.00")
    assert share(Decimal("100.00"), 1, 3) == Decimal("33.33")
    assert share(Decimal("0.05"), 1, 2) == Decimal("0.03")
    for bad in ("abc", "NaN", "Infinity", 1.5):
        with pytest.raises(InvalidInput):
            money(bad)  # type: ignore[arg-type]


def test_a_given_value_is_rounded_by_the_same_rule(personas: Personas, licence: Licence) -> None:
    line = licence.lines.get()
    s = services.record_shipment(
        actor=personas.exporter, licence=licence, line=line, quantity=1, value_amount="1000.005"
    )
    assert s.value_amount == Decimal("1000.01")
    line.refresh_from_db()
    assert line.shipped_value == Decimal("1000.01")


def test_an_over_shipment_says_what_is_left(personas: Personas, licence: Licence) -> None:
    line = licence.lines.get()
    services.record_shipment(actor=personas.exporter, licence=licence, line=line, quantity=1)
    with pytest.raises(OverDraw, match=r"has 3 of 4 left; this shipment is 5"):
        services.record_shipment(actor=personas.exporter, licence=licence, line=line, quantity=5)
    with pytest.raises(
        OverDraw, match=r"has 937500.00 EUR of 1250000.00 EUR left; this shipment is worth 937500.01"
    ):
        services.record_shipment(
            actor=personas.exporter, licence=licence, line=line, quantity=1, value_amount="937500.01"
        )
    assert Shipment.objects.count() == 1
