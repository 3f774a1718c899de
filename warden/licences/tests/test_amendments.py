"""Licence amendments: proposed by the holder as a draft from the terms in force, decided as a case of its
own, granted as the next version of the same licence (old version readable, shipments kept on their lines,
later shipments checked against the version in force on their date)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from warden.audit.models import AuditEntry
from warden.cases import services as case_services
from warden.cases.models import Case, Status
from warden.cases.tests import factories
from warden.flows import case_decision, licence_amendment, submission
from warden.lib import clock
from warden.lib.errors import IllegalTransition, InvalidInput, NotPermitted
from warden.licences import services, versions
from warden.licences.models import Licence, LicenceLine, LicenceVersion
from warden.licences.shipments import OverDraw
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _licence(p: Personas) -> Licence:
    case = factories.licensed(p)
    return Licence.objects.get(case=case)


def _decide(p: Personas, case: Case, decision: str = "approved") -> None:
    """Walk a submitted amendment case through the officers' steps, as any application."""
    case_services.start_initial_checks(actor=p.officer, case=case)
    case_decision.recommend(actor=p.officer, case=case, decision=decision, reason="Assessed")
    case_decision.finalise(actor=p.senior, case=case, decision=decision, reason="Agreed")


def _amend(p: Personas, licence: Licence, change: Any, reason: str = "More blades") -> Case:
    draft = licence_amendment.propose(actor=p.exporter, licence=licence, reason=reason)
    doc = copy.deepcopy(draft.document)
    change(doc)
    submission.update_draft(actor=p.exporter, case=draft, document=doc)
    submission.submit_case(actor=p.exporter, case=draft)
    draft.refresh_from_db()
    return draft


def _more(doc: dict[str, Any]) -> None:
    doc["goods"][0]["quantity"] = 6
    doc["goods"][0]["value"]["amount"] = 1875000


def test_a_granted_amendment_is_the_next_version_of_the_same_licence(personas: Personas) -> None:
    licence = _licence(personas)
    line = LicenceLine.objects.get(licence=licence)
    services.record_shipment(actor=personas.exporter, licence=licence, line=line, quantity=1)
    case = _amend(personas, licence, _more)
    assert case.status == Status.SUBMITTED and case.licence_amendment.licence == licence
    _decide(personas, case)
    granted = case_decision.issue_licence(actor=personas.officer, case=case)
    assert granted.pk == licence.pk and Licence.objects.count() == 1
    line.refresh_from_db()
    assert (line.quantity, line.shipped_quantity) == (6, 1)  # the shipment stays on its line
    history = versions.versions_of(licence)
    assert [v.number for v in history] == [1, 2]
    assert history[0].lines[0]["quantity"] == 4 and history[
        0
    ].effective_until == clock.today() - dt.timedelta(1)
    assert history[1].diff["goods"][0]["before"]["quantity"] == 4
    assert history[1].diff["goods"][0]["after"]["quantity"] == 6
    case.refresh_from_db()
    assert case.status == Status.LICENCE_ISSUED
    assert AuditEntry.objects.filter(action="licence.amend").count() == 1


def test_the_terms_of_the_next_proposal_are_the_amended_ones(personas: Personas) -> None:
    licence = _licence(personas)
    case = _amend(personas, licence, _more)
    _decide(personas, case)
    case_decision.issue_licence(actor=personas.officer, case=case)
    again = licence_amendment.propose(actor=personas.exporter, licence=licence, reason="Again")
    assert again.document["goods"][0]["quantity"] == 6
    assert again.licence_amendment.based_on == 2


def test_one_proposal_at_a_time_only_by_the_holder_or_an_officer_and_only_on_an_issued_licence(
    personas: Personas,
) -> None:
    licence = _licence(personas)
    with pytest.raises(NotPermitted):
        licence_amendment.propose(actor=personas.exporter_b, licence=licence, reason="Not mine")
    with pytest.raises(NotPermitted):
        licence_amendment.propose(actor=personas.oversight, licence=licence, reason="Oversight")
    with pytest.raises(InvalidInput, match="Say what the amendment changes"):
        licence_amendment.propose(actor=personas.exporter, licence=licence, reason=" ")
    before = Case.objects.count()
    licence_amendment.propose(actor=personas.exporter, licence=licence, reason="First")
    with pytest.raises(IllegalTransition, match="already has an amendment being decided"):
        licence_amendment.propose(actor=personas.exporter, licence=licence, reason="Second")
    assert Case.objects.count() == before + 1
    other = _licence(personas)
    services.suspend_licence(actor=personas.senior, licence=other, reason="Investigation")
    with pytest.raises(IllegalTransition):
        licence_amendment.propose(actor=personas.exporter, licence=other, reason="While suspended")


def test_a_refused_amendment_leaves_the_licence_as_it_was(personas: Personas) -> None:
    licence = _licence(personas)
    case = _amend(personas, licence, _more)
    case_services.start_initial_checks(actor=personas.officer, case=case)
    case_decision.recommend(
        actor=personas.officer, case=case, decision="refused", reason="No", criteria=["EU-CP:7"]
    )
    case_decision.finalise(
        actor=personas.senior,
        case=case,
        decision="refused",
        reason="No",
        criteria=["EU-CP:7"],
        justification="The end user has changed hands since the licence was issued",
    )
    case_decision.countersign(actor=personas.senior2, case=case, note="Agreed")
    with pytest.raises(IllegalTransition):
        case_decision.issue_licence(actor=personas.officer, case=case)
    assert LicenceLine.objects.get(licence=licence).quantity == 4
    assert not LicenceVersion.objects.filter(licence=licence).exists()


def test_an_amendment_cannot_change_the_destination_or_cut_below_what_was_shipped(personas: Personas) -> None:
    licence = _licence(personas)
    line = LicenceLine.objects.get(licence=licence)
    services.record_shipment(actor=personas.exporter, licence=licence, line=line, quantity=3)

    def fewer(doc: dict[str, Any]) -> None:
        doc["goods"][0]["quantity"] = 2

    case = _amend(personas, licence, fewer)
    _decide(personas, case)
    with pytest.raises(InvalidInput, match="has already shipped 3"):
        case_decision.issue_licence(actor=personas.officer, case=case)
    assert LicenceLine.objects.get(licence=licence).quantity == 4


def test_the_validity_can_be_extended_within_the_licence_type_term(personas: Personas) -> None:
    licence = _licence(personas)
    longest = services.validity(licence.case.licence_type, licence.valid_from)
    with pytest.raises(InvalidInput, match="between today and"):
        licence_amendment.propose(
            actor=personas.exporter, licence=licence, reason="Longer", valid_until=longest + dt.timedelta(1)
        )
    assert licence.valid_until == longest  # already the longest: only a shortening or the same is possible


def test_a_backdated_shipment_is_checked_against_the_version_in_force_on_its_date(personas: Personas) -> None:
    licence = _licence(personas)
    clock_day = clock.today()
    line = LicenceLine.objects.get(licence=licence)

    def add_line(doc: dict[str, Any]) -> None:
        doc["goods"].append(
            {
                "description": "Tail rotor set",
                "rating": "ML10.d",
                "quantity": 2,
                "value": {"amount": 1000, "currency": "EUR"},
            }
        )
        _more(doc)

    case = _amend(personas, licence, add_line)
    _decide(personas, case)
    case_decision.issue_licence(actor=personas.officer, case=case)
    new_line = LicenceLine.objects.filter(licence=licence).exclude(pk=line.pk).get()
    v2_from = versions.versions_of(licence)[1].effective_from
    assert v2_from == clock_day
    # Everything here happens on one day, so model the amendment as granted later by moving version 2 on.
    LicenceVersion.objects.filter(licence=licence, number=2).update(
        effective_from=clock_day + dt.timedelta(1)
    )
    LicenceVersion.objects.filter(licence=licence, number=1).update(effective_from=licence.valid_from)
    with pytest.raises(InvalidInput, match="was not on version 1"):
        services.record_shipment(actor=personas.exporter, licence=licence, line=new_line, quantity=1)
    services.record_shipment(actor=personas.exporter, licence=licence, line=line, quantity=4)
    with pytest.raises(OverDraw, match="version 1 of licence"):
        services.record_shipment(actor=personas.exporter, licence=licence, line=line, quantity=1)
