"""Commands that empty the database refuse in production and change nothing; outside production they work
(the test runner itself flushes between transactional tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from warden.audit.models import AuditEntry


@pytest.mark.parametrize("command", ["flush", "sqlflush"])
def test_emptying_the_database_is_refused_in_production(command: str, append: Any, settings: Any) -> None:
    append(3)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match=f"`{command}` would delete every row.*unavailable in production"):
        call_command(command, **({"interactive": False} if command == "flush" else {}), verbosity=0)
    assert AuditEntry.objects.count() == 3


def test_sqlflush_still_prints_its_statements_outside_production(db: None, capsys: Any) -> None:
    call_command("sqlflush")
    assert "audit_auditentry" in capsys.readouterr().out


def test_manage_py_flush_exits_non_zero_in_production(tmp_path: Path) -> None:
    """The real entry point, a fresh process with WARDEN_PRODUCTION=1: a clear message, exit status 1."""
    root = Path(__file__).resolve().parents[3]
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(root),
        "WARDEN_PRODUCTION": "1",
        "WARDEN_SECRET_KEY": "test-only-secret-key-for-this-check-0123456789-abcdefghijklmnopqrstuvwxyz",
        "WARDEN_DATA_DIR": str(tmp_path),
        "WARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, str(root / "manage.py"), "flush", "--no-input"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "unavailable in production (WARDEN_PRODUCTION=1)" in done.stderr
