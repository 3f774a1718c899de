"""A list file the columns cannot hold is refused whole, naming the file and the record, and nothing is
stored (issue 14 §1): identifiers and names longer than ListEntry's columns, NUL characters, 5,000-digit
numbers; and real published files broken at random never crash an import (hypothesis, deterministic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from warden.audit.models import AuditEntry
from warden.flows import rescreening as list_import
from warden.lib import limits
from warden.lib.actors import system
from warden.lib.errors import InvalidInput
from warden.lib.tests.mutations import FUZZ, mutated
from warden.screening.importers import ListFormatError
from warden.screening.models import ListEntry, ListVersion, ScreeningList

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "lists"
# (format, real file, the first entry's identifier as written, a name the file writes once)
FILES = [
    ("un-xml", "un-consolidated-2020-03-20-excerpt.xml", "KPi.033", None),
    ("eu-fsf-xml", "eu-fsf-2018-12-21-excerpt.xml", "EU.36.64", "Robert Gabriel Mugabe"),
    ("uk-xml", "uk-sanctions-list-constructed.xml", "AFG0024", None),
    (
        "us-csl-csv",
        "us-csl-2023-excerpt.csv",
        "233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b",
        "Sinobright Import and Export Company",
    ),
    ("us-csl-json", "us-csl-api-layout-constructed.json", "52291", "RIM, Ryong Nam"),
    (
        "ftm-json",
        "opensanctions-eu_fsf-2024-06-excerpt.ftm.json",
        "NK-2GdmHtZTeNXjNVrBGEXZNj",
        "LLC “Inter Tobacco”",
    ),
]


def _counts() -> tuple[int, int, int, int]:
    return (
        ScreeningList.objects.count(),
        ListVersion.objects.count(),
        ListEntry.objects.count(),
        AuditEntry.objects.count(),
    )


def _import(path: Path, fmt: str) -> None:
    list_import.import_list(actor=system("test"), list_name="fuzzed", fmt=fmt, path=path, rescreen="none")


def test_the_importers_limits_are_the_list_entry_columns() -> None:
    field = ListEntry._meta.get_field
    assert field("entry_id").max_length == limits.LIST_ENTRY_ID_MAX
    assert field("kind").max_length == limits.LIST_ENTRY_KIND_MAX
    assert field("name").max_length == limits.LIST_ENTRY_NAME_MAX


@pytest.mark.parametrize(("fmt", "name", "ident", "_"), FILES)
def test_an_identifier_longer_than_its_column_is_refused_naming_file_and_entry(
    tmp_path: Path, fmt: str, name: str, ident: str, _: str | None
) -> None:
    path = tmp_path / name
    path.write_text((DATA / name).read_text(encoding="utf-8").replace(ident, "I" * 201, 1), encoding="utf-8")
    before = _counts()
    with pytest.raises(
        ListFormatError,
        match=rf"^{name}: entry 1 \('III.*'\): identifier is 201 characters long \(at most 200\)",
    ):
        _import(path, fmt)
    assert _counts() == before


@pytest.mark.parametrize(("fmt", "name", "given_name"), [(f, n, g) for f, n, _, g in FILES if g])
def test_a_name_longer_than_its_column_is_refused_not_cut(
    tmp_path: Path, fmt: str, name: str, given_name: str
) -> None:
    path = tmp_path / name
    text = (DATA / name).read_text(encoding="utf-8")
    path.write_text(text.replace(given_name, "N" * 1001, 1), encoding="utf-8")
    before = _counts()
    with pytest.raises(
        ListFormatError, match=rf"^{name}: entry \d+ .*name is 1,0\d\d characters long \(at most 1000\)"
    ):
        _import(path, fmt)
    assert _counts() == before


@pytest.mark.parametrize(
    ("fmt", "name", "given_name"), [(f, n, g) for f, n, _, g in FILES if g and f.endswith("json")]
)
@pytest.mark.parametrize(
    ("bad", "said"),
    [("\\u0000", "a NUL character"), ("\\ud800", "a lone surrogate")],
)
def test_nul_and_lone_surrogates_in_a_json_list_are_refused(
    tmp_path: Path, fmt: str, name: str, given_name: str, bad: str, said: str
) -> None:
    path = tmp_path / name
    text = (DATA / name).read_text(encoding="utf-8")
    path.write_text(text.replace(given_name, given_name + bad, 1), encoding="utf-8")
    with pytest.raises(ListFormatError, match=rf"^{name}: .*{said}"):
        _import(path, fmt)
    assert _counts() == (0, 0, 0, 0)


def test_a_nul_in_a_csv_list_is_refused(tmp_path: Path) -> None:
    name = "us-csl-2023-excerpt.csv"
    path = tmp_path / name
    text = (DATA / name).read_text(encoding="utf-8")
    path.write_text(text.replace("Sinobright", "Sino\x00bright", 1), encoding="utf-8")
    with pytest.raises(ListFormatError, match=rf"^{name}: .*NUL"):
        _import(path, "us-csl-csv")
    assert _counts() == (0, 0, 0, 0)


def test_a_5000_digit_number_in_a_json_list_is_refused(tmp_path: Path) -> None:
    name = "us-csl-api-layout-constructed.json"
    path = tmp_path / name
    text = (DATA / name).read_text(encoding="utf-8")
    path.write_text(text.replace('"total": 4', '"total": ' + "9" * 5000, 1), encoding="utf-8")
    with pytest.raises(ListFormatError, match=rf"^{name}: .*5,000 characters long"):
        _import(path, "us-csl-json")
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(("fmt", "name"), [(f, n) for f, n, _, _ in FILES])
def test_a_broken_real_list_file_is_refused_cleanly_or_imported_never_a_crash(
    tmp_path: Path, fmt: str, name: str
) -> None:
    original = (DATA / name).read_bytes()

    @FUZZ
    @given(data=mutated(original))
    def check(data: bytes) -> None:
        path = tmp_path / name
        path.write_bytes(data)
        before = _counts()
        try:
            _import(path, fmt)
        except InvalidInput as exc:
            assert str(exc).startswith(f"{name}: ") and len(str(exc)) < 1000, str(exc)[:300]
            assert _counts() == before

    check()
