"""Licence lifecycle: issue, suspend, reinstate, revoke, surrender, expire; who may do each."""

from __future__ import annotations

import datetime as dt

import pytest

from warden.audit.models import AuditEntry
from warden.cases.models import Status
from warden.cases.tests import factories as f
from warden.cases.transitions import IllegalTransition, InvalidInput, NotPermitted
from warden.flows import case_decision
from warden.licences import services
from warden.licences.models import Licence, LicenceStatus, LicenceTransition
from warden.licences.policy import allowed_licence_actions, visible_licences
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_issuing_creates_the_licence_with_number_validity_and_lines(personas: Personas) -> None:
    p = personas
    case = f.finalised(p, decision="approved_with_conditions")
    lic = case_decision.issue_licence(actor=p.officer, case=case, valid_from=dt.date(2026, 3, 1))
    assert case.status == Status.LICENCE_ISSUED
    assert lic.number == f"IEL-2026-{lic.pk:06d}"
    assert (lic.valid_from, lic.valid_until) == (dt.date(2026, 3, 1), dt.date(2028, 2, 29))
    assert lic.conditions == "No re-export without consent"
    assert [(ln.quantity, str(ln.value_amount), ln.currency) for ln in lic.lines.all()] == [
        (4, "1250000.00", "EUR")
    ]
    assert AuditEntry.objects.filter(case_id=case.pk, action="licence.issue").exists()


@pytest.mark.parametrize(
    ("licence_type", "prefix", "until"),
    [("global", "GEL", dt.date(2029, 2, 28)), ("transit", "TRL", dt.date(2027, 2, 28))],
)
def test_validity_and_number_depend_on_the_licence_type(
    personas: Personas, licence_type: str, prefix: str, until: dt.date
) -> None:
    case = f.finalised(personas, licence_type=licence_type)
    lic = case_decision.issue_licence(actor=personas.senior, case=case, valid_from=dt.date(2026, 3, 1))
    assert lic.number.startswith(prefix + "-2026-") and lic.valid_until == until


def test_suspend_reinstate_revoke(personas: Personas) -> None:
    p = personas
    lic = f.licensed(p).licence
    services.suspend_licence(actor=p.senior, licence=lic, reason="Embargo under review")
    assert lic.status == LicenceStatus.SUSPENDED
    assert allowed_licence_actions(p.senior, lic) == ["reinstate", "revoke"]
    services.reinstate_licence(actor=p.senior, licence=lic, reason="Review complete")
    services.revoke_licence(actor=p.senior, licence=lic, reason="End user diverted goods")
    assert lic.status == LicenceStatus.REVOKED and lic.version == 3
    with pytest.raises(IllegalTransition, match="it is revoked"):
        services.reinstate_licence(actor=p.senior, licence=lic)
    actions = list(LicenceTransition.objects.filter(licence=lic).values_list("action", flat=True))
    assert actions == ["issue", "suspend", "reinstate", "revoke"]


def test_reasons_are_required_for_suspension_and_revocation(personas: Personas) -> None:
    p = personas
    lic = f.licensed(p).licence
    with pytest.raises(InvalidInput, match="reason"):
        services.suspend_licence(actor=p.senior, licence=lic, reason=" ")
    with pytest.raises(InvalidInput, match="reason"):
        services.revoke_licence(actor=p.senior, licence=lic, reason="")


def test_policy_officers_can_suspend_in_bulk_inside_one_transaction(personas: Personas) -> None:
    from django.db import transaction

    p = personas
    licences = [f.licensed(p).licence for _ in range(2)]
    with transaction.atomic():
        for lic in licences:
            services.suspend_licence(actor=p.policy, licence=lic, reason="Arms embargo imposed")
    assert set(Licence.objects.values_list("status", flat=True)) == {"suspended"}


def test_who_may_do_what(personas: Personas) -> None:
    p = personas
    lic = f.licensed(p).licence
    for user in (p.exporter, p.officer, p.oversight, p.adviser_fcdo):
        with pytest.raises(NotPermitted):
            services.revoke_licence(actor=user, licence=lic, reason="x")
    with pytest.raises(NotPermitted, match="Oversight"):
        services.suspend_licence(actor=p.oversight, licence=lic, reason="x")
    with pytest.raises(NotPermitted):
        services.surrender_licence(actor=p.exporter_b, licence=lic)
    assert list(visible_licences(p.exporter_b)) == []
    assert list(visible_licences(p.exporter)) == [lic]
    services.surrender_licence(actor=p.exporter, licence=lic, reason="Contract cancelled")
    assert lic.status == LicenceStatus.SURRENDERED


def test_expiry_by_date(personas: Personas) -> None:
    p = personas
    lic = f.licensed(p).licence
    assert services.expire_licences(today=lic.valid_until) == []
    done = services.expire_licences(today=lic.valid_until + dt.timedelta(days=1))
    assert [x.pk for x in done] == [lic.pk]
    lic.refresh_from_db()
    assert lic.status == LicenceStatus.EXPIRED
    assert services.expire_licences(today=lic.valid_until + dt.timedelta(days=2)) == []  # idempotent
    entry = AuditEntry.objects.get(action="licence.expire")
    assert entry.actor_label == "system"


def test_the_expire_command(personas: Personas, capsys: pytest.CaptureFixture[str]) -> None:
    from warden.cli import main

    lic = f.licensed(personas).licence
    Licence.objects.filter(pk=lic.pk).update(valid_until=dt.date(2020, 1, 1))
    assert main(["licences", "expire"]) == 0
    assert f"{lic.number} expired" in capsys.readouterr().out
