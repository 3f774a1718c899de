"""Reference-data revisions, the assessment stored with each case, and country-profile edits.

Every state change is one function with keyword-only arguments, `actor` first, inside a transaction that
also writes its audit entry. Law-change impact and what-if runs live in impact.py."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor, person, system
from warden.audit.services import record
from warden.legislation import policy
from warden.legislation import versions as assessment_versions
from warden.legislation.loader import (
    ASSESSMENT_KEYS,
    ReferenceDataError,
    bundled_reference,
    load_bundle,
    normalise,
    read_bundle,
)
from warden.legislation.models import CaseAssessment, CountryProfile, ReferenceRevision, RevisionSource
from warden.legislation.versions import actor_label
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.rules.evaluate import assess_document
from warden.rules.reference import LEVELS, Reference
from warden.screening import assessment as screening_assessment
from warden.screening import services as screening_services

_REFERENCES: dict[str, Reference] = {}  # indexed snapshots by revision digest (revisions never change)


def combined_digest(digests: dict[str, str]) -> str:
    text = "\n".join(f"{k}={digests[k]}" for k in sorted(digests))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def current_revision() -> ReferenceRevision | None:
    return ReferenceRevision.objects.order_by("-number").first()


def reference_for(revision: ReferenceRevision) -> Reference:
    ref = _REFERENCES.get(revision.digest)
    if ref is None:
        ref = _REFERENCES[revision.digest] = Reference(revision.bundle)
    return ref


def current_reference() -> tuple[ReferenceRevision | None, Reference]:
    """The live reference data; the bundled files if nothing was loaded yet (a fresh test database)."""
    rev = current_revision()
    if rev is not None:
        return rev, reference_for(rev)
    ref = _REFERENCES.get("bundled")
    if ref is None:
        ref = _REFERENCES["bundled"] = bundled_reference()
    return None, ref


def _regimes_of(ref: Reference) -> dict[str, dict[str, str]]:
    found = ref.bundle.get("countries", {}).get("regimes")
    return found if isinstance(found, dict) else {}


def regimes() -> dict[str, dict[str, str]]:
    """Each treaty or regime's `name` and `label` from the live reference data (countries.yaml `regimes`).
    Reads only the revision's digest when its bundle is already indexed in this process. A revision loaded
    before the data named its regimes borrows the names of the bundled files."""
    rev = ReferenceRevision.objects.only("digest").order_by("-number").first()
    found = _regimes_of(reference_for(rev)) if rev is not None else {}
    if not found:
        bundled = _REFERENCES.get("bundled")
        if bundled is None:
            bundled = _REFERENCES["bundled"] = bundled_reference()
        found = _regimes_of(bundled)
    return found


# ------------------------------------------------------------------------------------------- revisions


@transaction.atomic
def load_reference(
    *, actor: Actor, bundle: dict[str, Any], source: str, note: str = ""
) -> tuple[ReferenceRevision, bool]:
    """Validate `bundle` and make it the live reference data. Idempotent: the same data as the latest
    revision creates nothing and returns (latest, False). Raises ReferenceDataError naming each problem.

    A new revision over an earlier one owes the open cases a re-assessment: its law-change impact run
    (impact.change_run_for) is written in this transaction, so it survives a crash; warden.flows.law_change
    queues it after commit (or the CLI runs it with a bar; the next `warden serve` start queues any pending
    run). Refused (NotPermitted) unless legislation.policy lets `actor` load reference data."""
    why = policy.refusal(actor, policy.LegislationAction.LOAD_REFERENCE)
    if why:
        raise NotPermitted(why)
    ref = load_bundle(bundle)
    digest = combined_digest(ref.digests)
    latest = ReferenceRevision.objects.select_for_update().order_by("-number").first()
    if latest is not None and latest.digest == digest:
        return latest, False
    changed = sorted(k for k in ref.digests if latest is None or latest.digests.get(k) != ref.digests[k])
    rev = ReferenceRevision.objects.create(
        number=(latest.number + 1) if latest else 1,
        digest=digest,
        digests=ref.digests,
        bundle=ref.bundle,
        source=source,
        note=note,
        created_by=person(actor),
    )
    _REFERENCES[digest] = ref
    _sync_profiles(rev)
    record(
        actor=actor,
        action="legislation.reference_loaded",
        target=rev,
        data={"number": rev.number, "digest": digest, "changed": changed, "source": source, "note": note},
    )
    if latest is not None:
        from warden.legislation import impact as impact_runs

        impact_runs.create_change_run(actor=actor, from_revision=latest, to_revision=rev)
    return rev, True


def _sync_profiles(rev: ReferenceRevision) -> None:
    existing = {p.code: p for p in CountryProfile.objects.all()}
    new, changed = [], []
    for c in rev.bundle["countries"]["countries"]:
        p = existing.get(c["id"])
        if p is None:
            new.append(CountryProfile(code=c["id"], name=c.get("name", c["id"]), data=c, revision=rev))
        elif p.data != c:
            p.data, p.name, p.revision = c, c.get("name", c["id"]), rev
            changed.append(p)
    CountryProfile.objects.bulk_create(new)
    CountryProfile.objects.bulk_update(changed, ["data", "name", "revision"])


# Who loads the bundled data when nobody is named (`warden init`, a fresh database's first page).
BUNDLED = system("the reference data bundled with Warden")


def load_bundled(*, actor: Actor = BUNDLED) -> tuple[ReferenceRevision, bool]:
    return load_reference(
        actor=actor, bundle=read_bundle(), source=RevisionSource.BUNDLED, note="bundled data"
    )


# ------------------------------------------------------------------------------------------ assessments


def screening_for(case: Any) -> dict[str, Any]:
    """The case's screening results as the assessment reads them (legislation sits above screening), with
    their digest so that the stored assessment can be replayed."""
    result = screening_services.screening_for_assessment(case)
    return screening_assessment.with_digest(dict(result or {}))


def assess_application(doc: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """A valid warden.application/1 document assessed under the live reference data, its parties screened
    against the current lists (nothing stored): what POST /api/legislation/assess and `warden assess`
    both answer. Without a database (a bare `warden assess`) it uses the bundled data and no lists."""
    from django.db import DatabaseError

    from warden.screening.assessment import for_document

    try:
        _, ref = current_reference()
        screening = for_document(doc)
    except DatabaseError:
        ref, screening = bundled_reference(), None
    return assess_document(doc, ref, as_of, screening=screening)


def case_as_of(case: Any) -> dt.date:
    """The date a case is assessed as of: the day it was submitted (in the authority's time zone)."""
    if case.submitted_at is not None:
        return clock.local_date(case.submitted_at)
    submitted = (case.document or {}).get("submitted_on")
    return dt.date.fromisoformat(submitted) if submitted else clock.today()


def case_document(case: Any) -> dict[str, Any]:
    """The document the engine assesses: the application as stored, with the authority's own record of the
    submission day in `submitted_on` (what the exporter typed there is not evidence of when it was filed), so
    a certificate dated after the application is found on every re-assessment, whatever day it runs."""
    doc = {**(case.document or {}), "reference": case.reference}
    if case.submitted_at is not None:
        doc["submitted_on"] = clock.local_date(case.submitted_at).isoformat()
    return doc


def compute_assessment(
    case: Any, as_of: dt.date | None = None
) -> tuple[ReferenceRevision | None, dt.date, dict[str, Any]]:
    """(revision, as of, warden.assessment/1 document) for the case's current inputs: its document, its
    stored screening matches, and the live reference data as of its submission date. Stores nothing."""
    rev, ref = current_reference()
    on = as_of or case_as_of(case)
    return rev, on, assess_document(case_document(case), ref, on, screening=screening_for(case))


@transaction.atomic
def assess_case(
    *,
    actor: Actor,
    case: Any,
    trigger: str = "submit",
    as_of: dt.date | None = None,
    caused_by: str | None = None,
) -> CaseAssessment:
    """Assess a case with the live reference data as of its submission date and store the result as its
    next assessment version (always; warden.flows.reassessment.reassess stores one only on a change)."""
    rev, on, doc = compute_assessment(case, as_of)
    return assessment_versions.store(
        actor=actor,
        case=case,
        revision=rev,
        as_of=on,
        document=doc,
        cause=trigger,
        caused_by=actor_label(actor) if caused_by is None else caused_by,
    )


def latest_assessment(case: Any) -> CaseAssessment | None:
    """The current assessment: the case's highest version."""
    return assessment_versions.current(case)


# ------------------------------------------------------------------------------------ country profiles


class ProfileEditError(InvalidInput, ValueError):
    """A country-assessment edit that cannot be stored; `field` names the form field, `message` the problem
    without it (the form shows it beside the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", where=field)
        self.message = message


@transaction.atomic
def edit_country_profile(
    *,
    actor: Actor,
    code: str,
    levels: dict[str, str],
    effective_from: dt.date,
    citation: str,
    reason: str,
    atrocity_knowledge: bool = False,
) -> ReferenceRevision:
    """Record a new dated assessment for a country (policy officers). The open version is closed the day
    before the new one applies (effective_until = effective_from), a new revision is loaded and audited,
    and its impact run (which also re-assesses the open cases it touches) is recorded pending: the flow
    warden.flows.law_change.edit_country_profile queues it after commit. Raises NotPermitted or ProfileEditError (nothing
    changed)."""
    why = policy.refusal(actor, policy.LegislationAction.EDIT_COUNTRY_PROFILE)
    if why:
        raise NotPermitted(why)
    code = code.upper()
    if not citation.strip():
        raise ProfileEditError("citation", "give the source of this assessment")
    if not reason.strip():
        raise ProfileEditError("reason", "say why the assessment changes")
    for key in ASSESSMENT_KEYS:
        if levels.get(key) not in LEVELS:
            raise ProfileEditError(key, f"choose one of {', '.join(LEVELS)}")
    rev = current_revision()
    if rev is None:
        rev, _ = load_bundled(actor=actor)
    bundle = copy.deepcopy(rev.bundle)
    countries = bundle["countries"]["countries"]
    country = next((c for c in countries if c["id"] == code), None)
    if country is None:
        country = {"id": code, "name": code, "memberships": {}, "assessments": []}
        countries.append(country)
        countries.sort(key=lambda c: c["id"])
    versions = country.setdefault("assessments", [])
    start = effective_from.isoformat()
    if any(v["effective_from"] >= start for v in versions):
        raise ProfileEditError(
            "effective_from",
            f"must be after the latest assessment's start ({versions[-1]['effective_from']})",
        )
    before = None
    for v in versions:
        if v.get("effective_until") is None:
            v["effective_until"] = start
            before = {k: v.get(k) for k in ASSESSMENT_KEYS}
    new: dict[str, Any] = {
        "effective_from": start,
        **{k: levels[k] for k in ASSESSMENT_KEYS},
        "citation": citation,
        "reason": reason,
    }
    if atrocity_knowledge:
        new["atrocity_knowledge"] = True
    versions.append(new)
    try:
        new_rev, _ = load_reference(
            actor=actor,
            bundle=normalise(bundle),
            source=RevisionSource.COUNTRY_EDIT,
            note=f"{code}: {reason}",
        )
    except ReferenceDataError as exc:
        raise ProfileEditError("profile", "; ".join(exc.errors)) from exc
    profile = CountryProfile.objects.get(code=code)
    record(
        actor=actor,
        action="legislation.country_profile_edited",
        target=profile,
        data={
            "country": code,
            "effective_from": start,
            "before": before,
            "after": new,
            "revision": new_rev.number,
        },
    )
    return new_rev
