"""An officer proposes an amendment on the holder's behalf (issue 13 §1): the amendment case is the holder's,
submitted at once from the terms in force with the officer's narrower quantities; the holder is told through
the inbox; the proposer cannot recommend, decide or grant it, another officer does, and the licence narrows."""

from __future__ import annotations

import pytest
from django.db import transaction

from warden.cases import services as case_services
from warden.cases.models import Case, Status
from warden.cases.tests import factories
from warden.flows import case_decision, licence_amendment
from warden.inbox.delivery import deliver
from warden.inbox.models import Notification
from warden.lib.errors import InvalidInput, NotPermitted
from warden.licences.models import Licence, LicenceLine
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _licence(p: Personas) -> Licence:
    return Licence.objects.get(case=factories.licensed(p))


def _proposed(p: Personas, licence: Licence) -> Case:
    return licence_amendment.propose_for_holder(
        actor=p.officer,
        licence=licence,
        reason="End user's risk rating raised: fewer blades",
        quantities={0: 2},
    )


def test_an_officers_proposal_is_the_holders_case_submitted_with_the_narrower_terms(
    personas: Personas,
) -> None:
    licence = _licence(personas)
    case = _proposed(personas, licence)
    assert case.organisation == licence.case.organisation and case.created_by == personas.officer
    assert case.status == Status.SUBMITTED
    assert (
        case.licence_amendment.licence == licence and case.licence_amendment.proposed_by == personas.officer
    )
    assert case.document["goods"][0]["quantity"] == 2
    assert case.document["goods"][0]["value"]["amount"] == 625000  # half the blades, half the value
    assert case.assessments.exists()  # screened and assessed like a submitted application


def test_the_holder_is_told_in_the_inbox(personas: Personas) -> None:
    case = _proposed(personas, _licence(personas))
    with transaction.atomic():
        deliver()
    told = Notification.objects.filter(user=personas.exporter, subject__contains=case.reference)
    assert [n.subject for n in told] == [
        f"{case.reference}: the authority proposes an amendment of your licence"
    ]


def test_the_proposer_cannot_recommend_decide_or_grant_it_and_another_officer_can(personas: Personas) -> None:
    licence = _licence(personas)
    case = _proposed(personas, licence)
    case_services.start_initial_checks(actor=personas.officer, case=case)
    with pytest.raises(NotPermitted, match="another officer must"):
        case_decision.recommend(actor=personas.officer, case=case, decision="approved", reason="Narrow it")
    case_decision.recommend(actor=personas.officer2, case=case, decision="approved", reason="Narrow it")
    case_decision.finalise(actor=personas.senior, case=case, decision="approved", reason="Agreed")
    with pytest.raises(NotPermitted, match="another officer must"):
        case_decision.issue_licence(actor=personas.officer, case=case)
    case_decision.issue_licence(actor=personas.officer2, case=case)
    assert LicenceLine.objects.get(licence=licence).quantity == 2


def test_a_senior_officer_who_proposed_cannot_finalise_it(personas: Personas) -> None:
    licence = _licence(personas)
    case = licence_amendment.propose_for_holder(
        actor=personas.senior, licence=licence, reason="Narrow", quantities={0: 1}
    )
    case_services.start_initial_checks(actor=personas.officer, case=case)
    case_decision.recommend(actor=personas.officer, case=case, decision="approved", reason="Narrow it")
    with pytest.raises(NotPermitted, match="another officer must finalise"):
        case_decision.finalise(actor=personas.senior, case=case, decision="approved", reason="Agreed")


def test_an_officer_narrows_and_cannot_widen_and_nothing_is_stored_then(personas: Personas) -> None:
    licence = _licence(personas)
    before = Case.objects.count()
    for quantities, words in (({0: 5}, "from 1 to the 4"), ({3: 1}, "no goods line 4"), ({0: 0}, "from 1")):
        with pytest.raises(InvalidInput, match=words):
            licence_amendment.propose_for_holder(
                actor=personas.officer, licence=licence, reason="Narrow", quantities=quantities
            )
    assert Case.objects.count() == before


def test_an_adviser_or_another_exporter_cannot_propose(personas: Personas) -> None:
    licence = _licence(personas)
    for actor in (personas.adviser_fcdo, personas.exporter_b):
        with pytest.raises(NotPermitted):
            licence_amendment.propose_for_holder(
                actor=actor, licence=licence, reason="Narrow", quantities={0: 1}
            )
