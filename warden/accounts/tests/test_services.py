"""Administrators manage people and organisations; people manage their own API tokens."""

from __future__ import annotations

import pytest

from warden.accounts import services
from warden.accounts.models import ApiToken, Role, Team, User
from warden.audit.models import AuditEntry
from warden.cases.transitions import InvalidInput, NotPermitted
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def test_reference_setup_is_idempotent() -> None:
    first = services.ensure_reference_setup()
    second = services.ensure_reference_setup()
    assert first == second and Team.objects.filter(is_advisory=True).count() == 3


def test_an_administrator_creates_people_in_the_right_place(personas: Personas) -> None:
    p = personas
    u = services.create_user(
        actor=p.admin, username="ivan", role=Role.ADVISER, team=p.mod, password="a-long-enough-passphrase"
    )
    assert u.organisation == p.authority and u.check_password("a-long-enough-passphrase")
    assert AuditEntry.objects.filter(action="user.create", object_id=str(u.pk)).exists()
    with pytest.raises(InvalidInput, match="advisory|consulted"):
        services.create_user(actor=p.admin, username="x1", role=Role.ADVISER, team=p.licensing)
    with pytest.raises(InvalidInput, match="exporter organisation"):
        services.create_user(actor=p.admin, username="x2", role=Role.EXPORTER)
    with pytest.raises(InvalidInput, match="taken"):
        services.create_user(actor=p.admin, username="ALICE", role=Role.EXPORTER, organisation=p.org_a)
    with pytest.raises(InvalidInput):
        services.create_user(
            actor=p.admin, username="x3", role=Role.EXPORTER, organisation=p.org_a, password="short"
        )


@pytest.mark.parametrize("who", ["officer", "senior", "oversight", "exporter", "policy"])
def test_nobody_else_manages_users(personas: Personas, who: str) -> None:
    p = personas
    actor = getattr(p, who)
    with pytest.raises(NotPermitted, match="administrator"):
        services.create_user(actor=actor, username="mallory", role=Role.SENIOR_OFFICER)
    with pytest.raises(NotPermitted):
        services.set_role(actor=actor, user=p.officer, role=Role.SENIOR_OFFICER)
    with pytest.raises(NotPermitted):
        services.deactivate_user(actor=actor, user=p.officer2)
    assert not User.objects.filter(username="mallory").exists()


def test_administrators_cannot_promote_or_deactivate_themselves(personas: Personas) -> None:
    with pytest.raises(NotPermitted):
        services.set_role(actor=personas.admin, user=personas.admin, role=Role.SENIOR_OFFICER)
    with pytest.raises(NotPermitted):
        services.deactivate_user(actor=personas.admin, user=personas.admin)


def test_deactivation_revokes_tokens(personas: Personas) -> None:
    p = personas
    row, token = services.create_api_token(actor=p.exporter, user=p.exporter, name="ERP")
    assert row.digest == ApiToken.digest_of(token) and token not in row.digest
    services.deactivate_user(actor=p.admin, user=p.exporter)
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_people_manage_only_their_own_tokens(personas: Personas) -> None:
    p = personas
    with pytest.raises(NotPermitted):
        services.create_api_token(actor=p.exporter_b, user=p.exporter, name="steal")
    row, _ = services.create_api_token(actor=p.exporter, user=p.exporter, name="ERP")
    with pytest.raises(NotPermitted):
        services.revoke_api_token(actor=p.exporter_b, token=row)
    services.revoke_api_token(actor=p.exporter, token=row)
    assert row.revoked_at is not None
