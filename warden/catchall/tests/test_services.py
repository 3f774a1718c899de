"""Catch-all referrals through their services: who may notify, raise, decide and link; what a decision keeps
(basis, letter, the destination's embargoes that day); audit in the same transaction; bad input changes
nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from warden.audit.models import AuditEntry
from warden.cases.models import Status as CaseStatus
from warden.cases.tests import factories
from warden.catchall import services
from warden.catchall.models import CatchAllReferral, Letter, Origin, Status
from warden.flows import catch_all as flow
from warden.lib import clock
from warden.lib.actors import system
from warden.lib.errors import IllegalTransition, InvalidInput, NotPermitted
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def note(**over: object) -> services.Notification:
    base: dict[str, object] = {
        "destination": "BY",
        "goods_description": "Machine tools, 5-axis",
        "end_user_name": "Minsk Precision Works",
        "end_user_country": "BY",
        "end_use": "Civil engine parts",
        "grounds": "The buyer asked for a tolerance only artillery fuzes need and to ship via a third country.",
        "flags": ("military_end_use",),
    }
    base.update(over)
    return services.Notification(**base)  # type: ignore[arg-type]


def test_an_exporter_notifies_for_its_own_organisation_and_it_is_audited(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note())
    assert r.reference.startswith(f"CA-{clock.today().year}-")
    assert (r.origin, r.status, r.organisation) == (Origin.EXPORTER, Status.ASSESSING, personas.org_a)
    entry = AuditEntry.objects.get(action="catchall.notify")
    assert json.loads(entry.entry)["data"]["reference"] == r.reference and json.loads(entry.entry)["data"][
        "flags"
    ] == ["military_end_use"]


@pytest.mark.parametrize(
    ("over", "where"),
    [
        ({"destination": "ZZ"}, "destination"),
        ({"grounds": "   "}, "grounds"),
        ({"flags": ("wmd", "espionage")}, "flags"),
        ({"goods_description": "x" * 501}, "goods_description"),
        ({"intended_export_on": dt.date(2000, 1, 1)}, "intended_export_on"),
        ({"end_use": "a\x00b"}, "end_use"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    personas: Personas, over: dict[str, object], where: str
) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.notify(actor=personas.exporter, notification=note(**over))
    assert exc.value.where == where
    assert not CatchAllReferral.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="catchall.").exists()


def test_only_exporters_notify_and_only_officers_raise(personas: Personas) -> None:
    with pytest.raises(NotPermitted):
        services.notify(actor=personas.officer, notification=note())
    with pytest.raises(NotPermitted):
        services.raise_concern(actor=personas.exporter, organisation=personas.org_a, notification=note())
    with pytest.raises(NotPermitted):
        services.notify(actor=system("test"), notification=note())
    r = services.raise_concern(actor=personas.officer, organisation=personas.org_b, notification=note())
    assert r.origin == Origin.AUTHORITY and r.organisation == personas.org_b


def test_licence_required_keeps_basis_letter_and_the_embargoes_of_that_day(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note())
    services.decide(
        actor=personas.senior, referral=r, decision="licence_required", basis="art4_1b", reason="Embargoed."
    )
    r.refresh_from_db()
    assert r.status == Status.INFORMED and r.letter == Letter.MILITARY
    assert r.decided_by == personas.senior and r.decided_on == clock.today()
    assert "eu-by" in {e["id"] for e in r.embargo_status}
    assert json.loads(AuditEntry.objects.get(action="catchall.decide").entry)["data"]["embargoes"] == [
        e["id"] for e in r.embargo_status
    ]


def test_a_decision_needs_a_reason_and_a_basis_and_happens_once(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note())
    with pytest.raises(InvalidInput) as exc:
        services.decide(actor=personas.senior, referral=r, decision="licence_required", reason="Because.")
    assert exc.value.where == "basis"
    with pytest.raises(InvalidInput):
        services.decide(actor=personas.senior, referral=r, decision="not_required", reason=" ")
    r.refresh_from_db()
    assert r.status == Status.ASSESSING and not AuditEntry.objects.filter(action="catchall.decide").exists()
    services.decide(actor=personas.senior, referral=r, decision="not_required", reason="Civil tooling.")
    with pytest.raises(NotPermitted, match="already decided"):
        services.decide(actor=personas.officer, referral=r, decision="not_required", reason="Again.")


def test_whoever_raised_a_concern_does_not_decide_it(personas: Personas) -> None:
    r = services.raise_concern(actor=personas.officer, organisation=personas.org_a, notification=note())
    with pytest.raises(NotPermitted, match="separation of duties"):
        services.decide(actor=personas.officer, referral=r, decision="not_required", reason="Fine.")
    with pytest.raises(NotPermitted):
        services.decide(actor=personas.exporter, referral=r, decision="not_required", reason="Fine.")
    services.decide(actor=personas.officer2, referral=r, decision="not_required", reason="Fine.")


def test_the_linked_draft_carries_the_referral_flags_into_its_assessment_inputs(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note(destination="NO", end_user_country="NO"))
    draft = factories.draft(personas)
    assert draft.destination == "NO"
    with pytest.raises(NotPermitted, match="Only a referral that requires a licence"):
        flow.link_application(actor=personas.exporter, referral=r, case=draft)
    services.decide(
        actor=personas.senior, referral=r, decision="licence_required", basis="art4_1b", reason="x"
    )
    flow.link_application(actor=personas.exporter, referral=r, case=draft)
    draft.refresh_from_db()
    r.refresh_from_db()
    assert r.status == Status.APPLIED and r.case == draft
    assert draft.status == CaseStatus.DRAFT and draft.document["end_use_flags"] == ["military_end_use"]
    assert AuditEntry.objects.get(action="catchall.link").case_id == draft.pk


def test_a_link_must_be_the_same_exporter_and_destination_and_only_once(personas: Personas) -> None:
    r = services.notify(actor=personas.exporter, notification=note())  # BY
    services.decide(
        actor=personas.senior, referral=r, decision="licence_required", basis="art4_1b", reason="x"
    )
    draft_no = factories.draft(personas)
    with pytest.raises(InvalidInput, match="is for NO"):
        flow.link_application(actor=personas.exporter, referral=r, case=draft_no)
    other = services.notify(
        actor=personas.exporter, notification=note(destination="NO", end_user_country="NO")
    )
    services.decide(
        actor=personas.senior, referral=other, decision="licence_required", basis="art5", reason="x"
    )
    flow.link_application(actor=personas.exporter, referral=other, case=draft_no)
    third = services.notify(
        actor=personas.exporter, notification=note(destination="NO", end_user_country="NO")
    )
    services.decide(
        actor=personas.senior, referral=third, decision="licence_required", basis="art5", reason="x"
    )
    with pytest.raises(IllegalTransition, match="already linked"):
        flow.link_application(actor=personas.exporter, referral=third, case=draft_no)
    with pytest.raises(NotPermitted):
        flow.link_application(actor=personas.exporter_b, referral=third, case=draft_no)
