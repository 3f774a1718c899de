"""Amendments on the pages (Django client): the holder's "propose an amendment" on the licence page opens the
draft for editing; the amendment case's page shows what it changes; the licence page lists its versions."""

from __future__ import annotations

import pytest

from warden.cases.models import Case
from warden.cases.tests.factories import client_for
from warden.flows import case_decision, submission
from warden.licences.models import Licence, LicenceAmendment
from warden.licences.tests.test_amendments import _decide, _licence, _more
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_the_holder_proposes_on_the_licence_page_and_edits_the_draft(personas: Personas) -> None:
    licence = _licence(personas)
    c = client_for(personas.exporter)
    assert "Propose an amendment" in c.get(f"/licences/{licence.pk}/").content.decode()
    # An officer is offered the proposal on the holder's behalf instead (test_officer_amendments), not the draft.
    officer_page = client_for(personas.officer).get(f"/licences/{licence.pk}/").content.decode()
    assert 'data-testid="propose-amendment"' not in officer_page
    assert 'data-testid="propose-for-holder"' in officer_page
    r = c.post(f"/licences/{licence.pk}/amend/", {"reason": "Two more blade sets"})
    amendment = LicenceAmendment.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/{amendment.case.pk}/edit/"
    page = c.get(f"/cases/{amendment.case.pk}/").content.decode()
    assert "Amendment of licence" in page and licence.number in page
    assert "No change to the goods, parties or end use yet" in page
    doc = dict(amendment.case.document)
    _more(doc)
    submission.update_draft(actor=personas.exporter, case=amendment.case, document=doc)
    page = c.get(f"/cases/{amendment.case.pk}/").content.decode()
    assert "Line 1: quantity 4 → 6; value 1250000.00 EUR → 1875000.00 EUR" in page
    pending = c.get(f"/licences/{licence.pk}/").content.decode()
    assert "An amendment is being decided" in pending and "Propose an amendment" not in pending


def test_a_proposal_without_a_reason_or_with_a_bad_date_changes_nothing(personas: Personas) -> None:
    licence = _licence(personas)
    c = client_for(personas.exporter)
    before = Case.objects.count()
    r = c.post(f"/licences/{licence.pk}/amend/", {"reason": ""})
    assert r.status_code == 422 and "Say what the amendment changes" in r.content.decode()
    r = c.post(f"/licences/{licence.pk}/amend/", {"reason": "x", "valid_until": "31/12/2027"})
    assert r.status_code == 422 and "is not a date" in r.content.decode()
    assert (
        client_for(personas.exporter_b).post(f"/licences/{licence.pk}/amend/", {"reason": "x"}).status_code
        == 404
    )
    assert Case.objects.count() == before


def test_the_licence_page_lists_its_versions_after_a_grant(personas: Personas) -> None:
    licence = _licence(personas)
    c = client_for(personas.exporter)
    c.post(f"/licences/{licence.pk}/amend/", {"reason": "Two more blade sets"})
    case = LicenceAmendment.objects.get().case
    doc = dict(case.document)
    _more(doc)
    submission.update_draft(actor=personas.exporter, case=case, document=doc)
    submission.submit_case(actor=personas.exporter, case=case)
    _decide(personas, case)
    case_decision.issue_licence(actor=personas.officer, case=case)
    page = c.get(f"/licences/{licence.pk}/").content.decode()
    assert "Version 2</strong>" in page and "(current)" in page and "Goods of version 1" in page
    assert Licence.objects.get(pk=licence.pk).lines.get().quantity == 6
