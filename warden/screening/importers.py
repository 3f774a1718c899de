"""Parsers for the sanctions and denied-party list formats (contracts section 4). No Django here.

Each parser reads a binary file object as a stream (XML with lxml.iterparse, CSV and JSON lines row
by row) and yields ParsedEntry records. Bad input raises ListFormatError naming the line or element;
the import service parses the whole file before writing anything, so a broken file changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from lxml import etree

from warden.lib.canonical import canonical_bytes

FORMATS = ("un-xml", "eu-fsf-xml", "uk-xml", "us-csl-json", "us-csl-csv", "ftm-json")


class ListFormatError(ValueError):
    """The file does not parse; the message names the line or element."""


@dataclass
class ParsedEntry:
    entry_id: str
    kind: str  # person | organisation | vessel | other
    name: str
    aliases: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    original_script: list[str] = field(default_factory=list)
    dates_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    identifiers: list[dict[str, str]] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        return asdict(self)

    def digest(self) -> str:
        """Changes whenever anything about the entry changes: a remembered decision is tied to it."""
        return hashlib.sha256(canonical_bytes(self.data())).hexdigest()


def _clean(values: Any) -> list[str]:
    out: list[str] = []
    for v in values if isinstance(values, list) else [values]:
        if v is None:
            continue
        s = " ".join(str(v).split())
        if s and s not in out:
            out.append(s)
    return out


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _iter_records(fh: IO[bytes], tags: set[str]) -> Iterator[etree._Element]:
    """Yield each record element once parsed, then free it (constant memory on large files)."""
    try:
        for _, elem in etree.iterparse(fh, events=("end",), huge_tree=True, resolve_entities=False):
            if _local(elem.tag) in tags:
                yield elem
                elem.clear()
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise ListFormatError(f"XML syntax error at line {exc.lineno}: {exc.msg}") from exc


def _text(elem: etree._Element, *names: str) -> list[str]:
    """Texts of descendant elements with any of these local names."""
    out: list[str] = []
    for child in elem.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            out.append(" ".join(child.text.split()))
    return out


def _first(elem: etree._Element, name: str) -> str:
    for child in elem:
        if _local(child.tag) == name and child.text:
            return " ".join(child.text.split())
    return ""


def _require(value: str, what: str, elem: etree._Element) -> str:
    if not value:
        raise ListFormatError(f"<{_local(elem.tag)}> at line {elem.sourceline}: missing {what}")
    return value


# --------------------------------------------------------------------------------------------- UN


def parse_un_xml(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    for elem in _iter_records(fh, {"INDIVIDUAL", "ENTITY"}):
        person = _local(elem.tag) == "INDIVIDUAL"
        parts = [_first(elem, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        name = _require(" ".join(p for p in parts if p), "FIRST_NAME", elem)
        ref = _first(elem, "REFERENCE_NUMBER") or _first(elem, "DATAID")
        e = ParsedEntry(
            _require(ref, "REFERENCE_NUMBER or DATAID", elem), "person" if person else "organisation", name
        )
        for alias in elem.iter("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
            quality = _first(alias, "QUALITY").lower()
            for a in _first(alias, "ALIAS_NAME").split("; "):
                if a.strip():
                    (e.weak_aliases if quality in ("low", "weak") else e.aliases).append(a.strip())
        e.original_script = _clean(_text(elem, "NAME_ORIGINAL_SCRIPT"))
        for dob in elem.iter("INDIVIDUAL_DATE_OF_BIRTH"):
            e.dates_of_birth += _clean([_first(dob, "DATE") or _first(dob, "YEAR")])
        for nat in elem.iter("NATIONALITY"):
            e.nationalities += _text(nat, "VALUE")
        for addr in elem.iter("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS"):
            fields = [_first(addr, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")]
            e.addresses += _clean([", ".join(f for f in fields if f)])
            e.countries += _clean([_first(addr, "COUNTRY")])
        for doc in elem.iter("INDIVIDUAL_DOCUMENT"):
            if _first(doc, "NUMBER"):
                e.identifiers.append(
                    {
                        "type": _first(doc, "TYPE_OF_DOCUMENT"),
                        "number": _first(doc, "NUMBER"),
                        "country": _first(doc, "ISSUING_COUNTRY") or _first(doc, "COUNTRY_OF_ISSUE"),
                    }
                )
        e.programs = _clean([_first(elem, "UN_LIST_TYPE")])
        yield e


# --------------------------------------------------------------------------------------------- EU


def parse_eu_fsf_xml(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    for elem in _iter_records(fh, {"sanctionEntity"}):
        ref = elem.get("euReferenceNumber") or elem.get("logicalId") or ""
        kind = "organisation"
        names: list[str] = []
        weak: list[str] = []
        e = ParsedEntry(_require(ref, "euReferenceNumber or logicalId", elem), kind, "")
        for child in elem.iter():
            tag = _local(child.tag)
            if tag == "subjectType":
                code = (child.get("code") or "").lower()
                e.kind = (
                    "person" if code == "person" else "organisation" if code == "enterprise" else code or kind
                )
            elif tag == "nameAlias":
                whole = child.get("wholeName") or " ".join(
                    p for p in (child.get("firstName"), child.get("middleName"), child.get("lastName")) if p
                )
                if whole:
                    (weak if child.get("strong") == "false" else names).append(" ".join(whole.split()))
            elif tag == "birthdate":
                e.dates_of_birth += _clean([child.get("birthdate") or child.get("year")])
            elif tag == "citizenship":
                e.nationalities += _clean([child.get("countryIso2Code")])
            elif tag == "address":
                fields = [child.get(a) for a in ("street", "city", "zipCode", "region", "countryDescription")]
                e.addresses += _clean([", ".join(f for f in fields if f)])
                e.countries += _clean([child.get("countryIso2Code")])
            elif tag == "identification":
                number = child.get("number") or child.get("latinNumber")
                if number:
                    e.identifiers.append(
                        {
                            "type": child.get("identificationTypeCode") or "",
                            "number": number,
                            "country": child.get("countryIso2Code") or "",
                        }
                    )
            elif tag == "regulation":
                e.programs += _clean([child.get("programme")])
        names = _clean(names)
        if not names and weak:
            names, weak = _clean(weak), []
        e.name = _require(names[0] if names else "", "nameAlias@wholeName", elem)
        e.aliases, e.weak_aliases = names[1:], _clean(weak)
        if e.kind not in ("person", "organisation"):
            e.kind = "organisation"
        yield e


# --------------------------------------------------------------------------------------------- UK


def parse_uk_xml(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    for elem in _iter_records(fh, {"Designation"}):
        ref = _require(_first(elem, "UniqueID"), "UniqueID", elem)
        kind_raw = _first(elem, "IndividualEntityShip").lower()
        kind = (
            "person"
            if kind_raw.startswith("individual")
            else "vessel"
            if kind_raw == "ship"
            else "organisation"
        )
        primary: list[str] = []
        aliases: list[str] = []
        for n in elem.iter("Name"):
            parts = [_first(n, f"Name{i}") for i in (1, 2, 3, 4, 5, 6)]
            full = " ".join(p for p in parts if p)
            if full:
                (primary if "primary" in _first(n, "NameType").lower() else aliases).append(full)
        names = _clean(primary + aliases)
        e = ParsedEntry(ref, kind, _require(names[0] if names else "", "Names/Name", elem), aliases=names[1:])
        e.original_script = _clean(_text(elem, "NameNonLatinScript"))
        e.dates_of_birth = _clean(_text(elem, "DOB"))
        e.nationalities = _clean(_text(elem, "Nationality"))
        for addr in elem.iter("Address"):
            lines = [_first(addr, f"AddressLine{i}") for i in range(1, 7)] + [_first(addr, "AddressCountry")]
            e.addresses += _clean([", ".join(x for x in lines if x)])
            e.countries += _clean([_first(addr, "AddressCountry")])
        for imo in _text(elem, "IMONumber"):
            e.identifiers.append({"type": "imo", "number": imo, "country": ""})
        for pp in _text(elem, "PassportNumber"):
            e.identifiers.append({"type": "passport", "number": pp, "country": ""})
        e.programs = _clean(_text(elem, "RegimeName"))
        yield e


# --------------------------------------------------------------------------------------------- US CSL


def _csl_entry(row: dict[str, Any], where: str) -> ParsedEntry:
    def multi(key: str) -> list[str]:
        v = row.get(key)
        if isinstance(v, list):
            return _clean(v)
        return _clean([x for x in str(v or "").split(";")])

    name = " ".join(str(row.get("name") or "").split())
    ref = str(row.get("id") or row.get("_id") or row.get("entity_number") or "")
    if not name:
        raise ListFormatError(f"{where}: missing name")
    if not ref:
        raise ListFormatError(f"{where}: missing id")
    kind_raw = str(row.get("type") or "").lower()
    kind = "person" if kind_raw == "individual" else "vessel" if kind_raw == "vessel" else "organisation"
    e = ParsedEntry(ref, kind, name, aliases=multi("alt_names"))
    e.dates_of_birth = multi("dates_of_birth")
    e.nationalities = multi("nationalities") + multi("citizenships")
    addresses = row.get("addresses") or []
    if isinstance(addresses, list):
        for a in addresses:
            if isinstance(a, dict):
                fields = [a.get(k) for k in ("address", "city", "state", "postal_code", "country")]
                e.addresses += _clean([", ".join(str(f) for f in fields if f)])
                e.countries += _clean([a.get("country")])
    else:
        e.addresses = multi("addresses")
    ids = row.get("ids") or []
    if isinstance(ids, list):
        for i in ids:
            if isinstance(i, dict) and i.get("number"):
                e.identifiers.append(
                    {
                        "type": str(i.get("type") or ""),
                        "number": str(i["number"]),
                        "country": str(i.get("country") or ""),
                    }
                )
    e.programs = multi("programs")
    return e


def parse_us_csl_json(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    try:
        doc = json.load(io.TextIOWrapper(fh, encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ListFormatError(
            f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ListFormatError(f"not UTF-8 at byte {exc.start}") from exc
    rows = doc.get("results") if isinstance(doc, dict) else doc
    if not isinstance(rows, list):
        raise ListFormatError("/results: expected a list of entries")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ListFormatError(f"/results/{i}: expected an object")
        yield _csl_entry(row, f"/results/{i}")


def parse_us_csl_csv(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    try:
        if not reader.fieldnames or "name" not in reader.fieldnames:
            raise ListFormatError("line 1: header must include a 'name' column")
        for row in reader:
            if None in row:
                raise ListFormatError(f"line {reader.line_num}: more fields than the header")
            yield _csl_entry(row, f"line {reader.line_num}")
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ListFormatError(f"line {reader.line_num}: {exc}") from exc


# --------------------------------------------------------------------------------------------- FtM


FTM_PERSON = {"Person"}
FTM_ORG = {"Organization", "Company", "LegalEntity", "PublicBody"}
FTM_VESSEL = {"Vessel", "Airplane"}
FTM_IDS = (
    "idNumber",
    "registrationNumber",
    "imoNumber",
    "passportNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
    "taxNumber",
    "vatCode",
)


def parse_ftm_json(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    for lineno, raw in enumerate(fh, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ListFormatError(f"line {lineno}: not a JSON object ({exc})") from exc
        if not isinstance(obj, dict) or not obj.get("id") or not isinstance(obj.get("properties"), dict):
            raise ListFormatError(f"line {lineno}: expected an entity with 'id', 'schema' and 'properties'")
        schema = str(obj.get("schema") or "")
        if schema not in FTM_PERSON | FTM_ORG | FTM_VESSEL:
            continue  # sanctions, addresses, relationships... are not parties
        props = obj["properties"]
        names = _clean(props.get("name") or [])
        if not names:
            raise ListFormatError(f"line {lineno}: entity {obj['id']} has no name")
        kind = "person" if schema in FTM_PERSON else "vessel" if schema in FTM_VESSEL else "organisation"
        e = ParsedEntry(str(obj["id"]), kind, names[0], aliases=names[1:] + _clean(props.get("alias") or []))
        e.weak_aliases = _clean(props.get("weakAlias") or [])
        e.dates_of_birth = _clean(props.get("birthDate") or [])
        e.nationalities = _clean(props.get("nationality") or []) + _clean(props.get("citizenship") or [])
        e.countries = _clean(props.get("country") or []) + _clean(props.get("jurisdiction") or [])
        e.addresses = _clean(props.get("address") or [])
        for key in FTM_IDS:
            for number in _clean(props.get(key) or []):
                e.identifiers.append({"type": key, "number": number, "country": ""})
        e.programs = _clean(props.get("program") or []) + _clean(props.get("topics") or [])
        yield e


PARSERS: dict[str, Callable[[IO[bytes]], Iterator[ParsedEntry]]] = {
    "un-xml": parse_un_xml,
    "eu-fsf-xml": parse_eu_fsf_xml,
    "uk-xml": parse_uk_xml,
    "us-csl-json": parse_us_csl_json,
    "us-csl-csv": parse_us_csl_csv,
    "ftm-json": parse_ftm_json,
}


def parse(fmt: str, fh: IO[bytes]) -> list[ParsedEntry]:
    """Parse a whole file; duplicate entry ids are an error (a diff between versions needs unique ids)."""
    if fmt not in PARSERS:
        raise ListFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    seen: dict[str, ParsedEntry] = {}
    for e in PARSERS[fmt](fh):
        if e.entry_id in seen:
            raise ListFormatError(f"entry {e.entry_id!r} appears twice")
        e.countries = _clean([c.upper() if len(c) == 2 else c for c in e.countries])
        e.nationalities = _clean([c.upper() if len(c) == 2 else c for c in e.nationalities])
        seen[e.entry_id] = e
    return list(seen.values())
