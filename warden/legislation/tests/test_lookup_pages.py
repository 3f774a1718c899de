"""The look-up through its real paths: GET /legislation/lookup/ (a full page, or the results alone for htmx
with "Use" buttons for the goods line asking) and GET /api/legislation/ratings?q= (JSON). Every signed-in
person may use it; bad input is a clear message (422 in the API), never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.legislation.tests.support import load_initial
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _api(user: Any) -> Client:
    _, token = create_api_token(actor=user, user=user, name="lookup")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_an_exporter_searches_the_full_page_and_sees_the_entry_text_and_lists(personas: Personas) -> None:
    load_initial()
    r = _signed_in(personas.exporter).get("/legislation/lookup/", {"q": "ML10"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "<h1>Find a control-list rating</h1>" in page and 'value="ML10"' in page
    assert page.index('data-code="ML10"') < page.index('data-code="ML10.a"')
    assert "Aircraft, lighter-than-air vehicles, unmanned aerial vehicles" in page
    assert "EU Common Military List; Wassenaar Arrangement Munitions List" in page
    assert "Emerging technology: Unmanned aerial vehicles (ML10.b)" in page
    assert "data-use-rating" not in page  # no goods line to fill on the page itself


def test_the_page_without_a_query_shows_the_search_form_only(personas: Personas) -> None:
    page = _signed_in(personas.officer).get("/legislation/lookup/").content.decode()
    assert '<label for="lookup-q">Rating number or words</label>' in page
    assert 'data-testid="lookup-entry"' not in page and "lookup-error" not in page


@pytest.mark.parametrize("role", ["officer", "adviser_fcdo", "policy", "oversight", "admin"])
def test_every_signed_in_role_may_use_it(personas: Personas, role: str) -> None:
    r = _signed_in(getattr(personas, role)).get("/legislation/lookup/", {"q": "5A002"})
    assert r.status_code == 200 and 'data-code="5A002"' in r.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    r = Client().get("/legislation/lookup/", {"q": "ML10"})
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_htmx_gets_the_results_alone_with_a_use_button_for_the_line(personas: Personas) -> None:
    r = _signed_in(personas.exporter).get(
        "/legislation/lookup/", {"q": "unmanned", "for": "id_goods-2-rating"}, HTTP_HX_REQUEST="true"
    )
    page = r.content.decode()
    assert r.status_code == 200 and "<html" not in page
    assert 'data-use-rating="ML10.b" data-for="id_goods-2-rating"' in page
    assert 'aria-label="Use 9A012 as this line\'s rating"' in page


def test_a_use_target_that_is_not_a_rating_field_gives_no_use_button(personas: Personas) -> None:
    page = (
        _signed_in(personas.exporter)
        .get("/legislation/lookup/", {"q": "ML10", "for": 'x" onclick="alert(1)'}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'data-code="ML10"' in page and "data-use-rating" not in page and "alert(1)" not in page


def test_an_emptied_box_clears_the_results_quietly(personas: Personas) -> None:
    r = _signed_in(personas.exporter).get("/legislation/lookup/", {"q": " "}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "lookup-error" not in r.content.decode()


def test_without_javascript_the_last_box_typed_in_is_the_search(personas: Personas) -> None:
    # The form posts every goods line's box; the one with words in it is the search.
    page = _signed_in(personas.exporter).get("/legislation/lookup/?q=&q=5A002&q=").content.decode()
    assert 'data-code="5A002"' in page and 'value="5A002"' in page


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("", "Type a rating number"),
        ("x" * 101, "at most 100 are allowed"),
        ("ML10\x07", "control or unprintable characters"),
    ],
)
def test_bad_input_on_the_page_is_a_clear_message(personas: Personas, q: str, words: str) -> None:
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        if not q and headers:
            continue  # an emptied box in the form clears quietly (above)
        r = _signed_in(personas.exporter).get("/legislation/lookup/", {"q": q}, **headers)
        assert r.status_code == 200
        assert words in r.content.decode() and 'data-testid="lookup-error"' in r.content.decode()


def test_a_search_with_no_match_says_so_and_how_to_widen_it(personas: Personas) -> None:
    page = _signed_in(personas.exporter).get("/legislation/lookup/", {"q": "banana"}).content.decode()
    assert "No entry in force matches “banana”" in page and "Try fewer words" in page


def test_the_api_returns_ranked_entries_with_lists_and_flags(personas: Personas) -> None:
    r = _api(personas.exporter).get("/api/legislation/ratings", {"q": "ML10"})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "ML10" and body["total"] == 11 and len(body["on"]) == 10
    first = body["entries"][0]
    assert first["code"] == "ML10" and first["kind"] == "military" and first["regime"] == "wassenaar"
    assert first["lists"] == ["EU Common Military List", "Wassenaar Arrangement Munitions List"]
    assert first["emerging_flags"] == [
        {"id": "uav", "title": "Unmanned aerial vehicles", "ratings": ["ML10.b"]}
    ]
    assert [e["code"] for e in body["entries"]][1:3] == ["ML10.a", "ML10.b"]


def test_the_api_searches_words(personas: Personas) -> None:
    body = _api(personas.officer).get("/api/legislation/ratings", {"q": "Unmanned Aérial"}).json()
    codes = [e["code"] for e in body["entries"]]
    assert codes[:2] == ["ML10", "ML10.b"] and "9A012" in codes and "ML10.a" not in codes


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({}, "Type a rating number"),
        ({"q": "  "}, "Type a rating number"),
        ({"q": "y" * 150}, "150 characters long"),
        ({"q": "ML\x0010"}, "control or unprintable"),
    ],
)
def test_bad_input_in_the_api_is_a_422_naming_the_parameter(
    personas: Personas, params: dict[str, str], words: str
) -> None:
    r = _api(personas.exporter).get("/api/legislation/ratings", params)
    assert r.status_code == 422
    body = r.json()
    assert words in body["detail"] and body["errors"][0]["pointer"] == "/query/q"


def test_the_api_needs_a_token() -> None:
    assert Client().get("/api/legislation/ratings", {"q": "ML10"}).status_code == 401


def test_a_text_hit_shows_its_snippet_on_the_page_and_in_the_api(personas: Personas) -> None:
    load_initial()
    page = (
        _signed_in(personas.exporter)
        .get("/legislation/lookup/", {"q": "suppressors calibre"})
        .content.decode()
    )
    assert 'data-testid="lookup-snippet"' in page and "<mark>suppressors</mark>" in page
    body = _api(personas.exporter).get("/api/legislation/ratings", {"q": "suppressors calibre"}).json()
    first = body["entries"][0]
    assert (first["code"], first["match"], first["snippet_hit"]) == ("ML1", "text", "suppressors")
