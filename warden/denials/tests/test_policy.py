"""Who may read, import, export and consult (warden.denials.policy), persona by persona."""

from __future__ import annotations

import pytest

from warden.denials import policy
from warden.denials.policy import DenialAction as A
from warden.lib.actors import system
from warden.testing import Personas

EXPECTED = {
    "exporter": set(),
    "officer": {A.VIEW, A.CONSULT},
    "senior": {A.VIEW, A.CONSULT},
    "adviser_fcdo": set(),
    "policy": {A.VIEW, A.IMPORT, A.EXPORT, A.CONSULT},
    "oversight": {A.VIEW},
    "admin": set(),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_role_may_do_exactly_its_denial_actions(personas: Personas, persona: str) -> None:
    user = getattr(personas, persona)
    assert {a for a in A if policy.may(user, a)} == EXPECTED[persona]


def test_the_system_imports_and_exports_but_never_consults_and_nobody_is_not_an_actor() -> None:
    assert {a for a in A if policy.may(system("cli"), a)} == {A.VIEW, A.IMPORT, A.EXPORT}
    assert not any(policy.may(None, a) for a in A)


def test_a_deactivated_policy_officer_may_do_nothing(personas: Personas) -> None:
    personas.policy.is_active = False
    assert not any(policy.may(personas.policy, a) for a in A)
