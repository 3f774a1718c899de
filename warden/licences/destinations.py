"""The destination lines of a global licence: made at issue from the approved lines of the application, and
the check a shipment to one of them must pass (warden.licences.shipments).

A shipment on a global licence names its destination country. It is refused when the licence has no line for
that country (saying which countries it does cover), when the line does not cover the goods line shipped, and
when it would exceed the line's own caps (quantity, value), which are drawn down separately from the goods
lines' totals: the goods line caps what goes everywhere, the destination line what goes to that country.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from warden.cases.destination_lines import licensed_indexes
from warden.cases.models import Case
from warden.lib.errors import Conflict, InvalidInput
from warden.licences.models import Licence, LicenceDestination, LicenceLine
from warden.licences.money import money
from warden.rules.lines import lines_of


class DestinationOverDraw(Conflict):
    """The shipment would take more than is left of the destination line's cap (409)."""


def destination_rows(case: Case, licence: Licence) -> list[LicenceDestination]:
    """Unsaved LicenceDestination rows for the lines the decision licenses ([] for a one-destination case)."""
    doc = case.document
    licensed = set(licensed_indexes(case))
    rows = []
    parties = doc.get("parties", [])
    for line in lines_of(doc):
        if line.index not in licensed:
            continue
        raw = doc["destinations"][line.index]
        cap = raw.get("value")
        rows.append(
            LicenceDestination(
                licence=licence,
                index=line.index,
                country=line.country,
                goods_lines=list(line.goods),
                parties=[
                    {
                        "index": k,
                        "role": parties[k].get("role", ""),
                        "name": parties[k].get("name", ""),
                        "country": parties[k].get("country", ""),
                    }
                    for k in line.parties
                ],
                quantity_cap=raw.get("quantity"),
                value_cap=money(cap["amount"]) if cap else None,
                currency=cap["currency"] if cap else "",
            )
        )
    return rows


def allowed(licence: Licence) -> str:
    return ", ".join(d.country for d in licence.destinations.all()) or licence.case.destination


def line_for_shipment(
    licence: Licence, destination: str | None, ln: LicenceLine
) -> LicenceDestination | None:
    """The destination line (locked) a shipment of goods line `ln` to `destination` draws down, or None on a
    licence for one destination (where a destination, if given, must be the licence's)."""
    rows = list(licence.destinations.select_for_update().order_by("index"))
    given = (destination or "").strip().upper()
    if not rows:
        if given and given != licence.case.destination:
            raise InvalidInput(
                f"Licence {licence.number} is for {licence.case.destination} only; a shipment to {given} is not "
                "allowed",
                field="destination",
            )
        return None
    countries = ", ".join(d.country for d in rows)
    if not given:
        raise InvalidInput(
            f"Licence {licence.number} is a global licence: say which of its destinations ({countries}) the "
            "shipment went to",
            field="destination",
        )
    row = next((d for d in rows if d.country == given), None)
    if row is None:
        raise InvalidInput(
            f"Licence {licence.number} does not cover {given}: a shipment may go to {countries} only",
            field="destination",
        )
    if ln.goods_line.line_no not in row.goods_lines:
        covered = ", ".join(str(n + 1) for n in row.goods_lines)
        raise InvalidInput(
            f"Licence {licence.number} covers goods line(s) {covered} to {given}, not line "
            f"{ln.goods_line.line_no + 1} ({ln.goods_line.description})",
            field="line",
        )
    return row


def check_caps(licence: Licence, row: LicenceDestination, quantity: int, value: Decimal) -> None:
    """Refuse a shipment that would exceed the destination line's caps (DestinationOverDraw, 409)."""
    if row.quantity_cap is not None and row.shipped_quantity + quantity > row.quantity_cap:
        left = row.quantity_cap - row.shipped_quantity
        raise DestinationOverDraw(
            f"Over-draw refused: licence {licence.number} allows {row.quantity_cap} units to {row.country}, "
            f"{left} left; this shipment is {quantity}",
            field="quantity",
        )
    if row.value_cap is not None and money(row.shipped_value + value) > row.value_cap:
        left_value = money(row.value_cap - row.shipped_value)
        raise DestinationOverDraw(
            f"Over-draw refused: licence {licence.number} allows {money(row.value_cap)} {row.currency} to "
            f"{row.country}, {left_value} {row.currency} left; this shipment is worth {value}",
            field="value_amount",
        )


def draw_down(row: LicenceDestination, quantity: int, value: Decimal) -> None:
    row.shipped_quantity += quantity
    row.shipped_value = money(row.shipped_value + value)
    row.save(update_fields=["shipped_quantity", "shipped_value"])


def destination_rows_for_page(licence: Licence) -> list[dict[str, Any]]:
    """The licence page's and the PDF's destination lines: country, goods, parties, caps and what is left."""
    goods = {ln.goods_line.line_no: ln.goods_line for ln in licence.lines.select_related("goods_line")}
    out = []
    for d in licence.destinations.all():
        out.append(
            {
                "row": d,
                "goods": [goods[n] for n in d.goods_lines if n in goods],
                "parties": d.parties,
                "quantity_left": None if d.quantity_cap is None else d.quantity_cap - d.shipped_quantity,
                "value_left": None if d.value_cap is None else money(d.value_cap - d.shipped_value),
            }
        )
    return out
