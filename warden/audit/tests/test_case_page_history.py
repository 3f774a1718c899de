"""The case page (web helper's view) shows the case's history from the audit log to the authority."""

from __future__ import annotations

from django.test import Client

from warden.flows.submission import create_application, submit_case
from warden.testing import sample_application


def test_an_officer_sees_the_case_history_from_the_log_on_the_case_page(personas) -> None:  # type: ignore[no-untyped-def]
    case = create_application(actor=personas.exporter, document=sample_application())
    submit_case(actor=personas.exporter, case=case)
    client = Client()
    client.force_login(personas.officer)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="audit-history"' in html
    assert "Application created" in html and "Application submitted" in html
