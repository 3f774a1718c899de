"""Service levels: working-day deadlines per licence type; the clock pauses while the exporter is asked."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest
from django.utils import timezone

import warden.cases.sla
import warden.lib.workdays
from warden.cases import services, sla
from warden.cases.models import Case
from warden.cases.tests import factories as f
from warden.flows import amendment
from warden.lib import clock
from warden.lib.workdays import add_workdays, bank_holidays, workdays_between
from warden.testing import Personas


@pytest.mark.parametrize("module", [warden.lib.workdays, warden.cases.sla])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.failed == 0 and result.attempted > 0


def test_weekends_and_bank_holidays_are_skipped() -> None:
    # Thursday 2026-12-24: Christmas Friday, the weekend and the substitute Boxing Day (Monday 28th) do not count.
    assert add_workdays(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    assert workdays_between(dt.date(2026, 12, 24), dt.date(2026, 12, 29)) == 1
    assert dt.date(2027, 3, 26) in bank_holidays()  # Good Friday 2027


def test_the_sla_table_is_per_licence_type() -> None:
    assert sla.SLA_WORKING_DAYS == {
        "individual": 20,
        "global": 60,
        "brokering": 20,
        "transit": 20,
        "temporary": 20,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("licence_type", "days"), [("individual", 20), ("global", 60), ("transit", 20)])
def test_submission_sets_the_deadline_in_working_days(
    personas: Personas, licence_type: str, days: int
) -> None:
    case = f.submitted(personas, licence_type=licence_type)
    assert case.sla_days == days
    assert case.sla_deadline == add_workdays(clock.today(), days)


@pytest.mark.django_db
def test_a_request_pauses_the_clock_and_the_answer_pushes_the_deadline_back(personas: Personas) -> None:
    p = personas
    case = f.in_initial_checks(p)
    deadline = case.sla_deadline
    assert deadline is not None
    req = services.request_information(actor=p.officer, case=case, question="Who signs the EUC?")
    assert case.paused_since is not None
    # The question was asked a week ago (five working days unless a bank holiday fell in between).
    asked = timezone.now() - dt.timedelta(days=7)
    Case.objects.filter(pk=case.pk).update(
        paused_since=asked, sla_deadline=clock.today() - dt.timedelta(days=1)
    )
    case.refresh_from_db()
    assert not sla.is_overdue(case), "a paused case is not overdue"
    assert not Case.objects.filter(sla.overdue_q(), pk=case.pk).exists()
    paused = workdays_between(clock.local_date(asked), clock.today())
    assert paused >= 3
    amendment.answer_information_request(actor=p.exporter, request=req, answer="The Ministry of Defence")
    case.refresh_from_db()
    assert case.paused_since is None
    assert case.sla_paused_days == paused
    assert case.sla_deadline == add_workdays(clock.today() - dt.timedelta(days=1), paused)


@pytest.mark.django_db
def test_the_clock_stays_paused_until_every_request_is_answered(personas: Personas) -> None:
    p = personas
    case = f.in_initial_checks(p)
    first = services.request_information(actor=p.officer, case=case, question="One?")
    services.request_information(actor=p.officer, case=case, question="Two?")
    since = case.paused_since
    amendment.answer_information_request(actor=p.exporter, request=first, answer="One")
    case.refresh_from_db()
    assert case.paused_since == since


@pytest.mark.django_db
def test_overdue_cases_are_found(personas: Personas) -> None:
    case = f.in_initial_checks(personas)
    Case.objects.filter(pk=case.pk).update(sla_deadline=clock.today() - dt.timedelta(days=3))
    case.refresh_from_db()
    assert sla.is_overdue(case)
    assert list(Case.objects.filter(sla.overdue_q())) == [case]
    assert (sla.working_days_left(case) or 0) < 0
