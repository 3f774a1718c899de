"""Two senior officers finalise the same case at the same moment: exactly one succeeds, the other gets a
CaseConflict, and nothing of the loser is stored. Needs real row locks, so PostgreSQL only."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection

from warden.audit.models import AuditEntry
from warden.cases import decisions, services
from warden.cases.models import Case, CaseTransition, Status
from warden.cases.tests import factories as f
from warden.cases.transitions import CaseConflict
from warden.flows import case_decision
from warden.testing import Personas


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_not_an_overwrite(personas: Personas) -> None:
    p = personas
    case = f.under_final_review(p)
    stale = Case.objects.get(pk=case.pk)
    services.add_note(actor=p.officer, case=case, text="Changed meanwhile")
    with pytest.raises(CaseConflict, match="reload the case"):
        case_decision.finalise(actor=p.senior, case=stale, decision="approved", reason="On a stale page")
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_FINAL_REVIEW
    # An explicit expected_version (a hidden form field) works the same way.
    with pytest.raises(CaseConflict):
        case_decision.finalise(
            actor=p.senior, case=case, decision="approved", reason="x", expected_version=case.version - 1
        )


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_senior_officers_finalise_at_once(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    p = personas
    # Belarus: the engine recommends refusal, so refusing is a one-signature decision (approving there would
    # only propose an overrule, issue 10); both officers decide, each differently.
    case = f.under_final_review(p, destination="BY")
    version = case.version
    audit_before = AuditEntry.objects.count()

    # Hold the row lock a little longer so that the second officer really waits on it.
    real_move = decisions._move  # the transition helper the decision step calls

    def slow_move(**kwargs: Any) -> Any:
        time.sleep(0.3)
        return real_move(**kwargs)

    monkeypatch.setattr(decisions, "_move", slow_move)

    barrier = threading.Barrier(2)
    results: dict[str, Any] = {}

    def finalise(officer: Any, decision: str, criteria: list[str]) -> None:
        try:
            mine = Case.objects.get(pk=case.pk)  # both read version N
            barrier.wait()
            case_decision.finalise(
                actor=officer, case=mine, decision=decision, reason="Decided", criteria=criteria
            )
            results[officer.username] = "ok"
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever happened
            results[officer.username] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=finalise, args=(p.senior, "refused", ["EU-CP:1"])),
        threading.Thread(target=finalise, args=(p.senior2, "refused", ["EU-CP:2"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    outcomes = sorted(results.values(), key=lambda v: v != "ok")
    assert outcomes[0] == "ok", results
    assert isinstance(outcomes[1], CaseConflict), results
    assert "reload the case" in str(outcomes[1])

    stored = Case.objects.get(pk=case.pk)
    winner = next(u for u, v in results.items() if v == "ok")
    assert stored.status == Status.FINALISED and stored.version == version + 1
    assert stored.finalised_by.username == winner
    assert stored.decision_criteria == (["EU-CP:1"] if winner == p.senior.username else ["EU-CP:2"])
    assert CaseTransition.objects.filter(case=case, action="finalise").count() == 1
    assert AuditEntry.objects.filter(case_id=case.pk, action="case.finalise").count() == 1
    assert AuditEntry.objects.count() == audit_before + 1
