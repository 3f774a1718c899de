"""The request and response shapes of the licence API (warden.licences.api). Amounts are strings with two
decimals (rounded by warden.licences.money), never JSON numbers, so that no client reads 0.1 as 0.1000000001."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

MAX_INT = 2_147_483_647  # the database's integer: a larger quantity could never be licensed


class LicenceLineOut(Schema):
    line: int = Field(description="the line's number on the licence, from 1")
    goods: str
    rating: str
    quantity: int
    shipped_quantity: int
    quantity_left: int
    value_amount: str
    shipped_value: str
    value_left: str
    currency: str


class ShipmentOut(Schema):
    id: int
    licence: str
    line: int
    goods: str
    quantity: int
    value_amount: str
    currency: str
    shipped_on: dt.date
    reference: str
    recorded_at: dt.datetime


class LicenceSummaryOut(Schema):
    number: str
    status: str = Field(description="as of today: an issued licence past its validity reads expired")
    status_label: str
    in_force: bool = Field(description="shipments may be recorded against it now")
    application: str
    holder: str
    destination: str
    valid_from: dt.date
    valid_until: dt.date


class LicencePageOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[LicenceSummaryOut]


class DestinationOut(Schema):
    country: str
    goods_lines: list[int] = Field(description="the licence lines it covers, numbered from 1")
    parties: list[dict[str, Any]]
    quantity_cap: int | None
    quantity_shipped: int
    value_cap: str | None
    value_shipped: str
    currency: str


class LicenceDetailOut(LicenceSummaryOut):
    conditions: str
    lines: list[LicenceLineOut]
    destinations: list[DestinationOut] = Field(
        description="a global licence's destination lines; [] otherwise"
    )
    refused_destinations: list[dict[str, Any]]
    shipments: list[ShipmentOut]


class ShipmentIn(Schema):
    line: int = Field(ge=1, le=MAX_INT, description="the line's number on the licence, from 1")
    quantity: int = Field(ge=1, le=MAX_INT)
    value_amount: Decimal | None = Field(
        default=None,
        description="omit for the line's share of its licensed value; rounded half up to the cent",
    )
    currency: str = Field(max_length=3, description="the line's currency (ISO 4217); any other is refused")
    shipped_on: dt.date = Field(description="not after today, within the licence's validity")
    reference: str = Field(default="", max_length=100, description="e.g. the air waybill or declaration")
    destination: str | None = Field(
        default=None,
        max_length=2,
        description="on a global licence, the country shipped to: one of the licence's destinations",
    )


class ReturnsImportOut(Schema):
    recorded: int
    already_recorded: int
    summary: str
    shipments: list[ShipmentOut] = Field(description="every row's shipment, recorded now or before")
