"""The queue of open cases is read per status and merged (warden.cases.web.queue.merged_ids, one UNION ALL on
PostgreSQL, one query per status on SQLite); whatever the path, its pages must list the cases in the order of
one plain ordered query, undated cases last, in both directions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import F
from django.test import Client

from warden.cases.models import OPEN_STATUSES, Case
from warden.cases.tests import factories
from warden.cases.web import queue
from warden.testing import Personas

pytestmark = pytest.mark.django_db

REF = re.compile(r'<a href="/cases/\d+/">(APP-[\d-]+)</a>')


def _listed(client: Client, query: str, pages: int) -> list[str]:
    seen: list[str] = []
    for page in range(1, pages + 1):
        seen += REF.findall(client.get(f"/cases/?{query}&page={page}").content.decode())
    return seen


def test_open_cases_are_listed_in_deadline_order_with_undated_cases_last_both_ways(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    cases = [factories.submitted(personas) for _ in range(3)] + [
        factories.in_initial_checks(personas) for _ in range(3)
    ]
    for i, case in enumerate(cases):
        deadline = None if i == 2 else dt.date(2026, 12, 1) + dt.timedelta(days=(i * 3) % 4)
        Case.objects.filter(pk=case.pk).update(sla_deadline=deadline)
    open_cases = Case.objects.filter(status__in=list(OPEN_STATUSES))
    soonest = list(
        open_cases.order_by(F("sla_deadline").asc(nulls_last=True), "id").values_list("reference", flat=True)
    )
    latest = list(
        open_cases.order_by(F("sla_deadline").desc(nulls_last=True), "-id").values_list(
            "reference", flat=True
        )
    )
    assert soonest[-1] == latest[-1] == cases[2].reference  # the undated case is last either way
    officer = Client()
    officer.force_login(personas.officer)
    assert _listed(officer, "sort=deadline", 3) == soonest
    assert _listed(officer, "sort=-deadline", 3) == latest


def test_queue_rows_escape_names_written_into_their_html(personas: Personas) -> None:
    """The rows are written as HTML in Python (decision 0020), so what the template's autoescape did is theirs
    to do: an exporter's or team's name with markup is shown as text, never as markup."""
    case = factories.submitted(personas)
    org = case.organisation
    assert org is not None
    org.name = '<script>alert("x")</script> & Sons'
    org.save(update_fields=["name"])
    officer = Client()
    officer.force_login(personas.officer)
    body = officer.get("/cases/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in body
