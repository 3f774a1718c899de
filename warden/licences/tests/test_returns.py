"""CSV returns (warden.licences.returns): all or nothing, errors naming the row and column, and a re-import
records nothing new because the declaration reference is the idempotency key."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from warden.audit.models import AuditEntry
from warden.cases.tests import factories as f
from warden.cases.transitions import InvalidInput, NotPermitted
from warden.lib import clock
from warden.licences.models import Licence, Shipment
from warden.licences.returns import import_returns
from warden.licences.shipments import KeyReused, OverDraw
from warden.testing import Personas

pytestmark = pytest.mark.django_db

HEADER = "licence_number,line,quantity,value_amount,currency,shipped_on,declaration_reference\n"


def csv_of(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


@pytest.fixture
def licences(personas: Personas) -> tuple[Licence, Licence]:
    # Two licences of the exporter's organisation, each one line: 4 blade sets for 1,250,000.00 EUR.
    return Licence.objects.get(case=f.licensed(personas)), Licence.objects.get(case=f.licensed(personas))


def good_file(a: Licence, b: Licence) -> bytes:
    today = clock.today().isoformat()
    return csv_of(
        f"{a.number},1,1,312500.004,EUR,{today},26GB000000000001",
        f"{b.number},1,2,,eur,{today},26GB000000000002",
    )


def test_a_good_file_records_every_row_and_audits_the_import(
    personas: Personas, licences: tuple[Licence, Licence]
) -> None:
    a, b = licences
    result = import_returns(actor=personas.exporter, data=good_file(a, b), filename="march.csv")
    assert result.summary() == "2 recorded, 0 already recorded"
    first, second = result.recorded
    assert (first.licence, first.quantity, first.value_amount, first.reference) == (
        a,
        1,
        Decimal("312500.00"),
        "26GB000000000001",
    )
    assert (second.licence, second.value_amount, second.currency) == (b, Decimal("625000.00"), "EUR")
    assert AuditEntry.objects.filter(action="licence.record_shipment").count() == 2
    summary = AuditEntry.objects.get(action="licence.returns_import")
    assert summary.actor_label == personas.exporter.username
    data = json.loads(summary.entry)["data"]
    assert (data["file"], data["rows"], data["recorded"], data["already_recorded"]) == (
        "march.csv",
        2,
        [first.pk, second.pk],
        [],
    )
    assert data["licences"] == sorted([a.number, b.number])


def test_importing_the_same_file_again_records_nothing_new(
    personas: Personas, licences: tuple[Licence, Licence]
) -> None:
    data = good_file(*licences)
    import_returns(actor=personas.exporter, data=data)
    again = import_returns(actor=personas.exporter, data=data)
    assert again.summary() == "0 recorded, 2 already recorded"
    assert Shipment.objects.count() == 2
    assert AuditEntry.objects.filter(action="licence.record_shipment").count() == 2


def test_a_bad_row_records_nothing_and_names_the_row_and_column(
    personas: Personas, licences: tuple[Licence, Licence]
) -> None:
    a, b = licences
    today, tomorrow = clock.today(), clock.today() + dt.timedelta(days=1)
    data = csv_of(
        f"{a.number},1,1,,EUR,{today},D-1",
        f"{b.number},1,1,,EUR,{today},D-2",
        f"{b.number},1,1,,EUR,{tomorrow},D-3",
    )
    with pytest.raises(
        InvalidInput, match=r"^row 4, shipped_on: .*cannot be dated after today.*nothing recorded"
    ):
        import_returns(actor=personas.exporter, data=data)
    assert not Shipment.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="licence.re").exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{n},1,x,,EUR,{d},D-1", r"row 2, quantity: 'x' is not a positive whole number"),
        ("{n},7,1,,EUR,{d},D-1", r"row 2, line: licence .* has no line 7 \(it has 1\)"),
        ("{n},1,1,,USD,{d},D-1", r"row 2, currency: Line 1 .* is licensed in EUR; this shipment is in USD"),
        ("{n},1,1,abc,EUR,{d},D-1", r"row 2, value_amount: 'abc' is not an amount of money"),
        ("{n},1,1,,EUR,31/03/2026,D-1", r"row 2, shipped_on: '31/03/2026' is not a date"),
        ("{n},1,1,,EUR,{d},", r"row 2, declaration_reference: required"),
        ("NOPE-1,1,1,,EUR,{d},D-1", r"row 2, licence_number: no licence 'NOPE-1' is visible to you"),
    ],
)
def test_each_kind_of_bad_cell_is_named(
    personas: Personas, licences: tuple[Licence, Licence], row: str, message: str
) -> None:
    data = csv_of(row.format(n=licences[0].number, d=clock.today().isoformat()))
    with pytest.raises(InvalidInput, match=message):
        import_returns(actor=personas.exporter, data=data)
    assert not Shipment.objects.exists()


def test_an_over_shipment_across_rows_is_a_conflict_naming_the_row(
    personas: Personas, licences: tuple[Licence, Licence]
) -> None:
    a, _ = licences
    d = clock.today().isoformat()
    data = csv_of(f"{a.number},1,3,,EUR,{d},D-1", f"{a.number},1,2,,EUR,{d},D-2")
    with pytest.raises(
        OverDraw, match=r"^row 3, quantity: Over-draw refused: .* has 1 of 4 left; this shipment is 2"
    ):
        import_returns(actor=personas.exporter, data=data)
    assert not Shipment.objects.exists()


def test_the_header_must_name_every_column(personas: Personas) -> None:
    bad = b"licence_number,line,quantity,value_amount,shipped_on,declaration_reference\nX,1,1,,2026-01-01,D\n"
    with pytest.raises(InvalidInput, match=r"row 1, currency: the header has no column currency"):
        import_returns(actor=personas.exporter, data=bad)
    with pytest.raises(InvalidInput, match="not UTF-8"):
        import_returns(actor=personas.exporter, data=HEADER.encode() + b"\xff\xfe,1\n")
    with pytest.raises(InvalidInput, match="no shipments"):
        import_returns(actor=personas.exporter, data=HEADER.encode())


def test_another_organisation_and_oversight_cannot_import_against_the_licence(
    personas: Personas, licences: tuple[Licence, Licence]
) -> None:
    data = good_file(*licences)
    with pytest.raises(InvalidInput, match="is visible to you"):
        import_returns(actor=personas.exporter_b, data=data)
    with pytest.raises(NotPermitted, match=r"^row 2, licence_number: Oversight can read licence"):
        import_returns(actor=personas.oversight, data=data)
    assert not Shipment.objects.exists()


def test_a_declaration_reused_for_a_different_shipment_is_a_conflict_naming_the_row(
    personas: Personas, licences: tuple[Licence, Licence]
) -> None:
    a, _ = licences
    d = clock.today().isoformat()
    import_returns(actor=personas.exporter, data=csv_of(f"{a.number},1,1,,EUR,{d},26GB-9"))
    changed = csv_of(f"{a.number},1,1,,EUR,{d},26GB-8", f"{a.number},1,2,,EUR,{d},26GB-9")
    with pytest.raises(KeyReused, match=r"^row 3, declaration_reference: The key '26GB-9 line 1' was used"):
        import_returns(actor=personas.exporter, data=changed)
    assert Shipment.objects.count() == 1
