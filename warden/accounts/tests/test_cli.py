"""`warden users create|list|passwd|reactivate` and `warden organisations create`: a deployment's first accounts from the
command line, audited like the people pages, bad input exiting 2 with nothing created."""

from __future__ import annotations

import io
import json

import pytest

from warden.accounts import services
from warden.accounts.models import Organisation, Role, Team, User
from warden.audit.models import AuditEntry
from warden.cli import main

PASSWORD = "a long enough passphrase"


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    return monkeypatch


def test_the_first_administrator_is_created_from_standard_input_and_can_log_in(
    db: None, stdin: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "create", "ada", "--role", "administrator", "--password-stdin"]) == 0
    assert "ada: Administrator, Export Control Authority" in capsys.readouterr().out
    ada = User.objects.get(username="ada")
    assert ada.role == Role.ADMINISTRATOR and ada.check_password(PASSWORD)
    assert ada.organisation is not None and ada.organisation.kind == Organisation.Kind.AUTHORITY
    entry = AuditEntry.objects.get(action="user.create")
    assert entry.actor_label == "system" and entry.object_id == str(ada.pk)


def test_an_exporter_joins_an_organisation_created_from_the_command_line(
    db: None, stdin: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["organisations", "create", "Northbridge Defence Ltd", "--country", "gb"]) == 0
    org = Organisation.objects.get(name="Northbridge Defence Ltd")
    assert (org.country, org.kind) == ("GB", Organisation.Kind.EXPORTER)
    assert (
        main(
            [
                "users",
                "create",
                "alice",
                "--role",
                "exporter",
                "--organisation",
                "northbridge defence ltd",
                "--password-stdin",
            ]
        )
        == 0
    )
    assert User.objects.get(username="alice").organisation == org
    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(org.pk)).exists()


def test_the_password_is_prompted_twice_when_not_on_standard_input(
    db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSWORD, "something else entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "create", "olivia", "--role", "licensing_officer"]) == 2
    assert "the two passwords differ" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert main(["users", "create", "olivia", "--role", "licensing_officer"]) == 0
    assert User.objects.get(username="olivia").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("argv", "stdin_text", "message"),
    [
        (["users", "create", "x", "--role", "wizard"], PASSWORD, "--role: 'wizard' is not a role"),
        (
            ["users", "create", "x", "--role", "exporter", "--organisation", "Nobody plc"],
            PASSWORD,
            "--organisation: no organisation named 'Nobody plc'",
        ),
        (
            ["users", "create", "x", "--role", "exporter"],
            PASSWORD,
            "--organisation: An exporter must belong to an exporter organisation",
        ),
        (["users", "create", "x", "--role", "adviser", "--team", "nope"], PASSWORD, "--team: no team 'nope'"),
        (["users", "create", "x", "--role", "administrator"], "password", "This password is too short"),
        (["users", "create", "x", "--role", "administrator"], "", "password: empty"),
    ],
)
def test_bad_input_exits_2_naming_the_argument_and_creates_no_one(
    db: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin_text: str,
    message: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin_text + "\n"))
    assert main([*argv, "--password-stdin"]) == 2
    assert message in " ".join(capsys.readouterr().err.split())
    assert not User.objects.filter(username="x").exists()
    assert not AuditEntry.objects.filter(action="user.create").exists()


def test_an_organisation_needs_a_real_country_and_a_new_name(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["organisations", "create", "Southgate Arms plc", "--country", "UK"]) == 2
    assert "--country: 'UK' is not an ISO 3166-1 country code" in capsys.readouterr().err
    assert main(["organisations", "create", "Southgate Arms plc", "--country", "GB"]) == 0
    assert main(["organisations", "create", "southgate arms plc", "--country", "GB"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert Organisation.objects.filter(name__iexact="southgate arms plc").count() == 1


def test_users_list_prints_everyone_with_role_and_team(
    db: None, stdin: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Team.objects.create(code="defence", name="Defence", is_advisory=True)
    assert main(["users", "create", "max", "--role", "adviser", "--team", "defence", "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["username"], r["role"], r["team"], r["active"]) for r in rows] == [
        ("max", "adviser", "defence", True)
    ]
    assert main(["users", "list"]) == 0
    assert "max" in capsys.readouterr().out


def test_users_passwd_sets_a_password_from_standard_input_audited_as_the_system(
    db: None, stdin: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "create", "ada", "--role", "administrator", "--password-stdin"]) == 0
    stdin.setattr("sys.stdin", io.StringIO("Violet-Tandem-Orchard-48\n"))
    assert main(["users", "passwd", "ada", "--password-stdin"]) == 0
    assert "ada: password set" in capsys.readouterr().out
    assert User.objects.get(username="ada").check_password("Violet-Tandem-Orchard-48")
    entry = AuditEntry.objects.get(action="user.set_password")
    assert entry.actor_label == "system" and "Violet" not in entry.entry


def test_users_passwd_prompts_twice_and_refuses_a_weak_or_mismatched_password(
    db: None, stdin: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "create", "ada", "--role", "administrator", "--password-stdin"]) == 0
    answers = iter(["Violet-Tandem-Orchard-48", "Violet-Tandem-Orchard-49", "short", "short"])
    stdin.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "passwd", "ada"]) == 2
    assert "the two passwords differ" in capsys.readouterr().err
    assert main(["users", "passwd", "ada"]) == 2
    assert "This password is too short" in capsys.readouterr().err
    assert User.objects.get(username="ada").check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="user.set_password").exists()
    assert main(["users", "passwd", "nobody", "--password-stdin"]) == 2
    assert "no person is called 'nobody'" in capsys.readouterr().err


def test_users_reactivate_lets_a_deactivated_person_sign_in_again(
    db: None, stdin: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "create", "ada", "--role", "administrator", "--password-stdin"]) == 0
    stdin.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "create", "olivia", "--role", "licensing_officer", "--password-stdin"]) == 0
    services.deactivate_user(actor=User.objects.get(username="ada"), user=User.objects.get(username="olivia"))
    assert main(["users", "reactivate", "olivia"]) == 0
    assert "olivia: reactivated" in capsys.readouterr().out
    assert User.objects.get(username="olivia").is_active
    assert AuditEntry.objects.get(action="user.reactivate").actor_label == "system"
    assert main(["users", "reactivate", "olivia"]) == 2
    assert "olivia is active already" in capsys.readouterr().err
    assert main(["users", "reactivate", "nobody"]) == 2
    assert AuditEntry.objects.filter(action="user.reactivate").count() == 1
