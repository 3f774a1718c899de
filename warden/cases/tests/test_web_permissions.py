"""Web permission rules, tried from the outside: guessed ids of another organisation's cases and licences,
oversight posting actions, an adviser whose team was never consulted."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.cases.models import Case, Status
from warden.cases.tests import factories
from warden.cases.transitions import TABLE, Action
from warden.flows import amendment, case_decision
from warden.licences.models import Licence
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _case_urls(case: Case) -> list[tuple[str, str]]:
    doc = case.documents.first()
    urls = [
        ("get", f"/cases/{case.pk}/"),
        ("get", f"/cases/{case.pk}/edit/"),
        ("post", f"/cases/{case.pk}/edit/"),
    ]
    urls += [
        ("post", f"/cases/{case.pk}/act/{a.value}/")
        for a in TABLE
        if a not in (Action.CREATE, Action.EDIT_DRAFT)
    ]
    urls.append(("get", f"/cases/{case.pk}/documents/{doc.pk if doc else 1}/"))
    return urls


def test_every_case_url_of_another_organisation_is_404(personas: Personas) -> None:

    case = factories.in_initial_checks(personas)
    amendment.upload_document(
        actor=personas.exporter, case=case, filename="euc.pdf", content=factories.MINIMAL_PDF
    )
    bob = _client(personas.exporter_b)
    for method, url in _case_urls(case):
        response = getattr(bob, method)(url, {"reason": "x", "text": "x"})
        assert response.status_code == 404, (method, url, response.status_code)
    case.refresh_from_db()
    assert case.status == Status.INITIAL_CHECKS


def test_every_licence_url_of_another_organisation_is_404(personas: Personas) -> None:
    case = factories.licensed(personas)
    licence = Licence.objects.get(case=case)
    bob = _client(personas.exporter_b)
    assert bob.get(f"/licences/{licence.pk}/").status_code == 404
    assert bob.get(f"/licences/{licence.pk}/licence.pdf").status_code == 404
    for action in ("suspend", "reinstate", "revoke", "surrender", "record_shipment"):
        assert bob.post(f"/licences/{licence.pk}/act/{action}/", {"reason": "x"}).status_code == 404
    assert licence.number.encode() not in bob.get("/licences/").content


def test_another_organisations_cases_are_not_listed(personas: Personas) -> None:
    case = factories.submitted(personas)
    page = _client(personas.exporter_b).get("/cases/")
    assert page.status_code == 200
    assert case.reference.encode() not in page.content


def test_oversight_cannot_post_any_action(personas: Personas) -> None:
    case = factories.under_final_review(personas)
    before = (case.status, case.version)
    owen = _client(personas.oversight)
    assert owen.get(f"/cases/{case.pk}/").status_code == 200
    for action in TABLE:
        if action in (Action.CREATE, Action.PROPOSE_FOR_HOLDER):  # they make a case; none to post to
            continue
        url = (
            f"/cases/{case.pk}/edit/"
            if action == Action.EDIT_DRAFT
            else f"/cases/{case.pk}/act/{action.value}/"
        )
        response = owen.post(
            url,
            {
                "decision": "approved",
                "reason": "x",
                "text": "x",
                "question": "x",
                "teams": [personas.fcdo.pk],
            },
        )
        assert response.status_code == 403, (action, response.status_code)
    case.refresh_from_db()
    assert (case.status, case.version) == before


def test_oversight_cannot_act_on_licences(personas: Personas) -> None:
    licence = Licence.objects.get(case=factories.licensed(personas))
    owen = _client(personas.oversight)
    assert owen.get(f"/licences/{licence.pk}/").status_code == 200
    for action in ("suspend", "revoke", "record_shipment"):
        assert owen.post(f"/licences/{licence.pk}/act/{action}/", {"reason": "x"}).status_code == 403
    licence.refresh_from_db()
    assert licence.status == "issued"


def test_adviser_without_a_referral_gets_404(personas: Personas) -> None:
    case = factories.in_consultation(personas)  # referred to foreign affairs only
    max_ = _client(personas.adviser_mod)
    assert max_.get(f"/cases/{case.pk}/").status_code == 404
    assert (
        max_.post(f"/cases/{case.pk}/act/give_advice/", {"kind": "approve", "text": "x"}).status_code == 404
    )
    assert case.reference.encode() not in max_.get("/cases/").content
    assert _client(personas.adviser_fcdo).get(f"/cases/{case.pk}/").status_code == 200


def test_drafts_are_invisible_to_the_authority(personas: Personas) -> None:
    case = factories.draft(personas)
    assert _client(personas.officer).get(f"/cases/{case.pk}/").status_code == 404


def test_exporter_never_sees_internal_material(personas: Personas) -> None:
    from warden.cases import services

    case = factories.under_final_review(personas)
    services.add_note(actor=personas.officer, case=case, text="Secret internal note about the end user")
    officer_page = _client(personas.officer).get(f"/cases/{case.pk}/").content.decode()
    exporter_page = _client(personas.exporter).get(f"/cases/{case.pk}/").content.decode()
    assert "Secret internal note" in officer_page
    assert "No concerns" in officer_page  # the advice text
    for secret in (
        "Secret internal note",
        "No concerns",
        "Recommendation",
        "Assessment findings",
        "screening",
    ):
        assert secret not in exporter_page, secret


def test_adviser_sees_only_their_own_teams_advice(personas: Personas) -> None:
    from warden.cases import services

    case = factories.in_initial_checks(personas)
    services.refer_case(actor=personas.officer, case=case, teams=[personas.fcdo, personas.mod])
    case_decision.give_advice(
        actor=personas.adviser_mod,
        referral=case.referrals.get(team=personas.mod),
        kind="refuse",
        text="Defence view: diversion risk",
        criteria=["EU-CP:7"],
    )
    page = _client(personas.adviser_fcdo).get(f"/cases/{case.pk}/").content.decode()
    assert "Defence view" not in page
    assert "Foreign Affairs" in page


def test_exporter_case_page_lists_only_documents_it_may_open(personas: Personas, upload_dir) -> None:  # type: ignore[no-untyped-def]
    """An officer's internal attachment must not even be named on the exporter's page (downloads are
    refused by open_document; the listing must not leak the file name either)."""

    case = factories.submitted(personas)
    amendment.upload_document(
        actor=personas.exporter, case=case, filename="euc.pdf", content=factories.MINIMAL_PDF, kind="euc"
    )
    amendment.upload_document(
        actor=personas.officer,
        case=case,
        filename="intelligence-assessment.pdf",
        content=factories.MINIMAL_PDF + b"%internal",
        kind="internal",
    )
    exporter_page = _client(personas.exporter).get(f"/cases/{case.pk}/").content.decode()
    officer_page = _client(personas.officer).get(f"/cases/{case.pk}/").content.decode()
    assert "euc.pdf" in exporter_page
    assert "intelligence-assessment.pdf" not in exporter_page
    assert "intelligence-assessment.pdf" in officer_page
