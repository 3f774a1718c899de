"""The versions of a case's assessment: storing a new one with what changed against the one before.

A CaseAssessment row is one version. Version numbers count up per case under the case row's lock; the
highest is the current one, the only one the case page, the API and the PDF show. The diff names findings
added, removed and changed (same criterion, rule and subject; another outcome, basis or explanation)."""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor, is_system
from warden.audit.services import record
from warden.legislation.models import CaseAssessment, ReferenceRevision
from warden.rules.evaluate import criteria_of


class Cause(enum.StrEnum):
    SUBMIT = "submit"
    LIST_IMPORT = "list_import"
    RESCREEN = "rescreen"
    MATCH_DECIDED = "match_decided"
    REFERENCE_REVISION = "reference_revision"
    COUNTRY_ASSESSMENT = "country_assessment"
    INFORMATION_ANSWER = "information_answer"
    AMENDMENT = "amendment"
    DOCUMENT_UPLOAD = "document_upload"
    MANUAL = "manual"


LABELS = {
    Cause.SUBMIT: "Application submitted",
    Cause.LIST_IMPORT: "Re-screened after a list import",
    Cause.RESCREEN: "Re-screened",
    Cause.MATCH_DECIDED: "Screening match decided",
    Cause.REFERENCE_REVISION: "Reference data changed",
    Cause.COUNTRY_ASSESSMENT: "Country risk assessment changed",
    Cause.INFORMATION_ANSWER: "Information request answered with a changed application",
    Cause.AMENDMENT: "Application amended",
    Cause.DOCUMENT_UPLOAD: "Document uploaded",
    Cause.MANUAL: "Re-assessed on request",
}


def cause_label(cause: str) -> str:
    try:
        return LABELS[Cause(cause)]
    except ValueError:
        return cause.replace("_", " ").capitalize()


def actor_label(actor: Actor | None) -> str:
    """Who, for `caused_by`: a person's name, or "system" for commands and background jobs (the stored
    label predates the system actor's reason, and stays as it was). None is a stored row that names nobody
    (a run's `created_by` when the system made it): a label, not an act, so it is not refused."""
    if actor is None or is_system(actor):
        return "system"
    return str(actor.display_name or actor.username or f"user {actor.pk}")


Finding = dict[str, str]


def _key(f: Finding) -> tuple[str, str, str]:
    return (f["criterion"], f["rule"], f["subject"])


def _full(f: Finding) -> tuple[str, ...]:
    return (*_key(f), f["outcome"], f["basis"], f["explanation"])


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """What changed from assessment document `before` to `after` (pass findings included: a check that
    now passes is a finding changed from deny or risk to pass)."""
    if before is None:
        return {}
    old = {_full(f): f for f in before.get("findings", [])}
    new = {_full(f): f for f in after.get("findings", [])}
    gone = [old[k] for k in sorted(old.keys() - new.keys())]
    came = [new[k] for k in sorted(new.keys() - old.keys())]
    # Same criterion, rule and subject on both sides is a change; pair them in order (a subject can carry
    # several findings of one rule, e.g. two screening matches on one party).
    gone_by: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in gone:
        gone_by[_key(f)].append(f)
    changed, added = [], []
    for f in came:
        pool = gone_by.get(_key(f))
        if pool:
            changed.append({"before": pool.pop(0), "after": f})
        else:
            added.append(f)
    removed = [f for pool in gone_by.values() for f in pool]
    out: dict[str, Any] = {"added": added, "removed": removed, "changed": changed}
    if before.get("recommendation") != after.get("recommendation"):
        out["recommendation"] = {"before": before.get("recommendation"), "after": after["recommendation"]}
    for part in ("screening", "reference_data", "ruleset"):
        if before.get(part) != after.get(part):
            out.setdefault("inputs", []).append(part)
    return out


def same(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    return before is not None and before == after


def current(case: Any) -> CaseAssessment | None:
    return CaseAssessment.objects.filter(case=case).select_related("revision").order_by("-version").first()


def history(case: Any) -> list[CaseAssessment]:
    return list(CaseAssessment.objects.filter(case=case).order_by("-version"))


@transaction.atomic
def store(
    *,
    actor: Actor,
    case: Any,
    revision: ReferenceRevision | None,
    as_of: dt.date,
    document: dict[str, Any],
    cause: str,
    caused_by: str,
) -> CaseAssessment:
    """Store `document` as the case's next assessment version and audit it (with the case id, so cached
    case pages are rebuilt). The caller holds the case row's lock (or is the case's creating transaction)."""
    previous = current(case)
    changes = diff(previous.document if previous else None, document)
    ca = CaseAssessment.objects.create(
        case=case,
        revision=revision,
        as_of=as_of,
        recommendation=document["recommendation"],
        criteria=criteria_of(document),
        document=document,
        ruleset_digest=document["ruleset"]["digest"],
        trigger=cause[:20],
        version=(previous.version + 1) if previous else 1,
        cause=cause,
        caused_by=caused_by[:200],
        diff=changes,
    )
    data: dict[str, Any] = {
        "version": ca.version,
        "cause": cause,
        "caused_by": ca.caused_by,
        "recommendation": document["recommendation"],
        "as_of": as_of.isoformat(),
        "revision": revision.number if revision else None,
        "ruleset": document["ruleset"]["digest"],
        "reference_data": document["reference_data"],
    }
    if previous is not None:
        data["previous_recommendation"] = previous.recommendation
        data["changes"] = {k: len(changes.get(k, [])) for k in ("added", "removed", "changed")}
    record(actor=actor, action="legislation.case_assessed", target=ca, case_id=case.pk, data=data)
    return ca
