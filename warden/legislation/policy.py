"""Who may see and do what in the legislation app: the one place these rules live. The views, the API and
the services (edit_country_profile, impact.mark_reviewed, impact.suspend_affected) all ask here.

Seeing (a reader who may not see an object gets 404, never 403):
- the control-list look-up (warden.legislation.lookup): every signed-in person, exporters included (the
  control list is published law, and exporters rate their goods with it);
- the reference data in force, country profiles and the list of impact runs: every authority role (the
  authority's country risk ratings are internal, so exporters get 404);
- a case's stored assessment (its findings): whoever the case's own policy lets see its findings
  (cases.policy.can_view_findings): not exporters, not advisers of a team the case was not referred to,
  not administrators;
- the items of an impact run, one per affected case or licence: only those whose case the reader may see
  (cases.policy.visible_cases); an adviser sees the cases referred to their team, an administrator none;
- a run's counts by destination and criterion, and its "affected" total: only readers who see every
  submitted case (cases.policy.CASE_READERS), since counts over cases one may not see leak them.

Doing (ROLES below is the table):
- record a country risk assessment and run a what-if: policy officers only (administrators manage
  people, not the authority's risk positions);
- mark a law-change review item reviewed: policy officers and the officers who work cases (licensing and
  senior officers, cases.transitions.OFFICERS), on an item whose case they may see;
- suspend licences from the review queue: the roles that may suspend a licence (licences.policy), on items
  they may see; the licences service checks the licence itself again;
- compute a queued run in the request (no task worker): the same roles as suspending;
- load a revision of the reference data: policy officers (when none is loaded yet, the bundled data, for the
  country page or a what-if).

The system (warden.lib.actors.SystemActor) may do SYSTEM_ACTS: read, load reference data (`warden init`,
`warden legislation reference load`), compute impact runs and what-ifs (the task worker, the CLI). It never
records a country assessment, reviews an item or suspends from the review queue: those are judgements.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from warden.accounts.actors import Actor, Viewer, is_system, person, require_actor
from warden.accounts.models import AUTHORITY_ROLES, Role
from warden.cases import policy as case_policy
from warden.cases.transitions import OFFICERS
from warden.licences.policy import LICENCE_TABLE, LicenceAction

if TYPE_CHECKING:
    from warden.cases.models import Case
    from warden.legislation.models import ImpactItem, ImpactRun


class LegislationAction(StrEnum):
    VIEW = "view"  # reference data, country profiles, impact runs (their items are filtered per case)
    VIEW_RUN_COUNTS = "view_run_counts"
    EDIT_COUNTRY_PROFILE = "edit_country_profile"
    WHAT_IF = "what_if"
    RUN_NOW = "run_now"
    REVIEW_IMPACT_ITEM = "review_impact_item"
    SUSPEND_FROM_IMPACT = "suspend_from_impact"
    LOAD_REFERENCE = "load_reference"


_SUSPENDERS = LICENCE_TABLE[LicenceAction.SUSPEND].roles

# The table: which roles may do each action (object-level visibility is checked on top, see above).
ROLES: dict[LegislationAction, frozenset[Role]] = {
    LegislationAction.VIEW: frozenset(AUTHORITY_ROLES),
    LegislationAction.VIEW_RUN_COUNTS: frozenset(case_policy.CASE_READERS),
    LegislationAction.EDIT_COUNTRY_PROFILE: frozenset({Role.POLICY_OFFICER}),
    LegislationAction.WHAT_IF: frozenset({Role.POLICY_OFFICER}),
    LegislationAction.RUN_NOW: _SUSPENDERS,
    LegislationAction.REVIEW_IMPACT_ITEM: frozenset({Role.POLICY_OFFICER}) | OFFICERS,
    LegislationAction.SUSPEND_FROM_IMPACT: _SUSPENDERS,
    LegislationAction.LOAD_REFERENCE: frozenset({Role.POLICY_OFFICER}),
}

SYSTEM_ACTS: frozenset[LegislationAction] = frozenset(
    {
        LegislationAction.VIEW,
        LegislationAction.VIEW_RUN_COUNTS,
        LegislationAction.WHAT_IF,
        LegislationAction.RUN_NOW,
        LegislationAction.LOAD_REFERENCE,
    }
)

REFUSALS: dict[LegislationAction, str] = {
    LegislationAction.EDIT_COUNTRY_PROFILE: "Only policy officers record country risk assessments",
    LegislationAction.WHAT_IF: "Only policy officers run what-if analyses",
    LegislationAction.RUN_NOW: "Only senior or policy officers start an impact run",
    LegislationAction.REVIEW_IMPACT_ITEM: (
        "Only policy officers and licensing or senior officers mark law-change review items reviewed"
    ),
    LegislationAction.SUSPEND_FROM_IMPACT: "Only senior or policy officers suspend licences",
    LegislationAction.LOAD_REFERENCE: "Only policy officers load reference data",
}


def may(user: Viewer, action: LegislationAction | str) -> bool:
    """Whether `user`'s role may do `action` at all (the table row); objects are checked by the callers."""
    require_actor(user, "a legislation policy check")
    act = LegislationAction(action)
    if is_system(user):
        return act in SYSTEM_ACTS
    who = person(user)
    return who is not None and who.role in ROLES[act]


def refusal(user: Actor, action: LegislationAction | str) -> str | None:
    """The sentence explaining why `user` may not do `action`, or None."""
    action = LegislationAction(action)
    if may(user, action):
        return None
    if is_system(user):
        return f"The system does not {action.value.replace('_', ' ')}: a person decides that"
    return REFUSALS.get(action, "Not available to you")


# ---------------------------------------------------------------------------------------------- seeing


def can_view_legislation(user: Viewer) -> bool:
    return may(user, LegislationAction.VIEW)


def can_look_up_ratings(user: Viewer) -> bool:
    """The control list is published law: every signed-in, active person may search it (exporters rate their
    goods with it), whatever their role. Not a row of ROLES: it depends on no role, and it decides nothing."""
    return person(user) is not None


def can_view_run_counts(user: Viewer) -> bool:
    return may(user, LegislationAction.VIEW_RUN_COUNTS)


def can_view_case_assessment(user: Viewer, case: Case) -> bool:
    """The assessment stored with a case follows the case's own findings rule."""
    return case_policy.can_view_findings(user, case)


def visible_impact_items(user: Viewer, run: ImpactRun) -> QuerySet[ImpactItem]:
    """The items of `run` that `user` may see: those whose case is visible to them."""
    from warden.legislation.models import ImpactItem

    qs = ImpactItem.objects.filter(run=run)
    if not can_view_legislation(user):
        return qs.none()
    return qs.filter(case__in=case_policy.visible_cases(user))


def can_view_impact_item(user: Viewer, item: ImpactItem) -> bool:
    return can_view_legislation(user) and case_policy.can_view_case(user, item.case)


# ---------------------------------------------------------------------------------------------- doing


def can_edit_country_profile(user: Viewer) -> bool:
    return may(user, LegislationAction.EDIT_COUNTRY_PROFILE)


def can_run_what_if(user: Viewer) -> bool:
    return may(user, LegislationAction.WHAT_IF)


def can_run_now(user: Viewer) -> bool:
    return may(user, LegislationAction.RUN_NOW)


def can_review_impact_items(user: Viewer) -> bool:
    """Role only: whether the review queue offers "Mark reviewed" at all."""
    return may(user, LegislationAction.REVIEW_IMPACT_ITEM)


def can_review_impact_item(user: Viewer, item: ImpactItem) -> bool:
    return can_review_impact_items(user) and can_view_impact_item(user, item)


def can_suspend_from_impact(user: Viewer) -> bool:
    return may(user, LegislationAction.SUSPEND_FROM_IMPACT)


def can_suspend_impact_item(user: Viewer, item: ImpactItem) -> bool:
    return can_suspend_from_impact(user) and can_view_impact_item(user, item)
