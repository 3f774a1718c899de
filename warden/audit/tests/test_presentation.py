from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import warden
from warden.audit.models import AuditEntry
from warden.audit.presentation import ACTION_LABELS, action_label, history_item, log_row
from warden.cases.transitions import Action
from warden.lib.canonical import canonical_bytes
from warden.licences.policy import LicenceAction


def entry(action: str, data: dict, *, object_type: str = "cases.case", object_id: str = "1") -> AuditEntry:  # type: ignore[type-arg]
    body = {"action": action, "actor": "olivia", "at": "2026-01-01T00:00:00+00:00", "case": 1, "data": data,
            "object": {"id": object_id, "type": object_type}, "seq": 3}  # fmt: skip
    return AuditEntry(seq=3, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), actor_label="olivia", action=action,
                      object_type=object_type, object_id=object_id, case_id=1,
                      entry=canonical_bytes(body).decode())  # fmt: skip


def recorded_actions() -> set[str]:
    """Every action the services write: the two transition tables and the literal `action="x.y"` ones."""
    literal = re.compile(r'action="([a-z_]+\.[a-z_.]+)"')
    root = Path(warden.__file__).parent
    found = {
        m
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for m in literal.findall(path.read_text())
    }
    return found | {f"case.{a.value}" for a in Action} | {f"licence.{a.value}" for a in LicenceAction}


def test_every_recorded_action_has_a_label() -> None:
    actions = recorded_actions()
    assert {"case.submit", "licence.suspend", "screening.match_decided", "user.set_role"} <= actions
    assert sorted(actions - ACTION_LABELS.keys()) == []


def test_actions_read_as_plain_words() -> None:
    assert action_label("case.submit") == "Application submitted"
    assert action_label("licence.suspend") == "Licence suspended"
    assert action_label("case.request_information") == "Information requested"


def test_an_unknown_action_falls_back_to_its_name_in_words() -> None:
    assert action_label("widget.spin_round") == "Spin round (widget)"
    assert action_label("case.reopen_file") == "Reopen file"


def test_history_shows_the_change_and_plain_facts_but_not_digests() -> None:
    item = history_item(
        entry(
            "case.refer",
            {
                "from": "initial_checks",
                "to": "consultation",
                "reason": "Please advise",
                "teams": ["fcdo"],
                "ruleset": "sha256:" + "a" * 64,
                "reference_data": {"x": 1},
                "digest": "b" * 64,
            },  # fmt: skip
        )
    )
    assert item.change == "initial checks → consultation"
    assert item.reason == "Please advise"
    assert item.details == [("Referred to", "fcdo")]


def test_history_names_fields_and_values_in_words_and_hides_row_ids() -> None:
    item = history_item(
        entry(
            "case.finalise",
            {
                "decision": "approved_with_conditions",
                "criteria": ["EU-CP:1", "EU-CP:7"],
                "recommended_by": "olivia",
                "sla_deadline": "2026-03-02",
                "request": 12,
                "appealed": {"decision": "refused", "criteria": ["ATT:7"]},
                "sha256": "c" * 64,
            },  # fmt: skip
        )
    )
    assert dict(item.details) == {
        "Decision": "Approved with conditions",
        "Criteria": "EU-CP:1, EU-CP:7",
        "Recommended by": "olivia",
        "Due by": "2 Mar 2026",
        "Decision appealed": "Refused (ATT:7)",
    }


def test_a_log_row_names_the_case_by_reference_and_the_licence_by_number() -> None:
    row = log_row(
        entry(
            "licence.suspend", {"number": "SIEL-2026-000009"}, object_type="licences.licence", object_id="9"
        ),
        {1: "APP-2026-000001"},
        {9: "SIEL-2026-000009"},
    )
    assert (row.label, row.action) == ("Licence suspended", "licence.suspend")
    assert (row.object_label, row.object_raw) == ("Licence SIEL-2026-000009", "licences.licence:9")
    assert row.case_label == "APP-2026-000001"
    other = log_row(
        entry("user.create", {"username": "paula"}, object_type="accounts.user", object_id="4"), {}, {}
    )
    assert (
        other.object_label == "User paula" and other.case_label == "1"
    )  # a case unknown here keeps its number
