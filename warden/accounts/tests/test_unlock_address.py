"""An administrator lifts the lock-out of one client address alone: `warden users unlock-address IP` and the
people page's list of locked addresses (issue 14 §3). No account's own lock-out is lifted with it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from warden.accounts import throttle
from warden.accounts.models import LoginFailure
from warden.audit.models import AuditEntry
from warden.cli import main
from warden.lib.errors import NotPermitted
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db
GATEWAY = "10.0.0.7"


@pytest.fixture(autouse=True)
def _small_limits() -> Iterator[None]:
    with override_settings(LOGIN_MAX_FAILURES=3, LOGIN_ADDRESS_MAX_FAILURES=4):
        yield


def _attempt(username: str, password: str = "wrong-password", ip: str = GATEWAY) -> int:
    return Client().post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip).status_code


def _spray() -> None:
    """Four wrong passwords from one address, over two accounts: the address is locked, neither account."""
    for username in ("alice", "bob", "alice", "bob"):
        _attempt(username)


def test_unlocking_an_address_from_the_command_line_lets_its_people_sign_in_again(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    _spray()
    assert _attempt("olivia", PASSWORD) != 302  # the address refuses everyone
    assert main(["users", "unlock-address", GATEWAY]) == 0
    assert "4 recent failed sign-in(s) forgotten" in capsys.readouterr().out
    data = json.loads(AuditEntry.objects.get(action="user.unlock_address").entry)["data"]
    assert data["address"] == GATEWAY and data["was_locked"] is True
    assert _attempt("olivia", PASSWORD) == 302


def test_unlocking_an_address_leaves_an_accounts_own_lock_out(personas: Personas) -> None:
    for _ in range(3):
        _attempt("alice", ip="10.0.0.8")  # alice's account is locked (3), the address is not (3 < 4)
    _attempt("bob", ip="10.0.0.8")  # the fourth failure locks the address
    assert throttle.unlock_address(actor=personas.admin, address="10.0.0.8") == 4
    assert _attempt("olivia", PASSWORD, ip="10.0.0.8") == 302
    assert _attempt("alice", PASSWORD, ip="10.0.0.8") != 302  # her own lock-out stays
    assert LoginFailure.objects.filter(ip="10.0.0.8").count() == 4  # the record of who failed stays


def test_a_malformed_address_is_exit_2_and_changes_nothing(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    _spray()
    before = AuditEntry.objects.count()
    assert main(["users", "unlock-address", "10.0.0.999"]) == 2
    assert "ADDRESS" in capsys.readouterr().err
    assert AuditEntry.objects.count() == before
    assert [a.address for a in throttle.locked_addresses()] == [GATEWAY]


def test_an_address_with_no_failures_changes_nothing_and_records_nothing(
    personas: Personas, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "unlock-address", "2001:db8::1"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert not AuditEntry.objects.filter(action="user.unlock_address").exists()


def test_only_an_administrator_may_unlock_an_address(personas: Personas) -> None:
    _spray()
    with pytest.raises(NotPermitted):
        throttle.unlock_address(actor=personas.officer, address=GATEWAY)
    assert [a.address for a in throttle.locked_addresses()] == [GATEWAY]


def test_the_people_page_lists_a_locked_address_and_unlocks_it(personas: Personas) -> None:
    _spray()
    admin = Client()
    admin.force_login(personas.admin)
    page = admin.get("/people/")
    assert f'data-testid="address-{GATEWAY}"' in page.content.decode()
    done = admin.post("/people/addresses/unlock/", {"address": GATEWAY})
    assert done.status_code == 302
    assert throttle.locked_addresses() == []
    assert "No client address is locked out" in admin.get("/people/").content.decode()


def test_the_unlock_page_is_not_there_for_others_and_refuses_a_malformed_address(personas: Personas) -> None:
    _spray()
    officer = Client()
    officer.force_login(personas.officer)
    assert officer.post("/people/addresses/unlock/", {"address": GATEWAY}).status_code == 404
    admin = Client()
    admin.force_login(personas.admin)
    assert admin.post("/people/addresses/unlock/", {"address": "not an address"}).status_code == 400
    assert [a.address for a in throttle.locked_addresses()] == [GATEWAY]
