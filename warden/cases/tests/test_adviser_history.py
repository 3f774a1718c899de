"""An adviser reads the case history of a case referred to their team, but only their own team's part of
the consultation: not another team's referral note or advice, not the officer's recommendation reasoning,
not internal notes (cases.policy: "only their own team's referral and advice")."""

from __future__ import annotations

import pytest
from django.test import Client

from warden.cases import policy, services
from warden.cases.tests import factories
from warden.cases.transitions import Action
from warden.flows import case_decision
from warden.testing import Personas

pytestmark = pytest.mark.django_db


def _consulted_twice(p: Personas):  # type: ignore[no-untyped-def]
    case = factories.in_consultation(p)  # referred to foreign affairs
    services.refer_case(actor=p.officer, case=case, teams=[p.mod], note="Defence only: the 2019 incident")
    for adviser, team in ((p.adviser_fcdo, p.fcdo), (p.adviser_mod, p.mod)):
        referral = case.referrals.get(team=team)
        case_decision.give_advice(
            actor=adviser, referral=referral, kind="approve", text=f"{team.code} sees no issue"
        )
    case.refresh_from_db()
    services.add_note(actor=p.officer, case=case, text="Exporter was slow last time")
    case.refresh_from_db()
    case_decision.recommend(
        actor=p.officer, case=case, decision="approved", reason="Internal: weighed intel report 7"
    )
    return case


def test_an_adviser_sees_only_their_own_teams_part_of_the_history(personas: Personas) -> None:
    case = _consulted_twice(personas)
    mine = policy.visible_transitions(personas.adviser_fcdo, case)
    actions = list(mine.values_list("action", flat=True))
    assert actions.count(Action.REFER) == 1 and actions.count(Action.GIVE_ADVICE) == 1
    assert Action.RECOMMEND not in actions and Action.ADD_NOTE not in actions
    assert Action.SUBMIT in actions  # the steps the exporter also sees
    c = Client()
    c.force_login(personas.adviser_fcdo)
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert "Views on the end user, please" in page  # their own referral's note
    assert "the 2019 incident" not in page and "weighed intel report 7" not in page
    assert "defence sees no issue" not in page and "Exporter was slow" not in page


def test_officers_still_see_the_whole_history(personas: Personas) -> None:
    case = _consulted_twice(personas)
    actions = list(policy.visible_transitions(personas.officer, case).values_list("action", flat=True))
    assert actions.count(Action.REFER) == 2 and actions.count(Action.GIVE_ADVICE) == 2
    assert Action.RECOMMEND in actions and Action.ADD_NOTE in actions
