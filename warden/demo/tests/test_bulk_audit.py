"""The benchmark loader writes, for each case, the audit entries the services write for the same path."""

from __future__ import annotations

import json

import pytest

from warden import demo
from warden.accounts.models import Role, User
from warden.audit.models import AuditEntry
from warden.cases import services
from warden.cases.models import Case, CaseTransition, Decision, Status
from warden.demo.bulk import PATHS
from warden.flows import case_decision, submission
from warden.flows.decisions import dispose_match
from warden.screening.models import Match, MatchStatus
from warden.testing import application_for

pytestmark = pytest.mark.django_db


def _case_entries(case: Case) -> list[tuple[str, str, list[str], str]]:
    """(action, actor, data keys, object) of the case.* audit entries of `case`, in log order."""
    return [
        (e.action, e.actor_label, sorted(json.loads(e.entry)["data"]), f"{e.object_type}:{e.object_id}")
        for e in AuditEntry.objects.filter(case_id=case.pk, action__startswith="case.").order_by("seq")
    ]


def _through_services(status: str) -> Case:
    people = demo.ensure_people()
    exporter, officer = people.exporters[0], people.officers[0]
    case = submission.create_application(actor=exporter, document=application_for(exporter))
    submission.submit_case(actor=exporter, case=case)
    if status == Status.SUBMITTED:
        return case
    if status == Status.WITHDRAWN:
        services.withdraw(actor=exporter, case=case, reason="The order was cancelled")
        return case
    services.start_initial_checks(actor=officer, case=case)
    if status == Status.CONSULTATION:
        services.refer_case(actor=officer, case=case, teams=["defence"], note="")
    if status == Status.UNDER_FINAL_REVIEW:
        for m in Match.objects.filter(case=case, status=MatchStatus.OPEN):
            dispose_match(actor=officer, match=m, decision=MatchStatus.FALSE_POSITIVE, reason="Not the same")
        case_decision.recommend(
            actor=officer, case=case, decision=Decision.APPROVED, reason="Fine", criteria=[]
        )
    case.refresh_from_db()
    return case


def _shape(entries: list[tuple[str, str, list[str], str]]) -> list[tuple[str, str, list[str], str]]:
    """What must agree: the action, who acted (the exporter or staff), the data keys and the target's type."""
    exporters = set(User.objects.filter(role=Role.EXPORTER).values_list("username", flat=True))
    return [
        (action, "exporter" if actor in exporters else "staff", keys, obj.split(":")[0])
        for action, actor, keys, obj in entries
    ]


@pytest.mark.parametrize("status", list(PATHS))
def test_bulk_cases_carry_the_case_entries_the_services_write_for_the_same_path(status: str) -> None:
    by_services = _through_services(status)
    assert by_services.status == status
    demo.bulk_cases(60, seed=7, batch=25)
    bulk = next(c for c in Case.objects.filter(document__bulk=True, status=status).order_by("pk"))
    assert _shape(_case_entries(bulk)) == _shape(_case_entries(by_services))
    # And the transition rows match the entries one for one, as _move writes them.
    actions = list(CaseTransition.objects.filter(case=bulk).order_by("pk").values_list("action", flat=True))
    assert [f"case.{a}" for a in actions] == [a for a, *_ in _case_entries(bulk)]
    assert bulk.version == by_services.version
