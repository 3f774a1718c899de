"""CSV returns that the columns cannot hold are refused naming the row and column, nothing recorded
(issue 14 §1): quantities past a PositiveIntegerField or in non-ASCII digits (a ValueError 500 before),
an amount that rounds up past max_digits; and a good return broken at random never crashes the import
(hypothesis, deterministic)."""

from __future__ import annotations

import pytest
from hypothesis import given

from warden.audit.models import AuditEntry
from warden.cases.tests import factories as f
from warden.lib import clock
from warden.lib.errors import InvalidInput, WardenError
from warden.lib.limits import MAX_POSITIVE_INTEGER
from warden.lib.tests.mutations import FUZZ, mutated
from warden.licences.models import Licence, LicenceLine, Shipment
from warden.licences.returns import import_returns
from warden.licences.tests.test_returns import csv_of, good_file
from warden.testing import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def licences(personas: Personas) -> tuple[Licence, Licence]:
    return Licence.objects.get(case=f.licensed(personas)), Licence.objects.get(case=f.licensed(personas))


def _counts() -> tuple[int, int, list[int]]:
    shipped = list(LicenceLine.objects.order_by("pk").values_list("shipped_quantity", flat=True))
    return Shipment.objects.count(), AuditEntry.objects.count(), shipped


def test_the_quantity_limit_is_the_shipment_column() -> None:
    field = Shipment._meta.get_field("quantity")
    assert field.get_internal_type() == "PositiveIntegerField" and MAX_POSITIVE_INTEGER == 2**31 - 1
    assert Shipment._meta.get_field("reference").max_length == 100


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{n},1,²,,EUR,{d},D-1", r"row 2, quantity: '²' is not a positive whole number"),
        (
            "{n},1," + "9" * 5000 + ",,EUR,{d},D-1",
            r"row 2, quantity: '9{37}\.\.\.' is not a positive whole number",
        ),
        ("{n},1,2147483648,,EUR,{d},D-1", r"row 2, quantity: '2147483648' is not a positive whole number"),
        ("{n},١,1,,EUR,{d},D-1", r"row 2, line: '١' is not a positive whole number"),
        ("{n},1,1,99999999999999.995,EUR,{d},D-1", r"row 2, value_amount: 99999999999999.995 is too large"),
        ("{n},1,1," + "9" * 5000 + ",EUR,{d},D-1", r"row 2, value_amount: 9{37}\.\.\. is too large"),
        ("{n},1,1,NaN,EUR,{d},D-1", r"row 2, value_amount: 'NaN' is not an amount of money"),
        ("{n},1,1,,EUR,{d}," + "R" * 101, r"row 2, declaration_reference: longer than 100 characters"),
    ],
)
def test_a_cell_its_column_cannot_hold_is_refused_naming_row_and_column(
    personas: Personas,
    licences: tuple[Licence, Licence],
    row: str,
    message: str,
) -> None:
    before = _counts()
    data = csv_of(row.format(n=licences[0].number, d=clock.today().isoformat()))
    with pytest.raises(InvalidInput, match=message):
        import_returns(actor=personas.exporter, data=data)
    assert _counts() == before


def test_a_broken_return_is_refused_cleanly_or_recorded_never_a_crash(
    personas: Personas,
    licences: tuple[Licence, Licence],
) -> None:
    original = good_file(*licences)

    @FUZZ
    @given(data=mutated(original))
    def check(data: bytes) -> None:
        before = _counts()
        try:
            import_returns(actor=personas.exporter, data=data, filename="march.csv")
        except WardenError as exc:  # InvalidInput, or a Conflict such as an over-draw
            assert len(str(exc)) < 1000, str(exc)[:300]
            assert _counts() == before

    check()
