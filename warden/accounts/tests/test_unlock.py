"""An administrator lifts a sign-in lock-out: `warden users unlock USERNAME` and the service (issue 14 §3)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from warden.accounts import throttle
from warden.accounts.models import LoginFailure
from warden.audit.models import AuditEntry
from warden.cli import main
from warden.lib.errors import NotPermitted
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def _lock_out(username: str) -> None:
    for _ in range(5):
        Client().post("/login/", {"username": username, "password": "wrong-password"}, REMOTE_ADDR="10.0.0.9")


@override_settings(LOGIN_MAX_FAILURES=5)
def test_unlocking_from_the_command_line_lets_the_person_sign_in_again(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    _lock_out("alice")
    locked = Client().post("/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert locked.status_code != 302
    assert main(["users", "unlock", "alice"]) == 0
    assert "5 failed sign-in(s) forgotten" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="user.unlock").count() == 1
    signed_in = Client().post("/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert signed_in.status_code == 302


def test_unlocking_an_unknown_username_is_exit_2_and_changes_nothing(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    before = AuditEntry.objects.count()
    assert main(["users", "unlock", "nobody"]) == 2
    assert "USERNAME" in capsys.readouterr().err
    assert AuditEntry.objects.count() == before


def test_only_an_administrator_may_unlock(personas: Personas) -> None:
    LoginFailure.objects.create(username="alice", ip="10.0.0.9")
    with pytest.raises(NotPermitted):
        throttle.unlock(actor=personas.officer, user=personas.exporter)
    assert LoginFailure.objects.count() == 1
    assert throttle.unlock(actor=personas.admin, user=personas.exporter) == 1
