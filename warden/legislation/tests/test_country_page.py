"""The country profile page reads as plain English and its form is accessible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from warden.legislation.forms import CountryAssessmentForm, reference_label
from warden.legislation.tests.support import load_initial
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _policy(personas: Personas) -> Client:
    c = Client()
    c.force_login(personas.policy)
    return c


def test_criteria_have_their_proper_names() -> None:
    assert reference_label("ihl") == "International humanitarian law (criterion 2c)"
    assert reference_label("something_new") == "Something new"


def test_the_country_list_names_regimes_as_the_reference_data_does(personas: Personas) -> None:
    load_initial()
    page = _policy(personas).get("/legislation/countries/").content.decode()
    gb = page[page.index("GB United Kingdom") :].split("</tr>")[0]
    assert (
        "Wassenaar Arrangement" in gb and '<span title="Missile Technology Control Regime">MTCR</span>' in gb
    )
    assert "wassenaar" not in page and "mtcr" not in page
    assert "Ottawa Convention</span> (until 2025-12-27)" in page  # a withdrawal says when it took effect


def test_country_page_names_regimes_and_renders_fields_with_labels_and_a_date_input(
    personas: Personas,
) -> None:
    load_initial()
    page = _policy(personas).get("/legislation/countries/GB/").content.decode()
    assert "Wassenaar Arrangement" in page and "wassenaar" not in page
    assert "Missile Technology Control Regime (MTCR): party" in page
    assert "International humanitarian law" in page
    assert 'type="date"' in page and 'name="effective_from"' in page
    assert '<label for="id_citation">Citation</label>' in page
    assert 'aria-describedby="id_effective_from_hint"' in page
    assert "<p>" + "<label" not in page  # no form.as_p


def test_a_bad_submission_shows_an_error_summary_linking_to_the_field(personas: Personas) -> None:
    load_initial()
    r = _policy(personas).post(
        "/legislation/countries/GB/", {"effective_from": "28/11/2026", "citation": "", "reason": ""}
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-testid="error-summary"' in html
    assert 'href="#id_effective_from"' in html and 'href="#id_citation"' in html
    assert 'aria-invalid="true"' in html


def test_the_date_input_carries_an_iso_value_whatever_the_locale() -> None:
    form = CountryAssessmentForm(initial={"effective_from": dt.date(2026, 12, 1)})
    assert 'value="2026-12-01"' in str(form["effective_from"])


def test_a_revision_loaded_before_regimes_were_named_borrows_the_bundled_names(personas: Personas) -> None:
    from warden.legislation.models import ReferenceRevision

    load_initial()
    rev = ReferenceRevision.objects.order_by("-number").first()
    assert rev is not None
    del rev.bundle["countries"]["regimes"]
    ReferenceRevision.objects.filter(pk=rev.pk).update(bundle=rev.bundle, digest="sha256:" + "0" * 64)
    page = _policy(personas).get("/legislation/countries/").content.decode()
    assert '<span title="Missile Technology Control Regime">MTCR</span>' in page and "mtcr" not in page
