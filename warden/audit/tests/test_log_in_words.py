"""The log browser names cases by reference and licences by number, and says what each action was, keeping
the raw action (auditors filter by it) beside the words."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.cases.tests import factories
from warden.licences.models import Licence
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _oversight(personas: Personas) -> Client:
    c = Client()
    c.force_login(personas.oversight)
    return c


def test_the_log_shows_case_references_licence_numbers_and_actions_in_words(personas: Personas) -> None:
    case = factories.licensed(personas)
    licence = Licence.objects.get(case=case)
    html = _oversight(personas).get("/audit/").content.decode()
    assert f'<a href="?case={case.reference}">{case.reference}</a>' in html
    assert f"Licence {licence.number}" in html and f'title="licences.licence:{licence.pk}"' in html
    assert '<span title="licence.issue">Licence issued</span>' in html
    assert '<code class="muted" data-testid="raw-action">licence.issue</code>' in html
    assert f"?case={case.pk}" not in html and f">case {case.pk}<" not in html


def test_the_case_filter_takes_a_reference_in_any_case_or_the_number(personas: Personas) -> None:
    case = factories.submitted(personas)
    other = factories.submitted(personas)
    c = _oversight(personas)
    by_ref = c.get("/audit/", {"case": case.reference.lower()}).context["rows"]
    assert by_ref and {r.case_label for r in by_ref} == {case.reference}
    assert [r.seq for r in c.get("/audit/", {"case": str(case.pk)}).context["rows"]] == [
        r.seq for r in by_ref
    ]
    assert other.reference not in {r.case_label for r in by_ref}


def test_an_unknown_reference_is_explained_and_shows_nothing(personas: Personas) -> None:
    factories.submitted(personas)
    response = _oversight(personas).get("/audit/", {"case": "APP-1999-999999"})
    assert response.context["rows"] == []
    assert "No case has the reference APP-1999-999999" in response.context["errors"]["case"]


def test_an_entry_page_names_its_case_and_object(personas: Personas) -> None:
    case = factories.submitted(personas)
    c = _oversight(personas)
    seq = next(r.seq for r in c.get("/audit/", {"action": "case.submit"}).context["rows"])
    html = c.get(f"/audit/entry/{seq}/").content.decode()
    assert "Application submitted <code>case.submit</code>" in html
    assert f"Case {case.reference} <code>cases.case:{case.pk}</code>" in html
    assert f'?case={case.reference}">{case.reference}</a>' in html


def test_the_case_page_history_links_to_the_log_by_reference_and_names_its_facts(personas: Personas) -> None:
    case = factories.licensed(personas)
    c = _oversight(personas)
    html = c.get(f"/cases/{case.pk}/").content.decode()
    assert f'/audit/?case={case.reference}">all entries for this case</a>' in html
    assert "Decision: Approved" in html and "Licence: " in html
    assert "decision: approved" not in html and "sla deadline" not in html
