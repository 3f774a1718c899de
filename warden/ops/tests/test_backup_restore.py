"""`warden backup` / `warden restore` through the real CLI, each run a fresh process on its own database
(a temporary SQLite file; on the PostgreSQL run also a database of its own on the same server)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]

# Run inside the child process: one audited change (an organisation and its audit entry).
CHANGE = """
import django, sys; django.setup()
from django.db import transaction
from warden.accounts.models import Organisation
from warden.audit.services import record
from warden.lib.actors import system
with transaction.atomic():
    org = Organisation.objects.create(name=sys.argv[1])
    record(actor=system("test change"), action="organisation.create", target=org, data={"name": org.name})
"""
NAMES = """
import django; django.setup()
from warden.accounts.models import Organisation
print(sorted(Organisation.objects.values_list("name", flat=True)))
"""


class Site:
    def __init__(self, tmp: Path, database_url: str | None) -> None:
        self.tmp = tmp
        self.env = {**os.environ, "WARDEN_DATA_DIR": str(tmp / "data"), "PYTHONPATH": str(ROOT)}
        self.env.pop("WARDEN_DATABASE_URL", None)
        if database_url:
            self.env["WARDEN_DATABASE_URL"] = database_url
        self.env["DJANGO_SETTINGS_MODULE"] = "warden.config.settings"

    def warden(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "warden.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    def python(self, code: str, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, *args], env=self.env, capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def organisations(self) -> list[str]:
        return [n for n in json.loads(self.python(NAMES).replace("'", '"')) if n.startswith("Org ")]


def _exercise(site: Site) -> None:
    assert site.warden("init").returncode == 0
    site.python(CHANGE, "Org A")
    backup = site.tmp / "first.tar"
    done = site.warden("backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert "Backup written" in done.stdout
    _bad_inputs(site, backup)

    # Restoring the newest backup loses nothing: the data comes back and the log verifies.
    site.python(CHANGE, "Org B")  # not in the backup...
    done = site.warden("restore", str(backup))
    # ...so the witness has seen a longer log than the copy holds: refused, nothing changed.
    assert done.returncode == 1
    assert "older than the audit log's witness" in done.stderr and "Nothing was changed" in done.stderr
    assert site.organisations() == ["Org A", "Org B"]

    second = site.tmp / "second.tar"
    assert site.warden("backup", str(second)).returncode == 0
    done = site.warden("restore", str(second))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Audit log verified" in done.stdout
    assert site.organisations() == ["Org A", "Org B"]
    assert site.warden("audit", "verify").returncode == 0

    # An older copy on purpose: the data goes back, and the audit log says entries were deleted.
    done = site.warden("restore", str(backup), "--accept-older")
    assert done.returncode == 1
    assert "does not verify" in done.stdout and "entries deleted" in done.stdout
    assert site.organisations() == ["Org A"]
    verify = site.warden("audit", "verify")
    assert verify.returncode == 1


def _bad_inputs(site: Site, good: Path) -> None:

    junk = site.tmp / "junk.tar"
    junk.write_bytes(b"not a tar file at all")
    tampered = site.tmp / "tampered.tar"
    with tarfile.open(good) as src, tarfile.open(tampered, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name != "manifest.json":
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(member, io.BytesIO(data))
    other = site.tmp / "other-vendor.tar"
    with tarfile.open(good) as src, tarfile.open(other, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["vendor"] = "sqlite" if manifest["vendor"] == "postgresql" else "postgresql"
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))

    for path, says in (
        (site.tmp / "missing.tar", "no such file"),
        (junk, "not a Warden backup"),
        (tampered, "does not match the manifest"),
        (other, "backup; this Warden runs on"),
    ):
        done = site.warden("restore", str(path))
        assert done.returncode == 2, (path, done.stdout, done.stderr)
        assert says in done.stderr
        assert "Traceback" not in done.stderr
    assert site.organisations() == ["Org A"]
    done = site.warden("backup", str(site.tmp / "no-such-folder" / "x.tar"))
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_restore_brings_back_the_newest_backup_refuses_an_older_or_bad_one_on_sqlite(tmp_path: Path) -> None:
    _exercise(Site(tmp_path, None))


@pytest.fixture
def pg_database(db: None) -> Iterator[str]:
    """A database of its own on the test server, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg

    params = connection.get_connection_params()
    name = f"warden_backup_{uuid.uuid4().hex[:8]}"
    admin = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    user = params.get("user", "")
    host, port = params.get("host", "localhost"), params.get("port", 5432)
    password = f":{params['password']}" if params.get("password") else ""
    yield f"postgres://{user}{password}@{host}:{port}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres_only
def test_restore_brings_back_the_newest_backup_refuses_an_older_or_bad_one_on_postgresql(
    tmp_path: Path, pg_database: str
) -> None:
    _exercise(Site(tmp_path, pg_database))
