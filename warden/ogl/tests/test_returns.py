"""Periodic returns of an OGL registration: the due dates from the first use and the terms, filing from
fourteen days before the due date, the daily sweep's compliance flag on a missed one (audited, once), the
queue for the exporter and the officers, and the reminders in the inbox. Through the services, the pages,
the API and the CLI. The first use is shipped on 20 Nov 2026: return 1 is due 20 Dec 2026 (30 days), then
one every six months from that date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.audit.models import AuditEntry
from warden.cli import main
from warden.inbox import deadlines
from warden.inbox import services as inbox
from warden.inbox.models import Notification
from warden.lib.actors import system
from warden.lib.errors import Conflict, NotPermitted
from warden.ogl import returns, services
from warden.ogl.models import OglRegistration, OglReturn
from warden.ogl.tests.conftest import at, use
from warden.testing import Personas

pytestmark = pytest.mark.django_db

SOON = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)  # within 14 days of 20 Dec
LATE = dt.datetime(2026, 12, 22, 9, 0, tzinfo=dt.UTC)  # past it


@pytest.fixture
def used(personas: Personas, registration: OglRegistration) -> OglRegistration:
    services.report_use(actor=personas.exporter, registration=registration, report=use())
    return registration


def _data(action: str) -> dict[str, Any]:
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, action
    return json.loads(entry.entry)["data"]  # type: ignore[no-any-return]


def test_the_schedule_runs_from_the_first_due_date_without_drifting() -> None:
    plan = returns.schedule(dt.date(2026, 8, 31), 30, 6, dt.date(2027, 9, 1))
    assert [(s.period_start, s.due_on) for s in plan] == [
        (dt.date(2026, 8, 31), dt.date(2026, 9, 30)),
        (dt.date(2026, 9, 30), dt.date(2027, 3, 30)),
        (dt.date(2027, 3, 30), dt.date(2027, 9, 30)),
    ]


def test_nothing_is_due_before_the_first_use(registration: OglRegistration) -> None:
    assert returns.returns_of(registration) == [] and returns.next_due(registration) is None


def test_the_holder_files_from_fourteen_days_before_the_due_date(
    personas: Personas, used: OglRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    due = returns.next_due(used)
    assert due is not None and due.scheduled.due_on == dt.date(2026, 12, 20)
    assert due.state == returns.ReturnState.OPEN
    with pytest.raises(Conflict, match="it can be filed from 2026-12-06"):
        returns.file_return(actor=personas.exporter, registration=used)
    at(monkeypatch, SOON)
    with pytest.raises(NotPermitted):
        returns.file_return(actor=personas.exporter_b, registration=used)
    row = returns.file_return(actor=personas.exporter, registration=used)
    assert (row.number, row.uses, row.missed_at) == (1, 1, None)
    assert _data("ogl.return") == {
        "registration": used.reference,
        "number": 1,
        "period": ["2026-11-20", "2026-12-20"],
        "uses": 1,
        "late": False,
    }
    nxt = returns.next_due(used)
    assert nxt is not None and (nxt.scheduled.number, nxt.scheduled.due_on) == (2, dt.date(2027, 6, 20))


def test_the_sweep_flags_a_missed_return_once_and_a_late_filing_keeps_the_flag(
    personas: Personas, used: OglRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, LATE)
    with pytest.raises(NotPermitted):
        returns.flag_missed(actor=personas.senior)
    [flagged] = returns.flag_missed(actor=system("tests"))
    assert flagged.number == 1 and flagged.missed_at is not None
    assert _data("ogl.return_missed")["due_on"] == "2026-12-20"
    assert returns.flag_missed(actor=system("tests")) == []
    row = returns.file_return(actor=personas.exporter, registration=used)
    assert row.missed_at is not None and _data("ogl.return")["late"] is True
    [done] = [r for r in returns.returns_of(used) if r.scheduled.number == 1]
    assert done.state == returns.ReturnState.FILED and done.missed


def test_an_ended_registration_owes_nothing_after_it_ended(
    personas: Personas, used: OglRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.change_status(actor=personas.exporter, registration=used, action="deregister")
    at(monkeypatch, LATE)
    assert returns.flag_missed(actor=system("tests")) == []


def test_the_inbox_reminds_the_holder_and_tells_a_missed_return_to_the_holder_and_senior_officers(
    personas: Personas, used: OglRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, SOON)
    assert deadlines.check(SOON.date()) >= 1
    soon = Notification.objects.get(user=personas.exporter, key=f"oglreturn:{used.pk}:1:soon")
    assert "return 1 is due by 2026-12-20" in soon.subject
    deadlines.check(SOON.date())  # told once
    assert Notification.objects.filter(key__startswith="oglreturn:").count() == 1
    at(monkeypatch, LATE)
    inbox.daily(LATE.date())
    missed = Notification.objects.filter(subject__contains="is missing")
    assert {n.user for n in missed} >= {personas.exporter, personas.senior}
    assert personas.exporter_b not in {n.user for n in missed}


def test_the_pages_show_the_queue_to_officers_and_the_file_button_to_the_holder(
    personas: Personas, used: OglRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, LATE)
    returns.flag_missed(actor=system("tests"))
    officer, holder, other = Client(), Client(), Client()
    officer.force_login(personas.officer)
    holder.force_login(personas.exporter)
    other.force_login(personas.exporter_b)
    queue = officer.get("/open-licences/returns/").content.decode()
    assert f"return-{used.reference}-1" in queue and "(flagged)" in queue
    assert f"return-{used.reference}-1" not in other.get("/open-licences/returns/").content.decode()
    page = holder.get(f"/open-licences/registrations/{used.pk}/").content.decode()
    assert "file-return-form" in page and "Missed: compliance flag" in page
    assert "file-return-form" not in officer.get(f"/open-licences/registrations/{used.pk}/").content.decode()
    holder.post(f"/open-licences/registrations/{used.pk}/returns/")
    assert OglReturn.objects.get(number=1).filed_at is not None


def test_the_api_lists_and_files_returns(
    personas: Personas, used: OglRegistration, monkeypatch: pytest.MonkeyPatch
) -> None:
    def api(user: Any) -> Client:
        _, token = create_api_token(actor=user, user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    holder = api(personas.exporter)
    url = f"/api/open-licences/registrations/{used.reference}/returns"
    assert holder.post(url).status_code == 409  # not yet within the window
    at(monkeypatch, SOON)
    [due] = api(personas.officer).get("/api/open-licences/returns").json()
    assert (due["registration"], due["state"], due["due_on"]) == (used.reference, "approaching", "2026-12-20")
    assert api(personas.officer).post(url).status_code == 403
    r = holder.post(url)
    assert r.status_code == 201 and r.json()["state"] == "filed" and r.json()["uses"] == 1
    assert holder.get(url).json()[0]["filed_at"] is not None


def test_the_cli_sweeps_lists_and_files(
    personas: Personas, used: OglRegistration, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ogl", "sweep-returns", "--today", "2026-12-22"]) == 0
    assert "1 missed return(s) flagged" in capsys.readouterr().out
    assert OglReturn.objects.get(number=1).missed_at is not None
    assert main(["ogl", "returns", "--format", "json"]) == 0
    assert main(["ogl", "file-return", used.reference, "--as", personas.exporter.username]) == 4
    assert main(["ogl", "file-return", used.reference, "--as", personas.exporter_b.username]) == 5
