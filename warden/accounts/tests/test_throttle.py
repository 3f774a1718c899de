"""Sign-in throttling is atomic and counts accounts and addresses separately (issue 14 §3)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth import backends
from django.db import connection
from django.test import Client, override_settings

from warden.accounts import throttle
from warden.accounts.models import LoginCounter
from warden.audit.models import AuditEntry
from warden.testing import PASSWORD, Personas


def _login(username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return Client().post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=5, LOGIN_ADDRESS_MAX_FAILURES=100)
def test_twenty_overlapping_guesses_check_at_most_the_limit_against_the_password(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both databases: each guess starts the next one while its own password check is still running, so all
    # 20 overlap the way concurrent requests do; a check-then-record throttle would let all 20 through.
    checked: list[str] = []
    statuses: list[int] = []
    real_check = backends.UserModel.check_password

    def overlapping_check(self: Any, raw: str) -> bool:
        checked.append(raw)
        statuses.append(
            _login("alice", f"guess-{len(statuses) + 1}").status_code
        )  # the next guess, meanwhile
        return bool(real_check(self, raw))

    monkeypatch.setattr(backends.UserModel, "check_password", overlapping_check)
    statuses.append(_login("alice", "guess-0").status_code)
    # The chain stops at the lock-out (no check, so no next guess); the rest of the 20 arrive while locked.
    while len(statuses) < 20:
        statuses.append(_login("alice", "guess-late").status_code)
    assert len(checked) == 5
    assert statuses.count(200) == 5 and statuses.count(429) == 15


@pytest.mark.postgres_only
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need PostgreSQL (SQLite test DB is in memory)"
)
@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_MAX_FAILURES=5, LOGIN_ADDRESS_MAX_FAILURES=100)
def test_twenty_concurrent_guesses_check_at_most_the_limit_against_the_password(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Count the password checks themselves: the Argon2 comparison the model backend makes.
    checked: list[str] = []
    lock = threading.Lock()
    real_check = backends.UserModel.check_password

    def counting_check(self: Any, raw: str) -> bool:
        with lock:
            checked.append(raw)
        return bool(real_check(self, raw))

    monkeypatch.setattr(backends.UserModel, "check_password", counting_check)
    barrier = threading.Barrier(20)
    statuses: list[Any] = []

    def guess(n: int) -> None:
        try:
            barrier.wait()
            statuses.append(_login("alice", f"guess-{n}", ip=f"10.1.0.{n}").status_code)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
            statuses.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert len(checked) <= 5
    assert [s for s in statuses if not isinstance(s, int)] == []  # no exception, no 500
    assert statuses.count(200) == len(checked) and statuses.count(429) == 20 - len(checked)
    assert _login("alice", PASSWORD, ip="10.2.0.1").status_code == 429


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=100, LOGIN_ADDRESS_MAX_FAILURES=4, LOGIN_ADDRESS_LOCKOUT_SECONDS=600)
def test_an_address_spraying_many_accounts_is_locked_out_for_every_account(personas: Personas) -> None:
    for name in ["alice", "bob", "carol", "nobody"]:
        assert _login(name, "wrong-password", ip="10.0.0.66").status_code == 200
    refused = _login("alice", PASSWORD, ip="10.0.0.66")
    assert refused.status_code == 429
    assert b"from your network address" in refused.content
    assert b"10 minutes" in refused.content
    # The accounts themselves are not locked: their owners sign in from elsewhere.
    assert _login("alice", PASSWORD, ip="10.0.0.7").status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_ADDRESS_MAX_FAILURES=3)
def test_a_right_password_does_not_forgive_an_address_its_other_failures(personas: Personas) -> None:
    _login("bob", "wrong-password", ip="10.0.0.5")
    _login("carol", "wrong-password", ip="10.0.0.5")
    assert _login("alice", PASSWORD, ip="10.0.0.5").status_code == 302
    assert LoginCounter.objects.get(kind="address", key="10.0.0.5").count == 2
    assert LoginCounter.objects.get(kind="account", key="alice").count == 0


@pytest.mark.django_db
@override_settings(LOGIN_MAX_FAILURES=100, LOGIN_ADDRESS_MAX_FAILURES=3)
def test_unlocking_an_account_also_lifts_the_lockout_of_the_addresses_it_failed_from(
    personas: Personas,
) -> None:
    for _ in range(3):
        _login("alice", "wrong-password", ip="10.0.0.8")
    assert throttle.is_locked_out_anywhere("alice")
    assert throttle.unlock(actor=personas.admin, user=personas.exporter) == 3
    assert not throttle.is_locked_out_anywhere("alice")
    assert "10.0.0.8" in AuditEntry.objects.get(action="user.unlock").entry
    assert _login("alice", PASSWORD, ip="10.0.0.8").status_code == 302
