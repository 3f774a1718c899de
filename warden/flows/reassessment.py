"""Re-assessment: the stored recommendation is always the one for the case's current inputs.

Every change to an input of an open case's assessment calls `reassess` in the transaction of the change
(a match decided, an amendment or an answer that changes the application, a re-screen after a list
import) or in a durable job (a law change: its impact run, see warden.flows.law_change). A re-assessment
that comes out different is stored as the case's next assessment version, naming its cause and who or what
caused it, with the findings added, removed and changed (warden.legislation.versions).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor, system
from warden.cases.models import OPEN_STATUSES, Case
from warden.legislation import services as legislation_services
from warden.legislation import versions
from warden.legislation.models import CaseAssessment, ImpactRun, RevisionSource

# Why a version was made, and who: the assessment versions' vocabulary (legislation.versions), re-exported
# for the flows that name a cause.
from warden.legislation.versions import LABELS, Cause, actor_label, cause_label

__all__ = ["LABELS", "Cause", "actor_label", "after_amendment", "after_revision", "cause_label", "reassess"]
from warden.rules.evaluate import assess_document
from warden.screening.models import ScreeningRun
from warden.screening.services import screen_case


def reassess(*, actor: Actor, case: Case, cause: str, caused_by: str | None = None) -> CaseAssessment | None:
    """Re-assess an open, submitted case from its current inputs and store a new version if the result
    differs from the current one (None otherwise, or for a draft or decided case, whose assessment stays
    the one its decision rested on). Runs inside the caller's transaction, under the case row's lock."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status not in OPEN_STATUSES or locked.submitted_at is None:
            return None
        rev, on, doc = legislation_services.compute_assessment(locked)
        previous = versions.current(locked)
        if versions.same(previous.document if previous else None, doc):
            return None
        return versions.store(
            actor=actor,
            case=locked,
            revision=rev,
            as_of=on,
            document=doc,
            cause=cause,
            caused_by=actor_label(actor) if caused_by is None else caused_by,
        )


def after_amendment(*, actor: Actor, case: Case, cause: str, caused_by: str | None = None) -> None:
    """The application of an open case changed (goods, parties, documents): re-screen its parties, which an
    amendment replaced, then re-assess. In the caller's transaction."""
    if case.status not in OPEN_STATUSES or case.submitted_at is None:
        return
    with transaction.atomic():
        screen_case(actor=actor, case=case, trigger=ScreeningRun.Trigger.AMENDMENT)
        reassess(actor=actor, case=case, cause=cause, caused_by=caused_by)


# ----------------------------------------------------------------------------------------- law changes

_COMPARED = ("recommendation", "findings")
# Who re-assesses when the revision was loaded by a command rather than a person.
_LAW_CHANGE = system("law-change impact run")


def _screening_of(stored: dict[str, Any]) -> dict[str, Any]:
    """The screening parts of a stored assessment: screening does not depend on the reference data."""
    return {
        "screening": stored.get("screening", []),
        "findings": [f for f in stored.get("findings", []) if f["rule"] == "screening.match"],
        "digest": stored.get("reference_data", {}).get("sanctions"),
    }


def after_revision(*, run: ImpactRun, case_ids: Iterable[int], batch: int = 2000) -> int:
    """The durable part of a law change (run by the change's impact run): re-assess each open case in
    `case_ids` (the run's scope) under the live reference data, as of its own date, and store a new version
    where its recommendation or findings change. Cases out of scope provably come out the same and keep
    their version. Returns how many cases got a new version."""
    _, ref = legislation_services.current_reference()
    revision = run.to_revision
    country = revision is not None and revision.source == RevisionSource.COUNTRY_EDIT
    cause = Cause.COUNTRY_ASSESSMENT if country else Cause.REFERENCE_REVISION
    who = f"{actor_label(run.created_by)}: " if run.created_by_id else ""
    caused_by = f"{who}reference revision {revision.number if revision else '?'}"
    if revision is not None and revision.note:
        caused_by += f" ({revision.note})"
    ids = sorted(case_ids)
    count = 0
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        cases = {
            c.pk: c
            for c in Case.objects.filter(pk__in=chunk, status__in=OPEN_STATUSES, submitted_at__isnull=False)
        }
        if not cases:
            continue
        latest: dict[int, CaseAssessment] = {}
        for ca in CaseAssessment.objects.filter(case_id__in=list(cases)).order_by("case_id", "-version"):
            latest.setdefault(ca.case_id, ca)
        for cid, case in cases.items():
            stored = latest.get(cid)
            if stored is None:
                continue  # never assessed (rows loaded in bulk): nothing stored to keep current
            fresh = assess_document(
                legislation_services.case_document(case),
                ref,
                stored.as_of,
                screening=_screening_of(stored.document),
            )
            if all(fresh[k] == stored.document.get(k) for k in _COMPARED):
                continue
            with transaction.atomic():
                if (
                    reassess(actor=run.created_by or _LAW_CHANGE, case=case, cause=cause, caused_by=caused_by)
                    is not None
                ):
                    count += 1
    return count
