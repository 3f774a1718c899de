"""Integrity indicators: each computed on a small caseload built for it, explained in a sentence naming the
figures and the threshold, with the thresholds read from data; shown to senior officers and oversight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from warden.cases.models import Case, DecisionOverrule, InformationRequest
from warden.cases.tests import factories
from warden.lib import clock
from warden.licences.models import Licence
from warden.oversight import indicators, thresholds
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _decided_by(case: Case, who: object, *, on: dt.datetime | None = None) -> None:
    # Fixture shortcut: the decision columns the indicators read, set directly on submitted cases.
    Case.objects.filter(pk=case.pk).update(
        finalised_by=who, decision="approved", finalised_at=on or clock.now()
    )


def test_the_thresholds_are_data_with_a_reason_each() -> None:
    defs = thresholds.definitions()
    assert set(defs) == set(thresholds.REQUIRED)
    assert defs["split_applications"].value("value") == 2000000
    assert all(t.reason for d in defs.values() for t in d.thresholds.values())
    with pytest.raises(
        thresholds.ThresholdError, match="overrules.thresholds.share needs a value and a reason"
    ):
        thresholds.parse(
            {"format": "warden.indicators/1", "indicators": [{"id": "overrules", "thresholds": {"share": 1}}]}
        )


def test_two_applications_under_the_threshold_for_the_same_deal_are_a_split(personas: Personas) -> None:
    a, b = factories.submitted(personas), factories.submitted(personas)  # EUR 1.25 m each, same end user
    hits = indicators.compute("split_applications").hits
    assert len(hits) == 1
    assert set(hits[0].case_ids) == {a.pk, b.pk}
    assert "each under EUR 2,000,000, together EUR 2,500,000" in hits[0].sentence
    assert "Norwegian Defence Materiel Agency" in hits[0].sentence


def test_one_application_is_not_a_split(personas: Personas) -> None:
    factories.submitted(personas)
    assert indicators.compute("split_applications").hits == []


def test_one_officer_deciding_most_of_an_exporters_cases_is_flagged(personas: Personas) -> None:
    cases = [factories.submitted(personas) for _ in range(5)]
    for c in cases[:4]:
        _decided_by(c, personas.senior)
    _decided_by(cases[4], personas.senior2)
    hits = indicators.compute("concentration").hits
    assert [h.subject for h in hits] == ["Northbridge Defence Ltd / Sam"]
    assert "Sam decided 4 of the 5 decided cases of Northbridge Defence Ltd (80%)" in hits[0].sentence
    assert set(hits[0].case_ids) == {c.pk for c in cases[:4]}


def test_decisions_against_the_engine_by_officer(personas: Personas) -> None:
    cases = [factories.submitted(personas) for _ in range(3)]
    for c in cases:
        DecisionOverrule.objects.create(
            case=c,
            decision="approved",
            reason="r",
            justification="j",
            engine_recommendation="refuse",
            proposed_by=personas.senior,
        )
    _decided_by(factories.submitted(personas, destination="SE"), personas.senior)
    hits = indicators.compute("overrules").hits
    assert (
        len(hits) == 1
        and "Sam took 3 of 4 decisions (75%) against the engine's recommendation" in hits[0].sentence
    )


def test_repeated_requests_for_information_by_officer(personas: Personas) -> None:
    cases = [factories.submitted(personas, destination=d) for d in ("NO", "SE")]
    for c in cases:
        for i in range(3):
            InformationRequest.objects.create(case=c, asked_by=personas.officer, question=f"Q{i}")
    hits = indicators.compute("repeated_rfis").hits
    assert len(hits) == 1 and hits[0].subject == "Olivia"
    assert "3 or more requests for information on each of 2 cases" in hits[0].sentence


def test_late_decisions_by_case_officer(personas: Personas) -> None:
    today = clock.today()
    for _ in range(2):
        c = factories.submitted(personas)
        Case.objects.filter(pk=c.pk).update(
            case_officer=personas.officer,
            sla_deadline=today - dt.timedelta(days=10),
            finalised_at=clock.now(),
            decision="approved",
            status="finalised",
        )
    hits = indicators.compute("late_decisions").hits
    assert len(hits) == 1 and "2 of the 2 cases of Olivia (100%)" in hits[0].sentence


def test_a_licence_issued_days_before_an_embargo_took_effect(personas: Personas) -> None:
    target, start, title, _ = indicators.embargo_starts()[-1]
    case = factories.submitted(personas, destination="NO")
    Case.objects.filter(pk=case.pk).update(destination=target)
    lic = Licence.objects.create(
        case=case, number="LIC-TEST-1", valid_from=start, valid_until=start, issued_by=personas.officer
    )
    issued = dt.datetime.combine(start - dt.timedelta(days=10), dt.time(12), tzinfo=dt.UTC)
    Licence.objects.filter(pk=lic.pk).update(issued_at=issued)
    hits = indicators.compute("pre_embargo_licences").hits
    assert [h.subject for h in hits] == ["LIC-TEST-1"]
    assert f"10 days before the {title} took effect on {start.isoformat()}" in hits[0].sentence


def test_senior_officers_and_oversight_see_the_indicators_with_a_drill_down(personas: Personas) -> None:
    a, _ = factories.submitted(personas), factories.submitted(personas)
    for who, link in (
        (personas.senior, f"/cases/{a.pk}/"),
        (personas.oversight, f"/oversight/cases/{a.pk}/"),
    ):
        c = Client()
        c.force_login(who)
        page = c.get("/oversight/indicators/").content.decode()
        assert "Applications split to stay under a threshold" in page and link in page
        assert "EUR 2 million parliamentary notification threshold" in page
        detail = c.get("/oversight/indicators/split_applications/")
        assert a.reference in detail.content.decode()
        csv = b"".join(c.get("/oversight/indicators/split_applications/?format=csv").streaming_content)  # type: ignore[attr-defined]
        assert a.reference.encode() in csv
    for who in (personas.officer, personas.exporter, personas.admin):
        c = Client()
        c.force_login(who)
        assert c.get("/oversight/indicators/").status_code == 403
    c = Client()
    c.force_login(personas.senior)
    assert c.get("/oversight/indicators/nonsense/").status_code == 404
