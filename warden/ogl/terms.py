"""The terms of one OGL version as plain, checked values: what the publish form, the API and the YAML file
(warden.ogl/1) all hand to warden.ogl.services.publish. Every refusal names the field it is about."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from warden.legislation.countries_iso import ISO_3166_ALPHA2
from warden.lib.errors import InvalidInput
from warden.lib.safe_json import unstorable
from warden.ogl.models import END_USE_FLAGS

REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,59}$")
RATING = re.compile(r"^[A-Z0-9][A-Za-z0-9.]{0,19}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Terms:
    effective_from: dt.date
    effective_until: dt.date | None
    citation: str
    url: str
    conditions: str
    permitted_destinations: tuple[str, ...]
    excluded_destinations: tuple[str, ...]
    permitted_ratings: tuple[str, ...]
    excluded_ratings: tuple[str, ...]
    excluded_end_use_flags: tuple[str, ...]
    max_value: Decimal | None
    max_value_currency: str
    first_report_days: int
    report_every_months: int
    note: str

    def as_fields(self) -> dict[str, Any]:
        """The model fields of an OglVersion holding these terms."""
        return {
            "effective_from": self.effective_from,
            "effective_until": self.effective_until,
            "citation": self.citation,
            "url": self.url,
            "conditions": self.conditions,
            "permitted_destinations": list(self.permitted_destinations),
            "excluded_destinations": list(self.excluded_destinations),
            "permitted_ratings": list(self.permitted_ratings),
            "excluded_ratings": list(self.excluded_ratings),
            "excluded_end_use_flags": list(self.excluded_end_use_flags),
            "max_value": self.max_value,
            "max_value_currency": self.max_value_currency,
            "first_report_days": self.first_report_days,
            "report_every_months": self.report_every_months,
            "note": self.note,
        }


def date(value: Any, name: str, *, required: bool = True) -> dt.date | None:
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{name}: a date is required (YYYY-MM-DD)", field=name)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{name}: {value!r} is not a date (YYYY-MM-DD)", field=name) from None


def text(value: Any, name: str, *, required: bool = True, limit: int = 10_000) -> str:
    out = str(value if value is not None else "").strip()
    if required and not out:
        raise InvalidInput(f"{name}: required", field=name)
    if len(out) > limit:
        raise InvalidInput(f"{name}: at most {limit} characters", field=name)
    problem = unstorable(out)  # a NUL is a DataError on PostgreSQL, a lone surrogate one on save
    if problem:
        raise InvalidInput(f"{name}: {problem.replace(' at /', '')}", field=name)
    return out


def codes(value: Any, name: str) -> tuple[str, ...]:
    """A list of ISO 3166-1 codes, given as a list or as text separated by commas or spaces."""
    items = re.split(r"[\s,]+", value) if isinstance(value, str) else list(value or [])
    out: list[str] = []
    for item in items:
        if isinstance(item, bool):  # YAML 1.1 reads a bare NO (Norway) as false
            raise InvalidInput(f'{name}: {item!r} is not a country code (quote "NO" in YAML)', field=name)
        code = str(item).strip().upper()
        if not code:
            continue
        if code not in ISO_3166_ALPHA2:
            raise InvalidInput(f"{name}: {item!r} is not an ISO 3166-1 country code", field=name)
        if code not in out:
            out.append(code)
    return tuple(out)


def ratings(value: Any, name: str) -> tuple[str, ...]:
    items = re.split(r"[\s,]+", value) if isinstance(value, str) else list(value or [])
    out: list[str] = []
    for item in items:
        rating = str(item).strip()
        if not rating:
            continue
        if not RATING.match(rating):
            raise InvalidInput(
                f"{name}: {item!r} is not a control-list rating (ML10.d, 5A002, ...)", field=name
            )
        if rating not in out:
            out.append(rating)
    return tuple(out)


def flags(value: Any, name: str) -> tuple[str, ...]:
    items = re.split(r"[\s,]+", value) if isinstance(value, str) else list(value or [])
    out: list[str] = []
    for item in items:
        flag = str(item).strip().lower()
        if not flag:
            continue
        if flag not in END_USE_FLAGS:
            raise InvalidInput(
                f"{name}: {item!r} is not an end-use flag ({', '.join(END_USE_FLAGS)})", field=name
            )
        if flag not in out:
            out.append(flag)
    return tuple(out)


def amount(value: Any, name: str, *, required: bool = True) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{name}: an amount is required", field=name)
        return None
    if isinstance(value, float):
        value = str(value)  # 0.1 stays 0.1, not its binary expansion
    try:
        out = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise InvalidInput(f"{name}: {value!r} is not an amount", field=name) from None
    if not out.is_finite() or out <= 0 or out >= Decimal("1e14"):
        raise InvalidInput(f"{name}: must be a positive amount below 10^14", field=name)
    return out.quantize(CENT)


def currency(value: Any, name: str, *, required: bool = True) -> str:
    out = str(value or "").strip().upper()
    if not out and not required:
        return ""
    if not CURRENCY.match(out):
        raise InvalidInput(f"{name}: {value!r} is not an ISO 4217 currency code (GBP, EUR, ...)", field=name)
    return out


def whole(value: Any, name: str, *, default: int | None = None, low: int = 1, high: int = 10**9) -> int:
    if (value is None or value == "") and default is not None:
        return default
    try:
        out = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(f"{name}: {value!r} is not a whole number", field=name) from None
    if not low <= out <= high:
        raise InvalidInput(f"{name}: must be between {low} and {high}", field=name)
    return out


def parse_terms(raw: Mapping[str, Any]) -> Terms:
    """Checked terms from a mapping (a YAML version, a form's data, an API body)."""
    start = date(raw.get("effective_from"), "effective_from")
    assert start is not None
    until = date(raw.get("effective_until"), "effective_until", required=False)
    if until is not None and until <= start:
        raise InvalidInput("effective_until: must be after effective_from", field="effective_until")
    permitted = codes(raw.get("permitted_destinations"), "permitted_destinations")
    if not permitted:
        raise InvalidInput(
            "permitted_destinations: name at least one country", field="permitted_destinations"
        )
    excluded = codes(raw.get("excluded_destinations"), "excluded_destinations")
    both = sorted(set(permitted) & set(excluded))
    if both:
        raise InvalidInput(
            f"excluded_destinations: {', '.join(both)} also permitted; a country is one or the other",
            field="excluded_destinations",
        )
    allowed = ratings(raw.get("permitted_ratings"), "permitted_ratings")
    if not allowed:
        raise InvalidInput("permitted_ratings: name at least one rating prefix", field="permitted_ratings")
    cap = amount(raw.get("max_value"), "max_value", required=False)
    cap_currency = currency(raw.get("max_value_currency"), "max_value_currency", required=cap is not None)
    if cap is None:
        cap_currency = ""
    return Terms(
        effective_from=start,
        effective_until=until,
        citation=text(raw.get("citation"), "citation", limit=500),
        url=text(raw.get("url"), "url", required=False, limit=500),
        conditions=text(raw.get("conditions"), "conditions"),
        permitted_destinations=permitted,
        excluded_destinations=excluded,
        permitted_ratings=allowed,
        excluded_ratings=ratings(raw.get("excluded_ratings"), "excluded_ratings"),
        excluded_end_use_flags=flags(raw.get("excluded_end_use_flags"), "excluded_end_use_flags"),
        max_value=cap,
        max_value_currency=cap_currency,
        first_report_days=whole(raw.get("first_report_days"), "first_report_days", default=30, high=366),
        report_every_months=whole(raw.get("report_every_months"), "report_every_months", default=6, high=24),
        note=text(raw.get("note"), "note", required=False),
    )
