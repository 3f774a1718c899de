"""A DBA with the triggers lifted edits one plain column of an entry (what the log browser shows and filters on)
and leaves the hashed bytes alone: the tree still verifies, so the verifier must compare the columns with the
bytes and name the entry and the column."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from warden.audit import verify as verify_module
from warden.audit.models import AuditEntry
from warden.audit.services import record
from warden.audit.verify import verify_log
from warden.audit.verify_columns import column_problems
from warden.lib.actors import system


@pytest.fixture
def entries(personas: Any) -> list[AuditEntry]:
    out = []
    for i in range(6):
        with transaction.atomic():
            record(
                actor=personas.officer,
                action="case.submit",
                target=personas.org_a,
                data={"i": i, "note": 'quotes " and ünïcode'},
                case_id=40 + i,
            )
        out.append(AuditEntry.objects.order_by("-seq").first())
    return out  # type: ignore[return-value]


def _other_time() -> str:
    return "2020-01-02 03:04:05.000006" + ("+00" if connection.vendor == "postgresql" else "")


# column -> (SQL value to write, what the forged column pretends)
EDITS: dict[str, Any] = {
    "actor_label": lambda p: "mallory",
    "action": lambda p: "case.withdraw",
    "object_type": lambda p: "cases.case",
    "object_id": lambda p: "999",
    "case_id": lambda p: 999,
    "actor_id": lambda p: p.senior.pk,  # another real user: the foreign key still holds
    "at": lambda p: _other_time(),
}


@pytest.mark.parametrize("chunk_bits", [16, 2], ids=["chunk65536", "chunk4"])
def test_an_untouched_log_with_every_column_filled_verifies(
    entries: list[AuditEntry], audit_key: Any, chunk_bits: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_module, "CHUNK_BITS", chunk_bits)
    report = verify_log(public_key=audit_key.public_key())
    assert report.ok, report.problems


@pytest.mark.parametrize("column", list(EDITS))
def test_an_edited_column_is_named_with_its_entry(
    column: str, entries: list[AuditEntry], personas: Any, audit_key: Any, guards_off: Any
) -> None:
    guards_off(f"UPDATE audit_auditentry SET {column} = %s WHERE seq = 3", [EDITS[column](personas)])
    report = verify_log(public_key=audit_key.public_key())
    assert not report.ok
    assert report.first_bad_seq == 3
    assert [p.seq for p in report.problems] == [3]  # the tree and the other rows are intact
    assert f"column {column} is" in report.problems[0].message
    assert "hashed entry" in report.problems[0].message


def test_the_edited_column_is_named_by_the_cli(
    entries: list[AuditEntry], audit_key: Any, guards_off: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from warden.cli import main

    guards_off("UPDATE audit_auditentry SET actor_label = 'mallory' WHERE seq = 2")
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "first bad entry: seq 2" in out
    assert "entry 2: column actor_label is 'mallory' but the hashed entry says 'olivia'" in out


def test_a_log_with_gaps_still_checks_columns(
    entries: list[AuditEntry], audit_key: Any, guards_off: Any
) -> None:
    guards_off("DELETE FROM audit_auditentry WHERE seq = 1")  # not dense: the streamed path
    guards_off("UPDATE audit_auditentry SET object_id = '7' WHERE seq = 4")
    report = verify_log(public_key=audit_key.public_key())
    assert any(p.seq == 4 and "column object_id is '7'" in p.message for p in report.problems)


def test_entries_hashed_before_the_actor_id_was_are_checked_against_the_user(
    entries: list[AuditEntry], personas: Any, guards_off: Any
) -> None:
    """Older entries carry no "actor_id" in their bytes: their id column must name the user the label names."""
    for e in entries[:2]:
        legacy = e.entry.replace(f'"actor_id":{personas.officer.pk},', "")
        guards_off("UPDATE audit_auditentry SET entry = %s WHERE seq = %s", [legacy, e.seq])
    guards_off("UPDATE audit_auditentry SET actor_id = %s WHERE seq = 1", [personas.senior.pk])
    problems = column_problems([0, 1])
    assert [seq for seq, _ in problems] == [1]
    assert "column actor_id" in problems[0][1] and "olivia" in problems[0][1]


def test_columns_with_quotes_and_backslashes_verify_and_their_edits_are_named(
    db: None, audit_key: Any, guards_off: Any
) -> None:
    """Such values take the exact check rather than the database's quick comparison: same verdicts."""
    for action in ('test."quoted"', "test.back\\slash", "test.new\nline"):
        with transaction.atomic():
            record(actor=system("test"), action=action, data={"n": 1})
    assert verify_log(public_key=audit_key.public_key()).ok
    guards_off("UPDATE audit_auditentry SET action = %s WHERE seq = 1", ['test."quoted\\"'])
    report = verify_log(public_key=audit_key.public_key())
    assert [p.seq for p in report.problems] == [1] and "column action is" in report.problems[0].message
