"""FollowTheMoney entities, one JSON object per line, as OpenSanctions publishes them.

A party (Person, Organization, Company, LegalEntity, PublicBody, Vessel, Airplane) is one line, but
much of what the list says about it sits on other lines that point at it: `Passport` and
`Identification` entities (`holder`), `Address` entities (the party's `addressEntity`) and `Sanction`
entities (`entity`). They may come before or after the party, so the file is read whole and the links
are resolved at the end, by id or by any of the entity's `referents` (the ids it had in earlier
exports). A link to an entity that is not in the file is reported as unreadable, not dropped silently.
`previousName` is kept as a former name, `weakAlias` as a weak one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from warden.lib import safe_json
from warden.screening import listfields as lf
from warden.screening.listentry import ListFormatError, ParsedEntry, clean

FTM_PERSON = {"Person"}
FTM_ORG = {"Organization", "Company", "LegalEntity", "PublicBody"}
FTM_VESSEL = {"Vessel", "Airplane"}
FTM_IDENTIFICATION = {"Identification", "Passport"}
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


def _party(obj: dict[str, Any]) -> ParsedEntry:
    schema = str(obj.get("schema"))
    props = obj["properties"]
    kind = "person" if schema in FTM_PERSON else "vessel" if schema in FTM_VESSEL else "organisation"
    e = ParsedEntry(str(obj["id"]), kind, "")
    names = clean(props.get("name") or [])
    for i, n in enumerate(names):
        e.add_name(n, "primary" if i == 0 else "alias")
    for n in clean(props.get("alias") or []) + clean(props.get("abbreviation") or []):
        e.add_name(n, "alias")
    for n in clean(props.get("previousName") or []):
        e.add_name(n, "former")
    for n in clean(props.get("weakAlias") or []):
        e.add_name(n, "alias", weak=True)
    for dob in clean(props.get("birthDate") or []):
        e.add_dob_text(dob)
    nat = clean(props.get("nationality") or []) + clean(props.get("citizenship") or [])
    e.add_countries(e.nationalities, nat, "nationality", codes=True)
    country = clean(props.get("country") or []) + clean(props.get("jurisdiction") or [])
    e.add_countries(e.countries, country, "country", codes=True)
    e.addresses = clean(props.get("address") or [])
    for key in FTM_IDS:
        for number in clean(props.get(key) or []):
            e.add_identifier(lf.identifier(key, number))
    e.programs = clean(props.get("program") or []) + clean(props.get("topics") or [])
    return e


def _identification(schema: str, props: dict[str, Any]) -> dict[str, str]:
    number = (clean(props.get("number") or []) + clean(props.get("passportNumber") or []) or [""])[0]
    note = "; ".join(clean(props.get("summary") or []) + clean(props.get("authority") or []))
    return lf.identifier(
        (clean(props.get("type") or []) or [schema.lower()])[0],
        number or lf.number_in_text(note),
        (clean(props.get("country") or []) or [""])[0],
        issued=(clean(props.get("startDate") or []) or [""])[0],
        expires=(clean(props.get("endDate") or []) or [""])[0],
        note=note,
    )


def _address(props: dict[str, Any]) -> tuple[str, list[str]]:
    full = clean(props.get("full") or [])
    if not full:
        parts = [props.get(k) or [] for k in ("street", "city", "postalCode", "region", "country")]
        full = clean([", ".join(v[0] for v in parts if v)])
    return (full[0] if full else ""), clean(props.get("country") or [])


def parse_ftm_json(fh: IO[bytes]) -> Iterator[ParsedEntry]:
    parties: dict[str, ParsedEntry] = {}
    address_refs: dict[str, list[str]] = {}
    aliases: dict[str, str] = {}  # referent id -> id in this file
    addresses: dict[str, tuple[str, list[str]]] = {}
    links: list[tuple[str, str, dict[str, Any], int]] = []  # (schema, target id, properties, line)
    for lineno, raw in enumerate(fh, start=1):
        if not raw.strip():
            continue
        try:
            obj = safe_json.loads(raw)  # nesting, huge numbers, NaN: a format error, not a crash
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ListFormatError(f"line {lineno}: not a JSON object ({exc})") from exc
        if not isinstance(obj, dict) or not obj.get("id") or not isinstance(obj.get("properties"), dict):
            raise ListFormatError(f"line {lineno}: expected an entity with 'id', 'schema' and 'properties'")
        schema, props, ident = str(obj.get("schema") or ""), obj["properties"], str(obj["id"])
        for ref in obj.get("referents") or []:
            aliases.setdefault(str(ref), ident)
        if schema in FTM_PERSON | FTM_ORG | FTM_VESSEL:
            e = _party(obj)
            if not e.name:
                raise ListFormatError(f"line {lineno}: entity {ident} has no name")
            parties[ident] = e
            address_refs[ident] = clean(props.get("addressEntity") or [])
        elif schema == "Address":
            addresses[ident] = _address(props)
        elif schema in FTM_IDENTIFICATION:
            for holder in clean(props.get("holder") or []):
                links.append((schema, holder, props, lineno))
        elif schema == "Sanction":
            for target in clean(props.get("entity") or []):
                links.append((schema, target, props, lineno))
        # Other schemas (relationships, documents...) are not facts about one party.

    def resolve(ref: str) -> str:
        return ref if ref in parties or ref in addresses else aliases.get(ref, ref)

    for ident, refs in address_refs.items():
        e = parties[ident]
        for ref in refs:
            found = addresses.get(resolve(ref))
            if found is None:
                e.cannot_read("address_link", ref)
                continue
            text, countries = found
            if text and text not in e.addresses:
                e.addresses.append(text)
            e.add_countries(e.countries, countries, "country", codes=True)
    for schema, target, props, _ in links:
        party = parties.get(resolve(target))
        if party is None:
            continue  # a document or sanction of an entity outside this file (not a party of the list)
        if schema == "Sanction":
            party.programs = clean(
                party.programs + clean(props.get("program") or []) + clean(props.get("programId") or [])
            )
        else:
            party.add_identifier(_identification(schema, props))
    yield from parties.values()
