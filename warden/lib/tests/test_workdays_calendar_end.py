"""Working days after the end of the shipped bank-holiday data are refused with a message naming the last
covered day, in the engine of deadlines and through the web, the API and the CLI; never silently counted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from warden.accounts.services import create_api_token
from warden.cases import sla
from warden.cases.models import Case
from warden.cli import main
from warden.lib import workdays
from warden.testing import Personas, sample_application


def test_the_shipped_calendar_says_how_far_it_goes() -> None:
    assert workdays.covered_until() == dt.date(2028, 12, 31)
    assert workdays.is_workday(dt.date(2028, 12, 29))  # a Friday, still covered


def test_a_day_after_the_data_is_refused_naming_the_last_covered_day() -> None:
    with pytest.raises(workdays.CalendarDataEnded) as exc:
        workdays.is_workday(dt.date(2029, 1, 1))
    assert "2028-12-31" in str(exc.value) and "2029-01-01" in str(exc.value)


def test_a_deadline_running_past_the_data_is_refused_not_guessed() -> None:
    assert sla.deadline_from(dt.date(2028, 11, 1), "individual") == dt.date(2028, 11, 29)
    with pytest.raises(workdays.CalendarDataEnded, match="2028-12-31"):
        sla.deadline_from(dt.date(2028, 12, 20), "individual")


def test_an_explicit_holiday_set_is_the_callers_own_calendar() -> None:
    assert workdays.add_workdays(dt.date(2030, 1, 1), 1, holidays=frozenset()) == dt.date(2030, 1, 2)


@pytest.fixture
def late_december_2028(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = dt.datetime(2028, 12, 20, 12, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.django_db
@pytest.mark.usefixtures("late_december_2028")
def test_the_api_answers_503_with_the_message_and_stores_nothing(personas: Personas) -> None:
    _, token = create_api_token(actor=personas.exporter, user=personas.exporter, name="tests")
    c = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    r = c.post("/api/applications/", data=json.dumps(sample_application()), content_type="application/json")
    assert r.status_code == 503, r.content
    assert "2028-12-31" in r.json()["detail"]
    assert Case.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("late_december_2028")
def test_the_cli_prints_the_message_and_stores_nothing(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "application.json"
    path.write_text(json.dumps(sample_application()))
    assert main(["applications", "submit", str(path), "--as", "alice"]) == 1
    err = capsys.readouterr().err
    assert "2028-12-31" in err and "Traceback" not in err
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_web_page_shows_the_message_not_a_500(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    # The officers' dashboard counts five working days ahead: from 28 Dec 2028 that runs past the data.
    moment = dt.datetime(2028, 12, 28, 12, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    c = Client()
    user: Any = personas.officer
    c.force_login(user)
    r = c.get("/")
    assert r.status_code == 503
    assert "2028-12-31" in r.content.decode()
