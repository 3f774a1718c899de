"""End-use checks: planned from risk (or by hand), their findings recorded with evidence, and what a diversion
finding sets off: the end user's profile, a flag on every open case and live licence of that end user, and
the offer to suspend those licences through the licence service. Each function checks
warden.enduse.policy, runs in one transaction and writes its audit entries in it; refusals raise
NotPermitted / InvalidInput (warden.lib.errors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.db.models import Q

from warden.accounts.actors import Actor, the_person
from warden.audit.services import record
from warden.cases.models import OPEN_STATUSES, Case, PartyRole, Status
from warden.enduse import evidence as evidence_store
from warden.enduse import policy
from warden.enduse.clearing import clear_flag, withdraw_finding
from warden.enduse.matching import name_key, same_end_user
from warden.enduse.models import DiversionFlag, EndUseCheck, EndUserProfile, EvidenceFile, Finding
from warden.enduse.scheduling import (
    assign_check,
    end_user_of,
    inputs_for,
    plan_check,
    plan_checks,
    profile_of,
)
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.licences import services as licence_services
from warden.licences.models import LIVE_LICENCE_STATUSES, Licence, LicenceStatus

# Cases a diversion still concerns: undecided, approved and waiting for a licence, or holding a live one.
FLAGGED_STATUSES = frozenset(OPEN_STATUSES | {Status.FINALISED})
END_USER_ROLES = (PartyRole.END_USER, PartyRole.ULTIMATE_END_USER)


__all__ = [
    "END_USER_ROLES",
    "Recorded",
    "assign_check",
    "clear_flag",
    "end_user_of",
    "inputs_for",
    "open_evidence",
    "plan_check",
    "plan_checks",
    "profile_of",
    "record_finding",
    "suspend_flagged_licence",
    "withdraw_finding",
]


# ------------------------------------------------------------------------------------------ findings


@dataclass
class Recorded:
    check: EndUseCheck
    profile: EndUserProfile | None
    flags: list[DiversionFlag] = field(default_factory=list)

    @property
    def suspendable(self) -> list[Licence]:
        """The issued licences the flags offer to suspend."""
        seen: dict[int, Licence] = {}
        for f in self.flags:
            if f.standing and f.licence is not None and f.licence.status == LicenceStatus.ISSUED:
                seen.setdefault(f.licence.pk, f.licence)
        return list(seen.values())


@transaction.atomic
def record_finding(
    *,
    actor: Actor,
    check: EndUseCheck,
    finding: str,
    notes: str = "",
    completed_on: dt.date | None = None,
    evidence: list[tuple[str, bytes]] | None = None,
) -> Recorded:
    """The inspector records what the check found, with evidence (PDFs, as case documents). Concerns and
    diversion need notes. A diversion updates the end user's profile, flags every open case and live
    licence of that end user, and the returned `suspendable` licences are offered for suspension."""
    row = (
        EndUseCheck.objects.select_for_update(of=("self",))
        .select_related("licence__case", "inspector")
        .get(pk=check.pk)
    )
    why = policy.why_not_record(actor, row)
    if why is not None:
        raise NotPermitted(why)
    inspector = the_person(actor, "record an end-use finding")
    if row.completed_on is not None:
        raise InvalidInput(
            f"The finding of {row.reference} was recorded on {row.completed_on}", field="finding"
        )
    if finding not in Finding.values:
        raise InvalidInput(f"finding: {finding!r}: expected {', '.join(Finding.values)}", field="finding")
    notes = (notes or "").strip()
    if finding != Finding.SATISFACTORY and not notes:
        raise InvalidInput(f"notes: say what the check found ({finding})", field="notes")
    today = clock.today()
    day = completed_on or today
    if day > today:
        raise InvalidInput(f"completed_on: {day} is in the future", field="completed_on")
    if day < row.licence.valid_from:
        raise InvalidInput(
            f"completed_on: {day} is before licence {row.licence.number} began ({row.licence.valid_from})",
            field="completed_on",
        )
    stored = [
        evidence_store.store(row=row, name=name, content=content, uploaded_by=inspector)
        for name, content in (evidence or [])
    ]
    row.finding, row.finding_notes, row.completed_on = finding, notes, day
    row.inspector = row.inspector or inspector
    row.recorded_by, row.recorded_at = inspector, clock.now()
    row.save(
        update_fields=["finding", "finding_notes", "completed_on", "inspector", "recorded_by", "recorded_at"]
    )
    profile = _update_profile(row)
    record(
        actor=actor,
        action="enduse.check.record",
        target=row,
        case_id=row.licence.case_id,
        data={
            "check": row.reference,
            "licence": row.licence.number,
            "finding": finding,
            "completed_on": day.isoformat(),
            "notes": notes,
            "evidence": [{"name": e.name, "sha256": e.sha256, "size": e.size} for e in stored],
            "end_user": row.end_user_name,
            "profile": (
                {
                    "checks": profile.checks_done,
                    "concerns": profile.concerns,
                    "diversions": profile.diversions,
                }
                if profile
                else None
            ),
        },
    )
    flags = _flag_same_end_user(actor=actor, row=row) if finding == Finding.DIVERSION else []
    return Recorded(check=row, profile=profile, flags=flags)


def _update_profile(row: EndUseCheck) -> EndUserProfile | None:
    if not row.end_user_name:
        return None
    profile, _ = EndUserProfile.objects.select_for_update(of=("self",)).get_or_create(
        name_key=name_key(row.end_user_name),
        country=row.end_user_country,
        defaults={"name": row.end_user_name, "updated_at": clock.now()},
    )
    profile.name = row.end_user_name
    profile.checks_done += 1
    profile.concerns += row.finding == Finding.CONCERNS
    profile.diversions += row.finding == Finding.DIVERSION
    profile.last_finding, profile.last_finding_on = row.finding, row.completed_on
    profile.updated_at = clock.now()
    profile.save()
    return profile


def _flag_same_end_user(*, actor: Actor, row: EndUseCheck) -> list[DiversionFlag]:
    country = row.end_user_country
    cases = (
        Case.objects.filter(
            Q(status__in=FLAGGED_STATUSES) | Q(licence__status__in=LIVE_LICENCE_STATUSES),
        )
        .filter(Q(destination=country) | Q(parties__country=country))
        .distinct()
        .prefetch_related("parties")
        .order_by("pk")
    )
    flags: list[DiversionFlag] = []
    for case in cases:
        candidates = [
            (p.name, p.country or case.destination, list(p.aliases or []))
            for p in case.parties.all()
            if p.role in END_USER_ROLES
        ]
        found = same_end_user(row.end_user_name, country, candidates)
        if found is None:
            continue
        licence = Licence.objects.filter(case=case, status__in=LIVE_LICENCE_STATUSES).first()
        flag, created = DiversionFlag.objects.get_or_create(
            case=case,
            check_row=row,
            defaults={
                "licence": licence,
                "party_name": found[0],
                "score": found[1],
                "created_at": clock.now(),
            },
        )
        if not created:
            continue
        record(
            actor=actor,
            action="enduse.flag",
            target=flag,
            case_id=case.pk,
            data={
                "check": row.reference,
                "party": found[0],
                "score": f"{found[1]:.4f}",  # the canonical JSON of the audit log takes no floats
                "licence": licence.number if licence else "",
            },
        )
        flags.append(flag)
    return flags


@transaction.atomic
def suspend_flagged_licence(*, actor: Actor, flag: DiversionFlag) -> Licence:
    """Suspend the live licence a diversion flag offers, through the licence service (its policy, its audit
    entry), with a reason that cites the check and its finding."""
    if not policy.can_view(actor):
        raise NotPermitted(policy.MESSAGES[policy.EndUseAction.VIEW])
    flag = DiversionFlag.objects.select_related("check_row__licence", "licence").get(pk=flag.pk)
    if not flag.standing:
        raise InvalidInput(f"The flag on case {flag.case_id} was cleared: {flag.cleared_reason}")
    if flag.licence is None:
        raise InvalidInput(f"Case {flag.case_id} holds no live licence to suspend")
    row = flag.check_row
    reason = (
        f"Diversion found by end-use check {row.reference} on licence {row.licence.number} "
        f"({row.completed_on}): end user {row.end_user_name}, {row.end_user_country}."
    )
    return licence_services.suspend_licence(actor=actor, licence=flag.licence, reason=reason)


def open_evidence(*, actor: Actor, item: EvidenceFile) -> IO[bytes]:
    """The bytes of an evidence file for those who may see checks; every download audited."""
    if not policy.can_view(actor):
        raise NotPermitted("No such evidence")
    with transaction.atomic():
        record(
            actor=actor,
            action="enduse.evidence.download",
            target=item,
            case_id=item.check_row.licence.case_id,
            data={"name": item.name, "sha256": item.sha256},
        )
    return evidence_store.open_bytes(item)
