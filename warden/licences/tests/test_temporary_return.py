"""Temporary export licences: the application's return date becomes the licence's; the holder records the
goods' return once (not in the future, not before the licence); an overdue return shows on the licence page
and reaches the holder's inbox."""

from __future__ import annotations

import datetime as dt

import pytest

from warden.audit.models import AuditEntry
from warden.cases.tests import factories
from warden.cases.tests.factories import client_for
from warden.flows.submission import validate_application
from warden.inbox import services as inbox
from warden.inbox.models import Notification
from warden.lib import clock
from warden.lib.errors import IllegalTransition, InvalidInput, NotPermitted
from warden.licences import services
from warden.licences.models import Licence
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db


def _temporary(p: Personas, days: int = 60) -> Licence:
    back = (clock.today() + dt.timedelta(days=days)).isoformat()
    case = factories.licensed(
        p, licence_type="temporary", temporary_export={"return_by": back, "purpose": "Trials at Rena"}
    )
    return Licence.objects.get(case=case)


def test_the_return_date_of_the_application_is_the_licences(personas: Personas) -> None:
    licence = _temporary(personas)
    assert licence.number.startswith("TEL-") and licence.return_due == clock.today() + dt.timedelta(days=60)
    assert Licence.objects.get(case=factories.licensed(personas)).return_due is None


def test_the_holder_records_the_return_once(personas: Personas) -> None:
    licence = _temporary(personas)
    with pytest.raises(InvalidInput, match="expected a day from"):
        services.record_return(
            actor=personas.exporter, licence=licence, returned_on=clock.today() + dt.timedelta(1)
        )
    with pytest.raises(NotPermitted):
        services.record_return(actor=personas.exporter_b, licence=licence, returned_on=clock.today())
    services.record_return(
        actor=personas.exporter, licence=licence, returned_on=clock.today(), note="Back from trials"
    )
    licence.refresh_from_db()
    assert licence.returned_on == clock.today()
    assert AuditEntry.objects.filter(action="licence.record_return").count() == 1
    with pytest.raises(IllegalTransition, match="already recorded"):
        services.record_return(actor=personas.exporter, licence=licence, returned_on=clock.today())


def test_only_a_temporary_licence_records_a_return(personas: Personas) -> None:
    licence = Licence.objects.get(case=factories.licensed(personas))
    with pytest.raises(IllegalTransition, match="not a temporary export"):
        services.record_return(actor=personas.exporter, licence=licence, returned_on=clock.today())


def test_a_return_date_on_another_licence_type_is_refused() -> None:
    doc = sample_application(temporary_export={"return_by": "2027-01-01", "purpose": "Trials"})
    assert [e.pointer for e in validate_application(doc)] == ["/temporary_export"]


def test_the_licence_page_shows_an_overdue_return_and_the_inbox_tells_the_holder(personas: Personas) -> None:
    licence = _temporary(personas, days=10)
    Licence.objects.filter(pk=licence.pk).update(return_due=clock.today() - dt.timedelta(days=1))
    page = client_for(personas.exporter).get(f"/licences/{licence.pk}/").content.decode()
    assert "return overdue" in page and "Record the return of the goods" in page
    inbox.daily(clock.today())
    assert Notification.objects.filter(user=personas.exporter, subject__contains="were due back").exists()
    r = client_for(personas.exporter).post(
        f"/licences/{licence.pk}/act/record_return/", {"returned_on": clock.today().isoformat()}
    )
    assert r.status_code == 302
    page = client_for(personas.exporter).get(f"/licences/{licence.pk}/").content.decode()
    assert "returned on" in page and "Record the return of the goods" not in page
