"""Shipments (an exporter's returns) drawn down against a licence line.

One service, `record_shipment_once`, behind every way in (the licence page, the API, a CSV return): the
licence row is locked, the policy checked (warden.licences.policy, RECORD_SHIPMENT), the shipment written
with its audit entry, and the licence exhausted when every line is used up, all in one transaction. Refused:
a licence not in force (409), a line of another licence, a date after today or outside the validity, a
currency other than the line's, and an over-draw (409, saying what is left).

Idempotency: a shipment may carry a key (the API's Idempotency-Key header, the licence form's hidden
one-time key, a CSV return's declaration reference). The same key from the same recorder on the same licence
returns the shipment it first recorded, unchanged, and records nothing; the same key with a different
shipment is refused (KeyReused, 409). The replay is answered before the licence's status is checked, so that
the retried request of the shipment that used a licence up still gets its shipment, not "exhausted".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F

from warden.accounts.actors import Actor, person, the_person
from warden.lib import clock
from warden.lib.errors import Conflict, InvalidInput, NotPermitted
from warden.licences import destinations, versions
from warden.licences.models import Licence, LicenceLine, Shipment
from warden.licences.money import money, share
from warden.licences.moves import move, sync
from warden.licences.policy import LicenceAction, can_view_licence, check_licence_act

MAX_KEY_LENGTH = 200  # Shipment.idempotency_key


class OverDraw(Conflict):
    """The shipment would take more than is left of the line (quantity or value): the licence, as it stands,
    does not allow it (409 in the API, a message on the form's field in the UI)."""


class KeyReused(Conflict):
    """The idempotency key has already recorded a different shipment on this licence."""


@dataclass(frozen=True)
class Recorded:
    shipment: Shipment
    replayed: bool  # True: the key had recorded this shipment before; nothing new was recorded now


def line_label(ln: LicenceLine) -> str:
    """How people name a line: its number on the licence (from 1, as printed) and its goods."""
    return f"line {ln.goods_line.line_no + 1} ({ln.goods_line.description})"


def _key(raw: str | None) -> str | None:
    if raw is None:
        return None
    key = raw.strip()
    if not key:
        raise InvalidInput(
            "The idempotency key is empty: send one unique key per shipment", field="idempotency_key"
        )
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            f"The idempotency key is {len(key)} characters long; at most {MAX_KEY_LENGTH} are kept",
            field="idempotency_key",
        )
    return key


def _differences(
    earlier: Shipment,
    *,
    line: LicenceLine,
    quantity: int,
    value_amount: Decimal | int | str | None,
    currency: str | None,
    shipped_on: dt.date | None,
    reference: str,
) -> list[str]:
    """The fields in which this request differs from the shipment its key recorded. Only what the caller
    gave is compared: a value left to be computed, or a date left to default, is whatever it was then."""
    differ = []
    if earlier.line_id != line.pk:
        differ.append("line")
    if earlier.quantity != quantity:
        differ.append("quantity")
    if value_amount is not None and money(value_amount) != earlier.value_amount:
        differ.append("value_amount")
    if currency is not None and currency.strip().upper() != earlier.currency:
        differ.append("currency")
    if shipped_on is not None and shipped_on != earlier.shipped_on:
        differ.append("shipped_on")
    if (reference or "").strip()[:100] != earlier.reference:
        differ.append("reference")
    return differ


@transaction.atomic
def record_shipment_once(
    *,
    actor: Actor,
    licence: Licence,
    line: LicenceLine,
    quantity: int,
    value_amount: Decimal | int | str | None = None,
    currency: str | None = None,
    shipped_on: dt.date | None = None,
    reference: str = "",
    idempotency_key: str | None = None,
    destination: str | None = None,
) -> Recorded:
    """Draw a shipment down against one licence line, or return the one `idempotency_key` already recorded.

    `value_amount` defaults to the line's share of its licensed value for `quantity` (never more than is
    left); `currency`, when given, must be the line's; `shipped_on` defaults to today. Non-durable, so that
    a CSV return records all its rows in one transaction. On a global licence `destination` (a country) must
    be one of its destination lines, whose own caps the shipment also draws down (warden.licences.destinations)."""
    locked = Licence.objects.select_for_update().select_related("case").get(pk=licence.pk)
    key = _key(idempotency_key)
    recorder = person(actor)
    if key is not None and recorder is not None:
        earlier = (
            Shipment.objects.filter(licence=locked, recorded_by=recorder, idempotency_key=key)
            .select_related("line__goods_line")
            .first()
        )
        if earlier is not None:
            if not can_view_licence(recorder, locked):
                raise NotPermitted(f"No licence {locked.number} is visible to you")
            differ = _differences(
                earlier,
                line=line,
                quantity=quantity,
                value_amount=value_amount,
                currency=currency,
                shipped_on=shipped_on,
                reference=reference,
            )
            if differ:
                raise KeyReused(
                    f"The key {key!r} was used for a different shipment on licence {locked.number} "
                    f"({earlier.quantity} of {line_label(earlier.line)} shipped on {earlier.shipped_on}); "
                    f"this one differs in {', '.join(differ)}. Nothing was recorded: use a new key for a "
                    "new shipment",
                    field="idempotency_key",
                )
            sync(licence, locked)
            return Recorded(earlier, replayed=True)
    check_licence_act(actor, locked, LicenceAction.RECORD_SHIPMENT)
    ln = LicenceLine.objects.select_for_update().select_related("goods_line").get(pk=line.pk)
    if ln.licence_id != locked.pk:
        raise InvalidInput(f"That line is not on licence {locked.number}", field="line")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise InvalidInput("The quantity shipped must be a positive whole number", field="quantity")
    today = clock.today()
    on = shipped_on or today
    if on > today:
        raise InvalidInput(
            f"Shipped on {on}: a shipment cannot be dated after today ({today})", field="shipped_on"
        )
    if not (locked.valid_from <= on <= locked.valid_until):
        raise InvalidInput(
            f"Licence {locked.number} is valid from {locked.valid_from} to {locked.valid_until}; "
            f"a shipment on {on} is outside that",
            field="shipped_on",
        )
    label = line_label(ln)
    _check_version_in_force(locked, ln, on, quantity, label)
    if currency is not None:
        given = currency.strip().upper()
        if given != ln.currency:
            raise InvalidInput(
                f"{label.capitalize()} of licence {locked.number} is licensed in {ln.currency}; "
                f"this shipment is in {given or 'no currency'}. Give its value in {ln.currency}",
                field="currency",
            )
    # A global licence: the shipment's country must be one of its destination lines, covering these goods.
    dest = destinations.line_for_shipment(locked, destination, ln)
    left_qty = ln.quantity - ln.shipped_quantity
    if quantity > left_qty:
        raise OverDraw(
            f"Over-draw refused: {label} of licence {locked.number} has {left_qty} of {ln.quantity} left; "
            f"this shipment is {quantity}",
            field="quantity",
        )
    left_value = money(ln.value_amount - ln.shipped_value)
    if value_amount is None:
        value = min(share(ln.value_amount, quantity, ln.quantity), left_value)
    else:
        value = money(value_amount)
    if value < 0:
        raise InvalidInput("The value shipped cannot be negative", field="value_amount")
    if value > left_value:
        raise OverDraw(
            f"Over-draw refused: {label} of licence {locked.number} has {left_value} {ln.currency} of "
            f"{money(ln.value_amount)} {ln.currency} left; this shipment is worth {value} {ln.currency}",
            field="value_amount",
        )
    if dest is not None:
        destinations.check_caps(locked, dest, quantity, value)
    shipment = Shipment.objects.create(
        licence=locked,
        line=ln,
        destination=dest,
        quantity=quantity,
        value_amount=value,
        currency=ln.currency,
        shipped_on=on,
        recorded_by=the_person(actor, "record a shipment"),
        reference=(reference or "").strip()[:100],
        idempotency_key=key or "",
    )
    ln.shipped_quantity += quantity
    ln.shipped_value = money(ln.shipped_value + value)
    ln.save(update_fields=["shipped_quantity", "shipped_value"])
    if dest is not None:
        destinations.draw_down(dest, quantity, value)
    data = {
        "shipment": shipment.pk,
        "line": ln.goods_line.line_no,
        "quantity": quantity,
        "value": str(value),
        "currency": ln.currency,
        "shipped_on": on.isoformat(),
        "reference": shipment.reference,
        **({"destination": dest.country} if dest is not None else {}),
    }
    move(actor=actor, licence=locked, action=LicenceAction.RECORD_SHIPMENT, data=data)
    if not LicenceLine.objects.filter(licence=locked, shipped_quantity__lt=F("quantity")).exists():
        move(
            actor=actor,
            licence=locked,
            action=LicenceAction.EXHAUST,
            reason="every line has been shipped in full",
        )
    sync(licence, locked)
    return Recorded(shipment, replayed=False)


def record_shipment(
    *,
    actor: Actor,
    licence: Licence,
    line: LicenceLine,
    quantity: int,
    value_amount: Decimal | int | str | None = None,
    currency: str | None = None,
    shipped_on: dt.date | None = None,
    reference: str = "",
    idempotency_key: str | None = None,
    destination: str | None = None,
) -> Shipment:
    """record_shipment_once, for callers that need only the shipment (recorded now or before)."""
    return record_shipment_once(
        actor=actor,
        licence=licence,
        line=line,
        quantity=quantity,
        value_amount=value_amount,
        currency=currency,
        shipped_on=shipped_on,
        reference=reference,
        idempotency_key=idempotency_key,
        destination=destination,
    ).shipment


def _check_version_in_force(
    licence: Licence, ln: LicenceLine, on: dt.date, quantity: int, label: str
) -> None:
    """A shipment dated before the last amendment is checked against the version in force on its date too:
    the line must have been on it, and that version's quantity must still cover what was shipped."""
    v = versions.version_on(licence, on)
    if v.effective_until is None:
        return  # the version in force now: the live line is that version
    then = next((x for x in v.lines if x["line"] == ln.pk), None)
    if then is None:
        raise InvalidInput(
            f"{label.capitalize()} was not on version {v.number} of licence {licence.number}, in force on "
            f"{on}: it was added by a later amendment",
            field="shipped_on",
        )
    if ln.shipped_quantity + quantity > int(then["quantity"]):
        raise OverDraw(
            f"Over-draw refused: on {on} version {v.number} of licence {licence.number} licensed "
            f"{then['quantity']} of {label}, and {ln.shipped_quantity} have been shipped; this shipment is "
            f"{quantity}",
            field="quantity",
        )


def left_on(ln: LicenceLine) -> tuple[int, Decimal]:
    """What is left of a line: (quantity, value in the line's currency)."""
    return ln.quantity - ln.shipped_quantity, money(ln.value_amount - ln.shipped_value)
