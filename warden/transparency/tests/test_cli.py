"""`warden transparency figure` prints the dashboard's CSV (same redaction); a bad filter exits 2 naming it.
`warden transparency verify CODE` says what the public page says."""

from __future__ import annotations

from typing import Any

import pytest

from warden.cli import main
from warden.testing import Personas
from warden.transparency.tests import seed

pytestmark = pytest.mark.django_db


def test_figure_prints_the_redacted_csv(capsys: pytest.CaptureFixture[str], caseload: Any) -> None:
    assert main(["transparency", "figure", "licences-by-region"]) == 0
    out = capsys.readouterr().out
    assert "eu,European Union Member States,10" in out and "middle-east,Middle East,suppressed" in out
    assert "Northbridge" not in out


def test_figure_refuses_a_bad_filter_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["transparency", "figure", "licences-by-year", "--category", "ML99"]) == 2
    assert "Category 'ML99' is not ML1 to ML22" in capsys.readouterr().err


def test_verify_says_the_status(capsys: pytest.CaptureFixture[str], personas: Personas) -> None:
    lic = seed.licence(personas, "FR", status="revoked")
    assert main(["transparency", "verify", lic.verification_code]) == 0
    assert f"Licence {lic.number}: Revoked" in capsys.readouterr().out
    assert main(["transparency", "verify", "AAAA"]) == 1
