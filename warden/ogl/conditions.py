"""The conditions of an OGL a reported use must meet: the registration covered the shipment date (from its
status history), and the terms of the version in force on that date (destination, ratings, end-use
concerns, value cap). Each refusal is an InvalidInput naming the field and the condition broken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from warden.lib import clock
from warden.lib.errors import InvalidInput
from warden.ogl.models import OglRegistration, OglVersion, RegistrationStatus
from warden.rules.model import rating_matches

S = RegistrationStatus


def covered(reg: OglRegistration, day: dt.date) -> None:
    status = reg.status_on(day)
    if status is None:
        registered = clock.local_date(reg.registered_at)
        raise InvalidInput(
            f"shipped_on: {day} is before the registration ({registered}); an OGL is registered before first use",
            field="shipped_on",
        )
    if status != S.EXTANT:
        raise InvalidInput(
            f"shipped_on: on {day} registration {reg.reference} was {S(status).label.lower()}; "
            "it did not cover the shipment",
            field="shipped_on",
        )


def check_use(
    v: OglVersion,
    *,
    destination: str,
    ratings: Iterable[str],
    flags: Iterable[str],
    value: Decimal,
    currency: str,
) -> None:
    """Refuse the first condition of version `v` the use breaks, naming the field and the condition."""
    ref = f"{v.ogl.reference} (version {v.number}, in force from {v.effective_from})"
    if destination in v.excluded_destinations:
        raise InvalidInput(f"destination: {destination} is excluded by {ref}", field="destination")
    if destination not in v.permitted_destinations:
        raise InvalidInput(
            f"destination: {destination} is not a permitted destination of {ref}; permitted: "
            f"{', '.join(v.permitted_destinations)}",
            field="destination",
        )
    for rating in ratings:
        barred = next((p for p in v.excluded_ratings if rating_matches(rating, p)), None)
        if barred:
            raise InvalidInput(
                f"ratings: {rating} is excluded by {ref} (excluded: {barred})", field="ratings"
            )
        if not any(rating_matches(rating, p) for p in v.permitted_ratings):
            raise InvalidInput(
                f"ratings: {rating} is not within the ratings {ref} permits ({', '.join(v.permitted_ratings)})",
                field="ratings",
            )
    concerns = [f for f in flags if f in v.excluded_end_use_flags]
    if concerns:
        raise InvalidInput(
            f"end_use_flags: {ref} may not be used where there is a {', '.join(concerns)} end-use concern; "
            "apply for an individual licence",
            field="end_use_flags",
        )
    if v.max_value is not None:
        if currency != v.max_value_currency:
            raise InvalidInput(
                f"currency: {ref} caps a shipment at {v.max_value} {v.max_value_currency}; "
                f"report the value in {v.max_value_currency}",
                field="currency",
            )
        if value > v.max_value:
            raise InvalidInput(
                f"value: {value} {currency} is over the cap of {v.max_value} {v.max_value_currency} per shipment "
                f"under {ref}",
                field="value",
            )
