"""The screening queue, the case-page partial and the decision form; oversight reads only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from warden.flows import rescreening as list_import
from warden.flows import submission
from warden.lib.actors import system
from warden.screening.models import Match, MatchStatus
from warden.testing import sample_application

FIXTURES = Path(__file__).parent / "fixtures"
SALEK = {
    "role": "end_user",
    "type": "person",
    "sector": "individual",
    "name": "Salek, Abdulhai",
    "country": "AF",
}


@pytest.fixture
def match(personas) -> Match:  # type: ignore[no-untyped-def]
    list_import.import_list(
        actor=system("test"), list_name="un-sc", fmt="un-xml", path=FIXTURES / "un.xml", rescreen="none"
    )
    case = submission.submit_application(
        actor=personas.exporter, document=sample_application(parties=[SALEK])
    )
    return Match.objects.get(case=case)


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_officer_sees_the_queue_and_decides_a_match(personas, match: Match) -> None:  # type: ignore[no-untyped-def]
    c = _client(personas.officer)
    page = c.get(reverse("screening:queue")).content.decode()
    assert "Salek, Abdulhai" in page and f'data-testid="decide-{match.pk}"' in page
    r = c.post(
        reverse("screening:decide", args=[match.pk]), {"decision": "false_positive", "reason": "Other man"}
    )
    assert r.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.FALSE_POSITIVE and match.decided_by == personas.officer


def test_missing_reason_is_reported_and_changes_nothing(personas, match: Match) -> None:  # type: ignore[no-untyped-def]
    c = _client(personas.officer)
    r = c.post(reverse("screening:decide", args=[match.pk]), {"decision": "false_positive"}, follow=True)
    assert "say why" in r.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.OPEN


def test_oversight_reads_but_cannot_decide(personas, match: Match) -> None:  # type: ignore[no-untyped-def]
    c = _client(personas.oversight)
    page = c.get(reverse("screening:queue")).content.decode()
    assert "Salek, Abdulhai" in page and "decide-" not in page
    r = c.post(reverse("screening:decide", args=[match.pk]), {"decision": "true_match"})
    assert r.status_code == 403
    match.refresh_from_db()
    assert match.status == MatchStatus.OPEN


def test_exporters_do_not_see_screening(personas, match: Match) -> None:  # type: ignore[no-untyped-def]
    c = _client(personas.exporter)
    assert c.get(reverse("screening:queue")).status_code == 404
    assert (
        c.post(reverse("screening:decide", args=[match.pk]), {"decision": "false_positive"}).status_code
        == 404
    )


def test_case_page_partial_lists_the_matches(personas, match: Match) -> None:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string

    html = render_to_string("screening/_matches.html", {"case": match.case, "user": personas.officer})
    assert "ABDULHAI SALEK" in html and "TAi.001" in html and "decide-" in html
    html = render_to_string("screening/_matches.html", {"case": match.case, "user": personas.oversight})
    assert "decide-" not in html


def test_api_screen_is_for_the_authority_only(personas, match: Match) -> None:  # type: ignore[no-untyped-def]
    from warden.accounts.models import ApiToken

    def token(user):  # type: ignore[no-untyped-def]
        raw = ApiToken.generate()
        ApiToken.objects.create(user=user, name="t", prefix=raw[:12], digest=ApiToken.digest_of(raw))
        return raw

    officer, exporter = token(personas.officer), token(personas.exporter)
    r = Client().get("/api/screening/screen", {"name": "Komid"}, HTTP_AUTHORIZATION=f"Bearer {officer}")
    assert r.status_code == 200 and r.json()["matches"][0]["entry"] == "KPe.001"
    r = Client().get("/api/screening/matches", HTTP_AUTHORIZATION=f"Bearer {officer}")
    assert [m["entry"] for m in r.json()] == ["TAi.001"]
    r = Client().get("/api/screening/screen", {"name": "Komid"}, HTTP_AUTHORIZATION=f"Bearer {exporter}")
    assert r.status_code == 403


def test_case_page_shows_the_screening_partial(personas, match: Match) -> None:  # type: ignore[no-untyped-def]
    page = _client(personas.officer).get(reverse("cases:detail", args=[match.case_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="screening-matches"' in html and "TAi.001" in html
