"""A rating must exist on the control list in force: ML22.z, 6A999 or any rating not on the dated list is a
document error naming the rating and its field (422 in the API with the JSON pointer, exit 2 on the command
line, a message next to the field in the form) and nothing is stored."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client

from warden.accounts.services import create_api_token
from warden.cases.models import Case
from warden.cases.tests.test_web_case_pages import FORM
from warden.cli import main
from warden.flows.submission import validate_application
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db

UNKNOWN = ["ML22.z", "6A999", "5A002.f", "ML16.a", "4A005.a", "9A012.c", "PL9999", "3A001.b.a"]


@pytest.mark.parametrize("rating", UNKNOWN)
def test_a_rating_not_on_the_list_is_refused_naming_it(rating: str) -> None:
    doc = sample_application()
    doc["goods"][0]["rating"] = rating
    errors = validate_application(doc)
    assert [e.pointer for e in errors] == ["/goods/0/rating"], errors
    assert rating in errors[0].message


@pytest.mark.parametrize(
    "rating", ["ML22.a", "ML8.c.4", "5A002.a.1", "3A001.b.1.a", "1C350.12", "9A012.b", "0A001", "PL5001"]
)
def test_ratings_on_the_list_and_their_sub_items_are_accepted(rating: str) -> None:
    doc = sample_application()
    doc["goods"][0]["rating"] = rating
    assert validate_application(doc) == []


def test_an_entry_is_checked_against_the_list_in_force_on_the_application_date() -> None:
    doc = sample_application()
    doc["goods"][0]["rating"] = "3A501"  # added by Delegated Regulation (EU) 2025/2003, in force 15 Nov 2025
    doc["submitted_on"] = "2025-11-14"
    [error] = validate_application(doc)
    assert "2025-11-15" in error.message
    doc["submitted_on"] = "2025-11-15"
    assert validate_application(doc) == []
    assert validate_application(doc, as_of=dt.date(2025, 1, 1))  # an assessment as of an earlier day


def _token(user: object) -> str:
    return create_api_token(actor=user, user=user, name="tests")[1]


def test_the_api_answers_422_with_the_pointer_and_stores_nothing(personas: Personas) -> None:
    doc = sample_application()
    doc["goods"][0]["rating"] = "ML22.z"
    c = Client(HTTP_AUTHORIZATION=f"Bearer {_token(personas.exporter)}")
    r = c.post("/api/applications/", data=json.dumps(doc), content_type="application/json")
    assert r.status_code == 422, r.content
    [error] = r.json()["errors"]
    assert error["pointer"] == "/goods/0/rating" and "ML22.z" in error["message"]
    assert Case.objects.count() == 0


def test_the_assess_api_checks_the_list_of_its_as_of_date(personas: Personas) -> None:
    doc = sample_application()
    doc["goods"][0]["rating"] = "3A501"
    c = Client(HTTP_AUTHORIZATION=f"Bearer {_token(personas.officer)}")
    url = "/api/legislation/assess"
    r = c.post(url + "?as_of=2025-06-01", data=json.dumps(doc), content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/goods/0/rating"
    r = c.post(url + "?as_of=2026-01-05", data=json.dumps(doc), content_type="application/json")
    assert r.status_code == 200, r.content


def test_the_cli_exits_2_naming_the_rating_and_stores_nothing(
    personas: Personas, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = sample_application()
    doc["goods"][0]["rating"] = "6A999"
    path = tmp_path / "application.json"
    path.write_text(json.dumps(doc))
    assert main(["applications", "submit", str(path), "--as", "alice"]) == 2
    err = capsys.readouterr().err
    assert "/goods/0/rating" in err and "6A999" in err
    assert main(["assess", str(path)]) == 2
    assert "6A999" in capsys.readouterr().err
    assert Case.objects.count() == 0


def test_the_form_shows_the_error_next_to_the_rating_and_stores_nothing(personas: Personas) -> None:
    c = Client()
    c.force_login(personas.exporter)  # type: ignore[arg-type]
    response = c.post("/cases/new/", {**FORM, "goods-3-rating": "ML22.z"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_goods-3-rating_error"' in html and "ML22.z" in html
    assert not Case.objects.exists()


def test_an_assessment_as_of_a_day_before_the_data_begins_keeps_long_standing_ratings() -> None:
    # The military list data starts with Wassenaar (1996) and the dual-use list with the EU's first (2000);
    # the numbering is older, so an assessment as of 1992 does not refuse ML6.a or 3A001.
    for rating in ("ML6.a", "3A001", "0B001"):
        doc = sample_application()
        doc["goods"][0]["rating"] = rating
        assert validate_application(doc, as_of=dt.date(1992, 6, 1)) == [], rating


def test_no_path_stores_an_application_whose_ratings_nobody_checked(personas: Personas) -> None:
    # The control list is the law's (above cases): the case services take the check as a required argument.
    from warden.cases import services

    doc = sample_application()
    doc["goods"][0]["rating"] = "ML22.z"
    with pytest.raises(TypeError, match="ratings"):
        services.create_application(actor=personas.exporter, document=doc)  # type: ignore[call-arg]
    assert not Case.objects.exists()
