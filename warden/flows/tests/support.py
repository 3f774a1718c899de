"""Small sanctions lists written on the fly, and the fresh assessment a stored one must equal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from warden.cases.models import Case
from warden.flows import rescreening as list_import
from warden.legislation import services as legislation
from warden.lib.actors import system
from warden.rules.evaluate import assess_document
from warden.screening.assessment import fresh_for_case
from warden.screening.models import ListVersion

ENTRIES = {
    "komid": (
        "<ENTITY><DATAID>2001</DATAID><FIRST_NAME>KOREA MINING DEVELOPMENT TRADING CORPORATION</FIRST_NAME>"
        "<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.001</REFERENCE_NUMBER>"
        "<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>KOMID</ALIAS_NAME></ENTITY_ALIAS>"
        "<ENTITY_ADDRESS><CITY>{city}</CITY><COUNTRY>DPRK</COUNTRY></ENTITY_ADDRESS></ENTITY>"
    ),
    "tangun": (
        "<ENTITY><DATAID>2002</DATAID><FIRST_NAME>TANGUN TRADING CORPORATION</FIRST_NAME>"
        "<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPe.004</REFERENCE_NUMBER>"
        "<ENTITY_ADDRESS><CITY>Pyongyang</CITY><COUNTRY>DPRK</COUNTRY></ENTITY_ADDRESS></ENTITY>"
    ),
}

# Parties in the destination (NO), so that only screening makes the difference.
KOMID = {"role": "end_user", "type": "organisation", "sector": "commercial", "name": "Komid", "country": "NO"}
TANGUN = {
    "role": "consignee",
    "type": "organisation",
    "sector": "commercial",
    "name": "Tangun Trading Corporation",
    "country": "NO",
}


def un_list(tmp: Path, entries: dict[str, str], *, name: str) -> Path:
    """A UN consolidated list XML holding `entries` ({key of ENTRIES: city})."""
    body = "".join(ENTRIES[k].replace("{city}", city) for k, city in sorted(entries.items()))
    path = tmp / f"{name}.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00">'
        f"<INDIVIDUALS/><ENTITIES>{body}</ENTITIES></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    return path


def import_un(tmp: Path, entries: dict[str, str], *, name: str = "un", rescreen: str = "none") -> ListVersion:
    path = un_list(tmp, entries, name=name)
    return list_import.import_list(
        actor=system("test"), list_name="un-sc", fmt="un-xml", path=path, rescreen=rescreen
    )


COMPARED = ("recommendation", "findings", "screening")


def fresh(case: Case) -> dict[str, Any]:
    """The case assessed from scratch: its document, its parties screened now against the current lists
    with the remembered decisions, the live law as of its date."""
    _, ref = legislation.current_reference()
    case = Case.objects.get(pk=case.pk)
    doc = assess_document(
        legislation.case_document(case), ref, legislation.case_as_of(case), screening=fresh_for_case(case)
    )
    return {k: doc[k] for k in COMPARED}


def stored(case: Case) -> dict[str, Any]:
    ca = legislation.latest_assessment(case)
    assert ca is not None
    return {k: ca.document[k] for k in COMPARED}
