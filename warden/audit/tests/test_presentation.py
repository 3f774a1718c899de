from __future__ import annotations

import datetime as dt

from warden.audit.models import AuditEntry
from warden.audit.presentation import action_label, history_item
from warden.lib.canonical import canonical_bytes


def entry(action: str, data: dict) -> AuditEntry:  # type: ignore[type-arg]
    body = {"action": action, "actor": "olivia", "at": "2026-01-01T00:00:00+00:00", "case": 1, "data": data,
            "object": {"id": "1", "type": "cases.case"}, "seq": 3}  # fmt: skip
    return AuditEntry(seq=3, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), actor_label="olivia", action=action,
                      entry=canonical_bytes(body).decode())  # fmt: skip


def test_actions_read_as_plain_words() -> None:
    assert action_label("case.submit") == "Application submitted"
    assert action_label("case.request_information") == "Request information"
    assert action_label("screening.match_decided") == "Match decided (screening)"


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
    assert item.details == [("teams", '["fcdo"]')]
