"""When the law changes: which open cases and live licences now come out differently, and what-if replays.

The steps of a run (claim, scan, finish) are called in order by warden.flows.law_change, which also
re-assesses the open cases in scope between the scan and the finish and owns the background task.

Fast path: the change is diffed record by record first, so only cases touching an affected country
(destination or any party's country) are re-assessed; a change to the rules or the control list
itself affects everything and falls back to a full pass. Re-assessment is the pure engine, in batches."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from warden.accounts.actors import Actor, person
from warden.audit.services import record
from warden.cases.models import OPEN_STATUSES, Case, Party
from warden.legislation import policy
from warden.legislation.loader import load_bundle
from warden.legislation.models import (
    ImpactItem,
    ImpactRun,
    ItemState,
    ReferenceRevision,
    RunKind,
    RunStatus,
)
from warden.legislation.services import reference_for
from warden.lib import clock, runlock
from warden.lib.actors import SystemActor
from warden.lib.canonical import canonical_bytes
from warden.lib.errors import NotPermitted
from warden.licences import services as licence_services
from warden.licences.models import LIVE_LICENCE_STATUSES, Licence
from warden.rules.evaluate import findings_for
from warden.rules.model import Application, Finding, recommendation
from warden.rules.reference import Reference

BATCH = 2000
Progress = Callable[[int, int], None]


# ------------------------------------------------------------------------------------------- scoping


def changed_countries(old: Reference, new: Reference) -> set[str] | None:
    """Countries whose assessment may differ between `old` and `new`; None means "any" (a rule, the
    control list, a national rule or a regime aimed at groups anywhere changed)."""
    for kind in ("control_list", "ruleset", "national_rules"):
        if old.digests[kind] != new.digests[kind]:
            return None
    out: set[str] = set()
    for section, key, target in (("embargoes", "embargoes", "target"), ("countries", "countries", "id")):
        before = {r["id"]: r for r in old.bundle[section][key]}
        after = {r["id"]: r for r in new.bundle[section][key]}
        for rid in before.keys() | after.keys():
            a, b = before.get(rid), after.get(rid)
            if a is None or b is None or canonical_bytes(a) != canonical_bytes(b):
                for rec in (a, b):
                    if rec is not None:
                        if rec[target] == "*":
                            return None
                        out.add(rec[target])
    return out


def candidates(scope: set[str] | None) -> dict[int, int | None]:
    """{case id: live licence id or None} for open cases and cases with a live licence, restricted to
    cases whose destination or any party's country is in `scope` (None: all)."""
    open_q = Case.objects.filter(status__in=OPEN_STATUSES)
    lic_q = Licence.objects.filter(status__in=LIVE_LICENCE_STATUSES)
    out: dict[int, int | None] = {}
    if scope is not None:
        via_party = set(Party.objects.filter(country__in=scope).values_list("case_id", flat=True))
        open_ids = open_q.filter(destination__in=scope).values_list("pk", flat=True)
        out.update(dict.fromkeys(open_ids))
        for cid, lid in lic_q.filter(case__destination__in=scope).values_list("case_id", "pk"):
            out[cid] = lid
        if via_party:
            extra = [c for c in via_party if c not in out]
            for i in range(0, len(extra), BATCH):
                chunk = extra[i : i + BATCH]
                out.update(dict.fromkeys(open_q.filter(pk__in=chunk).values_list("pk", flat=True)))
                for cid, lid in lic_q.filter(case_id__in=chunk).values_list("case_id", "pk"):
                    out[cid] = lid
        return out
    out.update(dict.fromkeys(open_q.values_list("pk", flat=True)))
    for cid, lid in lic_q.values_list("case_id", "pk"):
        out[cid] = lid
    return out


def _documents(ids: list[int]) -> Iterator[tuple[int, str, dict[str, Any]]]:
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        yield from Case.objects.filter(pk__in=chunk).values_list("pk", "destination", "document")


def _key(f: Finding) -> tuple[str, str, str, str]:
    return (f.criterion, f.rule, f.subject, f.outcome)


def compare(app: Application, old: Reference, new: Reference, on: dt.date) -> dict[str, Any] | None:
    """None if the assessment is the same under both; else the before/after summary."""
    before = findings_for(app, old, on)
    after = findings_for(app, new, on)
    bk, ak = {_key(f): f for f in before}, {_key(f): f for f in after}
    if bk.keys() == ak.keys():
        return None
    added = [ak[k].as_dict() for k in sorted(ak.keys() - bk.keys())]
    removed = [bk[k].as_dict() for k in sorted(bk.keys() - ak.keys())]
    return {
        "before_recommendation": recommendation(before),
        "after_recommendation": recommendation(after),
        "before_criteria": sorted({f.criterion for f in before if f.outcome != "pass"}),
        "after_criteria": sorted({f.criterion for f in after if f.outcome != "pass"}),
        "added": added,
        "removed": removed,
    }


# -------------------------------------------------------------------------------------- change runs


def create_change_run(
    *, actor: Actor, from_revision: ReferenceRevision, to_revision: ReferenceRevision
) -> ImpactRun:
    return ImpactRun.objects.create(
        kind=RunKind.CHANGE,
        from_revision=from_revision,
        to_revision=to_revision,
        created_by=person(actor),
    )


def change_run_for(revision: ReferenceRevision) -> ImpactRun | None:
    """The law-change run load_reference wrote with `revision` (None for the first revision)."""
    return ImpactRun.objects.filter(kind=RunKind.CHANGE, to_revision=revision).order_by("pk").first()


def claim(run: ImpactRun) -> bool:
    """Mark a pending run running; False when another execution has it (a pending run can be queued twice:
    after commit, and again by the next `warden serve` start that finds it pending; only one computes it)."""
    return bool(
        ImpactRun.objects.filter(pk=run.pk, status=RunStatus.PENDING).update(status=RunStatus.RUNNING)
    )


def mark_failed(run: ImpactRun, exc: Exception) -> None:
    ImpactRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc))


def run_lock(pk: int) -> str:
    return f"impact-run-{pk}"


RECLAIMED_ACTION = {
    RunKind.CHANGE: "legislation.impact_run_reclaimed",
    RunKind.WHAT_IF: "legislation.what_if_reclaimed",
}


def reclaim_abandoned(*, actor: SystemActor) -> list[ImpactRun]:
    """Runs of either kind left "running" by an executor that died (killed mid-run: nobody holds the run's
    lock): their partial items are dropped and they are pending again, for `warden resume` to queue.
    Re-running is safe: re-assessment stores a new version only where the result differs from the latest,
    and a what-if replays from the proposal it keeps (the run holds the bundle; nothing live changes)."""
    reclaimed = []
    for run in ImpactRun.objects.filter(status=RunStatus.RUNNING).order_by("pk"):
        with runlock.held(run_lock(run.pk)) as mine:  # held across the reset: no executor starts meanwhile
            if not mine:
                continue  # in progress elsewhere
            with transaction.atomic():
                if not ImpactRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
                    status=RunStatus.PENDING, done=0, total=0
                ):
                    continue  # finished between the query and the lock
                dropped, _ = ImpactItem.objects.filter(run=run).delete()
                record(
                    actor=actor,
                    action=RECLAIMED_ACTION[RunKind(run.kind)],
                    target=run,
                    data={"done": run.done, "total": run.total, "items_dropped": dropped},
                )
        run.refresh_from_db()
        reclaimed.append(run)
    return reclaimed


def _progress(run: ImpactRun, done: int, total: int, on_progress: Progress | None) -> None:
    ImpactRun.objects.filter(pk=run.pk).update(done=done, total=total)
    if on_progress:
        on_progress(done, total)


@dataclass(frozen=True)
class ChangeScan:
    """What a law change's review queue found; the run is finished with it once the cases are re-assessed."""

    case_ids: list[int]  # every case in scope (open, or with a live licence)
    affected: int
    summary: dict[str, Any]


def scan_change(run: ImpactRun, on_progress: Progress | None, today: dt.date) -> ChangeScan:
    """The review queue of a change run: an ImpactItem for each case in scope whose assessment as of today
    differs between the two revisions. Nothing else is changed."""
    assert run.from_revision is not None and run.to_revision is not None
    old, new = reference_for(run.from_revision), reference_for(run.to_revision)
    scope = changed_countries(old, new)
    cands = candidates(scope)
    ids = sorted(cands)
    total, done, affected = len(ids), 0, 0
    _progress(run, 0, total, on_progress)
    by_dest: Counter[str] = Counter()
    by_criterion: Counter[str] = Counter()
    items: list[ImpactItem] = []
    for cid, dest, doc in _documents(ids):
        diff = compare(Application.from_document(doc), old, new, today)
        done += 1
        if diff is not None:
            affected += 1
            by_dest[dest] += 1
            for c in set(diff["after_criteria"]) ^ set(diff["before_criteria"]):
                by_criterion[c] += 1
            items.append(ImpactItem(run=run, case_id=cid, licence_id=cands[cid], destination=dest, **diff))
        if done % BATCH == 0:
            ImpactItem.objects.bulk_create(items)
            items = []
            _progress(run, done, total, on_progress)
    ImpactItem.objects.bulk_create(items)
    _progress(run, done, total, on_progress)
    summary = {
        "scope": sorted(scope) if scope is not None else "all",
        "as_of": today.isoformat(),
        "by_destination": dict(sorted(by_dest.items())),
        "by_criterion": dict(sorted(by_criterion.items())),
    }
    return ChangeScan(case_ids=ids, affected=affected, summary=summary)


def finish_change(run: ImpactRun, scan: ChangeScan, *, reassessed: int) -> None:
    """The change run is done: its review queue is ready and `reassessed` open cases got a new version."""
    ImpactRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        affected=scan.affected,
        finished_at=timezone.now(),
        summary={**scan.summary, "reassessed": reassessed},
    )


# ------------------------------------------------------------------------------------------ what-if


@transaction.atomic
def create_what_if(*, actor: Actor, bundle: dict[str, Any], years: int) -> ImpactRun:
    """Validate a proposed bundle (raises ReferenceDataError) and record the what-if run; live data is
    untouched. A person needs policy.can_run_what_if (None is the system: the CLI)."""
    from warden.legislation.services import current_revision, load_bundled

    if actor is not None:
        why = policy.refusal(actor, policy.LegislationAction.WHAT_IF)
        if why:
            raise NotPermitted(why)

    ref = load_bundle(bundle)
    rev = current_revision() or load_bundled(actor=actor)[0]
    run = ImpactRun.objects.create(
        kind=RunKind.WHAT_IF,
        from_revision=rev,
        proposal=ref.bundle,
        years=years,
        created_by=person(actor),
    )
    record(
        actor=actor,
        action="legislation.what_if_started",
        target=run,
        data={"years": years, "base_revision": rev.number, "digests": ref.digests},
    )
    return run


def what_if(run: ImpactRun, on_progress: Progress | None, today: dt.date) -> None:
    """Replay the decisions of the last `run.years` years under the proposal; live data is untouched."""
    assert run.from_revision is not None and run.proposal is not None
    old, new = reference_for(run.from_revision), Reference(run.proposal)
    scope = changed_countries(old, new)
    since = today - dt.timedelta(days=365 * run.years)
    qs = Case.objects.filter(finalised_at__date__gte=since).exclude(decision="")
    if scope is not None:
        qs = qs.filter(
            Q(destination__in=scope) | Q(pk__in=Party.objects.filter(country__in=scope).values("case_id"))
        )
    rows = list(qs.values_list("pk", "destination", "document", "submitted_at", "decision"))
    total = len(rows)
    _progress(run, 0, total, on_progress)
    dest_counts: dict[str, Counter[str]] = defaultdict(Counter)
    crit: dict[str, Counter[str]] = defaultdict(Counter)
    items = []
    for n, (cid, dest, doc, submitted_at, _decision) in enumerate(rows, 1):
        on = clock.local_date(submitted_at) if submitted_at else today
        app = Application.from_document(doc)
        diff = compare(app, old, new, on)
        dest_counts[dest]["decisions"] += 1
        if diff is not None:
            for c in diff["before_criteria"]:
                crit[c]["before"] += 1
            for c in diff["after_criteria"]:
                crit[c]["after"] += 1
            if diff["before_recommendation"] != diff["after_recommendation"]:
                dest_counts[dest]["flipped"] += 1
                items.append(
                    ImpactItem(run=run, case_id=cid, destination=dest, state=ItemState.REVIEWED, **diff)
                )
            else:
                dest_counts[dest]["changed_findings"] += 1
        if n % BATCH == 0:
            _progress(run, n, total, on_progress)
    ImpactItem.objects.bulk_create(items)
    _progress(run, total, total, on_progress)
    ImpactRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        affected=len(items),
        finished_at=timezone.now(),
        summary={
            "since": since.isoformat(),
            "scope": sorted(scope) if scope is not None else "all",
            "by_destination": {d: dict(c) for d, c in sorted(dest_counts.items())},
            "by_criterion": {c: dict(v) for c, v in sorted(crit.items())},
        },
    )


# ----------------------------------------------------------------------------------- review queue


class ReviewError(ValueError):
    pass


@transaction.atomic
def suspend_affected(*, actor: Actor, run: ImpactRun, item_ids: Iterable[int], reason: str) -> int:
    """Suspend the live licences of the chosen review-queue items, each through the licences service
    (which checks the actor's role and audits every suspension), and mark the items. Returns the count."""
    why = policy.refusal(actor, policy.LegislationAction.SUSPEND_FROM_IMPACT)
    if why:
        raise NotPermitted(why)
    if not reason.strip():
        raise ReviewError("give a reason for the suspension")
    suspend_licence = licence_services.suspend_licence
    items = list(
        policy.visible_impact_items(actor, run)  # items of cases the actor may not see are not found
        .select_for_update()
        .filter(pk__in=list(item_ids), state=ItemState.PENDING, licence__isnull=False)
        .select_related("licence")
    )
    count = 0
    for item in items:
        if item.licence is not None and item.licence.status == "issued":
            suspend_licence(actor=actor, licence=item.licence, reason=reason)
            count += 1
        item.state, item.reviewed_by, item.reviewed_at = ItemState.SUSPENDED, person(actor), timezone.now()
        item.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    record(
        actor=actor,
        action="legislation.impact_suspended",
        target=run,
        data={"items": [i.pk for i in items], "suspended": count, "reason": reason},
    )
    return count


@transaction.atomic
def mark_reviewed(*, actor: Actor, run: ImpactRun, item_ids: Iterable[int]) -> int:
    """Mark the chosen pending items reviewed (no licence action needed). Raises NotPermitted for a
    role that may not review; items of cases the actor may not see are ignored, as if they did not exist."""
    why = policy.refusal(actor, policy.LegislationAction.REVIEW_IMPACT_ITEM)
    if why:
        raise NotPermitted(why)
    ids = list(
        policy.visible_impact_items(actor, run)
        .filter(pk__in=list(item_ids), state=ItemState.PENDING)
        .values_list("pk", flat=True)
    )
    ImpactItem.objects.filter(pk__in=ids).update(
        state=ItemState.REVIEWED, reviewed_by=person(actor), reviewed_at=timezone.now()
    )
    record(actor=actor, action="legislation.impact_reviewed", target=run, data={"items": ids})
    return len(ids)
