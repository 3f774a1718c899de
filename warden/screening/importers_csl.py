"""US Consolidated Screening List: the API's JSON and the downloadable CSV, in both CSV layouts.

- Since about 2020 the CSV starts with an `_id` column (the OFAC entity number for OFAC rows, a hash
  for the others) and writes `ids` as "Type, Number[, Country]" items separated by "; ".
- The 2017-2019 CSV has no `_id`, leaves `entity_number` empty for every non-OFAC row (DPL, DTC, EL,
  ISN...) and writes `ids` the other way round, "[Country, ]Number, Type". Rows without an id are given
  a derived one: a hash of the source list, the name and the addresses, which are what identify a
  listing there, so the same row keeps its id across re-imports and a remembered decision stays
  remembered. Two rows alike in all three (rare) are told apart by their notice and start date.
- Many rows have no `type` (the BIS and State lists leave it blank). They are typed from the source list
  and the fields: a row with a date or place of birth or a citizenship is a person; on the lists that
  list people by name (Denied Persons, ITAR debarred) a name shaped like a person's is a person.
- `ids` items that are sanctions notes ("Secondary sanctions risk:", "... Directive Determination -")
  or facts other than identifiers (gender, former flag) are kept in `notes`, not as identifiers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from warden.lib import safe_json
from warden.screening import listfields as lf
from warden.screening.listentry import ListFormatError, ParsedEntry, clean

# Source lists whose untyped rows are mostly individuals named as such.
PERSON_LISTS = ("denied persons list", "(dpl)", "itar debarred", "(dtc)", "aeca debarred")
_NOT_IDENTIFIERS = {
    "gender",
    "former vessel flag",
    "vessel flag",
    "organization type",
    "organization established date",
}
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ORG_WORDS = re.compile(
    r"\b(and|of|the|for|company|co|corp|corporation|inc|incorporated|ltd|limited|llc|gmbh|ag|sa|srl|bv|plc|"
    r"group|international|trading|trade|industries|industrial|technology|technologies|technik|systems|"
    r"services|enterprises?|import|export|bank|university|institute|academy|center|centre|research|"
    r"laboratory|factory|plant|works|ministry|department|agency|logistics|aviation|airlines?|shipping|"
    r"electronics|engineering|consulting|holdings?|associates|partners|foundation)\b",
    re.IGNORECASE,
)
_PERSONISH = re.compile(r"^[A-Za-zÀ-ÿ'’.\- ]+$")


def looks_like_person(name: str) -> bool:
    """A name of two to five words of letters, with no organisation word, legal form, digit or '&'."""
    words = name.replace(",", " ").split()
    return (
        2 <= len(words) <= 5
        and bool(_PERSONISH.match(name.replace(",", " ")))
        and not _ORG_WORDS.search(name)
    )


def _kind(row: dict[str, Any], name: str, source: str, has_birth: bool) -> str:
    kind_raw = str(row.get("type") or "").strip().lower()
    if kind_raw in ("individual", "person"):
        return "person"
    if kind_raw in ("vessel", "aircraft"):
        return "vessel"
    if kind_raw:
        return "organisation"
    address = " ".join(str(a) for a in (row.get("addresses") or []) if isinstance(row.get("addresses"), list))
    address = address or str(row.get("addresses") or "")
    if has_birth or "inmate number" in address.lower():
        return "person"
    if any(k in source.lower() for k in PERSON_LISTS) and looks_like_person(name):
        return "person"
    return "organisation"


def _id_item(text: str, type_first: bool) -> tuple[dict[str, str] | None, str]:
    """One `ids` item of the CSV: (identifier, None) or (None, note)."""
    parts = [p.strip() for p in text.split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return None, ""
    label = parts[0] if type_first else parts[-1]
    rest = parts[1:] if type_first else parts[:-1]
    if len(parts) == 1 or label.endswith((":", "-")) or label.lower() in _NOT_IDENTIFIERS:
        return None, text.strip()
    country = ""
    if type_first and len(rest) >= 2 and _COUNTRY.match(rest[-1]):
        country, rest = rest[-1], rest[:-1]
    elif not type_first and len(rest) >= 2 and _COUNTRY.match(rest[0]):
        country, rest = rest[0], rest[1:]
    return lf.identifier(label, ", ".join(rest), country), ""


def _ids(e: ParsedEntry, value: Any, type_first: bool) -> None:
    if isinstance(value, list):
        for i in value:
            if not isinstance(i, dict):
                continue
            type_ = str(i.get("type") or "")
            if type_.endswith((":", "-")) or type_.lower() in _NOT_IDENTIFIERS:
                e.notes += clean([f"{type_} {i.get('number') or ''}"])
                continue
            e.add_identifier(
                lf.identifier(
                    type_,
                    str(i.get("number") or ""),
                    str(i.get("country") or ""),
                    issued=i.get("issue_date"),
                    expires=i.get("expiration_date"),
                )
            )
        return
    for item in str(value or "").split(";"):
        rec, note = _id_item(item, type_first)
        if rec:
            e.add_identifier(rec)
        elif note:
            e.notes += clean([note])


def _derived_id(source: str, name: str, addresses: list[str]) -> str:
    key = "\x1f".join([" ".join(source.split()).lower(), " ".join(name.split()).lower(), *sorted(addresses)])
    return "csl-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _csl_entry(row: dict[str, Any], where: str, type_first: bool) -> ParsedEntry:
    def multi(key: str) -> list[str]:
        v = row.get(key)
        if isinstance(v, list):
            return clean([x for x in v if isinstance(x, str)])
        return clean([x for x in str(v or "").split(";")])

    name = " ".join(str(row.get("name") or "").split())
    if not name:
        raise ListFormatError(f"{where}: missing name")
    source = " ".join(str(row.get("source") or "").split())
    addresses: list[str] = []
    countries: list[str] = []
    raw_addresses = row.get("addresses") or []
    if isinstance(raw_addresses, list):
        for a in raw_addresses:
            if isinstance(a, dict):
                fields = [a.get(k) for k in ("address", "city", "state", "postal_code", "country")]
                addresses += clean([", ".join(str(f) for f in fields if f)])
                countries += clean([a.get("country")])
    else:
        addresses = multi("addresses")
        # The CSV writes the country code last in each address ("..., Moscow, 115035, RU").
        countries = clean(
            [a.rsplit(",", 1)[-1].strip() for a in addresses if _COUNTRY.match(a.rsplit(",", 1)[-1].strip())]
        )
    ref = str(row.get("id") or row.get("_id") or row.get("entity_number") or "").strip()
    births = multi("dates_of_birth")
    has_birth = bool(births or multi("places_of_birth") or multi("citizenships"))
    e = ParsedEntry(ref or _derived_id(source, name, addresses), _kind(row, name, source, has_birth), "")
    e.add_name(name, "primary")
    for alias in multi("alt_names"):
        e.add_name(alias, "alias")
    for dob in births:
        e.add_dob_text(dob)
    e.add_countries(
        e.nationalities, multi("nationalities") + multi("citizenships"), "nationality", codes=True
    )
    e.addresses = addresses
    e.add_countries(e.countries, countries, "country", codes=True)
    _ids(e, row.get("ids"), type_first)
    e.programs = multi("programs")
    if source:
        e.programs = clean([*e.programs, source])
    return e


def _unique(entries: Iterator[tuple[ParsedEntry, dict[str, Any]]]) -> Iterator[ParsedEntry]:
    """Derived ids that collide (same list, name and addresses) are told apart by notice and date."""
    seen: set[str] = set()
    for e, row in entries:
        if e.entry_id in seen and e.entry_id.startswith("csl-"):
            extra = f"{row.get('federal_register_notice') or ''}|{row.get('start_date') or ''}"
            e.entry_id = e.entry_id + "-" + hashlib.sha256(extra.encode()).hexdigest()[:8]
        seen.add(e.entry_id)
        yield e


def parse_us_csl_json(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    try:
        # safe_json: nesting, 5,000-digit numbers and NaN are a format error here, not a crash.
        doc = safe_json.loads(fh.read())
    except json.JSONDecodeError as exc:
        raise ListFormatError(
            f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ListFormatError(f"not UTF-8 at byte {exc.start}") from exc
    rows = doc.get("results") if isinstance(doc, dict) else doc
    if not isinstance(rows, list):
        raise ListFormatError("/results: expected a list of entries")

    def gen() -> Iterator[tuple[ParsedEntry, dict[str, Any]]]:
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                raise ListFormatError(f"/results/{i}: expected an object")
            yield _csl_entry(row, f"/results/{i}", True), row

    yield from _unique(gen())


def parse_us_csl_csv(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)

    def gen() -> Iterator[tuple[ParsedEntry, dict[str, Any]]]:
        if not reader.fieldnames or "name" not in reader.fieldnames:
            raise ListFormatError("line 1: header must include a 'name' column")
        # The layout with `_id` writes ids "Type, Number, Country"; the older one "Country, Number, Type".
        type_first = "_id" in reader.fieldnames or "id" in reader.fieldnames
        for row in reader:
            if None in row:
                raise ListFormatError(f"line {reader.line_num}: more fields than the header")
            yield _csl_entry(row, f"line {reader.line_num}", type_first), row

    try:
        yield from _unique(gen())
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ListFormatError(f"line {reader.line_num}: {exc}") from exc
