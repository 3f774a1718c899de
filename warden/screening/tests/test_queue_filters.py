"""The screening queue lists only open cases' matches by default, pages them, names a bad filter instead of
dropping the filters, and downloads what it lists as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from warden.cases.models import Case
from warden.flows import rescreening as list_import
from warden.flows import submission
from warden.lib.actors import system
from warden.screening import views
from warden.screening.models import Match
from warden.testing import Personas, sample_application

FIXTURES = Path(__file__).parent / "fixtures"
SALEK = {
    "role": "end_user",
    "type": "person",
    "sector": "individual",
    "name": "Salek, Abdulhai",
    "country": "AF",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(personas: Personas) -> Match:
    list_import.import_list(
        actor=system("test list"), list_name="un-sc", fmt="un-xml", path=FIXTURES / "un.xml", rescreen="none"
    )
    case = submission.submit_application(
        actor=personas.exporter, document=sample_application(parties=[SALEK])
    )
    return Match.objects.get(case=case)


def _officer(p: Personas) -> Client:
    c = Client()
    c.force_login(p.officer)
    return c


def test_a_closed_cases_matches_are_not_in_the_queue_unless_asked_for(
    personas: Personas, match: Match
) -> None:
    c = _officer(personas)
    assert f'data-testid="match-{match.pk}"' in c.get("/screening/").content.decode()
    Case.objects.filter(pk=match.case_id).update(status="withdrawn")
    assert f'data-testid="match-{match.pk}"' not in c.get("/screening/").content.decode()
    assert f'data-testid="match-{match.pk}"' in c.get("/screening/?cases=all").content.decode()


def test_a_bad_filter_is_named_and_nothing_is_listed(personas: Personas, match: Match) -> None:
    response = _officer(personas).get("/screening/?status=opne&list=nowhere&page=x")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Status &#x27;opne&#x27; is not one of" in html
    assert "List &#x27;nowhere&#x27; is not a list Warden holds" in html
    assert "Page &#x27;x&#x27; is not a whole number" in html
    assert f'data-testid="match-{match.pk}"' not in html


def test_the_queue_pages_and_filters_by_name(
    personas: Personas, match: Match, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = _officer(personas)
    assert f'data-testid="match-{match.pk}"' in c.get("/screening/?q=salek").content.decode()
    assert f'data-testid="match-{match.pk}"' not in c.get("/screening/?q=nobody").content.decode()
    monkeypatch.setattr(views, "QUEUE_PAGE", 1)
    count = Match.objects.filter(status="open").count()
    page = c.get("/screening/?q=salek").content.decode()
    if count > 1:
        assert "Page 1 of" in page
    assert c.get(f"/screening/?page={count + 1}").status_code == 400


def test_the_queue_downloads_as_csv(personas: Personas, match: Match) -> None:
    response = _officer(personas).get("/screening/?format=csv&status=all")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.splitlines()[0].startswith("Case,Case status,Party")
    assert match.case.reference in body and "Salek" in body
    assert _officer(personas).get("/screening/?format=csv&cases=some").status_code == 400


def test_exporters_still_do_not_see_the_queue_even_with_bad_filters(personas: Personas, match: Match) -> None:
    c = Client()
    c.force_login(personas.exporter)
    assert c.get("/screening/?status=opne").status_code == 404
    assert c.get("/screening/?format=csv").status_code == 404
