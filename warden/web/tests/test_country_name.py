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
