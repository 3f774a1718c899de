"""The impact-run page says plainly when there is nothing to review, instead of an empty table and buttons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from warden.flows import law_change
from warden.legislation import impact
from warden.legislation.tests.support import load_embargo, load_initial, submit_to
from warden.lib import clock
from warden.lib.actors import system
from warden.testing import Personas

pytestmark = pytest.mark.django_db
TODAY = clock.today()


def _page(personas: Personas, url: str) -> str:
    c = Client()
    c.force_login(personas.senior)
    response = c.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _change_run(before, after):  # type: ignore[no-untyped-def]
    return law_change.execute(
        impact.create_change_run(actor=system("test"), from_revision=before, to_revision=after)
    )


def test_a_run_that_changes_nothing_says_so_and_offers_no_actions(personas: Personas) -> None:
    before = load_initial()
    submit_to(personas, "NO")  # an open case elsewhere: untouched by an embargo on Brazil
    run = _change_run(before, load_embargo("BR", TODAY - dt.timedelta(days=1)))
    html = _page(personas, f"/legislation/impact/{run.pk}/")
    assert "Nothing in this run changes an open case or a live licence" in html
    assert 'data-testid="impact-items"' not in html
    assert "Mark reviewed" not in html and "Suspend selected licences" not in html


def test_a_run_with_changes_lists_them_with_actions_and_an_empty_filter_says_so(personas: Personas) -> None:
    before = load_initial()
    case = submit_to(personas, "BR")
    run = _change_run(before, load_embargo("BR", TODAY - dt.timedelta(days=1)))
    html = _page(personas, f"/legislation/impact/{run.pk}/")
    assert case.reference in html and "Brazil (BR)" in html
    assert "Mark reviewed" in html and "Suspend selected licences" in html
    assert "Nothing in this run changes" not in html
    filtered = _page(personas, f"/legislation/impact/{run.pk}/?state=suspended")
    assert "Nothing in this view" in filtered and "Mark reviewed" not in filtered
