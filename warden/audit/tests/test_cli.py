from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from warden.audit import checkpoints, cli, merkle
from warden.audit.models import AuditEntry
from warden.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["audit", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_passes_on_an_honest_log_and_fails_naming_the_entry(
    append, audit_key, guards_off, capsys
) -> None:  # type: ignore[no-untyped-def]
    append(8)
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "OK: 8 entries" in out
    guards_off("UPDATE audit_auditentry SET entry = entry || ' ' WHERE seq = 3")
    code, out, _ = run(capsys, "verify")
    assert code == 1
    assert "first bad entry: seq 3" in out and "leaf hash mismatch" in out


def test_checkpoint_prints_the_signed_note_and_verify_proves_consistency_with_a_kept_one(
    append, audit_key, capsys, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    append(5)
    code, note, err = run(capsys, "checkpoint")
    assert code == 0 and note.split("\n")[1] == "5" and "verifier key" in err
    kept = tmp_path / "kept.txt"
    kept.write_text(note)
    append(4)
    code, out, _ = run(capsys, "verify", "--from-checkpoint", str(kept))
    assert code == 0 and "Consistent with the supplied checkpoint (size 5 -> 9)" in out
    kept.write_text(note.replace("\n5\n", "\n6\n"))
    code, out, _ = run(capsys, "verify", "--from-checkpoint", str(kept))
    assert code == 1 and "not valid" in out
    code, _, err = run(capsys, "verify", "--from-checkpoint", str(tmp_path / "missing.txt"))
    assert code == 2 and "cannot read" in err


def test_prove_and_consistency_print_json_that_verifies(append, audit_key, capsys) -> None:  # type: ignore[no-untyped-def]
    entries = append(11)
    code, out, _ = run(capsys, "prove", "--seq", "4", "--size", "9")
    p = json.loads(out)
    assert code == 0 and p["size"] == 9
    merkle.verify_inclusion(
        4,
        9,
        bytes.fromhex(entries[4].leaf_hash),
        [bytes.fromhex(h) for h in p["proof"]],
        bytes.fromhex(p["root"]),
    )
    code, out, _ = run(capsys, "consistency", "--from", "3")
    c = json.loads(out)
    assert code == 0 and (c["first"], c["second"]) == (3, 11)
    merkle.verify_consistency(
        3,
        11,
        bytes.fromhex(c["first_root"]),
        bytes.fromhex(c["second_root"]),
        [bytes.fromhex(h) for h in c["proof"]],
    )
    code, _, err = run(capsys, "prove", "--seq", "40")
    assert code == 2 and "not in a log of size 11" in err


def test_checkpoint_on_an_empty_log_says_so(db, audit_key, capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "checkpoint")
    assert code == 1 and "empty" in err


def test_init_creates_a_development_key_once_and_says_so(settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("WARDEN_AUDIT_KEY_PEM", raising=False)
    settings.AUDIT_SIGNING_KEY_PATH = str(tmp_path / "keys" / "audit.pem")
    console = Console(record=True, width=200)
    cli.on_init(console)
    assert "Created a DEVELOPMENT audit signing key" in console.export_text()
    assert (tmp_path / "keys" / "audit.pem").stat().st_mode & 0o077 == 0
    console = Console(record=True, width=200)
    cli.on_init(console)
    assert "Created" not in console.export_text()


def test_init_does_not_invent_a_key_in_production(settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("WARDEN_AUDIT_KEY_PEM", raising=False)
    settings.PRODUCTION = True
    settings.AUDIT_SIGNING_KEY_PATH = str(tmp_path / "audit.pem")
    console = Console(record=True, width=200)
    cli.on_init(console)
    assert "No audit signing key" in console.export_text()
    assert not (tmp_path / "audit.pem").exists()


def test_rotate_key_hands_over_and_old_checkpoints_verify_afterwards(
    append, audit_key, capsys, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    append(4)
    code, old_note, _ = run(capsys, "checkpoint")
    kept = tmp_path / "kept-by-a-partner.txt"
    kept.write_text(old_note)
    code, old_vkey, _ = run(capsys, "public-key")
    new_path = tmp_path / "keys" / "audit-2.pem"
    checkpoints.create_development_key(new_path)

    code, out, err = run(capsys, "rotate-key", "--new-key", str(new_path))
    assert code == 0, err
    assert (
        "entry 4 (audit.key_rotated)" in out
        and "checkpoint 5 is signed by the old key and then the new" in out
    )
    assert f"Point WARDEN_AUDIT_KEY at {new_path}" in out
    code, out, _ = run(capsys, "verify")  # still configured with the old key: fine, it is in the keyring
    assert code == 0 and "2 signed checkpoints verified" in out
    append(1)
    code, _, err = run(capsys, "checkpoint")
    assert code == 2 and "was retired at log size 5" in err

    settings.AUDIT_SIGNING_KEY_PATH = str(new_path)  # the operator follows the instructions
    code, out, _ = run(capsys, "checkpoint")
    assert code == 0 and out.split("\n")[1] == "6"
    code, new_vkey, _ = run(capsys, "public-key")
    assert code == 0 and new_vkey != old_vkey and new_vkey.startswith("warden.example/audit+")
    code, ring, _ = run(capsys, "public-key", "--all")
    lines = [line for line in ring.splitlines() if not line.startswith("#")]
    assert len(lines) == 2 and lines[1] == new_vkey.strip()
    assert lines[0].startswith(old_vkey.strip() + " from=") and lines[0].endswith(" max-size=5")
    code, out, _ = run(capsys, "verify", "--from-checkpoint", str(kept))
    assert code == 0 and "3 signed checkpoints verified" in out
    assert "Consistent with the supplied checkpoint (size 4 -> 6)" in out


def test_rotate_key_with_a_bad_key_file_says_so_and_changes_nothing(
    append, audit_key, capsys, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    append(2)
    code, _, err = run(capsys, "rotate-key", "--new-key", str(tmp_path / "absent.pem"))
    assert code == 2 and "cannot read the new key file" in err and "nothing was changed" in err
    assert AuditEntry.objects.count() == 2


def test_rotate_key_as_someone_who_is_not_an_administrator_is_refused(
    personas, audit_key, capsys, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    new_path = tmp_path / "new.pem"
    checkpoints.create_development_key(new_path)
    code, _, err = run(capsys, "rotate-key", "--new-key", str(new_path), "--as", personas.officer.username)
    assert code == 2 and "not an active administrator" in err
    assert not AuditEntry.objects.filter(action="audit.key_rotated").exists()


def test_verify_without_any_key_says_what_to_configure(db, settings, tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("WARDEN_AUDIT_KEY_PEM", raising=False)
    settings.AUDIT_SIGNING_KEY_PATH = str(tmp_path / "absent.pem")
    settings.AUDIT_KEYRING_PATH = str(tmp_path / "absent-keyring.txt")
    code, _, err = run(capsys, "verify")
    assert code == 2 and "WARDEN_AUDIT_KEY" in err and "WARDEN_AUDIT_KEYRING" in err


def test_an_auditor_verifies_with_the_keyring_alone(append, audit_key, capsys, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    append(3)
    run(capsys, "checkpoint")
    _, ring, _ = run(capsys, "public-key", "--all")
    (tmp_path / "published.txt").write_text(ring)
    settings.AUDIT_SIGNING_KEY_PATH = str(tmp_path / "no-private-key-here.pem")
    settings.AUDIT_KEYRING_PATH = str(tmp_path / "published.txt")
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "1 signed checkpoints verified" in out


def test_on_sqlite_the_sequencer_has_nothing_to_do(db, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from warden.audit import sequencer

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL is covered by test_background_sequencer.py")
    code, out, _ = run(capsys, "sequencer", "--once")
    assert code == 0 and "numbered when it is recorded" in out
    assert sequencer.pending() == 0 and sequencer.drain() == 0
