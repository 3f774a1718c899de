"""The screening gate: no decision over an open screening question.

A case may not be finalised, countersigned or licensed while
- any of its parties has a match still awaiting review with a score at or above the review threshold
  (settings.SCREENING_REVIEW_THRESHOLD, by default the threshold at which matches are raised), or
- its parties were last screened against an older version of a list than the one now in force, or were never
  screened against a list now in force (an import whose re-screen has not run yet, or failed).

`why_blocked(case)` is the decision gate warden.flows.case_decision hands to the case services and to
warden.cases.policy, so the refusal reaches every path (case page, direct POST, API, CLI). It only reads
the stored screening state.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from warden.accounts.models import Role
from warden.cases import policy
from warden.cases.models import Case, Status
from warden.screening.models import ListVersion, Match, MatchStatus, ScreeningRun


def review_threshold() -> float:
    return float(getattr(settings, "SCREENING_REVIEW_THRESHOLD", settings.SCREENING_THRESHOLD))


def _parse_label(label: str) -> tuple[str, int] | None:
    """'un-sc v3' -> ('un-sc', 3); the form engine.current_index writes into ScreeningRun.list_versions."""
    name, sep, number = str(label).rpartition(" v")
    if not sep or not number.isdigit():
        return None
    return name, int(number)


def screened_versions(case: Case) -> dict[str, int]:
    """For each list, the newest version any screening run of the case used."""
    out: dict[str, int] = {}
    for labels in ScreeningRun.objects.filter(case_id=case.pk).values_list("list_versions", flat=True):
        for label in labels or []:
            parsed = _parse_label(label)
            if parsed is not None:
                name, number = parsed
                out[name] = max(number, out.get(name, 0))
    return out


def _party_phrase(names: list[str]) -> str:
    if len(names) == 1:
        return f"Party '{names[0]}' was"
    shown = ", ".join(f"'{n}'" for n in names[:3])
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"Parties {shown}{more} were"


def open_match_reason(case: Case) -> str | None:
    matches = list(
        Match.objects.filter(case_id=case.pk, status=MatchStatus.OPEN, score__gte=review_threshold())
        .select_related("party", "entry")
        .order_by("-score", "pk")[:2]
    )
    if not matches:
        return None
    m = matches[0]
    total = Match.objects.filter(
        case_id=case.pk, status=MatchStatus.OPEN, score__gte=review_threshold()
    ).count()
    more = f" (and {total - 1} more unreviewed match{'es' if total > 2 else ''})" if total > 1 else ""
    return (
        f"Party '{m.party.name}' has an unreviewed screening match with '{m.entry.name}' "
        f"({m.list_name}, {m.score:.2f}){more}: decide each match (true match or false positive) first"
    )


def stale_list_reason(case: Case) -> str | None:
    current = list(ListVersion.objects.filter(is_current=True).select_related("list").order_by("list__name"))
    if not current:
        return None
    screened = screened_versions(case)
    names = [p.name for p in case.parties.all()]
    if not names:
        return None
    for v in current:
        used = screened.get(v.list.name)
        if used is None:
            return (
                f"{_party_phrase(names)} never screened against {v.list.name} (version {v.number} is in force): "
                "re-screen the case first"
            )
        if used < v.number:
            return (
                f"{_party_phrase(names)} screened against {v.list.name} version {used}; current is {v.number}: "
                "re-screen the case first"
            )
    return None


def why_blocked(case: Case) -> str | None:
    """Why the case may not be decided on its screening, or None."""
    return open_match_reason(case) or stale_list_reason(case)


def can_rescreen(user: Any, case: Case) -> bool:
    """Licensing and senior officers who can see the case re-screen it by hand (a case finalised for approval
    is not in the automatic re-screen of open cases, and its licence waits on the gate above)."""
    return (
        getattr(user, "role", None) in (Role.LICENSING_OFFICER, Role.SENIOR_OFFICER)
        and case.status not in (Status.DRAFT, Status.WITHDRAWN, Status.CLOSED)
        and policy.can_view_case(user, case)
    )
