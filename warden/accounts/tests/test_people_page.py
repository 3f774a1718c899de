"""The administrator's people page: add a person (placement rules and password rules enforced by the
service, shown at the field), deactivate one; nobody else can see or use it."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.accounts.models import Role, User
from warden.audit.models import AuditEntry
from warden.testing import Personas

pytestmark = pytest.mark.django_db

STRONG = "Correct-Horse-Battery-93"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_admin_adds_an_adviser_who_can_then_sign_in(personas: Personas) -> None:
    c = _client(personas.admin)
    assert "alice" in c.get("/people/").content.decode()
    r = c.post(
        "/people/",
        {
            "username": "dora",
            "first_name": "Dora",
            "role": Role.ADVISER,
            "team": personas.mod.pk,
            "password": STRONG,
        },
    )
    assert r.status_code == 302
    dora = User.objects.get(username="dora")
    assert dora.role == Role.ADVISER and dora.team == personas.mod
    assert AuditEntry.objects.filter(action="user.create").exists()
    assert Client().login(username="dora", password=STRONG)


def test_a_misplaced_person_is_refused_at_the_field_and_nothing_is_created(personas: Personas) -> None:
    c = _client(personas.admin)
    r = c.post("/people/", {"username": "ed", "role": Role.ADVISER, "password": STRONG})
    assert r.status_code == 400
    assert "An adviser must belong to a consulted department" in r.content.decode()
    r = c.post("/people/", {"username": "ed", "role": Role.OVERSIGHT, "password": "short"})
    assert r.status_code == 400 and "Initial password" in r.content.decode()
    assert not User.objects.filter(username="ed").exists()


def test_admin_deactivates_a_person(personas: Personas) -> None:
    r = _client(personas.admin).post(f"/people/{personas.exporter_b.pk}/deactivate/", follow=True)
    assert "deactivated" in r.content.decode()
    personas.exporter_b.refresh_from_db()
    assert not personas.exporter_b.is_active


def test_nobody_else_sees_or_uses_the_people_pages(personas: Personas) -> None:
    for user in (personas.exporter, personas.officer, personas.senior, personas.oversight, personas.policy):
        c = _client(user)
        assert c.get("/people/").status_code == 404
        assert c.post(f"/people/{personas.exporter_b.pk}/deactivate/").status_code == 404
    personas.exporter_b.refresh_from_db()
    assert personas.exporter_b.is_active
