"""The services ask the same policy as the pages: every reader calls each legislation and screening service
directly (as a script or another app would), on the objects of authz_world. Allowed: the change is made.
Refused: the service raises and nothing changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from warden.accounts.models import User
from warden.audit.models import AuditEntry
from warden.cases.transitions import NotPermitted
from warden.flows import decisions as match_decisions
from warden.legislation import impact
from warden.legislation import policy as legislation_policy
from warden.legislation import services as legislation_services
from warden.legislation.loader import ASSESSMENT_KEYS, normalise, read_bundle
from warden.legislation.models import ImpactItem, ImpactRun, ItemState, RunKind
from warden.legislation.policy import ROLES as LEGISLATION
from warden.legislation.policy import LegislationAction as LA
from warden.lib import clock
from warden.licences.models import Licence, LicenceStatus
from warden.screening import services as screening_services
from warden.screening.models import Match, MatchStatus
from warden.screening.policy import ROLES as SCREENING
from warden.screening.policy import ScreeningAction as SA
from warden.web.tests.authz_world import FINDINGS, READERS, SEES, World, by_role


@dataclass(frozen=True)
class ServiceCall:
    name: str
    call: Callable[[World, User], Any]
    allowed: frozenset[str]
    refusal: type[Exception]
    changed: Callable[[World], bool]


CALLS = [
    ServiceCall(
        "edit_country_profile",
        lambda w, u: legislation_services.edit_country_profile(
            actor=u,
            code="NO",
            levels=dict.fromkeys(ASSESSMENT_KEYS, "low"),
            effective_from=clock.today() - dt.timedelta(days=1),
            citation="Report",
            reason="Change",
        ),
        by_role(LEGISLATION[LA.EDIT_COUNTRY_PROFILE]),
        PermissionDenied,
        lambda w: AuditEntry.objects.filter(action="legislation.country_profile_edited").exists(),
    ),
    ServiceCall(
        "create_what_if",
        lambda w, u: impact.create_what_if(actor=u, bundle=normalise(read_bundle()), years=1),
        by_role(LEGISLATION[LA.WHAT_IF]),
        NotPermitted,
        lambda w: ImpactRun.objects.filter(kind=RunKind.WHAT_IF).exists(),
    ),
    ServiceCall(
        "mark_reviewed",
        lambda w, u: impact.mark_reviewed(actor=u, run=w.run, item_ids=[w.item.pk]),
        by_role(LEGISLATION[LA.REVIEW_IMPACT_ITEM], SEES["C"]),
        NotPermitted,
        lambda w: ImpactItem.objects.get(pk=w.item.pk).state == ItemState.REVIEWED,
    ),
    ServiceCall(
        "suspend_affected",
        lambda w, u: impact.suspend_affected(actor=u, run=w.run, item_ids=[w.licence_item.pk], reason="x"),
        by_role(LEGISLATION[LA.SUSPEND_FROM_IMPACT], SEES["K"]),
        NotPermitted,
        lambda w: Licence.objects.get(pk=w.licence.pk).status == LicenceStatus.SUSPENDED,
    ),
    ServiceCall(
        "dispose_match",
        lambda w, u: match_decisions.dispose_match(
            actor=u, match=w.match, decision="false_positive", reason="Another man"
        ),
        by_role(SCREENING[SA.DISPOSE], FINDINGS["C"]),
        screening_services.NotPermitted,
        lambda w: Match.objects.get(pk=w.match.pk).status == MatchStatus.FALSE_POSITIVE,
    ),
]


@pytest.mark.parametrize("reader", sorted(READERS))
@pytest.mark.parametrize("service", CALLS, ids=lambda c: c.name)
def test_each_service_refuses_whom_the_policy_refuses(
    world: World, db: None, service: ServiceCall, reader: str
) -> None:
    user = world.user(reader)
    if reader in service.allowed:
        service.call(world, user)
        assert service.changed(world), f"{service.name} by {reader} changed nothing"
    else:
        with pytest.raises(service.refusal):
            service.call(world, user)
        assert not service.changed(world), f"{service.name} by {reader} was refused but changed something"


def test_review_items_are_scoped_to_the_cases_the_reader_may_see(world: World, db: None) -> None:
    """The services work on policy.visible_impact_items: an adviser's are their team's cases, an
    administrator has none, an officer marks every item of the run."""
    adviser = world.user("adviser_consulted")
    visible = set(legislation_policy.visible_impact_items(adviser, world.run))
    assert visible == {world.item, world.licence_item}  # not D's, which was referred to nobody
    assert set(legislation_policy.visible_impact_items(world.user("admin"), world.run)) == set()
    ids = [world.item.pk, world.licence_item.pk, world.other_item.pk]
    assert impact.mark_reviewed(actor=world.user("officer"), run=world.run, item_ids=ids) == 3
