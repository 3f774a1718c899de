"""Where each field of a warden.application/1 document is stored, and so the limits the schema must hold
(issue 14 §1): one table, read from the database columns themselves.

SQLite stores a name longer than its CharField and an amount wider than its DecimalField; PostgreSQL
refuses both with a DataError, a 500 after validation said yes. So the schema's maxLength and maximum are
the columns' limits, and a test (warden/cases/tests/test_limits.py) holds application-1.json to this table:
change a column and the schema must follow, or the test fails.

Schema locations are JSON-pointer-like paths through the document ("/goods/*/description"); "*" is any
array item.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.db import models

from warden.cases.models import Case, GoodsLine, Party
from warden.lib.limits import MAX_POSITIVE_INTEGER


class Column(NamedTuple):
    model: type[models.Model]
    field: str


# Every document field that lands in a length- or range-limited column. Fields stored as JSON
# (aliases, identifiers) or TextField (end_use, address) have no column limit.
STORED_IN: dict[str, Column] = {
    "/reference": Column(Case, "client_reference"),
    "/end_user_certificate/number": Column(Case, "euc_number"),
    "/end_user_certificate/re_export": Column(Case, "euc_re_export"),
    "/licence_type": Column(Case, "licence_type"),
    "/destination": Column(Case, "destination"),
    "/goods/*/description": Column(GoodsLine, "description"),
    "/goods/*/rating": Column(GoodsLine, "rating"),
    "/goods/*/quantity": Column(GoodsLine, "quantity"),
    "/goods/*/value/amount": Column(GoodsLine, "value_amount"),
    "/goods/*/value/currency": Column(GoodsLine, "currency"),
    "/parties/*/role": Column(Party, "role"),
    "/parties/*/type": Column(Party, "party_type"),
    "/parties/*/sector": Column(Party, "sector"),
    "/parties/*/name": Column(Party, "name"),
    "/parties/*/country": Column(Party, "country"),
    "/parties/*/date_of_birth": Column(Party, "date_of_birth"),
    "/parties/*/nationality": Column(Party, "nationality"),
    "/exporter/name": Column(Party, "name"),
    "/exporter/country": Column(Party, "country"),
}


def _field(column: Column) -> models.Field:  # type: ignore[type-arg]
    field = column.model._meta.get_field(column.field)
    assert isinstance(field, models.Field)
    return field


def max_length(location: str) -> int | None:
    """The column's max_length for a text field at `location`; None for a number or an unlimited column."""
    field = _field(STORED_IN[location])
    return field.max_length if isinstance(field, models.CharField) else None


def max_decimal(location: str) -> Decimal:
    """The largest whole amount a DecimalField column at `location` holds once rounded to its places.

    max_digits=16, decimal_places=2 holds 99999999999999.99; the schema allows only up to the whole
    99999999999999 so that no JSON number (a binary float, rounded half-even to the column's places on
    storing) can round up past the column."""
    field = _field(STORED_IN[location])
    assert isinstance(field, models.DecimalField)
    assert field.max_digits is not None and field.decimal_places is not None
    return Decimal(10 ** (field.max_digits - field.decimal_places) - 1)


def integer_range(location: str) -> tuple[int, int]:
    """(minimum, maximum) a PositiveIntegerField column at `location` holds."""
    field = _field(STORED_IN[location])
    assert isinstance(field, models.PositiveIntegerField)
    return 0, MAX_POSITIVE_INTEGER
