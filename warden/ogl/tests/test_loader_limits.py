"""A warden.ogl/1 file that cannot be stored is refused naming the file and where, and nothing is
published (issue 14 §1): text past its column, NUL, NaN, !!binary, 5,000-digit numbers, deep nesting,
wrong types; and the shipped file broken at random never crashes `warden ogl load` (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from warden.audit.models import AuditEntry
from warden.cli import main
from warden.lib.tests.mutations import FUZZ, mutated
from warden.ogl.loader import SHIPPED
from warden.ogl.models import OglVersion, OpenGeneralLicence

pytestmark = pytest.mark.django_db
NAME = SHIPPED.name
TITLE = '"Open general licence: military components to close allies (illustrative)"'


def _counts() -> tuple[int, int, int]:
    return OpenGeneralLicence.objects.count(), OglVersion.objects.count(), AuditEntry.objects.count()


def _load(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["ogl", "load", str(path)])
    return code, " ".join(capsys.readouterr().err.split())


def test_the_title_and_reference_limits_are_the_columns() -> None:
    # warden.ogl.services.publish passes these limits to terms.text
    assert OpenGeneralLicence._meta.get_field("title").max_length == 300
    assert OpenGeneralLicence._meta.get_field("reference").max_length == 60
    assert OglVersion._meta.get_field("citation").max_length == 500


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (TITLE, "T" * 301, "title: at most 300 characters"),
        ("reference: OGL-MIL-COMPONENTS", "reference: " + "R" * 61, "reference: at most 60 characters"),
        (TITLE, '"Open\\0general"', f"{NAME}: a NUL character in the text at /licences/0/title"),
        (TITLE, '"Open\\ud800general"', f"{NAME}: a lone surrogate"),
        (
            "max_value: 250000",
            "max_value: .nan",
            f"{NAME}: /licences/0/versions/0/max_value: nan is not a number",
        ),
        ("max_value: 250000", "max_value: " + "9" * 5000, f"{NAME}: not readable"),
        (
            "max_value: 250000",
            "max_value: " + "9" * 30,
            f"{NAME}: /licences/0/versions/0/max_value: a whole number",
        ),
        ("max_value: 250000", "max_value: " + "[" * 5000, f"{NAME}"),
        (TITLE, "!!binary aGVsbG8=", f"{NAME}: /licences/0/title: a bytes value"),
        ("max_value: 250000", "max_value: [1, 2]", "max_value"),
    ],
)
def test_a_file_that_cannot_be_stored_exits_2_naming_file_and_place_and_publishes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, said: str
) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / NAME
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, err = _load(path, capsys)
    assert code == 2 and said in err and len(err) < 1000, err[:500]
    assert _counts() == (0, 0, 0)


def test_a_broken_shipped_file_is_refused_cleanly_or_loaded_never_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = SHIPPED.read_bytes()

    @FUZZ
    @given(data=mutated(original))
    def check(data: bytes) -> None:
        path = tmp_path / NAME
        path.write_bytes(data)
        before = _counts()
        code, err = _load(path, capsys)
        assert code in (0, 2), err[:500]
        if code == 2:
            assert "Traceback" not in err and len(err) < 2000, err[:500]
            assert _counts() == before

    check()
