from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from warden.audit import cli, merkle
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
