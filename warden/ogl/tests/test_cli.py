"""`warden ogl ...` through warden.cli.main: load, list, register, report, suspend; exit codes and messages."""

from __future__ import annotations

import json

import pytest

from warden.cli import main
from warden.ogl.models import OglRegistration, OglUse, RegistrationStatus
from warden.ogl.tests.conftest import REF
from warden.testing import Personas

REPORT = [
    "--shipped-on", "2026-11-20", "--declaration", "26GB-CLI-1", "--destination", "NO", "--rating", "ML10.d",
    "--description", "Rotor blade spares", "--quantity", "4", "--value", "12500", "--currency", "GBP",
    "--consignee", "Kjeller Aero Services AS", "--end-user", "Norwegian Defence Materiel Agency",
]  # fmt: skip


def test_load_publishes_the_shipped_ogls_and_list_shows_them(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ogl", "load"]) == 0
    assert "open_general_licences.yaml: 3 version(s) published, 0 unchanged" in capsys.readouterr().out
    assert main(["ogl", "load"]) == 0
    assert "0 version(s) published, 3 unchanged" in capsys.readouterr().out
    assert main(["ogl", "list"]) == 0
    out = capsys.readouterr().out
    assert "OGL-MIL-COMPONENTS" in out and "version 2 from 2026-06-01" in out
    assert main(["ogl", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["reference"] for r in rows] == ["OGL-DU-LOW-RISK", "OGL-MIL-COMPONENTS"]


def test_a_bad_file_exits_2_naming_the_field(
    db: None, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ogl", "load", "/nonexistent.yaml"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_an_exporter_registers_and_reports_from_the_command_line(
    personas: Personas, registration: OglRegistration, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = registration.reference
    assert main(["ogl", "report", ref, "--as", "alice", *REPORT]) == 0
    assert f"{ref}: declaration 26GB-CLI-1 reported: shipped 2026-11-20 to NO, 12500.00 GBP (version 2)" in (
        capsys.readouterr().out
    )
    assert main(["ogl", "report", ref, "--as", "alice", *REPORT]) == 0
    assert "was already reported (nothing added)" in capsys.readouterr().out
    assert OglUse.objects.count() == 1
    bad = [*REPORT]
    bad[bad.index("NO")] = "TR"
    bad[bad.index("26GB-CLI-1")] = "26GB-CLI-2"
    assert main(["ogl", "report", ref, "--as", "alice", *bad]) == 2
    assert "warden: destination: TR is excluded by OGL-TEST-PARTS" in capsys.readouterr().err
    assert main(["ogl", "report", ref, "--as", "bob", *REPORT]) == 5  # not bob's registration
    assert main(["ogl", "register", REF, "--as", "alice"]) == 4
    assert "already holds" in capsys.readouterr().err
    assert main(["ogl", "register", REF, "--as", "bob"]) == 0
    assert "quote OGL-TEST-PARTS-" in capsys.readouterr().out
    assert main(["ogl", "register", REF]) == 2


def test_the_senior_officer_suspends_with_a_reason(
    personas: Personas, registration: OglRegistration, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = registration.reference
    assert main(["ogl", "suspend", ref, "--as", "olivia", "--reason", "records"]) == 3
    assert "Only a senior officer may suspend" in capsys.readouterr().err
    assert main(["ogl", "suspend", ref, "--as", "sam", "--reason", "Records not kept"]) == 0
    assert f"{ref} is now suspended" in capsys.readouterr().out
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUSPENDED
    assert main(["ogl", "suspend", ref, "--as", "sam", "--reason", "again"]) == 4
    assert main(["ogl", "reinstate", ref, "--as", "sam", "--reason", "Records found"]) == 0
