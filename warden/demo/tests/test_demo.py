"""The demo loader: every role can log in, cases in every state, idempotent; the bulk generator for benchmarks."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from warden import demo
from warden.accounts.models import User
from warden.audit.models import AuditEntry
from warden.cases.models import Case, CaseTransition, Status
from warden.licences.models import Licence, LicenceStatus

pytestmark = pytest.mark.django_db


def test_it_loads_every_state_through_the_services_and_is_idempotent() -> None:
    out = Console(file=io.StringIO())
    logins = demo.load_demo(out=out, cases=40)
    assert [u for u, _ in logins] == [u for u, _ in demo.LOGINS]
    for username, _ in logins:
        assert User.objects.get(username=username).check_password(demo.DEMO_PASSWORD), username
    # 40 applications, plus the demo's licence amendment, which is a case of its own (issue 13), and the demo's
    # global licence (issue 13 §1: Norway and Sweden licensed, Belarus refused).
    assert Case.objects.filter(licence_amendment__isnull=True).count() == 41
    assert Case.objects.filter(licence_type="global", document__has_key="destinations").count() == 1
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    statuses = set(Licence.objects.values_list("status", flat=True))
    assert statuses == set(LicenceStatus.values)
    # Real history: one CaseTransition and one audit entry per step.
    assert CaseTransition.objects.count() <= AuditEntry.objects.filter(action__startswith="case.").count()
    assert Case.objects.filter(submitted_at__isnull=False, sla_deadline__isnull=True).count() == 0
    # A second run does not duplicate anything.
    before = (Case.objects.count(), User.objects.count(), AuditEntry.objects.count())
    demo.load_demo(out=out, cases=40)
    assert (Case.objects.count(), User.objects.count(), AuditEntry.objects.count()) == before


def test_allocation_covers_every_stage() -> None:
    stages = demo.allocate(300)
    assert len(stages) == 300 and set(stages) == {s for s, _ in demo.STAGES}
    assert len(demo.allocate(5)) == 5


def test_bulk_cases_for_benchmarks() -> None:
    assert demo.bulk_cases(500, seed=3, batch=200) == 500
    assert Case.objects.count() == 500
    refs = list(Case.objects.values_list("reference", flat=True))
    assert len(set(refs)) == 500
    # Issue 11 changes this: the loader now writes the audit entry of every transition it records.
    assert AuditEntry.objects.filter(action__startswith="case.").count() == CaseTransition.objects.count() > 0
    # Cases created afterwards through the services still get fresh references.
    from warden.flows import submission
    from warden.testing import application_for

    exporter = User.objects.get(username="exporter")
    case = submission.create_application(actor=exporter, document=application_for(exporter))
    assert case.reference not in refs


def test_the_demo_holds_a_partner_denial_that_flags_an_open_case() -> None:
    from warden.denials.models import Denial, FlagStatus

    out = Console(file=io.StringIO())
    demo.load_demo(out=out, cases=12)
    denial = Denial.objects.get(issuing_state="FR", reference="FR-DN-DEMO-0001")
    flags = list(denial.flags.filter(status=FlagStatus.OPEN).select_related("case"))
    assert any(f.case.is_open for f in flags)  # (and any approved case still waiting for its licence)
    assert flags[0].case.reference in out.file.getvalue()  # type: ignore[attr-defined]
    # Tests and the demo run without two-step sign-in, and the demo says so (issue 14 §3).
    assert "Two-step sign-in is OFF" in out.file.getvalue()  # type: ignore[attr-defined]


def test_the_demo_holds_catch_all_referrals_waiting_decided_and_cleared() -> None:
    from warden.catchall.models import CatchAllReferral
    from warden.catchall.models import Status as ReferralStatus

    out = Console(file=io.StringIO())
    demo.load_demo(out=out, cases=12)
    statuses = sorted(CatchAllReferral.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [ReferralStatus.ASSESSING, ReferralStatus.INFORMED, ReferralStatus.NOT_REQUIRED]
    )
    informed = CatchAllReferral.objects.get(status=ReferralStatus.INFORMED)
    assert informed.basis == "art4_1b" and "eu-mm" in {e["id"] for e in informed.embargo_status}
    demo.load_demo(out=out, cases=12)
    assert CatchAllReferral.objects.count() == 3


def test_the_demo_holds_a_licence_amendment() -> None:
    from warden.licences.models import LicenceAmendment, LicenceVersion

    out = Console(file=io.StringIO())
    demo.load_demo(out=out, cases=24)
    amendment = LicenceAmendment.objects.get()
    assert amendment.case.reference in out.file.getvalue()  # type: ignore[attr-defined]
    if amendment.case.status == Status.LICENCE_ISSUED:
        assert LicenceVersion.objects.filter(licence=amendment.licence, number=2).exists()
    else:
        assert amendment.case.is_open  # held at a decision gate: an amendment being decided
    demo.load_demo(out=out, cases=24)
    assert LicenceAmendment.objects.count() == 1


def test_the_demo_holds_an_open_general_licence_with_a_registration_and_a_use() -> None:
    from warden.ogl.models import OglRegistration, RegistrationStatus

    out = Console(file=io.StringIO())
    demo.load_demo(out=out, cases=12)
    reg = OglRegistration.objects.select_related("ogl", "organisation").get()
    assert (reg.ogl.reference, reg.organisation.name, reg.status) == (
        "OGL-MIL-COMPONENTS",
        "Northbridge Defence Ltd",
        RegistrationStatus.EXTANT,
    )
    assert reg.uses.count() == 1
    assert reg.reference in out.file.getvalue()  # type: ignore[attr-defined]
