"""Reading SIPRI's two trade-register formats from real published excerpts, and refusing broken files with
the line and column named."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warden.region import reference, sipri

DATA = Path(__file__).parent / "data"
REGISTER = DATA / "sipri_register_2000_2001_excerpt.csv"
LEGACY = DATA / "sipri_legacy_afghanistan_excerpt.csv"


def test_current_export_keeps_one_row_per_deal_and_delivery_year_with_the_data_date() -> None:
    reg = sipri.parse(REGISTER.read_bytes())
    assert reg.fmt == "register"
    assert reg.data_generated == "10 Feb 2025 10:52:58 AM"
    assert "year range '2000' to '2001'" in reg.title
    assert len(reg.rows) == 12
    c802 = [r for r in reg.rows if r["deal_id"] == "32502"]
    assert sorted(r["delivery_year"] for r in c802) == [2000, 2001]
    first = next(r for r in c802 if r["delivery_year"] == 2001)
    assert (first["supplier_code"], first["recipient_code"], first["category"]) == ("CN", "DZ", "Missiles")
    assert (first["number"], first["tiv_delivered"], first["order_estimated"]) == (9, Decimal("8.1000"), True)


def test_second_hand_status_and_its_tiv_are_kept_as_sipri_gives_them() -> None:
    rows = {r["deal_id"]: r for r in sipri.parse(REGISTER.read_bytes()).rows}
    t72 = rows["29859"]
    assert (t72["status"], t72["tiv_unit"], t72["tiv_delivered"]) == (
        "Second hand",
        Decimal("1.04"),
        Decimal("13.52"),
    )
    assert rows["29645"]["status"] == "Second hand but modernized"
    assert rows["20949"]["local_production"] is True
    assert rows["31006"]["supplier_code"] == "TR"  # "Turkiye"


def test_legacy_export_spreads_a_deal_over_its_delivery_years_and_keeps_historic_suppliers() -> None:
    reg = sipri.parse(LEGACY.read_bytes())
    assert reg.fmt == "legacy"
    elbrus = [r for r in reg.rows if r["designation"] == "R-17 Elbrus"]
    assert [r["delivery_year"] for r in elbrus] == [1988, 1989, 1990, 1991]
    assert sum(r["number"] for r in elbrus) == 2300
    assert sum(r["tiv_delivered"] for r in elbrus) == Decimal("2875")
    assert all(r["spread"] for r in elbrus)
    assert elbrus[0]["supplier"] == "Soviet Union" and elbrus[0]["supplier_code"] == ""
    assert elbrus[0]["recipient_code"] == "AF" and elbrus[0]["category"] == "Missiles"
    unknown = next(r for r in reg.rows if r["supplier"] == "unknown supplier(s)")
    assert unknown["supplier_code"] == "" and unknown["category"] == "Aircraft"
    assert next(r for r in reg.rows if r["supplier"] == "Bosnia-Herzegovina")["supplier_code"] == "BA"


@pytest.mark.parametrize(
    ("description", "category"),
    [
        ("IFV", "Armoured vehicles"),
        ("towed gun", "Artillery"),
        ("anti-tank missile", "Missiles"),
        ("transport helicopter", "Aircraft"),
        ("aircraft engine", "Engines"),
        ("air search radar", "Sensors"),
        ("mobile SAM system", "Air defence systems"),
        ("patrol craft", "Ships"),
        ("UAV", "Aircraft"),
        ("something new", "Other"),
    ],
)
def test_legacy_descriptions_fall_in_sipri_categories(description: str, category: str) -> None:
    assert sipri.legacy_category(description) == category


def _broken(line: str) -> bytes:
    text = REGISTER.read_text(encoding="utf-8").splitlines()
    text[13] = line  # the first data row (line 14)
    return ("\n".join(text) + "\n").encode()


@pytest.mark.parametrize(
    ("row", "where"),
    [
        (
            "32502,China,Algeria,C-802,x,Missiles,1999,Yes,nine,Yes,2001,Yes,New,0.9,0.9,8.1,No",
            "Numbers delivered",
        ),
        ("32502,China,Algeria,C-802,x,Missiles,19999,Yes,9,Yes,2001,Yes,New,0.9,0.9,8.1,No", "Order date"),
        (
            "32502,China,Algeria,C-802,x,Missiles,1999,Yes,9,Yes,2001,Yes,New,0.9,0.9,NaN,No",
            "TIV delivery values",
        ),
        ("32502,China,Algeria,C-802,x,Missiles,1999,Yes,9,Yes,2001,Yes,New,0.9,-1,8.1,No", "TIV deal unit"),
        (
            "32502,China,Algeria,C-802,x,Lasers,1999,Yes,9,Yes,2001,Yes,New,0.9,0.9,8.1,No",
            "Armament category",
        ),
        ("32502,,Algeria,C-802,x,Missiles,1999,Yes,9,Yes,2001,Yes,New,0.9,0.9,8.1,No", "Supplier"),
        (
            "32502,China,Algeria,C-802,x,Missiles,1999,Maybe,9,Yes,2001,Yes,New,0.9,0.9,8.1,No",
            "Order date is estimate",
        ),
        ("32502,China,Algeria,C-802,x,Missiles,1999,Yes,9,Yes,2001,Yes,Used,0.9,0.9,8.1,No", "Status"),
        (
            "32502,China,Algeria," + "C" * 201 + ",x,Missiles,1999,Yes,9,Yes,2001,Yes,New,0.9,0.9,8.1,No",
            "Designation",
        ),
    ],
)
def test_a_bad_field_is_named_by_line_and_column(row: str, where: str) -> None:
    with pytest.raises(sipri.SipriFormatError) as err:
        sipri.parse(_broken(row))
    assert err.value.line == 14 and err.value.column == where
    assert f"line 14, column {where!r}" in str(err.value)


def test_a_row_with_a_missing_field_is_refused() -> None:
    with pytest.raises(sipri.SipriFormatError, match="line 14: has 16 fields, the header 17"):
        sipri.parse(_broken("32502,China,Algeria,C-802,x,Missiles,1999,Yes,9,Yes,2001,Yes,New,0.9,0.9,8.1"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"name,country\nAcme,FR\n", "not a SIPRI trade register"),
        (b"\xff\xfe<xml/>", "not a SIPRI trade register"),
    ],
)
def test_files_that_are_not_a_register_say_so(data: bytes, message: str) -> None:
    with pytest.raises(sipri.SipriFormatError, match=message):
        sipri.parse(data)


def test_a_register_with_a_renamed_column_names_it() -> None:
    text = REGISTER.read_text(encoding="utf-8").replace("TIV deal unit", "TIV per unit")
    with pytest.raises(sipri.SipriFormatError, match="TIV deal unit"):
        sipri.parse(text.encode())


def test_a_truncated_real_file_is_refused_or_read_whole_never_half() -> None:
    data = REGISTER.read_bytes()
    for cut in range(len(data) - 400, len(data), 7):
        try:
            reg = sipri.parse(data[:cut])
        except sipri.SipriFormatError:
            continue
        assert all(r["deal_id"].isdigit() for r in reg.rows)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_give_rows_or_a_format_error(data: bytes) -> None:
    with contextlib.suppress(sipri.SipriFormatError):
        sipri.parse(data)


def test_the_neighbours_table_is_symmetric_and_names_real_codes() -> None:
    table = reference.neighbours()
    assert reference.neighbours_of("UA") >= {"PL", "RU", "BY", "MD"}
    for code, near in table.items():
        for n in near:
            assert code in table.get(n, frozenset()), (code, n)


def test_ratings_map_to_sipri_categories_through_their_ml_entry() -> None:
    assert reference.sipri_categories("ML10.d") == ("Aircraft", "Engines")
    assert reference.sipri_categories("ML1.a") == ()
    assert reference.sipri_categories("5A002") == ()
