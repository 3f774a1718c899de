"""`warden lists import` says what it kept and what it could not read, per field, with counts, on
excerpts of real published lists (tests/data/lists); a bad file still changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.cli import main
from warden.screening.import_report import summarise
from warden.screening.models import ListEntry, ListVersion

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "lists"
FIXTURES = Path(__file__).parent / "fixtures"


def _import(capsys: pytest.CaptureFixture[str], fmt: str, name: str, *extra: str) -> tuple[int, str, str]:
    rc = main(["lists", "import", "--format", fmt, "--no-rescreen", *extra, str(DATA / name)])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.django_db
def test_un_import_prints_what_it_kept_per_field(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _import(capsys, "un-xml", "un-consolidated-2020-03-20-excerpt.xml")
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == "un-sc v1: 13 entries (13 added, 0 changed, 0 removed)"
    assert lines[1] == (
        "kept: entries 13 (person 13); names 13; aliases 33 (weak 14, former 3); original-script names 8; "
        "dates of birth 15 (ranges 1, approximate 1); nationalities 11 (marked not available 0); "
        "addresses 5; identifiers 10 (without number 0)"
    )
    assert lines[2] == "could not read: nothing"


@pytest.mark.django_db
def test_uk_import_names_the_values_it_could_not_read_and_their_entries(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rc, out, _ = _import(capsys, "uk-xml", "uk-sanctions-list-constructed.xml")
    assert rc == 0
    assert "aliases 7 (weak 3, former 0)" in out
    assert "nationalities 3 (marked not available 1)" in out
    assert "identifiers 5 (without number 1)" in out
    assert "could not read: 1 value(s), kept as published in the entries' data" in out
    assert "  date of birth '19xx' x1 (entries uk:RUS1001)" in out
    # Kept as published in the stored entry, for the officer who reads it.
    data = ListEntry.objects.get(entry_id="RUS1001").data
    assert data["unreadable"] == [{"field": "date_of_birth", "value": "19xx"}]


@pytest.mark.django_db
def test_ftm_import_reports_links_to_entities_not_in_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _import(capsys, "ftm-json", "opensanctions-eu_fsf-2024-06-excerpt.ftm.json", "--list", "os")
    assert rc == 0
    assert "could not read: 2 value(s)" in out
    assert (
        "  address link 'addr-125caec37c3486d3a71de8ae943eec47f420b38a' x1 (entries os:NK-2GdmHtZTeNXjNVrBGEXZNj)"
        in out
    )


@pytest.mark.django_db
def test_csl_2019_layout_reimported_keeps_every_id_and_digest(capsys: pytest.CaptureFixture[str]) -> None:
    """Rows without an id get derived ones: the same file imported again changes nothing, so a
    remembered decision (tied to entry id and digest) stays remembered."""
    rc, out, _ = _import(capsys, "us-csl-csv", "us-csl-2019-excerpt.csv")
    assert rc == 0 and "us-csl v1: 18 entries (18 added, 0 changed, 0 removed)" in out
    assert "sanctions notes 4" in out
    first = dict(ListEntry.objects.filter(version__number=1).values_list("entry_id", "digest"))
    rc, out, _ = _import(capsys, "us-csl-csv", "us-csl-2019-excerpt.csv")
    assert rc == 0 and "us-csl v2: 18 entries (0 added, 0 changed, 0 removed)" in out
    second = dict(ListEntry.objects.filter(version__number=2).values_list("entry_id", "digest"))
    assert first == second


@pytest.mark.django_db
def test_a_broken_file_still_exits_2_naming_the_element_and_imports_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _import(capsys, "uk-xml", "uk-sanctions-list-constructed.xml")[0] == 0
    rc = main(["lists", "import", "--format", "uk-xml", "--no-rescreen", str(FIXTURES / "uk_broken.xml")])
    err = " ".join(capsys.readouterr().err.split())
    assert rc == 2 and "missing UniqueID" in err and "nothing imported" in err
    assert ListVersion.objects.count() == 1


def test_report_of_data_stored_before_name_records_existed_counts_the_flat_lists() -> None:
    report = summarise(
        [
            (
                "X1",
                "person",
                {"name": "A B", "aliases": ["C"], "weak_aliases": ["D"], "dates_of_birth": ["1960"]},
            )
        ]
    )
    assert "aliases 2 (weak 1, former 0)" in report.kept_line()
    assert "dates of birth 1 (ranges 0, approximate 0)" in report.kept_line()
