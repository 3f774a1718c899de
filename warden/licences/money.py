"""The one rounding rule for amounts of money on licences and shipments: two decimal places, halves rounded
up (away from zero), as customs declarations and invoices round. Every value Warden computes or accepts for
a licence line or a shipment (a unit value times a quantity, an amount typed in a form, posted to the API or
read from a CSV return) goes through `money`, so that the same input gives the same cents everywhere."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from warden.lib.errors import InvalidInput

CENT = Decimal("0.01")
# DecimalField(max_digits=16, decimal_places=2): at most 14 digits before the point.
LIMIT = Decimal(10) ** 14


def money(value: Decimal | int | str, *, field: str = "value_amount") -> Decimal:
    """`value` rounded to the cent, half up: money("10.005") is 10.01, money(2) is 2.00. Refuses (InvalidInput
    naming `field`) what is not a finite number or is too large to store. A float is refused: its binary
    value is not the decimal the person wrote."""
    if isinstance(value, (bool, float)):
        raise InvalidInput(f"Give the amount as a decimal number, not {value!r}", field=field)
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(f"{value!r} is not an amount of money", field=field) from None
    if not amount.is_finite():
        raise InvalidInput(f"{value!r} is not an amount of money", field=field)
    # Rounded first: 99999999999999.995 is under LIMIT but rounds up to it, one digit past the column.
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP) if abs(amount) < LIMIT else amount
    if abs(rounded) >= LIMIT:
        shown = str(value) if len(str(value)) <= 40 else str(value)[:37] + "..."
        raise InvalidInput(f"{shown} is too large an amount", field=field)
    return rounded


def share(total: Decimal, part: int, whole: int) -> Decimal:
    """The value of `part` units out of `whole` worth `total` together, rounded by the one rule: the unit value
    is not rounded first (4 units worth 100.00 are 25.00 each; 1 of 3 worth 100.00 is 33.33)."""
    if whole <= 0:
        return money(0)
    return money(total * part / whole)
