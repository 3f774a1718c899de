"""The importers keep what the published files say, tested on excerpts of real published lists
(tests/data/lists, see its README for sources and licences; files marked "constructed" there follow
the publisher's layout where no real copy was found)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from warden.screening import listfields as lf
from warden.screening.importers import parse
from warden.screening.listentry import ParsedEntry

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "lists"
UN = DATA / "un-consolidated-2020-03-20-excerpt.xml"
UK = DATA / "uk-sanctions-list-constructed.xml"
CSL_2019 = DATA / "us-csl-2019-excerpt.csv"
CSL_2023 = DATA / "us-csl-2023-excerpt.csv"
CSL_JSON = DATA / "us-csl-api-layout-constructed.json"
FTM_REAL = DATA / "opensanctions-eu_fsf-2024-06-excerpt.ftm.json"
FTM_LINKED = DATA / "opensanctions-unsc-layout-constructed.ftm.json"
EU = DATA / "eu-fsf-2018-12-21-excerpt.xml"


def _parse(fmt: str, path: Path) -> dict[str, ParsedEntry]:
    with open(path, "rb") as fh:
        return {e.entry_id: e for e in parse(fmt, fh)}


def _names(e: ParsedEntry, kind: str) -> list[dict[str, Any]]:
    return [n for n in e.names if n["type"] == kind]


# ------------------------------------------------------------------------------------------ UN


def test_un_date_of_birth_between_two_years_is_kept_as_a_range() -> None:
    e = _parse("un-xml", UN)["QDi.420"]
    assert e.dates_of_birth == ["1965/1969"]
    assert e.birth_dates == [{"date": "1965/1969", "from": "1965", "to": "1969", "kind": "range"}]
    assert e.unreadable == []


def test_un_approximate_and_year_only_dates_keep_their_precision() -> None:
    entries = _parse("un-xml", UN)
    baradar = entries["TAi.024"]  # TYPE_OF_DATE APPROXIMATELY, YEAR 1968
    assert baradar.dates_of_birth == ["1968~"]
    assert baradar.birth_dates[0] == {"date": "1968~", "from": "1967", "to": "1969", "kind": "approximate"}
    assert entries["YEi.001"].dates_of_birth == ["1984"]  # EXACT with YEAR only
    assert entries["IRi.001"].dates_of_birth == ["1958", "1959"]
    assert entries["KPi.030"].dates_of_birth == ["1968-03-26", "1970-10-15"]
    # An empty <TYPE_OF_DATE/> is no date, not an unreadable one.
    assert entries["QDi.018"].dates_of_birth == [] and entries["QDi.018"].unreadable == []


def test_un_low_quality_aliases_are_marked_weak_and_previous_names_former() -> None:
    entries = _parse("un-xml", UN)
    houthi = entries["YEi.001"]
    assert houthi.weak_aliases == ["Abu-Yunus"]
    assert {"name": "Abu-Yunus", "type": "alias", "weak": True, "quality": "Low"} in houthi.names
    assert "Abd-al-Khaliq al-Huthi" in houthi.aliases
    assert all(not n["weak"] for n in houthi.names if n["name"] != "Abu-Yunus")
    former = _names(entries["TAi.024"], "former")
    assert [n["name"] for n in former] == ["Abdul Ghani Baradar"]
    assert "Abdul Ghani Baradar" in entries["TAi.024"].aliases  # still screened
    # "formerly listed as" on a Low alias: former and weak.
    agha = _names(entries["QDi.018"], "former")
    assert agha == [{"name": "Saiyid Abd al-Man", "type": "former", "weak": True, "quality": "Low"}]


def test_un_documents_without_a_number_are_kept_with_type_country_and_note() -> None:
    entries = _parse("un-xml", UN)
    tazkira = entries["TAi.121"].identifiers
    # The list gives the number only in TYPE_OF_DOCUMENT2's text: kept as the note, and read from it.
    assert tazkira == [
        {
            "type": "National Identification Number",
            "number": "44323",
            "country": "",
            "note": "Afghan national identification card (tazkira) number 44323",
        }
    ]
    qurishi = entries["TAi.130"].identifiers
    assert qurishi[0] == {
        "type": "Passport",
        "number": "D 000933",
        "country": "Afghanistan",
        "issued": "1998-09-13",
        "place": "KABUL",
    }
    assert qurishi[1]["note"] == "tazkira" and qurishi[1]["number"] == "55130"
    assert entries["KPi.033"].identifiers == [{"type": "Passport", "number": "381310014", "country": ""}]
    assert entries["QDi.400"].identifiers[1]["note"].startswith("issued on 5 April 1999")


def test_a_document_with_neither_number_nor_text_of_one_is_still_kept() -> None:
    xml = UN.read_bytes().replace(
        b"<TYPE_OF_DOCUMENT2>Afghan national identification card (tazkira) number 44323</TYPE_OF_DOCUMENT2>",
        b"<ISSUING_COUNTRY>Afghanistan</ISSUING_COUNTRY>",
    )
    import io

    e = {x.entry_id: x for x in parse("un-xml", io.BytesIO(xml))}["TAi.121"]
    assert e.identifiers == [
        {"type": "National Identification Number", "number": "", "country": "Afghanistan"}
    ]


def test_un_nationality_placeholder_na_is_not_available_not_namibia() -> None:
    import io

    # The real QDi.420 record, its nationality replaced by the placeholder lists use.
    for placeholder in (b"na", b"N/A", b"Not available"):
        xml = UN.read_bytes().replace(
            b"<NATIONALITY><VALUE>Iraq</VALUE>", b"<NATIONALITY><VALUE>" + placeholder + b"</VALUE>"
        )
        e = {x.entry_id: x for x in parse("un-xml", io.BytesIO(xml))}["QDi.420"]
        assert e.nationalities == [] and e.not_available == ["nationality"]
    assert lf.is_placeholder("na") and lf.is_placeholder(" N/A ") and lf.is_placeholder("")
    # In a field of ISO codes (EU, FtM, CSL) "NA" is Namibia.
    assert not lf.is_placeholder("NA", code_field=True)
    assert _parse("un-xml", UN)["IRi.001"].nationalities == []  # none given: nothing invented


# ------------------------------------------------------------------------------------------ UK


def test_uk_alias_strength_marks_low_quality_aliases_weak() -> None:
    entries = _parse("uk-xml", UK)
    nasir = entries["AQD0319"]
    assert nasir.weak_aliases == ["Taha al-Khuwayt"] and nasir.aliases == ["Hajji Abdelnasser"]
    weak = [n for n in nasir.names if n["weak"]]
    assert weak == [
        {"name": "Taha al-Khuwayt", "type": "alias", "weak": True, "quality": "Low quality a.k.a"}
    ]
    assert entries["RUS1002"].weak_aliases == ["SDS"]
    baradar = entries["AFG0024"]  # "Primary Name Variation" is an alias of the one primary name
    assert baradar.name == "Abdul Ghani Abdul Ahmad Turk BARADAR"
    assert "Abdul Ghani BARADAR" in baradar.aliases and len(_names(baradar, "primary")) == 1


def test_uk_national_identifier_and_passports_are_identifiers_with_or_without_number() -> None:
    entries = _parse("uk-xml", UK)
    assert entries["AFG0086"].identifiers == [
        {"type": "passport", "number": "D 000933", "country": "", "note": "Issued in Kabul on 13 Sep 1998"},
        {
            "type": "national_id",
            "number": "55130",
            "country": "",
            "note": "Afghan national identification card (tazkira)",
        },
    ]
    assert entries["RUS1001"].identifiers == [
        {"type": "passport", "number": "", "country": "", "note": "Russian passport, number not published"}
    ]
    assert entries["RUS1003"].identifiers == [{"type": "imo", "number": "1234567", "country": ""}]
    assert entries["RUS1002"].identifiers == [
        {"type": "registration_number", "number": "1234567890123", "country": ""}
    ]


def test_uk_dd_mm_yyyy_and_partial_dates_are_read() -> None:
    entries = _parse("uk-xml", UK)
    assert entries["AFG0024"].dates_of_birth == ["1968"]  # dd/mm/1968
    assert entries["AQD0319"].dates_of_birth == ["1965", "1969"]  # 00/00/1965, 00/00/1969
    ivan = entries["RUS1001"]
    assert ivan.dates_of_birth == ["1970-05", "1971-01-02"]  # 00/05/1970, 02/01/1971
    assert ivan.unreadable == [{"field": "date_of_birth", "value": "19xx"}]
    assert ivan.nationalities == [] and ivan.not_available == ["nationality"]  # <Nationality>na


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("02/01/1968", "1968-01-02"),
        ("00/00/1970", "1970"),
        ("00/05/1970", "1970-05"),
        ("dd/mm/1945", "1945"),
        ("dd/05/1945", "1945-05"),
        ("1964-07-17", "1964-07-17"),
        ("1964-07-17T00:00:00", "1964-07-17"),
        ("1970-00-00", "1970"),
        ("19xx", None),
        ("31/13/1970", None),
    ],
)
def test_read_date_keeps_the_precision_given(raw: str, read: str | None) -> None:
    assert lf.read_date(raw) == read


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("1960 to 1961", "1960/1961"),  # CSL writes ranges in words
        ("between 1960 and 1965", "1960/1965"),
        ("1962-1965", "1962/1965"),
        ("circa 1960", "1960~"),
        ("approximately 1968", "1968~"),
        ("14 Mar 1968", "1968-03-14"),  # OFAC style
        ("Mar 1968", "1968-03"),
        ("1970-05", "1970-05"),
        ("31 Feb 1970", None),
        ("19xx", None),
    ],
)
def test_read_dob_reads_ranges_and_approximate_dates_written_in_words(raw: str, read: str | None) -> None:
    assert lf.read_dob(raw) == read


# ------------------------------------------------------------------------------------------ US CSL


def test_csl_2019_layout_without_ids_gets_stable_derived_ids() -> None:
    first = _parse("us-csl-csv", CSL_2019)
    again = _parse("us-csl-csv", CSL_2019)
    assert list(first) == list(again) and len(first) == 18
    assert "20264" in first  # OFAC rows keep their entity number, as the newer layout's _id does
    derived = [k for k in first if k.startswith("csl-")]
    assert len(derived) == 8  # DPL, ISN, EL and DTC rows have no entity_number
    # The id depends on the row, not on its position: a shorter file gives the same ids.
    lines = CSL_2019.read_text(encoding="utf-8").splitlines(keepends=True)
    import io

    shorter = "".join([lines[0], *reversed(lines[5:])]).encode()
    subset = {e.entry_id: e.name for e in parse("us-csl-csv", io.BytesIO(shorter))}
    assert all(first[k].name == name for k, name in subset.items())


def test_csl_untyped_rows_are_typed_from_their_source_list_and_fields() -> None:
    old = {e.name: e for e in _parse("us-csl-csv", CSL_2019).values()}
    assert old["ADRIAN MANUEL HERNANDEZ"].kind == "person"  # DPL, a person's name
    assert old["ABDULAH AL NASSER"].kind == "person"
    assert old["ADAM AL HERZ"].kind == "person"  # DPL, an inmate number as address
    assert old["ADT ANALOG AND DIGITAL TECHNIK"].kind == "organisation"  # DPL, a company
    assert old["A & C International Trade, Inc."].kind == "organisation"  # DTC, a company
    assert old["183rd Guard Air Defense Missile Regiment"].kind == "organisation"
    assert old["32 Group China Ltd."].kind == "organisation"
    assert old["7-28"].kind == "vessel" and old["ABDUL JAWAD, Naser"].kind == "person"
    new = {e.name: e for e in _parse("us-csl-csv", CSL_2023).values()}
    assert new["Cesareo Estanislao Benitez"].kind == "person"  # ITAR debarred (DTC), no type
    assert new["I. ASH"].kind == "person"  # DPL, no type
    assert new["Atlas Sanatgaran"].kind == "organisation"  # Unverified List lists end-users
    api = {e.name: e for e in _parse("us-csl-json", CSL_JSON).values()}
    assert api["Cesareo Estanislao Benitez"].kind == "person"


def test_csl_ids_are_parsed_into_identifiers_in_both_csv_layouts() -> None:
    old = {e.name: e for e in _parse("us-csl-csv", CSL_2019).values()}
    assert old["200G PSA HOLDINGS LLC"].identifiers == [
        {"type": "Tax ID No.", "number": "80-0890696", "country": "US"}
    ]
    assert old["7-28"].identifiers == [
        {"type": "Vessel Registration Identification", "number": "IMO 8898831", "country": ""}
    ]
    assert old["7-28"].notes == [
        "North Korea Sanctions Regulations, sections 510.201 and 510.210, Secondary sanctions risk:"
    ]
    assert old["ADRIAN DARYA 1"].notes == ["Panama, Former Vessel Flag"]
    assert old["ADOLFO FONNEGRA ESPEJO TRADING & INVESTMENT"].identifiers == [
        {"type": "Company Number", "number": "CHE-427.006.032", "country": "CH"},
        {"type": "Commercial Registry Number", "number": "CH-020.1.066.499-9", "country": "CH"},
    ]
    new = {e.name: e for e in _parse("us-csl-csv", CSL_2023).values()}
    rim = new["RIM, Ryong Nam"]
    assert rim.identifiers == [{"type": "Passport", "number": "836238033", "country": "KP"}]
    assert any(n.startswith("Secondary sanctions risk:") for n in rim.notes) and "Gender, Male" in rim.notes
    assert rim.dates_of_birth == ["1978-12-05"] and rim.nationalities == ["KP"]
    assert {"type": "V.A.T. Number", "number": "CHE-267.936.404", "country": "CH"} in new[
        "TNK Trading International S.A."
    ].identifiers
    assert new["ROSNEFT TRADE LIMITED"].countries == ["CY"]


def test_csl_api_ids_keep_type_number_country_and_dates() -> None:
    api = {e.name: e for e in _parse("us-csl-json", CSL_JSON).values()}
    assert api["RIM, Ryong Nam"].identifiers == [{"type": "Passport", "number": "836238033", "country": "KP"}]
    assert api["RIM, Ryong Nam"].notes == [
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
        "Gender Male",
    ]
    assert {"type": "SWIFT/BIC", "number": "RUDVRUMM", "country": ""} in api["SME BANK"].identifiers


# ------------------------------------------------------------------------------------------ FtM


def test_ftm_previous_name_is_kept_as_a_former_alias() -> None:
    e = _parse("ftm-json", FTM_LINKED)["unsc-111040"]
    assert _names(e, "former") == [{"name": "Abdul Ghani Baradar", "type": "former", "weak": False}]
    assert e.aliases == ["Mullah Baradar Akhund", "Abdul Ghani Baradar"]


def test_ftm_linked_passports_identifications_addresses_and_sanctions_resolve_onto_the_person() -> None:
    entries = _parse("ftm-json", FTM_LINKED)
    assert set(entries) == {"unsc-111040", "unsc-6908558", "unsc-690726", "unsc-111301"}
    kim = entries["unsc-6908558"]
    assert kim.identifiers == [
        {"type": "Passport", "number": "381420565", "country": ""},
        {"type": "passport", "number": "654120219", "country": "kp"},
    ]
    qurishi = entries["unsc-690726"]
    assert qurishi.addresses == ["Khairkhana Section Number 3, Kabul, Afghanistan"]
    assert qurishi.countries == ["AF"]
    assert {
        "type": "National Identification Number",
        "number": "55130",
        "country": "af",
        "note": "tazkira",
    } in qurishi.identifiers
    assert {
        "type": "passport",
        "number": "D 000933",
        "country": "af",
        "issued": "1998-09-13",
        "note": "KABUL",
    } in (qurishi.identifiers)
    azizirahman = entries["unsc-111301"]
    assert azizirahman.identifiers[0]["note"] == "Afghan national identification card (tazkira) number 44323"
    assert "Taliban" in azizirahman.programs


def test_ftm_links_to_entities_outside_the_file_are_reported_not_dropped() -> None:
    entries = _parse("ftm-json", FTM_REAL)
    assert set(entries) == {
        "NK-2GdmHtZTeNXjNVrBGEXZNj",
        "NK-2Ka3UvopqbpZmVDFjWd4LA",
        "NK-2Mht2rqBeravCTdyQAWc4o",
        "NK-2PacmNpiLUmoz4XD2mSt7A",
    }
    tobacco = entries["NK-2GdmHtZTeNXjNVrBGEXZNj"]
    assert tobacco.unreadable == [
        {"field": "address_link", "value": "addr-125caec37c3486d3a71de8ae943eec47f420b38a"}
    ]
    assert tobacco.identifiers == [{"type": "registrationNumber", "number": "808000714", "country": ""}]
    assert entries["NK-2Ka3UvopqbpZmVDFjWd4LA"].dates_of_birth == ["1971-01-22"]


def test_ftm_address_links_resolve_through_referents() -> None:
    import io
    import json

    lines = FTM_REAL.read_bytes().splitlines()
    person = json.loads(lines[1])
    # The real Address entity NK-2MQE6... lists addr-0999de5e... among its referents (earlier ids).
    person["properties"]["addressEntity"] = ["addr-0999de5e5033c2e7e0a8d6616df1e699d0619e23"]
    doc = b"\n".join([json.dumps(person).encode(), lines[2]])
    e = parse("ftm-json", io.BytesIO(doc))[0]
    assert e.addresses == ["Majengo area, Mombasa, KENYA"] and e.countries == ["KE"] and e.unreadable == []


# ------------------------------------------------------------------------------------------ EU


def test_eu_fsf_keeps_names_dates_and_documents_with_unknown_country_as_not_given() -> None:
    entries = _parse("eu-fsf-xml", EU)
    mugabe = entries["EU.36.64"]
    assert mugabe.kind == "person" and mugabe.name == "Robert Gabriel Mugabe"
    assert mugabe.dates_of_birth == ["1924-02-21"]
    # countryIso2Code "00" is the file's "UNKNOWN", not a country.
    assert mugabe.identifiers == [
        {"type": "National passport", "number": "AD001095", "country": "", "note": "(passport)"}
    ]
    front = entries["EU.3523.13"]
    assert front.kind == "organisation" and front.name == "İslami Büyük Doğu Akıncılar Cephesi"
    assert "IBDA-C" in front.aliases and "Фронт на великите ислямски източни воини" in front.aliases
    assert front.weak_aliases == [] and front.programs == ["TERR"]


def test_placeholders_in_dates_addresses_and_document_countries_are_not_available() -> None:
    import io

    # The real QDi.420 record with "na" where the list had values: nothing becomes Namibia.
    xml = (
        UN.read_bytes()
        .replace(
            b"<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1965</FROM_YEAR><TO_YEAR>1969</TO_YEAR>",
            b"<DATE>NA</DATE>",
        )
        .replace(
            b"<INDIVIDUAL_ADDRESS><COUNTRY>Syrian Arab Republic</COUNTRY></INDIVIDUAL_ADDRESS><INDIVIDUAL_DATE_OF_BIRTH><DATE>NA",
            b"<INDIVIDUAL_ADDRESS><CITY>na</CITY><COUNTRY>n/a</COUNTRY></INDIVIDUAL_ADDRESS><INDIVIDUAL_DATE_OF_BIRTH><DATE>NA",
        )
    )
    e = {x.entry_id: x for x in parse("un-xml", io.BytesIO(xml))}["QDi.420"]
    assert e.dates_of_birth == [] and e.unreadable == []
    assert e.addresses == [] and e.countries == []
    assert e.not_available == ["date_of_birth", "country"]
