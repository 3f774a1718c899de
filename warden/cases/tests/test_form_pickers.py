"""The application form's helpers for the exporter: the destination and party countries are pickers of names
("Norway (NO)", by name) that post ISO codes, while a posted or typed code still works; each goods line has a
"Find a rating" box that asks the control-list look-up for that line, outside the application form."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from warden.cases.models import Case
from warden.cases.tests.test_web_case_pages import FORM
from warden.cases.web import application_form
from warden.cases.web.widgets import country_choices
from warden.testing import Personas, sample_application

pytestmark = pytest.mark.django_db


def _exporter(personas: Personas) -> Client:
    c = Client()
    c.force_login(personas.exporter)
    return c


def _select(page: str, field_id: str) -> str:
    m = re.search(rf'<select name="[^"]*"[^>]*id="{field_id}">(.*?)</select>', page, re.S)
    assert m, f"no <select> with id {field_id}"
    return m.group(1)


def _options(select_html: str) -> list[tuple[str, str]]:
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select_html)


def test_the_destination_picker_shows_names_by_name_and_posts_codes(personas: Personas) -> None:
    page = _exporter(personas).get("/cases/new/").content.decode()
    options = _options(_select(page, "id_destination"))
    assert options[0] == ("", "Choose a country")
    assert ("NO", "Norway (NO)") in options and ("KP", "North Korea (KP)") in options
    names = [label for _, label in options[1:]]
    assert names == sorted(names, key=str.casefold) and len(names) > 200
    assert 'maxlength="10"' not in page.split('id="id_destination"')[0].rsplit("<select", 1)[1]


def test_each_party_country_is_a_picker_that_may_be_left_empty(personas: Personas) -> None:
    page = _exporter(personas).get("/cases/new/").content.decode()
    options = _options(_select(page, "id_parties-0-country"))
    assert options[0] == ("", "Not given") and ("SE", "Sweden (SE)") in options


def test_a_posted_code_in_any_case_still_makes_the_draft(personas: Personas) -> None:
    data = {**FORM, "destination": "no", "parties-0-country": "se"}
    assert _exporter(personas).post("/cases/new/", data).status_code == 302
    case = Case.objects.get(organisation=personas.org_a)
    assert case.destination == "NO" and case.document["parties"][0]["country"] == "SE"
    page = _exporter(personas).get(f"/cases/{case.pk}/").content.decode()
    assert "<dd>Norway (NO)</dd>" in page and "Sweden (SE)" in page


def test_editing_a_draft_shows_its_country_chosen(personas: Personas) -> None:
    _exporter(personas).post("/cases/new/", FORM)
    case = Case.objects.get(organisation=personas.org_a)
    page = _exporter(personas).get(f"/cases/{case.pk}/edit/").content.decode()
    assert '<option value="NO" selected>Norway (NO)</option>' in _select(page, "id_destination")


def test_a_code_warden_has_no_name_for_is_kept_not_silently_changed() -> None:
    forms = application_form.unbound(sample_application(destination="QQ"))
    html = str(forms.main["destination"])
    assert '<option value="QQ" selected>QQ (not a country code Warden knows)</option>' in html
    assert html.count("selected") == 1


def test_a_code_the_schema_refuses_is_shown_back_with_its_error(personas: Personas) -> None:
    r = _exporter(personas).post("/cases/new/", {**FORM, "destination": "QQ"})
    assert r.status_code == 422 and not Case.objects.exists()
    page = r.content.decode()
    assert 'id="id_destination_error"' in page
    assert '<option value="QQ" selected>' in _select(page, "id_destination")


def test_the_country_list_is_sorted_by_name_not_code() -> None:
    labels = [label for _, label in country_choices()]
    # By code DE (Germany) comes before DK (Denmark); by name Denmark comes first.
    assert labels.index("Denmark (DK)") < labels.index("Germany (DE)")


def test_each_goods_line_has_a_find_a_rating_box_for_its_own_rating_field(personas: Personas) -> None:
    page = _exporter(personas).get("/cases/new/").content.decode()
    assert '<label for="goods-0-lookup">Find a rating</label>' in page
    box = page[page.index('id="goods-0-lookup"') :].split(">", 1)[0]
    assert 'form="rating-lookup"' in box and 'hx-get="/legislation/lookup/"' in box
    assert '"for": "id_goods-0-rating"' in box and 'hx-target="#goods-0-lookup-results"' in box
    # The boxes' own form (no JavaScript: opens the look-up page in a new tab) is outside the application's.
    application = page[page.index('data-testid="application-form"') :].split("</form>", 1)[0]
    assert '<form id="rating-lookup"' not in application
    assert '<form id="rating-lookup" method="get" action="/legislation/lookup/" target="_blank"' in page
    assert '<a href="/legislation/lookup/" target="_blank" rel="noopener">control-list look-up</a>' in page


def test_an_added_goods_line_has_its_own_box(personas: Personas) -> None:
    page = _exporter(personas).get("/cases/new/goods-line/?index=3").content.decode()
    assert 'id="goods-3-lookup"' in page and '"for": "id_goods-3-rating"' in page
