"""Reading a SIPRI Arms Transfers Database trade register (CSV), pure Python: no database, no Django.

Two formats exist (docs: shared after-licence.md 6.2):
- the current export (armstransfers.sipri.org): 11 preamble lines (title, notes, "Source:", "Data
  generated:"), then `SIPRI AT Database ID,Supplier,Recipient,...`, one row per deal and delivery year;
- the legacy export (armstrade.sipri.org): header `Recipient,Supplier,Year of order, ,Number ordered, ,...`
  with three unnamed `?` columns, one row per deal, its delivery years as "1988; 1989; 1990".

Every row is checked; the first bad one raises SipriFormatError naming the line and the column, and the
caller stores nothing. Country names map to ISO codes through the screening matcher's table of spellings
(plus SIPRI's own historic names below); a name that maps to nothing keeps an empty code, never dropped."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from warden.screening.matcher.countries import country_code

MAX_BYTES = 50 * 1024 * 1024  # the full register since 1950 is about 30 MB
MAX_TEXT = 200  # the Transfer columns' length

REGISTER_HEADER = (
    "SIPRI AT Database ID", "Supplier", "Recipient", "Designation", "Description", "Armament category",
    "Order date", "Order date is estimate", "Numbers delivered", "Numbers delivered is estimate",
    "Delivery year", "Delivery year is estimate", "Status", "SIPRI estimate", "TIV deal unit",
    "TIV delivery values", "Local production",
)  # fmt: skip
LEGACY_FIRST = ("Recipient", "Supplier", "Year of order")
STATUSES = frozenset({"New", "Second hand", "Second hand but modernized"})
# SIPRI's categories (sources and methods); the legacy export has none: see LEGACY_CATEGORY.
CATEGORIES = (
    "Aircraft", "Air defence systems", "Armoured vehicles", "Artillery", "Engines", "Missiles",
    "Naval weapons", "Satellites", "Sensors", "Ships", "Other",
)  # fmt: skip
# The legacy export's weapon description -> a SIPRI category, first match wins (Warden's own reading of
# SIPRI's descriptions, not SIPRI's: rows it classifies are shown as "derived" where it matters).
LEGACY_CATEGORY: tuple[tuple[str, str], ...] = (
    ("satellite", "Satellites"),
    ("engine", "Engines"), ("turbofan", "Engines"), ("turboshaft", "Engines"), ("turboprop", "Engines"),
    ("gas turbine", "Engines"), ("diesel", "Engines"),
    ("naval gun", "Naval weapons"), ("torpedo", "Naval weapons"), ("ciws", "Naval weapons"),
    ("radar", "Sensors"), ("sonar", "Sensors"), ("sensor", "Sensors"), ("fire control", "Sensors"),
    ("sam system", "Air defence systems"), ("mobile sam", "Air defence systems"),
    ("aa gun", "Air defence systems"), ("air defence", "Air defence systems"),
    ("missile", "Missiles"), ("sam", "Missiles"), ("ssm", "Missiles"), ("asm", "Missiles"),
    ("aam", "Missiles"), ("rocket", "Missiles"), ("guided bomb", "Missiles"),
    ("aircraft", "Aircraft"), ("helicopter", "Aircraft"), ("uav", "Aircraft"), ("airship", "Aircraft"),
    ("tank", "Armoured vehicles"), ("apc", "Armoured vehicles"), ("ifv", "Armoured vehicles"),
    ("apv", "Armoured vehicles"), ("av", "Armoured vehicles"), ("armoured", "Armoured vehicles"),
    ("gun", "Artillery"), ("howitzer", "Artillery"), ("mortar", "Artillery"), ("mrl", "Artillery"),
    ("frigate", "Ships"), ("corvette", "Ships"), ("submarine", "Ships"), ("craft", "Ships"),
    ("ship", "Ships"), ("destroyer", "Ships"), ("carrier", "Ships"), ("landing", "Ships"),
)  # fmt: skip
# Names SIPRI writes that the sanctions lists' table does not hold. Historic states keep their own name with
# no code: their transfers are not any present state's.
HISTORIC = frozenset(
    {"soviet union", "czechoslovakia", "yugoslavia", "east germany (gdr)", "north yemen", "south yemen",
     "south vietnam", "ussr"}
)  # fmt: skip
EXTRA_CODES = {"turkiye": "TR", "czechia": "CZ", "bosnia-herzegovina": "BA", "uae": "AE", "dr congo": "CD"}


class SipriFormatError(ValueError):
    """What is wrong, and where (line number in the file, column)."""

    def __init__(self, message: str, *, line: int | None = None, column: str = "") -> None:
        where = f"line {line}" if line else ""
        if column:
            where = f"{where}, column {column!r}" if where else f"column {column!r}"
        super().__init__(f"{where}: {message}" if where else message)
        self.line, self.column = line, column


@dataclass
class Register:
    fmt: str
    title: str = ""
    data_generated: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)


def code_of(name: str) -> str:
    """The ISO code of a SIPRI country name, or "" (unknown supplier, non-state actor, historic state)."""
    text = name.strip()
    low = text.lower()
    if not text or low.startswith("unknown") or text.endswith("*") or low in HISTORIC:
        return ""
    return EXTRA_CODES.get(low) or country_code(text) or ""


def _text(value: str, line: int, column: str, *, required: bool = False) -> str:
    text = value.strip()
    if "\x00" in text:
        raise SipriFormatError("contains a NUL character", line=line, column=column)
    if required and not text:
        raise SipriFormatError("is empty", line=line, column=column)
    if len(text) > MAX_TEXT:
        raise SipriFormatError(
            f"is {len(text)} characters long (at most {MAX_TEXT})", line=line, column=column
        )
    return text


def _year(value: str, line: int, column: str) -> int | None:
    text = value.strip().rstrip("?").strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100):
        raise SipriFormatError(f"{value!r} is not a year", line=line, column=column)
    return int(text)


def _int(value: str, line: int, column: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise SipriFormatError(f"{value!r} is not a whole number", line=line, column=column)
    return int(text)


def _tiv(value: str, line: int, column: str) -> Decimal | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise SipriFormatError(f"{value!r} is not a number", line=line, column=column) from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e10"):
        raise SipriFormatError(f"{value!r} is not a TIV (millions, 0 or more)", line=line, column=column)
    return number.quantize(Decimal("0.0001"))


def _yes(value: str, line: int, column: str) -> bool:
    text = value.strip()
    if text in ("Yes", "?"):
        return True
    if text in ("No", ""):
        return False
    raise SipriFormatError(f"{value!r} is neither Yes nor No", line=line, column=column)


def _status(value: str, line: int) -> str:
    text = value.strip()
    if text and text not in STATUSES:
        raise SipriFormatError(f"{value!r} is not a SIPRI status ({', '.join(sorted(STATUSES))})", line=line,
                               column="Status")  # fmt: skip
    return text


def legacy_category(description: str) -> str:
    low = f" {description.lower()} "
    for word, category in LEGACY_CATEGORY:
        if f" {word}" in low or f"{word} " in low or f"/{word}" in low or f"{word}/" in low:
            return category
    return "Other"


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise SipriFormatError(f"the file is {len(data):,} bytes (at most {MAX_BYTES:,})")
    if not data.strip():
        raise SipriFormatError("the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older legacy exports are Latin-1 (after-licence.md 6.2); every byte decodes, so this cannot fail.
        return data.decode("latin-1")


def parse(data: bytes) -> Register:
    """The rows of a trade register, or SipriFormatError for the first thing wrong."""
    lines = _decode(data).splitlines()
    for index, line in enumerate(lines[:40]):
        if line.startswith("SIPRI AT Database ID,"):
            return _register(lines, index)
        if line.startswith(",".join(LEGACY_FIRST)):
            return _legacy(lines, index)
    raise SipriFormatError(
        "not a SIPRI trade register: no header line starting 'SIPRI AT Database ID,' (current export) or "
        "'Recipient,Supplier,Year of order' (legacy export) in the first 40 lines"
    )


def _rows(lines: list[str], header_at: int) -> list[tuple[int, list[str]]]:
    body = "\n".join(lines[header_at:])
    try:
        parsed = list(csv.reader(io.StringIO(body)))
    except csv.Error as exc:
        raise SipriFormatError(f"unreadable CSV ({exc})") from None
    out, number = [], header_at + 1
    for row in parsed:
        out.append((number, row))
        number += 1
    return out


def _register(lines: list[str], header_at: int) -> Register:
    reg = Register(fmt="register", title=lines[0].strip() if header_at else "")
    for line in lines[:header_at]:
        if line.startswith("Data generated:"):
            reg.data_generated = line.partition(":")[2].strip()[:100]
    rows = _rows(lines, header_at)
    header = tuple(h.strip() for h in rows[0][1])
    if header != REGISTER_HEADER:
        missing = [h for h in REGISTER_HEADER if h not in header]
        raise SipriFormatError(
            f"the header does not match SIPRI's export (missing or renamed: {', '.join(missing) or 'order'})",
            line=rows[0][0],
        )
    for number, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(REGISTER_HEADER):
            raise SipriFormatError(f"has {len(row)} fields, the header {len(REGISTER_HEADER)}", line=number)
        c = dict(zip(REGISTER_HEADER, row, strict=True))
        category = _text(c["Armament category"], number, "Armament category", required=True)
        if category not in CATEGORIES:
            raise SipriFormatError(f"{category!r} is not a SIPRI armament category", line=number,
                                   column="Armament category")  # fmt: skip
        deal = _text(c["SIPRI AT Database ID"], number, "SIPRI AT Database ID", required=True)
        if not deal.isdigit() or len(deal) > 20:
            raise SipriFormatError(
                f"{deal!r} is not a SIPRI deal id", line=number, column="SIPRI AT Database ID"
            )
        supplier = _text(c["Supplier"], number, "Supplier", required=True)
        recipient = _text(c["Recipient"], number, "Recipient", required=True)
        reg.rows.append(
            {
                "deal_id": deal,
                "supplier": supplier,
                "supplier_code": code_of(supplier),
                "recipient": recipient,
                "recipient_code": code_of(recipient),
                "designation": _text(c["Designation"], number, "Designation"),
                "description": _text(c["Description"], number, "Description"),
                "category": category,
                "order_year": _year(c["Order date"], number, "Order date"),
                "order_estimated": _yes(c["Order date is estimate"], number, "Order date is estimate"),
                "number": _int(c["Numbers delivered"], number, "Numbers delivered"),
                "number_estimated": _yes(c["Numbers delivered is estimate"], number, "Numbers delivered is estimate"),
                "delivery_year": _year(c["Delivery year"], number, "Delivery year"),
                "delivery_estimated": _yes(c["Delivery year is estimate"], number, "Delivery year is estimate"),
                "status": _status(c["Status"], number),
                "tiv_unit": _tiv(c["TIV deal unit"], number, "TIV deal unit"),
                "tiv_delivered": _tiv(c["TIV delivery values"], number, "TIV delivery values"),
                "local_production": _yes(c["Local production"], number, "Local production"),
                "spread": False,
            }
        )  # fmt: skip
    if not reg.rows:
        raise SipriFormatError("the file holds a header but no transfers")
    return reg


LEGACY_COLUMNS = 16


def _split(total: int | Decimal | None, parts: int, index: int) -> Any:
    """`total` divided over `parts` years, the remainder in the last (integers stay integers)."""
    if total is None or parts == 1:
        return total
    if isinstance(total, int):
        whole = total // parts
        return total - whole * (parts - 1) if index == parts - 1 else whole
    part = (total / parts).quantize(Decimal("0.0001"))
    return total - part * (parts - 1) if index == parts - 1 else part


def _legacy(lines: list[str], header_at: int) -> Register:
    reg = Register(fmt="legacy")
    rows = _rows(lines, header_at)
    if len(rows[0][1]) != LEGACY_COLUMNS:
        raise SipriFormatError(f"the legacy header has {len(rows[0][1])} columns, not {LEGACY_COLUMNS}",
                               line=rows[0][0])  # fmt: skip
    for number, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != LEGACY_COLUMNS:
            raise SipriFormatError(f"has {len(row)} fields, the header {LEGACY_COLUMNS}", line=number)
        recipient = _text(row[0], number, "Recipient", required=True)
        supplier = _text(row[1], number, "Supplier", required=True)
        description = _text(row[7], number, "Weapon description")
        years_text = row[10].strip()
        years = (
            [_year(y, number, "Year(s) of delivery") for y in years_text.split(";")] if years_text else [None]
        )
        delivered = _int(row[8], number, "Number delivered")
        tiv_total = _tiv(row[15], number, "SIPRI TIV of delivered weapons")
        base = {
            "deal_id": "",
            "supplier": supplier,
            "supplier_code": code_of(supplier),
            "recipient": recipient,
            "recipient_code": code_of(recipient),
            "designation": _text(row[6], number, "Weapon designation"),
            "description": description,
            "category": legacy_category(description),
            "order_year": _year(row[2], number, "Year of order"),
            "order_estimated": row[3].strip() == "?",
            "number_estimated": row[9].strip() == "?",
            "delivery_estimated": False,
            "status": _status(row[11], number),
            "tiv_unit": _tiv(row[13], number, "SIPRI TIV per unit"),
            "local_production": False,
            "spread": len(years) > 1,
        }
        for i, year in enumerate(years):
            reg.rows.append(
                base | {
                    "delivery_year": year,
                    "number": _split(delivered, len(years), i),
                    "tiv_delivered": _split(tiv_total, len(years), i),
                }
            )  # fmt: skip
    if not reg.rows:
        raise SipriFormatError("the file holds a header but no transfers")
    return reg
