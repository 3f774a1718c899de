"""`warden end-use list|plan|record` through warden.cli.main: exit codes and messages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from warden.cases.tests import factories as f
from warden.cli import main
from warden.enduse.models import CheckKind, EndUseCheck, Finding
from warden.enduse.tests.conftest import Inspectors, licence_of, pdf
from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus
from warden.testing import Personas


def test_list_shows_the_checks_and_overdue_only_the_late_ones(
    personas: Personas, dvc: EndUseCheck, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["end-use", "list"]) == 0
    out = capsys.readouterr().out
    assert "1 end-use check(s)" in out and dvc.reference in out and "planned" in out
    assert main(["end-use", "list", "--overdue"]) == 0
    assert "0 end-use check(s) overdue" in capsys.readouterr().out
    EndUseCheck.objects.filter(pk=dvc.pk).update(due_on=clock.today() - dt.timedelta(days=1))
    assert main(["end-use", "list", "--overdue", "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["reference"], row["status"]) == (dvc.reference, "overdue")


def test_plan_from_risk_is_idempotent_and_by_hand_needs_an_officer(
    personas: Personas, licensed: Licence, capsys: pytest.CaptureFixture[str]
) -> None:
    EndUseCheck.objects.all().delete()
    assert main(["end-use", "plan", licensed.number]) == 0
    assert "planned: Delivery verification certificate" in capsys.readouterr().out
    assert main(["end-use", "plan", licensed.number]) == 0
    assert "no new check" in capsys.readouterr().out
    args = ["end-use", "plan", licensed.number, "--kind", CheckKind.PSV, "--reason", "Embassy report"]
    assert main([*args, "--as", "alice"]) == 1
    assert "Only licensing, senior and policy officers" in capsys.readouterr().err
    assert main([*args, "--as", "olivia"]) == 0
    assert "planned by hand: Post-shipment verification visit" in capsys.readouterr().out
    assert main(["end-use", "plan", "IEL-0000-000000"]) == 2
    assert EndUseCheck.objects.filter(licence=licensed).count() == 2


def test_record_a_diversion_with_evidence_names_the_flagged_cases(
    personas: Personas,
    licensed: Licence,
    dvc: EndUseCheck,
    inspectors: Inspectors,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = tmp_path / "visit.pdf"
    report.write_bytes(pdf())
    other = licence_of(f.licensed(personas))
    args = ["end-use", "record", dvc.reference, "--finding", Finding.DIVERSION]
    assert main([*args, "--as", "olivia", "--notes", "x"]) == 1
    assert "Only a compliance inspector" in capsys.readouterr().err
    assert main([*args, "--as", "ines"]) == 2
    assert "notes: say what the check found" in capsys.readouterr().err
    assert main([*args, "--as", "ines", "--notes", "Found abroad", "--evidence", str(report)]) == 0
    out = capsys.readouterr().out
    assert f"{dvc.reference}: diversion recorded (1 evidence file(s))" in out
    assert f"flagged: {licensed.case.reference}" in out and f"flagged: {other.case.reference}" in out
    assert f"suspension offered: licence {other.number}" in out
    assert Licence.objects.get(pk=other.pk).status == LicenceStatus.ISSUED  # offered, not done
    assert main(["end-use", "record", "EUC-CHK-999999", "--finding", "satisfactory", "--as", "ines"]) == 2
    assert main(["end-use", "record", "nonsense", "--finding", "satisfactory", "--as", "ines"]) == 2
