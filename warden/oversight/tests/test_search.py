"""Search across cases, licences, parties and matches, for the roles that may see them: exporters only
their organisation's, never a screening match; bad filters are named, not dropped; every list pages and
downloads as CSV."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.cases.tests import factories
from warden.flows import submission
from warden.testing import Personas, application_for

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _csv(response: object) -> str:
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def test_an_officer_finds_a_case_by_party_name_rating_and_destination(personas: Personas) -> None:
    case = factories.submitted(personas)
    officer = _client(personas.officer)
    for query in ("q=Kjeller", "rating=ml10.d", "destination=no", f"q={case.reference}", "status=submitted"):
        assert case.reference in officer.get(f"/search/?{query}").content.decode(), query
    assert case.reference not in officer.get("/search/?destination=SE").content.decode()


def test_exporters_find_only_their_organisations_cases(personas: Personas) -> None:
    mine = factories.submitted(personas)
    theirs = submission.create_application(
        actor=personas.exporter_b, document=application_for(personas.exporter_b)
    )
    submission.submit_case(actor=personas.exporter_b, case=theirs)
    alice = _client(personas.exporter)
    page = alice.get("/search/?kind=parties&q=Kjeller").content.decode()
    assert mine.reference in page and theirs.reference not in page
    assert theirs.reference not in _csv(alice.get("/search/?format=csv"))
    refused = alice.get("/search/?kind=matches")
    assert refused.status_code == 400 and "Kind &#x27;matches&#x27; is not one of" in refused.content.decode()


def test_a_bad_filter_is_named_and_nothing_is_listed(personas: Personas) -> None:
    factories.submitted(personas)
    officer = _client(personas.officer)
    response = officer.get("/search/?status=opne&since=2026-13-01&destination=Norway")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Status &#x27;opne&#x27; is not one of" in html
    assert "From date &#x27;2026-13-01&#x27; is not a date" in html
    assert "Destination &#x27;Norway&#x27; is not a two-letter ISO country code" in html
    assert 'data-testid="search-results"' not in html
    csv = officer.get("/search/?format=csv&until=soon")
    assert csv.status_code == 400 and b"until: To date 'soon' is not a date" in csv.content


def test_a_page_past_the_end_is_named(personas: Personas) -> None:
    factories.submitted(personas)
    response = _client(personas.officer).get("/search/?page=9")
    assert (
        response.status_code == 400
        and "Page 9 does not exist: there are 1 pages" in response.content.decode()
    )


def test_licences_and_matches_are_searchable_and_export_as_csv(personas: Personas) -> None:
    case = factories.licensed(personas)
    officer = _client(personas.officer)
    licence = case.licence  # type: ignore[attr-defined]
    assert licence.number in officer.get(f"/search/?kind=licences&q={case.reference}").content.decode()
    csv = _csv(officer.get("/search/?kind=licences&format=csv"))
    assert csv.splitlines()[0].startswith("Licence,Case,Exporter") and licence.number in csv
    assert officer.get("/search/?kind=matches").status_code == 200


def test_a_csv_cell_that_a_spreadsheet_would_run_is_neutralised(personas: Personas) -> None:
    doc_parties = factories.sample_application()["parties"]
    doc_parties[0]["name"] = '=HYPERLINK("http://evil")'
    factories.submitted(personas, parties=doc_parties)
    csv = _csv(_client(personas.officer).get("/search/?kind=parties&format=csv"))
    assert "'=HYPERLINK" in csv
