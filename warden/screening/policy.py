"""Who may see and decide screening matches: the one place these rules live. The views, the API, the
template tags and services.decide_match all ask here.

Seeing (a reader who may not see an object gets 404, never 403):
- the screening queue, the list versions and the screen/matches API: the authority's case readers
  (cases.policy.CASE_READERS); an exporter must not learn whether a party is listed;
- one match: whoever may see its case's findings (cases.policy.can_view_findings), so an adviser of the
  consulted team reads the matches on the case page, an adviser of another team does not know they exist;
- the queue and the matches API list only the matches of cases the reader may see.

Deciding (ROLES below is the table): licensing and senior officers, on a match they may see. Oversight and
policy officers read only.

Re-screening a case by hand: licensing and senior officers who may see the case, while it is open (a case
finalised for approval is not in the automatic re-screen of open cases, and its licence waits on the gate).
Screening that follows another act (a submission, an amendment, a list import) is that act's consequence and
needs no permission of its own.

The system (warden.lib.actors.SystemActor) screens and re-screens (list imports, the re-screen of open cases)
and imports lists; it never decides a match: a disposition is an officer's judgement.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet

from warden.accounts.actors import Actor, Viewer, is_system, person, require_actor
from warden.accounts.models import Role
from warden.cases import policy as case_policy
from warden.cases.models import Case, Status
from warden.screening.models import Match, ScreeningRun


class ScreeningAction(StrEnum):
    USE = "use"  # the queue, list versions, screening a name, listing matches
    DISPOSE = "dispose"  # decide a match true or false positive
    RESCREEN = "rescreen"  # screen a case again by hand, against the lists in force


ROLES: dict[ScreeningAction, frozenset[Role]] = {
    ScreeningAction.USE: frozenset(case_policy.CASE_READERS),
    ScreeningAction.DISPOSE: frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
    ScreeningAction.RESCREEN: frozenset({Role.LICENSING_OFFICER, Role.SENIOR_OFFICER}),
}

# What the system may do on its own (list imports and the re-screens they cause); never DISPOSE.
SYSTEM_ACTS: frozenset[ScreeningAction] = frozenset({ScreeningAction.USE, ScreeningAction.RESCREEN})

# Kept for callers that ask for the deciding roles by this name.
DECIDERS = ROLES[ScreeningAction.DISPOSE]

# A case in these states is not screened by hand.
_NOT_RESCREENED = frozenset({Status.DRAFT, Status.WITHDRAWN, Status.CLOSED})


def may(user: Viewer, action: ScreeningAction | str) -> bool:
    require_actor(user, "a screening policy check")
    act = ScreeningAction(action)
    if is_system(user):
        return act in SYSTEM_ACTS
    who = person(user)
    return who is not None and who.role in ROLES[act]


def can_use_screening(user: Viewer) -> bool:
    return may(user, ScreeningAction.USE)


def visible_matches(user: Viewer) -> QuerySet[Match]:
    """The matches listed to `user` (queue, API): those of the cases they may see, for screening users."""
    if not can_use_screening(user):
        return Match.objects.none()
    return Match.objects.filter(case__in=case_policy.visible_cases(user))


def can_view_match(user: Viewer, match: Match) -> bool:
    return case_policy.can_view_findings(user, match.case)


def can_decide_matches(user: Viewer) -> bool:
    """Role only: whether decision forms are offered at all."""
    return may(user, ScreeningAction.DISPOSE)


def can_dispose_match(user: Viewer, match: Match) -> bool:
    return can_decide_matches(user) and can_view_match(user, match)


def dispose_refusal(user: Actor, match: Match) -> str | None:
    """Why `user` may not decide `match`, or None. (Whether it is still open is the service's business.)"""
    require_actor(user, "screening.policy.dispose_refusal")
    if is_system(user):
        return "the system does not decide screening matches: an officer does"
    if not can_view_match(user, match):
        return "No such match is visible to you"
    if not can_decide_matches(user):
        return "only licensing officers and senior officers decide screening matches"
    return None


def can_rescreen(user: Viewer, case: Case) -> bool:
    """Whether `user` may re-screen `case` by hand (the case page's button, the re-screen view)."""
    return (
        may(user, ScreeningAction.RESCREEN)
        and case.status not in _NOT_RESCREENED
        and (is_system(user) or case_policy.can_view_case(user, case))
    )


def screen_refusal(actor: Actor, case: Case, trigger: str) -> str | None:
    """Why `actor` may not screen `case` now, or None. Only a manual re-screen is an act of its own; the
    other triggers follow an act that was itself checked (the submission, the amendment, the list import)."""
    require_actor(actor, "screening.policy.screen_refusal")
    # The system screens whatever its job names (a list import's re-screen, a repair), as it always has.
    if is_system(actor) or trigger != ScreeningRun.Trigger.MANUAL or can_rescreen(actor, case):
        return None
    return "Only licensing and senior officers re-screen a case"
