"""`warden shipments import FILE --as USERNAME` through warden.cli.main: the summary, a re-import, a bad row's
message and exit status with nothing recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.cases.tests import factories as f
from warden.cli import main
from warden.lib import clock
from warden.licences.models import Licence, Shipment
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, licence: Licence, currency: str = "EUR", qty: int = 1) -> Path:
    path = tmp_path / "returns.csv"
    path.write_text(
        "licence_number,line,quantity,value_amount,currency,shipped_on,declaration_reference\n"
        f"{licence.number},1,{qty},,{currency},{clock.today().isoformat()},26GB000000000042\n"
    )
    return path


def test_import_records_the_return_and_a_second_run_records_nothing(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    licence = Licence.objects.get(case=f.licensed(personas))
    path = _file(tmp_path, licence)
    assert main(["shipments", "import", str(path), "--as", personas.exporter.username]) == 0
    out = capsys.readouterr().out
    assert f"recorded: {licence.number} 26GB000000000042 1 (312500.00 EUR)" in out
    assert "returns.csv: 1 recorded, 0 already recorded" in out
    assert main(["shipments", "import", str(path), "--as", personas.exporter.username]) == 0
    assert "returns.csv: 0 recorded, 1 already recorded" in capsys.readouterr().out
    assert Shipment.objects.count() == 1


def test_a_bad_row_exits_non_zero_naming_it_and_records_nothing(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    licence = Licence.objects.get(case=f.licensed(personas))
    user = personas.exporter.username
    assert main(["shipments", "import", str(_file(tmp_path, licence, currency="USD")), "--as", user]) == 2
    assert "row 2, currency: Line 1" in capsys.readouterr().err
    assert main(["shipments", "import", str(_file(tmp_path, licence, qty=5)), "--as", user]) == 4
    assert "row 2, quantity: Over-draw refused" in capsys.readouterr().err
    assert (
        main(["shipments", "import", str(_file(tmp_path, licence)), "--as", personas.oversight.username]) == 3
    )
    assert not Shipment.objects.exists()


def test_who_acts_must_be_said_and_the_file_must_exist(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WARDEN_USER", raising=False)
    assert main(["shipments", "import", str(tmp_path / "x.csv")]) == 2
    assert "--as USERNAME" in capsys.readouterr().err
    assert main(["shipments", "import", str(tmp_path / "x.csv"), "--as", "nobody"]) == 2
    assert "No active user 'nobody'" in capsys.readouterr().err
    assert main(["shipments", "import", str(tmp_path / "x.csv"), "--as", personas.exporter.username]) == 2
    assert "no such file" in capsys.readouterr().err
