"""An appeal restarts the service level: the review of an appeal gets the case type's working days from the
day of the appeal, so it is not overdue on arrival because the original submission was long ago."""

from __future__ import annotations

import datetime as dt

import pytest

from warden.cases import services, sla
from warden.cases.models import Case, Status
from warden.cases.tests import factories
from warden.lib import clock
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_appeal_gets_a_fresh_deadline_from_the_day_it_is_made(personas: Personas) -> None:
    case = factories.finalised(personas, decision="refused")
    Case.objects.filter(pk=case.pk).update(sla_deadline=dt.date(2020, 1, 31))  # long overdue
    case.refresh_from_db()
    services.appeal(actor=personas.exporter, case=case, grounds="New end-user undertaking")
    case.refresh_from_db()
    assert case.status == Status.UNDER_APPEAL
    assert case.sla_deadline == sla.deadline_from(clock.today(), case.licence_type)
    assert not sla.is_overdue(case)
    assert case.transitions.get(action="appeal").data["sla_deadline"] == case.sla_deadline.isoformat()
