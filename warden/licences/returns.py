"""Shipment returns as a CSV file in a customs-declaration shape (docs/shipments-csv.md):

    licence_number,line,quantity,value_amount,currency,shipped_on,declaration_reference

All or nothing: every row is read and recorded in one transaction through the one shipment service
(warden.licences.shipments.record_shipment_once); the first bad row (unreadable, or refused by the service:
an over-draw, a date after today, another currency, a licence not in force) undoes the whole file, and the
error names its row (the header is row 1, as a spreadsheet numbers them) and its column.

The declaration reference is the idempotency key (with the line number, since one declaration may clear
several lines of a licence), so importing the same file again records nothing new: "0 recorded, 3 already
recorded". One audit entry summarises the import, beside the entry of each shipment recorded.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field

from django.db import transaction

from warden.accounts.actors import Actor, the_person
from warden.audit.services import record
from warden.lib.errors import InvalidInput, WardenError
from warden.lib.limits import MAX_POSITIVE_INTEGER
from warden.licences.models import Licence, LicenceLine, Shipment
from warden.licences.policy import visible_licences
from warden.licences.shipments import record_shipment_once

COLUMNS = (
    "licence_number",
    "line",
    "quantity",
    "value_amount",
    "currency",
    "shipped_on",
    "declaration_reference",
)
OPTIONAL = frozenset({"value_amount"})  # empty: the line's share of its licensed value
# A column the header may have: a global licence's shipment names its destination country there.
DESTINATION = "destination"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# The service's names for what it refuses, as the file's columns.
_COLUMN_OF = {
    "line": "line",
    "quantity": "quantity",
    "value_amount": "value_amount",
    "currency": "currency",
    "shipped_on": "shipped_on",
    "idempotency_key": "declaration_reference",
    "reference": "declaration_reference",
    "destination": DESTINATION,
}


@dataclass(frozen=True)
class ReturnRow:
    row: int
    licence: Licence
    line: LicenceLine
    line_no: int  # as printed on the licence, from 1
    quantity: int
    value_amount: str | None  # as written; the shipment service rounds it by the one rule
    currency: str
    shipped_on: dt.date
    declaration_reference: str
    destination: str = ""

    @property
    def key(self) -> str:
        return f"{self.declaration_reference} line {self.line_no}"


@dataclass
class ImportResult:
    recorded: list[Shipment] = field(default_factory=list)
    already: list[Shipment] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.recorded)} recorded, {len(self.already)} already recorded"


def _bad(row: int, column: str, message: str) -> InvalidInput:
    return InvalidInput(f"row {row}, {column}: {message} (nothing recorded)", where=f"row {row}, {column}")


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"The file is over {MAX_BYTES // (1024 * 1024)} MB; split it (nothing recorded)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The file is not UTF-8 text (byte {exc.start} cannot be read); save it as CSV UTF-8 "
            "(nothing recorded)"
        ) from None
    if "\x00" in text:
        raise InvalidInput("The file holds a NUL character: it is not a CSV text file (nothing recorded)")
    return text


def _int(row: int, column: str, raw: str) -> int:
    # ASCII digits only: str.isdigit() also says yes to "²", which int() refuses (a ValueError, a 500), and
    # at most what a PositiveIntegerField holds (int() of 5,000 digits is a ValueError too).
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10 or not 0 < int(raw) <= MAX_POSITIVE_INTEGER:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise _bad(row, column, f"{shown!r} is not a positive whole number (at most {MAX_POSITIVE_INTEGER})")
    return int(raw)


def _read_row(n: int, values: dict[str, str], licences: dict[str, Licence | None], actor: Actor) -> ReturnRow:
    for column in COLUMNS:
        if column not in OPTIONAL and not values[column]:
            raise _bad(n, column, "required")
    number = values["licence_number"]
    if number not in licences:
        licences[number] = visible_licences(actor).filter(number=number).first()
    licence = licences[number]
    if licence is None:
        raise _bad(n, "licence_number", f"no licence {number!r} is visible to you")
    line_no = _int(n, "line", values["line"])
    line = licence.lines.select_related("goods_line").filter(goods_line__line_no=line_no - 1).first()
    if line is None:
        count = licence.lines.count()
        raise _bad(n, "line", f"licence {number} has no line {line_no} (it has {count})")
    try:
        shipped_on = dt.date.fromisoformat(values["shipped_on"])
    except ValueError:
        raise _bad(n, "shipped_on", f"{values['shipped_on']!r} is not a date (YYYY-MM-DD)") from None
    reference = values["declaration_reference"]
    if len(reference) > 100:
        raise _bad(n, "declaration_reference", "longer than 100 characters")
    return ReturnRow(
        row=n,
        licence=licence,
        line=line,
        line_no=line_no,
        quantity=_int(n, "quantity", values["quantity"]),
        value_amount=values["value_amount"] or None,
        currency=values["currency"],
        shipped_on=shipped_on,
        declaration_reference=reference,
        destination=values.get(DESTINATION, ""),
    )


def parse(data: bytes, *, actor: Actor) -> list[ReturnRow]:
    """The file's rows, each naming a licence `actor` may see and one of its lines; InvalidInput naming the
    row and column of the first one that cannot be read. Nothing is recorded here."""
    reader = csv.reader(io.StringIO(_text(data), newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise InvalidInput(f"The file is empty: the first row names the columns {', '.join(COLUMNS)}")
        names = [h.strip().lower() for h in header]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise _bad(
                1,
                missing[0],
                f"the header has no column {', '.join(missing)} (it needs {', '.join(COLUMNS)})",
            )
        where = {c: names.index(c) for c in (*COLUMNS, DESTINATION) if c in names}
        rows: list[ReturnRow] = []
        licences: dict[str, Licence | None] = {}
        for n, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue  # a blank row, as spreadsheets leave at the end
            if len(cells) > len(names):
                raise _bad(n, "row", f"{len(cells)} cells, but the header names {len(names)} columns")
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(f"The file has more than {MAX_ROWS} rows; split it (nothing recorded)")
            values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in where.items()}
            rows.append(_read_row(n, values, licences, actor))
    except csv.Error as exc:
        raise InvalidInput(
            f"row {reader.line_num}: the CSV cannot be read ({exc}) (nothing recorded)"
        ) from None
    if not rows:
        raise InvalidInput("The file has a header but no shipments (nothing recorded)")
    return rows


@transaction.atomic(durable=True)
def import_returns(*, actor: Actor, data: bytes, filename: str = "") -> ImportResult:
    """Record every row of a CSV return, or none. Rows already recorded by this person (same declaration
    reference and line on the same licence, same content) are counted, not recorded again."""
    the_person(actor, "import shipment returns")
    rows = parse(data, actor=actor)
    result = ImportResult()
    for r in rows:
        try:
            done = record_shipment_once(
                actor=actor,
                licence=r.licence,
                line=r.line,
                quantity=r.quantity,
                value_amount=r.value_amount,
                currency=r.currency,
                shipped_on=r.shipped_on,
                reference=r.declaration_reference,
                idempotency_key=r.key,
                destination=r.destination or None,
            )
        except WardenError as exc:
            column = _COLUMN_OF.get(exc.where, "licence_number")
            # The same kind of refusal (an over-draw stays a conflict), naming the row and column.
            raise type(exc)(
                f"row {r.row}, {column}: {exc} (nothing recorded)", where=f"row {r.row}, {column}"
            ) from None
        (result.already if done.replayed else result.recorded).append(done.shipment)
    record(
        actor=actor,
        action="licence.returns_import",
        data={
            "file": filename,
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(rows),
            "recorded": [s.pk for s in result.recorded],
            "already_recorded": [s.pk for s in result.already],
            "licences": sorted({r.licence.number for r in rows}),
        },
    )
    return result
