"""Parsers for the sanctions and denied-party list formats (contracts section 4). No Django here.

Each parser reads a binary file object as a stream (XML with lxml.iterparse, CSV and JSON lines row
by row) and yields ParsedEntry records. Bad input raises ListFormatError naming the line or element;
the import service parses the whole file before writing anything, so a broken file changes nothing.
Parsers keep what the file says: weak and former names marked as such, date ranges as ranges,
documents without a number, and every value they cannot read (ParsedEntry.unreadable).
The US CSL parsers live in importers_csl.py, the FollowTheMoney one in importers_ftm.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any

from lxml import etree

from warden.lib.limits import LIST_ENTRY_ID_MAX, LIST_ENTRY_KIND_MAX, LIST_ENTRY_NAME_MAX
from warden.lib.safe_json import unstorable
from warden.screening import listfields as lf
from warden.screening.importers_csl import parse_us_csl_csv, parse_us_csl_json
from warden.screening.importers_ftm import parse_ftm_json
from warden.screening.listentry import ListFormatError, ParsedEntry, clean

__all__ = ["FORMATS", "PARSERS", "ListFormatError", "ParsedEntry", "parse"]

FORMATS = ("un-xml", "eu-fsf-xml", "uk-xml", "us-csl-json", "us-csl-csv", "ftm-json")

_clean = clean  # the name other modules used


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
        # lxml quotes the offending tag whole: a 5,000-character name would make a 5,000-character message.
        msg = exc.msg if len(exc.msg) <= 200 else exc.msg[:100] + " ... " + exc.msg[-60:]
        raise ListFormatError(f"XML syntax error at line {exc.lineno}: {msg}") from exc


def _iter(elem: etree._Element, *names: str) -> Iterator[etree._Element]:
    """Descendants with any of these local names (namespaced or not)."""
    for child in elem.iter():
        if _local(child.tag) in names:
            yield child


def _text(elem: etree._Element, *names: str) -> list[str]:
    """Texts of descendant elements with any of these local names."""
    return [" ".join(c.text.split()) for c in _iter(elem, *names) if c.text and c.text.strip()]


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


def _known(value: str) -> str:
    """A free-text field with "na" / "n/a" / "unknown" read as empty (UN and UK write placeholders)."""
    return "" if lf.is_placeholder(value) else value


def _un_dob(e: ParsedEntry, dob: etree._Element) -> None:
    """INDIVIDUAL_DATE_OF_BIRTH: TYPE_OF_DATE EXACT (DATE or YEAR), APPROXIMATELY (YEAR or DATE),
    BETWEEN (FROM_YEAR and TO_YEAR)."""
    kind = _first(dob, "TYPE_OF_DATE").upper()
    date, year = _first(dob, "DATE"), _first(dob, "YEAR")
    start, end = _first(dob, "FROM_YEAR"), _first(dob, "TO_YEAR")
    if start or end:
        raw = f"{start or '?'}-{end or '?'}"
        e.add_dob(lf.between(start, end) if start and end else None, raw)
    elif kind.startswith("APPROX") and (year or date):
        e.add_dob(lf.approximate((year or date)[:4]) if (year or date)[:4].isdigit() else None, year or date)
    elif date or year:
        e.add_dob_text(date or year)


def _un_document(e: ParsedEntry, doc: etree._Element) -> None:
    type_ = _first(doc, "TYPE_OF_DOCUMENT")
    detail = _first(doc, "TYPE_OF_DOCUMENT2")
    number = _first(doc, "NUMBER")
    note = "; ".join(x for x in (detail if detail != type_ else "", _first(doc, "NOTE")) if x)
    if not (type_ or number or note):
        return  # an empty <INDIVIDUAL_DOCUMENT/>
    e.add_identifier(
        lf.identifier(
            type_,
            number or lf.number_in_text(note),
            _known(_first(doc, "ISSUING_COUNTRY") or _first(doc, "COUNTRY_OF_ISSUE")),
            issued=_first(doc, "DATE_OF_ISSUE"),
            place=_first(doc, "CITY_OF_ISSUE"),
            note=note,
        )
    )


def parse_un_xml(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    for elem in _iter_records(fh, {"INDIVIDUAL", "ENTITY"}):
        person = _local(elem.tag) == "INDIVIDUAL"
        parts = [_first(elem, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        name = _require(" ".join(p for p in parts if p), "FIRST_NAME", elem)
        ref = _first(elem, "REFERENCE_NUMBER") or _first(elem, "DATAID")
        e = ParsedEntry(
            _require(ref, "REFERENCE_NUMBER or DATAID", elem), "person" if person else "organisation", ""
        )
        e.add_name(name, "primary")
        for alias in _iter(elem, "INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
            quality = _first(alias, "QUALITY")
            note = _first(alias, "NOTE").lower()
            # "f.k.a." quality, or a note "previously / formerly listed as": a name the party had.
            former = "f.k.a" in quality.lower() or "formerly" in note or "previously" in note
            for a in _first(alias, "ALIAS_NAME").split("; "):
                e.add_name(
                    a, "former" if former else "alias", weak=lf.is_weak_quality(quality), quality=quality
                )
        for script in _text(elem, "NAME_ORIGINAL_SCRIPT"):
            e.add_name(script, "original_script")
        for dob in _iter(elem, "INDIVIDUAL_DATE_OF_BIRTH"):
            _un_dob(e, dob)
        for nat in _iter(elem, "NATIONALITY"):
            e.add_countries(e.nationalities, _text(nat, "VALUE"), "nationality", codes=False)
        for addr in _iter(elem, "INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS"):
            fields = [
                _known(_first(addr, t)) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
            ]
            e.addresses += [a for a in clean([", ".join(f for f in fields if f)]) if a not in e.addresses]
            e.add_countries(e.countries, [_first(addr, "COUNTRY")], "country", codes=False)
        for doc in _iter(elem, "INDIVIDUAL_DOCUMENT"):
            _un_document(e, doc)
        e.programs = clean([_first(elem, "UN_LIST_TYPE")])
        yield e


# --------------------------------------------------------------------------------------------- EU


def _eu_dob(e: ParsedEntry, child: etree._Element) -> None:
    raw = child.get("birthdate") or child.get("year") or ""
    if not raw:
        return
    if (child.get("circa") or "").lower() == "true" and raw[:4].isdigit():
        e.add_dob(lf.approximate(raw[:4]), raw)
    else:
        e.add_dob_text(raw)


def parse_eu_fsf_xml(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    for elem in _iter_records(fh, {"sanctionEntity"}):
        ref = elem.get("euReferenceNumber") or elem.get("logicalId") or ""
        e = ParsedEntry(_require(ref, "euReferenceNumber or logicalId", elem), "organisation", "")
        names: list[tuple[str, bool]] = []
        for child in elem.iter():
            tag = _local(child.tag)
            if tag == "subjectType":
                code = (child.get("code") or "").lower()
                e.kind = "person" if code == "person" else "organisation"
            elif tag == "nameAlias":
                whole = child.get("wholeName") or " ".join(
                    p for p in (child.get("firstName"), child.get("middleName"), child.get("lastName")) if p
                )
                if whole.strip():
                    names.append((" ".join(whole.split()), child.get("strong") == "false"))
            elif tag == "birthdate":
                _eu_dob(e, child)
            elif tag == "citizenship":
                e.add_countries(
                    e.nationalities, [child.get("countryIso2Code") or ""], "nationality", codes=True
                )
            elif tag == "address":
                fields = [child.get(a) for a in ("street", "city", "zipCode", "region", "countryDescription")]
                e.addresses += clean([", ".join(f for f in fields if f)])
                e.add_countries(e.countries, [child.get("countryIso2Code") or ""], "country", codes=True)
            elif tag == "identification":
                country = child.get("countryIso2Code") or ""
                remarks = [r.text for r in child if _local(r.tag) == "remark" and r.text]
                e.add_identifier(
                    lf.identifier(
                        child.get("identificationTypeDescription")
                        or child.get("identificationTypeCode")
                        or "",
                        child.get("number") or child.get("latinNumber") or "",
                        "" if lf.is_placeholder(country, code_field=True) else country,  # "00": unknown
                        issued=child.get("issueDate"),
                        note="; ".join(remarks),
                    )
                )
            elif tag == "regulation":
                e.programs += clean([child.get("programme")])
        # The first strong name is the entry's name; an entry with only weak names takes the first.
        strong = [n for n, weak in names if not weak]
        primary = strong[0] if strong else (names[0][0] if names else "")
        e.add_name(_require(primary, "nameAlias@wholeName", elem), "primary")
        for n, weak in names:
            e.add_name(n, "alias", weak=weak and bool(strong))
        e.programs = clean(e.programs)
        yield e


# --------------------------------------------------------------------------------------------- UK


def parse_uk_xml(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    """UK Sanctions List (FCDO) XML: Designation records; AliasStrength marks weak aliases, DOBs are
    dd/mm/yyyy with unknown parts as 00 or dd/mm."""
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
        e = ParsedEntry(ref, kind, "")
        named = []
        for n in _iter(elem, "Name"):
            full = " ".join(p for p in (_first(n, f"Name{i}") for i in (1, 2, 3, 4, 5, 6)) if p)
            if full:
                named.append((full, _first(n, "NameType"), _first(n, "AliasStrength")))
        # Primary names first, whatever their order in the file.
        named.sort(key=lambda x: "primary name" not in x[1].lower() or "variation" in x[1].lower())
        if not named:
            _require("", "Names/Name", elem)
        has_primary = any(t.lower() == "primary name" for _, t, _ in named)
        for i, (full, name_type, strength) in enumerate(named):
            t = name_type.lower() if has_primary or i else "primary name"
            # "Primary Name Variation" is another spelling of the name: an alias, not a second name.
            rec_type = "primary" if t == "primary name" else "former" if "former" in t else "alias"
            e.add_name(full, rec_type, weak=lf.is_weak_quality(strength), quality=strength)
        for script in _text(elem, "NameNonLatinScript"):
            e.add_name(script, "original_script")
        for dob in _text(elem, "DOB"):
            e.add_dob_text(dob)
        e.add_countries(e.nationalities, _text(elem, "Nationality"), "nationality", codes=False)
        for addr in _iter(elem, "Address"):
            lines = [_known(_first(addr, f"AddressLine{i}")) for i in range(1, 7)]
            lines += [_known(_first(addr, "AddressPostalCode")), _known(_first(addr, "AddressCountry"))]
            e.addresses += clean([", ".join(x for x in lines if x)])
            e.add_countries(e.countries, [_first(addr, "AddressCountry")], "country", codes=False)
        for pp in _iter(elem, "Passport"):
            e.add_identifier(
                lf.identifier(
                    "passport",
                    _first(pp, "PassportNumber"),
                    note=_first(pp, "PassportAdditionalInformation"),
                )
            )
        for ni in _iter(elem, "NationalIdentifier"):
            e.add_identifier(
                lf.identifier(
                    "national_id",
                    _first(ni, "NationalIdentifierNumber"),
                    note=_first(ni, "NationalIdentifierAdditionalInformation"),
                )
            )
        for imo in _text(elem, "IMONumber"):
            e.add_identifier(lf.identifier("imo", imo))
        for reg in _text(elem, "BusinessRegistrationNumber"):
            e.add_identifier(lf.identifier("registration_number", reg))
        e.programs = clean(_text(elem, "RegimeName"))
        yield e


PARSERS: dict[str, Callable[[IO[bytes]], Iterator[ParsedEntry]]] = {
    "un-xml": parse_un_xml,
    "eu-fsf-xml": parse_eu_fsf_xml,
    "uk-xml": parse_uk_xml,
    "us-csl-json": parse_us_csl_json,
    "us-csl-csv": parse_us_csl_csv,
    "ftm-json": parse_ftm_json,
}


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _check_storable(e: ParsedEntry, number: int) -> None:
    """Refuse an entry its columns cannot hold (issue 14 §1), naming the record: PostgreSQL would raise a
    DataError mid-import, and SQLite would keep what PostgreSQL refuses."""
    where = f"entry {number} ({_shown(e.entry_id)})"
    if not isinstance(e.entry_id, str) or not e.entry_id.strip():
        raise ListFormatError(f"entry {number}: no identifier")
    if len(e.entry_id) > LIST_ENTRY_ID_MAX:
        raise ListFormatError(
            f"{where}: identifier is {len(e.entry_id):,} characters long (at most {LIST_ENTRY_ID_MAX})"
        )
    if len(e.kind) > LIST_ENTRY_KIND_MAX:
        raise ListFormatError(f"{where}: kind {_shown(e.kind)} is not a kind of party")
    if len(e.name) > LIST_ENTRY_NAME_MAX:
        raise ListFormatError(
            f"{where}: name is {len(e.name):,} characters long (at most {LIST_ENTRY_NAME_MAX})"
        )
    problem = unstorable(e.data())
    if problem:
        raise ListFormatError(f"{where}: {problem}")


def parse(fmt: str, fh: IO[bytes]) -> list[ParsedEntry]:
    """Parse a whole file; duplicate entry ids are an error (a diff between versions needs unique ids)."""
    if fmt not in PARSERS:
        raise ListFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    seen: dict[str, ParsedEntry] = {}
    for number, e in enumerate(PARSERS[fmt](fh), start=1):
        _check_storable(e, number)
        if e.entry_id in seen:
            raise ListFormatError(f"entry {e.entry_id!r} appears twice")
        e.countries = clean([c.upper() if len(c) == 2 else c for c in e.countries])
        e.nationalities = clean([c.upper() if len(c) == 2 else c for c in e.nationalities])
        seen[e.entry_id] = e
    return list(seen.values())
