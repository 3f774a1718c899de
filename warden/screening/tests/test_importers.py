"""Parsers of each list format, on small fixture files; a broken file names the line or element."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.screening.importers import ListFormatError, parse

FIXTURES = Path(__file__).parent / "fixtures"


def _parse(fmt: str, name: str) -> dict[str, object]:
    with open(FIXTURES / name, "rb") as fh:
        return {e.entry_id: e for e in parse(fmt, fh)}


def test_un_xml_keeps_aliases_weak_aliases_original_script_dob_documents() -> None:
    entries = _parse("un-xml", "un.xml")
    person, org = entries["TAi.001"], entries["KPe.001"]
    assert person.kind == "person" and person.name == "ABDULHAI SALEK"
    assert person.aliases == ["Abdul Hai Salik"] and person.weak_aliases == ["Mullah Salek"]
    assert person.original_script == ["عبدالحی سالک"]
    assert person.dates_of_birth == ["1965"] and person.nationalities == ["Afghanistan"]
    assert person.identifiers == [{"type": "Passport", "number": "OR 123456", "country": "Afghanistan"}]
    assert org.kind == "organisation" and org.aliases == ["CHANGGWANG SINYONG CORPORATION", "KOMID"]
    assert org.addresses == ["Pyongyang, DPRK"]


def test_eu_fsf_xml_reads_namespaced_records() -> None:
    entries = _parse("eu-fsf-xml", "eu.xml")
    lavrov, ktrv = entries["EU.1.11"], entries["EU.2.22"]
    assert lavrov.kind == "person" and lavrov.aliases == ["Сергей Викторович Лавров"]
    assert lavrov.dates_of_birth == ["1950-03-21"] and lavrov.nationalities == ["RU"]
    assert lavrov.identifiers[0]["number"] == "100000001"
    assert ktrv.kind == "organisation" and ktrv.weak_aliases == ["KTRV"] and ktrv.countries == ["RU"]


def test_uk_xml_reads_names_non_latin_names_and_dobs() -> None:
    entries = _parse("uk-xml", "uk.xml")
    assert entries["RUS0001"].aliases == ["DEFENCE INITIATIVES LLC"]
    assert entries["RUS0001"].original_script == ["ООО Оборонные инициативы"]
    kim = entries["DPR0002"]
    assert kim.kind == "person" and kim.name == "Jong Un KIM" and kim.dates_of_birth == ["1984-01-08"]


def test_us_csl_json_and_csv() -> None:
    j = _parse("us-csl-json", "csl.json")
    assert j["csl-1"].aliases == ["Almaz Antey Telecom", "AAT"] and j["csl-1"].countries == ["RU"]
    assert j["csl-2"].kind == "person" and j["csl-2"].nationalities == ["VE"]
    c = _parse("us-csl-csv", "csl.csv")
    assert c["c-1"].aliases == ["Gazprom Bank", "GPB"]
    assert c["c-2"].kind == "person" and c["c-2"].dates_of_birth == ["1957"]


def test_ftm_json_lines_skip_non_party_schemas() -> None:
    entries = _parse("ftm-json", "ftm.jsonl")
    assert set(entries) == {"NK-abc", "NK-def"}
    assert entries["NK-abc"].weak_aliases == ["Barry"] and entries["NK-abc"].nationalities == ["US"]
    assert entries["NK-def"].identifiers == [
        {"type": "registrationNumber", "number": "HRB 6684", "country": ""}
    ]


@pytest.mark.parametrize(
    ("fmt", "name", "where"),
    [
        ("un-xml", "un_broken.xml", "line 14"),
        ("eu-fsf-xml", "eu_broken.xml", "<sanctionEntity> at line 12"),
        ("uk-xml", "uk_broken.xml", "<Designation> at line 14: missing UniqueID"),
        ("us-csl-json", "csl_broken.json", "line 2"),
        ("us-csl-csv", "csl_broken.csv", "line 3"),
        ("ftm-json", "ftm_broken.jsonl", "line 2"),
    ],
)
def test_a_broken_file_names_the_line_or_element(fmt: str, name: str, where: str) -> None:
    with pytest.raises(ListFormatError) as exc, open(FIXTURES / name, "rb") as fh:
        parse(fmt, fh)
    assert where in str(exc.value)


def test_entry_digest_changes_with_any_field() -> None:
    a = _parse("un-xml", "un.xml")["TAi.001"]
    before = a.digest()
    a.dates_of_birth.append("1966")
    assert a.digest() != before
