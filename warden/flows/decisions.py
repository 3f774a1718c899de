"""A screening decision applies wherever the same party meets the same version of the same entry.

Screening already remembers a decision for a (party fingerprint, list entry version) and applies it to
matches raised later; without this flow a match on that pair raised *before* the decision, in another open
case, would stay open and keep its case's recommendation on the score alone, so a case's assessment would
depend on the order in which things happened.

`dispose_match` is the whole flow of an officer's decision on a match, top to bottom, in one transaction:
screening records the decision (screening.services.decide_match), the case is re-assessed (the decision is
an input of its assessment), and every other open match on the same party and entry version takes the
decision (audited, naming the decision it comes from), its case re-assessed too.
"""

from __future__ import annotations

from django.db import transaction

from warden.accounts.actors import Actor
from warden.audit.services import record
from warden.cases.models import OPEN_STATUSES
from warden.flows import reassessment
from warden.screening import services as screening_services
from warden.screening.models import Match, MatchStatus


def dispose_match(*, actor: Actor, match: Match, decision: str, reason: str = "") -> Match:
    """An officer's decision on an open match (the screening review page, the API, the CLI): recorded,
    the case re-assessed, the decision applied to the same party's open matches elsewhere. Raises what
    screening raises (NotPermitted, ScreeningError) with nothing written."""
    with transaction.atomic():
        locked = screening_services.decide_match(actor=actor, match=match, decision=decision, reason=reason)
        label = "true match" if locked.status == MatchStatus.TRUE_MATCH else "false positive"
        reassessment.reassess(
            actor=actor,
            case=locked.case,
            cause=reassessment.Cause.MATCH_DECIDED,
            caused_by=f"{reassessment.actor_label(actor)}: {locked.list_name} {locked.entry_key} {label}",
        )
        apply_elsewhere(actor=actor, match=locked)
    match.refresh_from_db()
    return match


def apply_elsewhere(*, actor: Actor, match: Match) -> list[Match]:
    """Give `match`'s decision to the other open matches of open cases on the same party fingerprint and
    entry version; returns them. Runs inside dispose_match's transaction."""
    others = list(
        Match.objects.select_for_update()
        .filter(
            party_fingerprint=match.party_fingerprint,
            list_name=match.list_name,
            entry_key=match.entry_key,
            entry_digest=match.entry_digest,
            status=MatchStatus.OPEN,
            case__status__in=OPEN_STATUSES,
        )
        .exclude(pk=match.pk)
        .select_related("case", "party")
    )
    label = "true match" if match.status == MatchStatus.TRUE_MATCH else "false positive"
    for m in others:
        m.status, m.decided_by, m.decided_at = match.status, match.decided_by, match.decided_at
        m.reason = f"Remembered decision of {match.decided_at:%Y-%m-%d} on {match.case.reference}: {match.reason}".strip()
        m.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        record(
            actor=actor,
            action="screening.match_decided",
            target=m,
            case_id=m.case_id,
            data={
                "decision": m.status,
                "reason": m.reason,
                "list": m.list_name,
                "entry": m.entry_key,
                "party": m.party.index,
                "score": str(m.score),
                "remembered_from": match.pk,
            },
        )
        reassessment.reassess(
            actor=actor,
            case=m.case,
            cause=reassessment.Cause.MATCH_DECIDED,
            caused_by=f"{reassessment.actor_label(actor)}: {m.list_name} {m.entry_key} {label} "
            f"(decided on {match.case.reference})",
        )
    return others
