"""Reference-data files that cannot be stored are refused naming the file and where, and nothing is
loaded (issue 14 §1): NaN and infinity (PostgreSQL's jsonb refuses them), NUL characters, `!!binary`,
5,000-digit numbers, deep nesting, a country name longer than its column, values of the wrong type; and
the bundled files broken at random never crash `warden reference` (hypothesis, deterministic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from warden.audit.models import AuditEntry
from warden.cli import main
from warden.legislation.loader import DATA_DIR
from warden.legislation.models import CountryProfile, ReferenceRevision
from warden.lib import limits
from warden.lib.tests.mutations import FUZZ, mutated

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return ReferenceRevision.objects.count(), CountryProfile.objects.count(), AuditEntry.objects.count()


def _copy(tmp_path: Path) -> Path:
    for f in DATA_DIR.glob("*.yaml"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    return tmp_path


def _run(action: str, directory: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["reference", action, str(directory)])
    return code, " ".join(capsys.readouterr().err.split())


def test_the_country_name_limit_is_the_profile_column() -> None:
    assert CountryProfile._meta.get_field("name").max_length == limits.COUNTRY_NAME_MAX


@pytest.mark.parametrize(
    ("name", "old", "new", "said"),
    [
        (
            "countries.yaml",
            "name: United Kingdom",
            "name: " + "U" * 101,
            "countries.yaml: record 'GB': name must be text of at most 100",
        ),
        (
            "countries.yaml",
            "name: United Kingdom",
            "name: [United, Kingdom]",
            "countries.yaml: record 'GB': name must be text",
        ),
        (
            "countries.yaml",
            "name: United Kingdom",
            'name: "United\\0Kingdom"',
            "countries.yaml: a NUL character in the text at /countries/0/name",
        ),
        (
            "countries.yaml",
            "name: United Kingdom",
            "name: !!binary aGVsbG8=",
            "countries.yaml: /countries/0/name: a bytes value",
        ),
        (
            "national_rules.yaml",
            "    outcome: deny",
            "    outcome: .nan",
            "national_rules.yaml: /rules/0/outcome: nan is not a number",
        ),
        (
            "national_rules.yaml",
            "    outcome: deny",
            "    outcome: -.inf",
            "national_rules.yaml: /rules/0/outcome: -inf is not a number",
        ),
        (
            "national_rules.yaml",
            "    outcome: deny",
            "    outcome: " + "9" * 5000,
            "national_rules.yaml: not readable",
        ),
        (
            "national_rules.yaml",
            "    outcome: deny",
            "    outcome: " + "9" * 30,
            "national_rules.yaml: /rules/0/outcome: a whole number too large",
        ),
        ("national_rules.yaml", "    outcome: deny", "    outcome: " + "[" * 5000, "national_rules.yaml: "),
        ("national_rules.yaml", "rules:\n", "rules: 7\nx:\n", "national_rules.yaml: "),
    ],
)
def test_a_file_that_cannot_be_stored_exits_2_naming_file_and_place_and_loads_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, old: str, new: str, said: str
) -> None:
    directory = _copy(tmp_path)
    text = (directory / name).read_text(encoding="utf-8")
    assert old in text
    (directory / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    code, err = _run("load", directory, capsys)
    assert code == 2 and said in err and len(err) < 2000, err[:500]
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize("name", ["national_rules.yaml", "countries.yaml"])
def test_a_broken_bundled_file_is_refused_cleanly_never_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    directory = _copy(tmp_path)
    original = (DATA_DIR / name).read_bytes()

    @FUZZ
    @given(data=mutated(original))
    def check(data: bytes) -> None:
        (directory / name).write_bytes(data)
        code, err = _run("check", directory, capsys)
        assert code in (0, 2), err[:500]
        if code == 2:
            assert "Traceback" not in err and len(err) < 5000, err[:500]

    check()
