"""Countries read as names with their code, so that "KP" and "KR" are not confused."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.cases.models import Case
from warden.cases.tests import factories
from warden.testing import Personas
from warden.web.templatetags.warden_tags import country_name


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("KP", "North Korea (KP)"),
        ("KR", "South Korea (KR)"),
        ("no", "Norway (NO)"),
        ("ZZ", "ZZ"),
        ("", ""),
        (None, ""),
    ],
)
def test_country_name_gives_the_name_and_keeps_the_code(code: str | None, shown: str) -> None:
    assert country_name(code) == shown


@pytest.mark.django_db
def test_case_page_and_queue_name_the_destination_and_party_countries(personas: Personas) -> None:
    case = factories.in_initial_checks(personas)
    Case.objects.filter(pk=case.pk).update(destination="KP")
    c = Client()
    c.force_login(personas.officer)
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert "North Korea (KP)" in page
    assert "Norway (NO)" in page  # the sample application's parties are in Norway
    queue = c.get("/cases/").content.decode()
    assert "North Korea (KP)" in queue


@pytest.mark.django_db
def test_licence_page_and_pdf_name_the_destination_and_party_countries(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    from warden.licences.models import Licence
    from warden.licences.pdf import render_licence_pdf

    licence = Licence.objects.get(case=factories.licensed(personas))
    c = Client()
    c.force_login(personas.exporter)
    assert "Norway (NO)" in c.get(f"/licences/{licence.pk}/").content.decode()

    seen: list[str] = []

    class CapturingHTML:  # stands in for WeasyPrint: the test is about the document's text, not layout
        def __init__(self, *, string: str) -> None:
            seen.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF"

    monkeypatch.setattr(weasyprint, "HTML", CapturingHTML)
    render_licence_pdf(licence)
    assert "<td>Norway (NO)</td>" in seen[0]  # destination
    assert ", Norway (NO)" in seen[0]  # the end user's country, without nested brackets
