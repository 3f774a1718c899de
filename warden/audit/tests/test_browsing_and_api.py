from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from warden.accounts.models import ApiToken
from warden.audit import checkpoints, merkle
from warden.audit.models import AuditEntry
from warden.audit.services import record
from warden.lib.actors import system


@pytest.fixture
def log(personas, audit_key):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        record(
            actor=personas.exporter,
            action="case.submit",
            target=personas.org_a,
            case_id=41,
            data={"from": "draft", "to": "submitted"},
        )
        record(
            actor=personas.officer,
            action="case.refer",
            target=personas.org_a,
            case_id=41,
            data={"from": "submitted", "to": "under_review", "reason": "needs advice"},
        )
        record(actor=personas.officer, action="licence.issue", target=personas.org_b, case_id=42)
    checkpoints.make_checkpoint()
    return personas


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_only_oversight_and_administrators_browse_the_log(log) -> None:  # type: ignore[no-untyped-def]
    assert client_for(log.oversight).get("/audit/").status_code == 200
    assert client_for(log.admin).get("/audit/").status_code == 200
    for user in (log.exporter, log.officer, log.senior):
        assert client_for(user).get("/audit/").status_code == 403
        assert client_for(user).get("/audit/entry/0/").status_code == 403
    assert Client().get("/audit/").status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=olivia", [2, 1]),
        ("action=case.*", [1, 0]),
        ("action=licence.issue", [2]),
        ("case=41", [1, 0]),
        ("object=accounts.organisation:{org_b}", [2]),
        ("since=2000-01-01", [2, 1, 0]),
        ("until=2000-01-01", []),
    ],
)
def test_the_log_filters_by_actor_action_object_case_and_date(log, query: str, expected: list[int]) -> None:  # type: ignore[no-untyped-def]
    response = client_for(log.oversight).get("/audit/?" + query.format(org_b=log.org_b.pk))
    assert [e.seq for e in response.context["entries"]] == expected


def test_bad_filters_are_explained_and_show_nothing(log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(log.oversight).get("/audit/?object=nonsense&since=31/12/2026")
    assert response.context["entries"] == []
    assert "type:id" in response.context["errors"]["object"]
    assert "YYYY-MM-DD" in response.context["errors"]["since"]


def test_an_entry_page_shows_its_verified_inclusion_proof(log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(log.oversight).get("/audit/entry/1/")
    assert response.status_code == 200
    assert response.context["verified"] is True
    assert b"needs advice" in response.content
    assert client_for(log.oversight).get("/audit/entry/99/").status_code == 404


def test_a_downloaded_proof_verifies_offline(log) -> None:  # type: ignore[no-untyped-def]
    response = client_for(log.admin).get("/audit/entry/2/proof.json")
    assert "attachment" in response["Content-Disposition"]
    p = json.loads(response.content)
    merkle.verify_inclusion(
        p["seq"],
        p["size"],
        merkle.leaf_hash(p["entry"].encode()),
        [bytes.fromhex(h) for h in p["proof"]],
        bytes.fromhex(p["root"]),
    )
    parsed = checkpoints.verify_note(p["checkpoint"], checkpoints.signing_key().public_key())
    assert parsed.root.hex() == p["root"]


def test_the_checkpoint_and_public_key_are_public(log) -> None:  # type: ignore[no-untyped-def]
    anon = Client()
    note = anon.get("/audit/checkpoint").content.decode()
    key = anon.get("/audit/public-key").content.decode()
    assert note.split("\n")[1] == "3"
    assert checkpoints.verifier_key(checkpoints.signing_key().public_key()) in key
    api = anon.get("/api/audit/checkpoint").json()
    assert api["size"] == 3 and api["note"] == note
    assert anon.get("/api/audit/public-key").json()["verifier_key"] in key


def test_administrators_sign_checkpoints_on_demand(log) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        record(actor=system("test"), action="test.more")
    assert client_for(log.oversight).post("/audit/checkpoint/new").status_code == 403
    assert client_for(log.admin).post("/audit/checkpoint/new").status_code == 302
    assert checkpoints.latest().size == 4  # type: ignore[union-attr]


def test_the_api_serves_proofs(log) -> None:  # type: ignore[no-untyped-def]
    anon = Client()
    c = anon.get("/api/audit/proof/consistency", {"first": 1, "second": 3}).json()
    leaves = [bytes.fromhex(h) for h in AuditEntry.objects.values_list("leaf_hash", flat=True)]
    merkle.verify_consistency(
        1, 3, leaves[0], merkle.root_from_leaf_hashes(leaves), [bytes.fromhex(h) for h in c["proof"]]
    )
    assert anon.get("/api/audit/proof/inclusion", {"seq": 0}).status_code == 401
    token = ApiToken.generate()
    ApiToken.objects.create(user=log.exporter, name="t", prefix=token[:12], digest=ApiToken.digest_of(token))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    p = anon.get("/api/audit/proof/inclusion", {"seq": 0, "size": 3}, **auth).json()
    merkle.verify_inclusion(
        0, 3, leaves[0], [bytes.fromhex(h) for h in p["proof"]], merkle.root_from_leaf_hashes(leaves)
    )
    bad = anon.get("/api/audit/proof/inclusion", {"seq": 5}, **auth)
    assert bad.status_code == 400 and "not in a log of size 3" in bad.json()["detail"]


def test_the_case_history_partial_is_human_readable_for_the_authority_only(log) -> None:  # type: ignore[no-untyped-def]
    class FakeCase:  # what cases.policy reads to decide who sees the case's internal history
        pk = 41
        status = "submitted"
        organisation_id = None

    request = RequestFactory().get("/cases/41/")
    request.user = log.officer
    html = render_to_string(
        "audit/_history.html", {"case": FakeCase(), "request": request, "user": log.officer}
    )
    assert "Application submitted" in html and "draft → submitted" in html
    assert "needs advice" in html and "olivia" in html
    assert "log entry #" not in html  # officers do not browse the log itself
    request.user = log.oversight
    html = render_to_string(
        "audit/_history.html", {"case": FakeCase(), "request": request, "user": log.oversight}
    )
    assert "log entry #1" in html
    request.user = log.exporter
    html = render_to_string(
        "audit/_history.html", {"case": FakeCase(), "request": request, "user": log.exporter}
    )
    assert "Application submitted" not in html
