"""warden.ogl.policy with the personas: who reads, publishes, registers, sanctions and oversees."""

from __future__ import annotations

from warden.lib.actors import system
from warden.ogl import policy
from warden.ogl.models import OglRegistration
from warden.testing import Personas

A = policy.OglAction


def test_each_act_belongs_to_its_role(personas: Personas) -> None:
    p = personas
    table = {
        A.VIEW: {p.exporter, p.officer, p.senior, p.policy, p.oversight, p.adviser_fcdo, p.admin},
        A.PUBLISH: {p.policy},
        A.REGISTER: {p.exporter, p.exporter_b},
        A.SANCTION: {p.senior, p.senior2},
        A.OVERSEE: {p.officer, p.officer2, p.senior, p.senior2, p.policy, p.oversight},
    }
    everyone = [p.exporter, p.exporter_b, p.officer, p.officer2, p.senior, p.senior2, p.policy, p.oversight,
                p.adviser_fcdo, p.adviser_mod, p.admin]  # fmt: skip
    for action, allowed in table.items():
        for who in everyone:
            assert policy.may(who, action) == (who in allowed or (action == A.VIEW)), (action, who.username)
    assert policy.may(system("tests"), A.PUBLISH) and not policy.may(system("tests"), A.SANCTION)
    assert not policy.may(None, A.VIEW)


def test_a_deactivated_exporter_may_not_act(personas: Personas, registration: OglRegistration) -> None:
    personas.exporter.is_active = False
    assert not policy.holds(personas.exporter, registration)
    assert not policy.visible_registrations(personas.exporter).exists()
    assert policy.holds(personas.exporter_b, registration) is False
