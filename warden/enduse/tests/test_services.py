"""The end-use services through their real path: planning at issue and on shipments, by hand, recording a
finding with evidence (policy refusals, audit entries), and what a diversion sets off."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from warden.audit.models import AuditEntry
from warden.cases.models import Status
from warden.cases.tests import factories as f
from warden.enduse import queries, services
from warden.enduse.matching import name_key
from warden.enduse.models import CheckKind, CheckStatus, DiversionFlag, EndUseCheck, EndUserProfile, Finding
from warden.enduse.tests.conftest import Inspectors, licence_of, parties_for, pdf
from warden.lib import clock
from warden.lib.actors import system
from warden.lib.errors import InvalidInput, NotPermitted
from warden.licences import services as licence_services
from warden.licences.models import Licence, LicenceStatus
from warden.testing import Personas


def _data(action: str) -> dict[str, object]:
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, action
    return json.loads(entry.entry)["data"]  # type: ignore[no-any-return]


def _ship(personas: Personas, licence: Licence, qty: int = 1, on: dt.date | None = None) -> object:
    return licence_services.record_shipment(
        actor=personas.exporter, licence=licence, line=licence.lines.first(), quantity=qty, shipped_on=on
    )


def test_issuing_a_licence_plans_the_check_its_risk_calls_for_from_its_first_day(
    licensed: Licence, dvc: EndUseCheck
) -> None:
    assert dvc.kind == CheckKind.DVC and dvc.shipment is None
    assert dvc.due_on == licensed.valid_from + dt.timedelta(days=90)
    assert dvc.end_user_name == "Norwegian Defence Materiel Agency" and dvc.end_user_country == "NO"
    assert dvc.reasons[-1] == "the end-user certificate provides for a delivery verification certificate"
    assert dvc.status_on(clock.today()) == CheckStatus.PLANNED
    data = _data("enduse.check.plan")
    assert (data["check"], data["planned"], data["kind"]) == (dvc.reference, "from risk", CheckKind.DVC)
    # Planning again plans nothing more.
    assert services.plan_checks(actor=system("tests"), licence=licensed) == []


def test_the_first_shipment_takes_over_the_check_and_later_ones_get_their_own(
    personas: Personas, licensed: Licence, dvc: EndUseCheck
) -> None:
    from warden.flows import end_use

    day = clock.today()
    first = _ship(personas, licensed, on=day)
    assert end_use.after_shipment_recorded(shipment=first) == [dvc]  # type: ignore[arg-type]
    dvc.refresh_from_db()
    assert dvc.shipment == first and dvc.due_on == day + dt.timedelta(days=90)
    assert _data("enduse.check.reschedule")["check"] == dvc.reference
    second = _ship(personas, licensed)
    [new] = end_use.after_shipment_recorded(shipment=second)  # type: ignore[arg-type]
    assert new.shipment == second and new.kind == CheckKind.DVC
    assert end_use.after_shipment_recorded(shipment=second) == []  # type: ignore[arg-type]
    assert EndUseCheck.objects.filter(licence=licensed).count() == 2


def test_an_officer_plans_a_check_by_hand_and_an_exporter_may_not(
    personas: Personas, licensed: Licence, inspectors: Inspectors
) -> None:
    row = services.plan_check(
        actor=personas.officer,
        licence=licensed,
        kind=CheckKind.PSV,
        reason="A tip-off from the embassy",
        inspector=inspectors.ines,
    )
    assert row.planned_by == personas.officer and row.inspector == inspectors.ines
    assert row.reasons == ["planned by hand: A tip-off from the embassy"]
    assert row.due_on == clock.today() + dt.timedelta(days=180)
    assert _data("enduse.check.plan")["planned"] == "by hand"
    with pytest.raises(NotPermitted):
        services.plan_check(actor=personas.exporter, licence=licensed, kind=CheckKind.DVC, reason="x")
    with pytest.raises(InvalidInput, match="reason: say why"):
        services.plan_check(actor=personas.officer, licence=licensed, kind=CheckKind.DVC, reason=" ")
    with pytest.raises(InvalidInput, match="is in the past"):
        services.plan_check(
            actor=personas.officer,
            licence=licensed,
            kind=CheckKind.DVC,
            reason="x",
            due_on=clock.today() - dt.timedelta(days=1),
        )
    with pytest.raises(InvalidInput, match="not a compliance inspector"):
        services.plan_check(
            actor=personas.officer,
            licence=licensed,
            kind=CheckKind.DVC,
            reason="x",
            inspector=personas.senior,
        )
    with pytest.raises(NotPermitted):  # a hand-made plan is a person's
        services.plan_check(actor=system("tests"), licence=licensed, kind=CheckKind.DVC, reason="x")


def test_only_the_compliance_inspector_records_a_finding_and_it_is_audited_with_its_evidence(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    for who in (personas.officer, personas.senior, personas.exporter, system("tests")):
        with pytest.raises(NotPermitted):
            services.record_finding(actor=who, check=dvc, finding=Finding.SATISFACTORY)
    done = services.record_finding(
        actor=inspectors.ines,
        check=dvc,
        finding=Finding.SATISFACTORY,
        evidence=[("dvc-returned.pdf", pdf("DVC returned"))],
    )
    row = done.check
    assert (row.finding, row.completed_on, row.inspector, row.recorded_by) == (
        Finding.SATISFACTORY,
        clock.today(),
        inspectors.ines,
        inspectors.ines,
    )
    [ev] = row.evidence.all()
    assert (ev.name, ev.content_type) == ("dvc-returned.pdf", "application/pdf")
    data = _data("enduse.check.record")
    assert data["finding"] == "satisfactory"
    assert data["evidence"] == [{"name": "dvc-returned.pdf", "sha256": ev.sha256, "size": ev.size}]
    assert done.flags == [] and row.status_on(clock.today()) == CheckStatus.DONE
    with pytest.raises(InvalidInput, match="was recorded on"):
        services.record_finding(actor=inspectors.ines, check=dvc, finding=Finding.CONCERNS, notes="again")


def test_a_check_assigned_to_one_inspector_is_not_recorded_by_another(
    dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    EndUseCheck.objects.filter(pk=dvc.pk).update(inspector=inspectors.ivan)
    with pytest.raises(NotPermitted, match="is assigned to Ivan"):
        services.record_finding(actor=inspectors.ines, check=dvc, finding=Finding.SATISFACTORY)


def test_bad_findings_notes_dates_and_evidence_are_refused_and_nothing_is_recorded(
    dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    ines = inspectors.ines
    with pytest.raises(InvalidInput, match="expected satisfactory, concerns, diversion"):
        services.record_finding(actor=ines, check=dvc, finding="fine")
    with pytest.raises(InvalidInput, match="notes: say what the check found"):
        services.record_finding(actor=ines, check=dvc, finding=Finding.DIVERSION)
    with pytest.raises(InvalidInput, match="is in the future"):
        services.record_finding(
            actor=ines, check=dvc, finding=Finding.SATISFACTORY, completed_on=clock.today() + dt.timedelta(1)
        )
    with pytest.raises(InvalidInput, match="evidence photo.jpg: Only PDF documents are accepted"):
        services.record_finding(
            actor=ines, check=dvc, finding=Finding.SATISFACTORY, evidence=[("photo.jpg", b"\xff\xd8\xff")]
        )
    dvc.refresh_from_db()
    assert dvc.completed_on is None and not dvc.evidence.exists()
    assert not AuditEntry.objects.filter(action="enduse.check.record").exists()


def test_a_diversion_updates_the_profile_flags_the_end_users_open_cases_and_live_licences_and_offers_suspension(
    personas: Personas, licensed: Licence, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    # The same end user on an open case (spelt a little differently) and on a second licence; another end
    # user, and a closed case of the same one, are not flagged.
    open_case = f.submitted(personas, parties=parties_for("Norwegian Defence Material Agency"))
    second = licence_of(f.licensed(personas))
    other = f.submitted(personas, parties=parties_for("Kjeller Aero Services AS", role="end_user"))
    closed = f.withdrawn(personas)
    EndUseCheck.objects.filter(pk=dvc.pk).update(due_on=clock.today() - dt.timedelta(days=3))
    done = services.record_finding(
        actor=inspectors.ines,
        check=dvc,
        finding=Finding.DIVERSION,
        notes="The rotor blades were found at a third country's depot.",
        evidence=[("visit-report.pdf", pdf())],
    )
    profile = EndUserProfile.objects.get()
    assert (profile.name_key, profile.country, profile.diversions, profile.checks_done) == (
        name_key("NORWEGIAN DEFENCE MATERIEL AGENCY"),
        "NO",
        1,
        1,
    )
    flagged = {fl.case.reference for fl in done.flags}
    assert flagged == {licensed.case.reference, open_case.reference, second.case.reference}
    assert other.reference not in flagged and closed.reference not in flagged
    assert {lic.number for lic in done.suspendable} == {licensed.number, second.number}
    assert AuditEntry.objects.filter(action="enduse.flag").count() == 3
    assert _data("enduse.check.record")["profile"] == {"checks": 1, "concerns": 0, "diversions": 1}

    flag = DiversionFlag.objects.get(case=second.case)
    suspended = services.suspend_flagged_licence(actor=inspectors.ines, flag=flag)
    assert suspended.status == LicenceStatus.SUSPENDED
    reason = _data("licence.suspend")["reason"]
    assert f"Diversion found by end-use check {dvc.reference} on licence {licensed.number}" in str(reason)
    with pytest.raises(NotPermitted):
        services.suspend_flagged_licence(
            actor=personas.officer, flag=DiversionFlag.objects.get(case=licensed.case)
        )

    # The next licence to that end user gets a post-shipment visit: its record now weighs.
    third = licence_of(f.licensed(personas))
    [psv] = EndUseCheck.objects.filter(licence=third)
    assert psv.kind == CheckKind.PSV
    assert "the end user diverted goods before (1 finding(s)) (+50)" in psv.reasons


def test_the_queue_puts_overdue_checks_first(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    later = services.plan_check(
        actor=personas.officer, licence=dvc.licence, kind=CheckKind.PSV, reason="visit", due_on=clock.today()
    )
    EndUseCheck.objects.filter(pk=dvc.pk).update(due_on=clock.today() - dt.timedelta(days=1))
    assert [c.pk for c in queries.checks()] == [dvc.pk, later.pk]
    assert [c.pk for c in queries.checks(status=CheckStatus.OVERDUE)] == [dvc.pk]
    assert [c.pk for c in queries.checks(status=CheckStatus.PLANNED)] == [later.pk]
    dvc.refresh_from_db()
    assert dvc.status_on(clock.today()) == CheckStatus.OVERDUE


def test_the_certificate_register_recognises_a_shared_certificate_and_flags_one_reused_by_another_end_user(
    personas: Personas,
) -> None:
    a = f.submitted(personas)
    b = f.submitted(personas, parties=parties_for("Norwegian Defence Material Agency"))
    c = f.submitted(personas, parties=parties_for("Bergen Shipping Brokers AS"))
    draft = f.draft(personas)
    uses = {u.case.reference: u.same_end_user for u in queries.certificate_uses(a)}
    assert uses == {b.reference: True, c.reference: False}
    assert draft.reference not in uses
    assert a.status == Status.SUBMITTED


def test_an_inspector_takes_an_unassigned_check_and_only_an_officer_reassigns_it(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    services.assign_check(actor=inspectors.ines, check=dvc, inspector=inspectors.ines)
    assert _data("enduse.check.assign") == {"check": dvc.reference, "inspector": "ines", "before": ""}
    with pytest.raises(NotPermitted, match="is assigned to ines; an officer reassigns it"):
        services.assign_check(actor=inspectors.ivan, check=dvc, inspector=inspectors.ivan)
    row = services.assign_check(actor=personas.officer, check=dvc, inspector=inspectors.ivan)
    assert row.inspector == inspectors.ivan
    with pytest.raises(InvalidInput, match="not a compliance inspector"):
        services.assign_check(actor=personas.officer, check=dvc, inspector=personas.senior)
    with pytest.raises(NotPermitted):
        services.assign_check(actor=personas.exporter, check=dvc, inspector=inspectors.ines)


def test_an_inspector_who_declared_an_interest_in_the_exporter_neither_records_nor_is_assigned(
    personas: Personas, dvc: EndUseCheck, inspectors: Inspectors
) -> None:
    from warden.accounts.interests import declare_interest

    declare_interest(
        actor=inspectors.ines, organisation=personas.org_a, starts_on=clock.today(), reason="A shareholding"
    )
    with pytest.raises(NotPermitted, match="you declared an interest in Northbridge Defence Ltd"):
        services.record_finding(actor=inspectors.ines, check=dvc, finding=Finding.SATISFACTORY)
    with pytest.raises(NotPermitted, match="ines declared an interest"):
        services.assign_check(actor=personas.officer, check=dvc, inspector=inspectors.ines)
    services.record_finding(actor=inspectors.ivan, check=dvc, finding=Finding.SATISFACTORY)
