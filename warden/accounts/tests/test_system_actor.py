"""The system acts only as a named SystemActor, and only where a policy says it may (issue 11): a missing
actor is a programming error (TypeError, nothing written), never "the system, allowed everything"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from warden.accounts import policy as accounts_policy
from warden.accounts import services as accounts
from warden.accounts.models import Role
from warden.audit import policy as audit_policy
from warden.audit.models import AuditEntry
from warden.audit.services import record
from warden.legislation import policy as legislation_policy
from warden.legislation import services as legislation
from warden.legislation.loader import ASSESSMENT_KEYS
from warden.lib import clock
from warden.lib.actors import SystemActor, system
from warden.lib.errors import NotPermitted
from warden.licences import policy as licence_policy
from warden.screening import policy as screening_policy
from warden.testing import Personas

SETUP = system("test setup")


def test_a_system_actor_must_say_why_it_acts() -> None:
    with pytest.raises(ValueError, match="must say why"):
        SystemActor(reason=" ")


def test_an_audit_entry_without_an_actor_is_refused_and_nothing_is_written(db: None) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(TypeError, match="needs an actor"), transaction.atomic():
        record(actor=None, action="test.forgotten")  # type: ignore[arg-type]
    assert AuditEntry.objects.count() == before


def test_the_system_is_recorded_as_system_whatever_its_reason(db: None) -> None:
    with transaction.atomic():
        record(actor=system("a named job"), action="test.system")
    entry = AuditEntry.objects.get(action="test.system")
    assert (entry.actor_label, entry.actor_id) == ("system", None)


@pytest.mark.parametrize(
    "ask",
    [
        lambda: audit_policy.can_browse(None),
        lambda: accounts_policy.can_manage_people(None),
        lambda: screening_policy.can_use_screening(None),
        lambda: legislation_policy.refusal(None, legislation_policy.LegislationAction.WHAT_IF),
        lambda: licence_policy.licence_refusal(None, None, licence_policy.LicenceAction.EXPIRE),
    ],
    ids=["audit", "accounts", "screening", "legislation", "licences"],
)
def test_every_policy_refuses_a_missing_actor(ask: object, db: None) -> None:
    with pytest.raises(TypeError, match="needs an actor"):
        ask()  # type: ignore[operator]


def test_the_system_creates_people_but_changes_no_roles(personas: Personas) -> None:
    user = accounts.create_user(actor=SETUP, username="made.by.system", role=Role.LICENSING_OFFICER)
    assert AuditEntry.objects.filter(action="user.create", actor_label="system").exists()
    with pytest.raises(NotPermitted, match="The system does not change roles"):
        accounts.set_role(actor=SETUP, user=user, role=Role.SENIOR_OFFICER)
    with pytest.raises(NotPermitted):
        accounts.deactivate_user(actor=SETUP, user=user)
    user.refresh_from_db()
    assert (user.role, user.is_active) == (Role.LICENSING_OFFICER, True)


def test_the_system_screens_but_never_decides_a_match() -> None:
    assert screening_policy.may(SETUP, screening_policy.ScreeningAction.RESCREEN)
    assert not screening_policy.can_decide_matches(SETUP)
    assert "an officer does" in (screening_policy.dispose_refusal(SETUP, None) or "")  # type: ignore[arg-type]


def test_the_system_expires_and_suspends_licences_but_revokes_none() -> None:
    revoke = licence_policy.licence_refusal(SETUP, None, licence_policy.LicenceAction.REVOKE)  # type: ignore[arg-type]
    assert isinstance(revoke, NotPermitted) and "a person decides" in str(revoke)
    assert licence_policy.LicenceAction.EXPIRE in licence_policy.SYSTEM_ACTS
    assert licence_policy.LicenceAction.SUSPEND in licence_policy.SYSTEM_ACTS


def test_the_system_loads_reference_data_but_records_no_country_assessment(personas: Personas) -> None:
    legislation.load_bundled()  # as `warden init` does: the bundled data's own system actor
    with pytest.raises(NotPermitted, match="The system does not edit country profile"):
        legislation.edit_country_profile(
            actor=SETUP,
            code="NO",
            levels=dict.fromkeys(ASSESSMENT_KEYS, "low"),
            effective_from=clock.today() - dt.timedelta(days=1),
            citation="Report",
            reason="Change",
        )
    assert not AuditEntry.objects.filter(action="legislation.country_profile_edited").exists()
