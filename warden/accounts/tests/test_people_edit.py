"""An administrator manages one person's account on the people pages: role, team and organisation under the
placement rules, a password reset link (never a chosen password), reactivation, unlocking; and cannot demote
or deactivate themselves. Nobody else reaches these pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, override_settings

from warden.accounts import services
from warden.accounts.models import LoginFailure, Role, User
from warden.audit.models import AuditEntry
from warden.lib.errors import InvalidInput, NotPermitted
from warden.testing import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_admin_makes_an_officer_a_senior_officer(personas: Personas) -> None:
    c = _client(personas.admin)
    page = c.get(f"/people/{personas.officer.pk}/").content.decode()
    assert "Save role and placement" in page
    r = c.post(
        f"/people/{personas.officer.pk}/", {"role": Role.SENIOR_OFFICER, "team": personas.licensing.pk}
    )
    assert r.status_code == 302
    assert "is now senior officer" in c.get(r["Location"]).content.decode()
    personas.officer.refresh_from_db()
    assert (
        personas.officer.role == Role.SENIOR_OFFICER and personas.officer.organisation == personas.authority
    )
    entry = AuditEntry.objects.get(action="user.set_role")
    assert '"licensing_officer"' in entry.entry and '"senior_officer"' in entry.entry


def test_an_exporter_made_an_officer_joins_the_authority(personas: Personas) -> None:
    r = _client(personas.admin).post(
        f"/people/{personas.exporter.pk}/", {"role": Role.LICENSING_OFFICER, "team": personas.licensing.pk}
    )
    assert r.status_code == 302
    personas.exporter.refresh_from_db()
    assert personas.exporter.organisation == personas.authority


def test_admin_moves_an_exporter_to_another_organisation(personas: Personas) -> None:
    r = _client(personas.admin).post(
        f"/people/{personas.exporter.pk}/", {"role": Role.EXPORTER, "organisation": personas.org_b.pk}
    )
    assert r.status_code == 302
    personas.exporter.refresh_from_db()
    assert personas.exporter.organisation == personas.org_b


def test_a_misplacement_is_refused_at_its_field_and_changes_nothing(personas: Personas) -> None:
    c = _client(personas.admin)
    r = c.post(f"/people/{personas.officer.pk}/", {"role": Role.ADVISER, "team": personas.licensing.pk})
    assert r.status_code == 400 and "An adviser must belong to a consulted department" in r.content.decode()
    r = c.post(f"/people/{personas.officer.pk}/", {"role": Role.EXPORTER})
    assert (
        r.status_code == 400 and "An exporter must belong to an exporter organisation" in r.content.decode()
    )
    r = c.post(
        f"/people/{personas.officer.pk}/", {"role": Role.SENIOR_OFFICER, "organisation": personas.org_a.pk}
    )
    assert (
        r.status_code == 400
        and "Authority staff cannot belong to an exporter organisation" in r.content.decode()
    )
    personas.officer.refresh_from_db()
    assert personas.officer.role == Role.LICENSING_OFFICER
    assert not AuditEntry.objects.filter(action="user.set_role").exists()


def test_an_administrator_cannot_demote_or_deactivate_themselves(personas: Personas) -> None:
    c = _client(personas.admin)
    page = c.get(f"/people/{personas.admin.pk}/").content.decode()
    assert "You cannot change your own role" in page and ">Deactivate<" not in page
    # A crafted request is refused by the service, not only hidden.
    r = c.post(f"/people/{personas.admin.pk}/", {"role": Role.EXPORTER, "organisation": personas.org_a.pk})
    assert r.status_code == 400 and "Administrators cannot change their own role" in r.content.decode()
    r = c.post(f"/people/{personas.admin.pk}/deactivate/", follow=True)
    assert "Administrators cannot deactivate themselves" in r.content.decode()
    personas.admin.refresh_from_db()
    assert personas.admin.role == Role.ADMINISTRATOR and personas.admin.is_active


def test_admin_reactivates_a_deactivated_person_who_can_sign_in_again(personas: Personas) -> None:
    services.deactivate_user(actor=personas.admin, user=personas.exporter_b)
    assert not Client().login(username="bob", password=PASSWORD)
    c = _client(personas.admin)
    assert "Reactivate bob" in c.get("/people/").content.decode()
    r = c.post(f"/people/{personas.exporter_b.pk}/reactivate/", follow=True)
    assert "bob reactivated" in r.content.decode()
    assert Client().login(username="bob", password=PASSWORD)
    assert AuditEntry.objects.filter(action="user.reactivate", object_id=str(personas.exporter_b.pk)).exists()
    # Reactivating an active person is refused, with nothing recorded.
    r = c.post(f"/people/{personas.exporter_b.pk}/reactivate/", follow=True)
    assert "bob is active already" in r.content.decode()
    assert AuditEntry.objects.filter(action="user.reactivate").count() == 1


def test_reactivation_does_not_revive_old_tokens(personas: Personas) -> None:
    row, _ = services.create_api_token(actor=personas.exporter_b, user=personas.exporter_b, name="t")
    services.deactivate_user(actor=personas.admin, user=personas.exporter_b)
    services.reactivate_user(actor=personas.admin, user=personas.exporter_b)
    row.refresh_from_db()
    assert row.revoked_at is not None


@override_settings(LOGIN_MAX_FAILURES=3)
def test_admin_sees_a_lock_out_and_lifts_it(personas: Personas) -> None:
    for _ in range(3):
        Client().post("/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    c = _client(personas.admin)
    page = c.get(f"/people/{personas.exporter.pk}/").content.decode()
    assert 'data-testid="locked-out"' in page and "Unlock sign-in" in page
    r = c.post(f"/people/{personas.exporter.pk}/unlock/", follow=True)
    assert "3 failed sign-in(s) forgotten" in r.content.decode()
    assert not LoginFailure.objects.exists()
    assert 'data-testid="locked-out"' not in c.get(f"/people/{personas.exporter.pk}/").content.decode()
    ok = Client().post("/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert ok.status_code == 302


def test_admin_resets_a_password_by_sending_the_link(personas: Personas) -> None:
    User.objects.filter(pk=personas.exporter.pk).update(email="alice@northbridge.example")
    c = _client(personas.admin)
    r = c.post(f"/people/{personas.exporter.pk}/reset-password/", follow=True)
    assert "sent to alice at alice@northbridge.example" in r.content.decode()
    assert [m.to for m in mail.outbox] == [["alice@northbridge.example"]]
    assert "/account/reset/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="user.password_reset_sent")
    assert entry.actor_label == "ada"
    personas.exporter.refresh_from_db()
    assert personas.exporter.check_password(PASSWORD)  # nothing chosen for her


def test_a_reset_for_a_person_without_an_address_is_refused_with_the_reason(personas: Personas) -> None:
    r = _client(personas.admin).post(f"/people/{personas.officer.pk}/reset-password/", follow=True)
    assert "has no e-mail address" in r.content.decode()
    assert not mail.outbox


def test_nobody_else_reaches_the_person_pages(personas: Personas) -> None:
    services.deactivate_user(actor=personas.admin, user=personas.exporter_b)
    for user in (personas.exporter, personas.officer, personas.senior, personas.oversight):
        c = _client(user)
        assert c.get(f"/people/{personas.officer.pk}/").status_code == 404
        for action in ("", "reactivate/", "unlock/", "reset-password/"):
            assert (
                c.post(f"/people/{personas.exporter_b.pk}/{action}", {"role": Role.ADMINISTRATOR}).status_code
                == 404
            )
    personas.exporter_b.refresh_from_db()
    assert not personas.exporter_b.is_active and personas.exporter_b.role == Role.EXPORTER


def test_the_services_refuse_others_than_administrators(personas: Personas) -> None:
    services.deactivate_user(actor=personas.admin, user=personas.exporter_b)
    with pytest.raises(NotPermitted):
        services.reactivate_user(actor=personas.officer, user=personas.exporter_b)
    with pytest.raises(NotPermitted):
        services.set_role(actor=personas.senior, user=personas.officer, role=Role.ADMINISTRATOR)
    with pytest.raises(InvalidInput):
        services.set_role(actor=personas.admin, user=personas.officer, role="wizard")
