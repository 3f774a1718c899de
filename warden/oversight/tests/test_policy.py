"""Who may use the oversight side (warden.oversight.policy), role by role."""

from __future__ import annotations

import pytest

from warden.accounts import policy as accounts_policy
from warden.oversight import policy
from warden.testing import Personas

pytestmark = pytest.mark.django_db

#                 portal/notes  indicators  declares  reads all declarations
TABLE = {
    "exporter": (False, False, False, False),
    "officer": (False, False, True, False),
    "senior": (False, True, True, True),
    "adviser_fcdo": (False, False, True, False),
    "policy": (False, False, True, False),
    "oversight": (True, True, False, True),
    "admin": (False, False, False, False),
}


@pytest.mark.parametrize("who", TABLE)
def test_each_role_gets_exactly_its_part_of_the_oversight_side(personas: Personas, who: str) -> None:
    user = getattr(personas, who)
    portal, indicators, declares, supervises = TABLE[who]
    assert policy.can_use_portal(user) is portal and policy.can_keep_notes(user) is portal
    assert policy.can_see_indicators(user) is indicators
    assert accounts_policy.can_declare_interest(user) is declares
    assert accounts_policy.can_view_all_interests(user) is supervises
    assert policy.can_search(user)


def test_an_inactive_person_gets_nothing(personas: Personas) -> None:
    personas.oversight.is_active = False
    assert not policy.can_use_portal(personas.oversight) and not policy.can_search(personas.oversight)
    assert not policy.can_search(None)
