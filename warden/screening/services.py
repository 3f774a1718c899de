"""Screening services: import a list version, screen a case, re-screen after a list update, decide a
match, and report matches to the assessment. Every state change is one function, actor= first, in
one transaction with its audit entry."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from warden.accounts.actors import Actor, person
from warden.audit.services import record
from warden.cases.models import Case
from warden.lib import errors
from warden.screening import engine, policy
from warden.screening.importers import FORMATS, ListFormatError, parse
from warden.screening.models import (
    Disposition,
    ListEntry,
    ListVersion,
    Match,
    MatchStatus,
    ScreeningList,
    ScreeningRun,
)


class ScreeningError(errors.InvalidInput, ValueError):
    """A request that cannot be carried out; the message says why. Nothing was changed."""


# A refusal by screening.policy: the kernel's, so that every interface answers it as a 403.
NotPermitted = errors.NotPermitted


# -------------------------------------------------------------------------------------------- lists


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def store_list_version(
    *,
    actor: Actor,
    list_name: str,
    fmt: str,
    path: Path,
    title: str = "",
    wrap: Callable[[IO[bytes]], IO[bytes]] | None = None,
) -> ListVersion:
    """Screening's part of a list import (call warden.flows.rescreening.import_list, which records the
    re-screen the open cases now owe in the same transaction): the file as the new current version of
    `list_name`. The whole file is parsed before anything is written: a file that does not parse raises
    ListFormatError (naming the line or element) and the previous version stays in force."""
    if fmt not in FORMATS:
        raise ListFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path = Path(path)
    digest = _sha256(path)
    with open(path, "rb") as raw:
        try:
            entries = parse(fmt, wrap(raw) if wrap else raw)
        except ListFormatError as exc:
            # Name the file as well as the record: an import is often one of several files.
            raise ListFormatError(f"{path.name}: {exc}") from exc
    if not entries:
        raise ListFormatError(f"{path.name}: no entries found for format {fmt}")
    with transaction.atomic():
        lst, _ = ScreeningList.objects.get_or_create(name=list_name, defaults={"format": fmt, "title": title})
        if title and lst.title != title:
            lst.title = title
            lst.save(update_fields=["title"])
        prev = ListVersion.objects.select_for_update().filter(list=lst, is_current=True).first()
        before = dict(prev.entries.values_list("entry_id", "digest")) if prev else {}
        number = (lst.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ListVersion.objects.create(
            list=lst,
            number=number,
            imported_by=person(actor),
            source_name=path.name,
            sha256=digest,
            entries_count=len(entries),
        )
        rows = []
        after: dict[str, str] = {}
        for e in entries:
            after[e.entry_id] = e.digest()
            rows.append(
                ListEntry(
                    version=version,
                    entry_id=e.entry_id,
                    kind=e.kind,
                    name=e.name,  # at most the column's length: importers.parse refuses longer
                    data=e.data(),
                    digest=after[e.entry_id],
                )
            )
        ListEntry.objects.bulk_create(rows, batch_size=2000)
        version.added = sum(1 for k in after if k not in before)
        version.changed = sum(1 for k, d in after.items() if k in before and before[k] != d)
        version.removed = sum(1 for k in before if k not in after)
        version.is_current = True
        version.save()
        if prev:
            prev.is_current = False
            prev.save(update_fields=["is_current"])
        record(
            actor=actor,
            action="screening.list_imported",
            target=version,
            data={
                "list": lst.name,
                "version": number,
                "format": fmt,
                "sha256": digest,
                "entries": len(entries),
                "added": version.added,
                "changed": version.changed,
                "removed": version.removed,
            },
        )
    return version


# -------------------------------------------------------------------------------------------- screening


# The bundled SAMPLE extract of the UN list for `warden demo` (imported by warden.flows.rescreening).
DEMO_LIST = Path(__file__).parent / "data" / "demo-un.xml"
DEMO_LIST_NAME = "un-sc-sample"


def list_digest(path: Path) -> str:
    return _sha256(path)


def _versions_of(labels: list[str]) -> list[ListVersion]:
    """The ListVersion rows behind labels such as "un-sc v3" (those current_index screened against)."""
    q = Q(pk__in=[])
    for label in labels:
        name, _, number = label.rpartition(" v")
        q |= Q(list__name=name, number=int(number))
    return list(ListVersion.objects.filter(q))


def _remembered(fingerprint: str, list_name: str, entry_key: str, digest: str) -> Disposition | None:
    return (
        Disposition.objects.filter(
            party_fingerprint=fingerprint, list_name=list_name, entry_key=entry_key, entry_digest=digest
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def screen_case(*, actor: Actor, case: Case, trigger: str = ScreeningRun.Trigger.MANUAL) -> list[Match]:
    """Screen every party of the case (the exporter included) against the current list versions and
    store the matches at or above SCREENING_THRESHOLD that are new: a (party, entry version) already
    raised is not raised again, one remembered as a false positive is skipped, and one remembered as
    a true match is stored already decided. Returns the new matches. A manual re-screen is refused
    (NotPermitted) unless screening.policy allows it; the other triggers follow an act already checked."""
    why = policy.screen_refusal(actor, case, trigger)
    if why:
        raise NotPermitted(why)
    with transaction.atomic():
        index, refs, labels = engine.current_index()
        if not labels:
            return []  # no list in force: nothing was screened, so there is nothing to record
        threshold = settings.SCREENING_THRESHOLD
        run = ScreeningRun.objects.create(
            case=case,
            trigger=trigger,
            actor=person(actor),
            list_versions=labels,
            threshold=threshold,
        )
        run.versions.set(_versions_of(labels))
        new: list[Match] = []
        for party in case.parties.all():
            fingerprint = engine.party_fingerprint(party)
            for hit in index.screen(engine.query_for_party(party), threshold=threshold, limit=20):
                ref = refs[int(hit.entry.key)]
                if Match.objects.filter(
                    party=party, list_name=ref.list_name, entry_key=ref.entry_key, entry_digest=ref.digest
                ).exists():
                    continue
                memory = _remembered(fingerprint, ref.list_name, ref.entry_key, ref.digest)
                if memory and memory.decision == MatchStatus.FALSE_POSITIVE:
                    continue
                m = Match(
                    case=case,
                    party=party,
                    run=run,
                    entry_id=ref.pk,
                    list_name=ref.list_name,
                    entry_key=ref.entry_key,
                    entry_digest=ref.digest,
                    party_fingerprint=fingerprint,
                    query_name=party.name,
                    matched_name=hit.matched_name[:1000],
                    score=hit.score,
                    features=hit.features,
                    explanation=hit.explanation,
                )
                if memory:
                    m.status, m.decided_by, m.decided_at = (
                        memory.decision,
                        memory.decided_by,
                        memory.decided_at,
                    )
                    m.reason = f"Remembered decision of {memory.decided_at:%Y-%m-%d}: {memory.reason}".strip()
                m.save()
                new.append(m)
        run.new_matches = len(new)
        run.save(update_fields=["new_matches"])
        record(
            actor=actor,
            action="screening.case_screened",
            target=run,
            case_id=case.pk,
            data={
                "trigger": trigger,
                "lists": labels,
                "threshold": str(threshold),
                "new_matches": [
                    {"list": m.list_name, "entry": m.entry_key, "party": m.party.index, "score": str(m.score)}
                    for m in new
                ],
            },
        )
    return new


# -------------------------------------------------------------------------------------------- review


@transaction.atomic
def decide_match(*, actor: Actor, match: Match, decision: str, reason: str = "") -> Match:
    """Screening's part of an officer's decision on an open match (call warden.flows.decisions.dispose_match,
    which re-assesses the case and applies the decision elsewhere next, in the same transaction): a true
    match (the case gets a deny finding) or a false positive (with a reason), remembered for this party and
    this version of the entry so that later matches take it when raised. Returns the locked match."""
    why = policy.dispose_refusal(actor, match)
    decider = person(actor)
    if why or decider is None:  # the policy refuses the system; `decider` is the officer it leaves
        raise NotPermitted(why or "an officer decides screening matches")
    if decision not in (MatchStatus.TRUE_MATCH, MatchStatus.FALSE_POSITIVE):
        raise ScreeningError(f"decision must be 'true_match' or 'false_positive', not {decision!r}")
    reason = " ".join((reason or "").split())
    if decision == MatchStatus.FALSE_POSITIVE and not reason:
        raise ScreeningError("reason: say why this is not the listed party")
    with transaction.atomic():
        locked = Match.objects.select_for_update().get(pk=match.pk)
        if locked.status != MatchStatus.OPEN:
            raise ScreeningError(f"this match was already decided ({locked.get_status_display()})")
        now = timezone.now()
        locked.status, locked.reason, locked.decided_by, locked.decided_at = decision, reason, decider, now
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        Disposition.objects.create(
            party_fingerprint=locked.party_fingerprint,
            list_name=locked.list_name,
            entry_key=locked.entry_key,
            entry_digest=locked.entry_digest,
            decision=decision,
            reason=reason,
            decided_by=decider,
            match=locked,
        )
        record(
            actor=actor,
            action="screening.match_decided",
            target=locked,
            case_id=locked.case_id,
            data={
                "decision": decision,
                "reason": reason,
                "list": locked.list_name,
                "entry": locked.entry_key,
                "party": locked.party.index,
                "score": str(locked.score),
            },
        )
    return locked


# -------------------------------------------------------------------------------------------- assessment


def screening_for_assessment(case: Case) -> dict[str, Any]:
    """The `screening` and `findings` parts of warden.assessment/1 for this case (screening.assessment):
    every stored match not dismissed as a false positive, on an entry still in its list's current version."""
    from warden.screening.assessment import for_case

    return for_case(case)
