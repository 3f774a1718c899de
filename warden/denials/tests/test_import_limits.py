"""A partner's denial file its columns cannot hold is refused whole, naming the file and the record, and
nothing is stored (issue 14 §1); the real sample files broken at random never crash `warden denials
import` (hypothesis, deterministic): exit 0 or 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from warden.audit.models import AuditEntry
from warden.cli import main
from warden.denials import exchange
from warden.denials.models import Denial, UndercutFlag
from warden.denials.tests.conftest import DATA
from warden.lib.tests.mutations import FUZZ, mutated

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Denial.objects.count(), UndercutFlag.objects.count(), AuditEntry.objects.count()


def _import(path: Path, state: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["denials", "import", "--from", state, str(path)])
    return code, " ".join(capsys.readouterr().err.split())


def test_the_denial_schema_holds_the_columns_lengths() -> None:
    defs = exchange.schema()["$defs"]
    assert (
        defs["denial"]["properties"]["reference"]["maxLength"]
        == Denial._meta.get_field("reference").max_length
    )
    assert defs["text"]["maxLength"] == Denial._meta.get_field("end_user_name").max_length
    assert defs["text"]["maxLength"] == Denial._meta.get_field("consignee_name").max_length


@pytest.mark.parametrize(
    ("name", "old", "new", "said"),
    [
        ("fr-2026.json", "FR-DN-2026-0147", "R" * 81, "/denials/0/reference"),
        ("fr-2026.json", "Deccan Rotorcraft Overhaul Pvt Ltd", "N" * 501, "/denials/0/end_user/name"),
        (
            "fr-2026.json",
            "Deccan Rotorcraft",
            "Deccan\\u0000Rotorcraft",
            "a NUL character in the text at /denials/0/end_user/name",
        ),
        ("fr-2026.json", "Deccan Rotorcraft", "Deccan\\udc00Rotorcraft", "a lone surrogate"),
        ("fr-2026.json", '"quantity": 6', '"quantity": ' + "6" * 5000, "a number 5,000 characters long"),
        ("fr-2026.json", '"goods": [', '"goods": ' + "[" * 5000, "nested more than 64 levels deep"),
        ("fr-2026.json", '"quantity": 6', '"quantity": NaN', "NaN is not a number JSON allows"),
        ("fr-2026.json", '"revoked": false', '"revoked": "no"', "'no' is not of type 'boolean'"),
        ("de-2026.csv", "DE-AUS-2026-0042", "R" * 81, "line 2, column reference"),
        ("de-2026.csv", "Ministry of Interior", "M" * 501, "line 3, column end_user_name"),
        ("de-2026.csv", "Ministry of Interior", "Ministry\x00of Interior", "line 3: a NUL character"),
    ],
)
def test_a_file_its_columns_cannot_hold_exits_2_naming_file_and_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, old: str, new: str, said: str
) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, err = _import(path, "FR" if name.startswith("fr") else "DE", capsys)
    assert code == 2
    assert err.startswith(f"error: {name}: ") and said in err and "nothing imported" in err, err[:400]
    assert len(err) < 1000
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize(("name", "state"), [("fr-2026.json", "FR"), ("de-2026.csv", "DE")])
def test_a_broken_real_denial_file_is_refused_cleanly_or_imported_never_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, state: str
) -> None:
    original = (DATA / name).read_bytes()

    @FUZZ
    @given(data=mutated(original))
    def check(data: bytes) -> None:
        path = tmp_path / name
        path.write_bytes(data)
        before = _counts()
        code, err = _import(path, state, capsys)
        assert code in (0, 2), err
        if code == 2:
            assert err.startswith(f"error: {name}: ") and "nothing imported" in err and len(err) < 1000, err[
                :400
            ]
            assert _counts() == before

    check()
