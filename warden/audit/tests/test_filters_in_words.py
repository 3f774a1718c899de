"""The audit page filters by people's names and by actions in words, says how many entries match, and
rejects a malformed date with a message naming it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from warden.audit.services import record
from warden.testing import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(personas: Personas) -> Personas:
    personas.officer.last_name = "Okafor"
    personas.officer.save()
    with transaction.atomic():
        record(actor=personas.exporter, action="case.submit", target=personas.org_a, case_id=41)
        record(actor=personas.officer, action="case.refer", target=personas.org_a, case_id=41)
        record(actor=personas.officer, action="licence.issue", target=personas.org_b, case_id=42)
        record(actor=personas.senior, action="case.finalise", target=personas.org_a, case_id=41)
    return personas


def _get(p: Personas, query: str) -> object:
    c = Client()
    c.force_login(p.oversight)
    return c.get("/audit/?" + query)


@pytest.mark.parametrize("name", ["Olivia Okafor", "olivia", "OKAFOR", "Olivia"])
def test_the_log_filters_by_a_persons_name(log: Personas, name: str) -> None:
    response = _get(log, "actor=" + name)
    assert [e.action for e in response.context["entries"]] == ["licence.issue", "case.refer"]  # type: ignore[attr-defined]
    assert "2 entries match these filters." in response.content.decode()  # type: ignore[attr-defined]


def test_an_unknown_name_is_named(log: Personas) -> None:
    response = _get(log, "actor=Nobody+Here")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "No one called Nobody Here" in response.context["errors"]["actor"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Decision issued", ["case.finalise"]),
        ("referred", ["case.refer"]),
        ("licence issued", ["licence.issue"]),
        ("case.submit", ["case.submit"]),
    ],
)
def test_the_log_filters_by_actions_in_words(log: Personas, words: str, expected: list[str]) -> None:
    response = _get(log, "action=" + words)
    assert [e.action for e in response.context["entries"]] == expected  # type: ignore[attr-defined]


def test_an_action_no_words_describe_is_named(log: Personas) -> None:
    response = _get(log, "action=teleported")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "No action is called 'teleported'" in response.context["errors"]["action"]  # type: ignore[attr-defined]


def test_the_unfiltered_page_counts_the_whole_log_and_a_bad_date_is_rejected(log: Personas) -> None:
    assert "4 entries in all." in _get(log, "").content.decode()  # type: ignore[attr-defined]
    bad = _get(log, "until=2026-02-30")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "'2026-02-30' is not a date" in bad.context["errors"]["until"]  # type: ignore[attr-defined]
    assert bad.context["entries"] == []  # type: ignore[attr-defined]


def test_the_filtered_entries_download_as_csv_in_words(log: Personas) -> None:
    response = _get(log, "actor=Olivia&format=csv")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    lines = body.splitlines()
    assert lines[0] == "Seq,When (UTC),Actor,Action,Action code,Object,Case"
    assert len(lines) == 3 and "Licence issued,licence.issue" in lines[1]
    assert _get(log, "since=soon&format=csv").status_code == 400  # type: ignore[attr-defined]
