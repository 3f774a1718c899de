"""WARDEN_PRODUCTION=1: Warden refuses to start unsafe, `manage.py check --deploy` is clean, and the proxy's
headers are believed only from the proxy named in WARDEN_TRUSTED_PROXY."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from warden.lib.client import client_address

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k3Y-for-tests-only_" + "0123456789abcdefghijklmnopqrstuvwxyz"


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "WARDEN_PRODUCTION": "1",
        "WARDEN_DATA_DIR": str(tmp_path),
        "WARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    return subprocess.run(
        [sys.executable, *args], env={**base, **env}, capture_output=True, text=True, timeout=120, cwd=ROOT
    )


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({}, "WARDEN_SECRET_KEY is not set"),
        ({"WARDEN_SECRET_KEY": "warden-development-key-not-for-production"}, "WARDEN_SECRET_KEY is not set"),
        ({"WARDEN_SECRET_KEY": "short-but-not-empty"}, "too short or too plain"),
        ({"WARDEN_SECRET_KEY": "a" * 80}, "too short or too plain"),
        ({"WARDEN_SECRET_KEY": "django-insecure-" + GOOD_KEY}, "Django development key"),
        ({"WARDEN_SECRET_KEY": GOOD_KEY, "WARDEN_DEBUG": "1"}, "WARDEN_DEBUG=1"),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_configuration(
    tmp_path: Path, env: dict[str, str], says: str
) -> None:
    for command in (["manage.py", "check"], ["-m", "warden.cli", "init"]):
        done = _run(tmp_path, *command, **env)
        assert done.returncode == 2, done.stderr
        assert "refuses to start with WARDEN_PRODUCTION=1" in done.stderr and says in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # refused before anything was created


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    done = _run(
        tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", WARDEN_SECRET_KEY=GOOD_KEY
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_redirects_to_https_and_sends_hsts(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    done = _run(
        tmp_path, "-c", code, WARDEN_SECRET_KEY=GOOD_KEY, DJANGO_SETTINGS_MODULE="warden.config.settings"
    )
    assert done.stdout.split() == ["True", "31536000", "True", "True", "None"], done.stderr
    proxied = _run(
        tmp_path,
        "-c",
        code,
        WARDEN_SECRET_KEY=GOOD_KEY,
        WARDEN_TRUSTED_PROXY="10.0.0.5",
        DJANGO_SETTINGS_MODULE="warden.config.settings",
    )
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in proxied.stdout


def test_the_forwarded_address_is_believed_only_from_the_trusted_proxy() -> None:
    rf = RequestFactory()
    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    via_proxy = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    with override_settings(TRUSTED_PROXIES=frozenset()):
        assert client_address(spoofed) == "203.0.113.9"
        assert client_address(via_proxy) == "10.0.0.5"
    with override_settings(TRUSTED_PROXIES=frozenset({"10.0.0.5"})):
        assert client_address(spoofed) == "203.0.113.9"  # not the proxy: its header is the client's invention
        assert client_address(via_proxy) == "198.51.100.7"  # the entry the proxy appended, not the client's
    assert client_address(None) is None
