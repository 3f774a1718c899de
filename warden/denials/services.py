"""Importing partners' denial notifications, flagging the cases that would undercut them, and recording the
consultation of the denying state. Each function checks warden.denials.policy, runs in one transaction and
writes its audit entries in it. Refusals raise NotPermitted / InvalidInput (warden.lib.errors).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor
from warden.accounts.services import our_state
from warden.audit.services import record
from warden.cases.models import OPEN_STATUSES, Case, PartyRole, Status
from warden.denials import exchange, matching, policy
from warden.denials.models import ANSWER_DAYS, Consultation, Denial, FlagStatus, UndercutFlag
from warden.legislation.countries_iso import ISO_3166_ALPHA2
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted

# Cases a new denial may still concern: undecided, or approved and waiting for their licence.
CHECKED_STATUSES = frozenset(OPEN_STATUSES | {Status.FINALISED})


@dataclass
class ImportResult:
    issuing_state: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # case references newly flagged
    cleared: list[str] = field(default_factory=list)  # case references whose flag a revocation cleared

    def summary(self) -> str:
        return (
            f"{self.issuing_state}: {len(self.added)} added, {len(self.updated)} updated "
            f"({len(self.revoked)} revoked), {len(self.unchanged)} unchanged; "
            f"{len(self.flagged)} case flag(s) raised, {len(self.cleared)} cleared"
        )


def _fields(d: dict[str, Any]) -> dict[str, Any]:
    end_user = d.get("end_user") or {}
    consignee = d.get("consignee") or {}
    return {
        "denied_on": dt.date.fromisoformat(d["date"]),
        "destination": d["destination"],
        "goods": d["goods"],
        "end_user_name": end_user.get("name", ""),
        "end_user_address": end_user.get("address", ""),
        "end_user_country": end_user.get("country", ""),
        "consignee_name": consignee.get("name", ""),
        "consignee_address": consignee.get("address", ""),
        "consignee_country": consignee.get("country", ""),
        "end_use": d.get("end_use", ""),
        "criteria": d["criteria"],
        "reason": d.get("reason", ""),
        "revoked": d["revoked"],
        "revoked_reason": d.get("revoked_reason", ""),
        "document": d,
    }


@transaction.atomic
def import_denials(
    *, actor: Actor, issuing_state: str, data: bytes, fmt: str, filename: str = ""
) -> ImportResult:
    """Store a partner's notifications (all or nothing). A notification already held under the same reference
    is updated from the file; a revocation clears the flags it raised; new and revised denials in force are
    checked against the cases still open. Raises exchange.DenialFormatError naming the bad record."""
    if not policy.may(actor, policy.DenialAction.IMPORT):
        raise NotPermitted("Only the policy officer (partner liaison) imports partners' denial notifications")
    state = (issuing_state or "").strip().upper()
    if state not in ISO_3166_ALPHA2:
        raise InvalidInput(f"--from: {issuing_state!r} is not an ISO 3166-1 country code", field="from")
    if state == our_state():
        raise InvalidInput(
            f"--from: {state} is our own state; import partners' notifications only", field="from"
        )
    today = clock.today()
    records = exchange.parse(data, fmt, issuing_state=state, today=today)
    sha = hashlib.sha256(data).hexdigest()
    now = clock.now()
    result = ImportResult(issuing_state=state)
    held = {d.reference: d for d in Denial.objects.select_for_update().filter(issuing_state=state)}
    touched: list[Denial] = []
    for rec in records:
        values = _fields(rec)
        existing = held.get(rec["reference"])
        if existing is None:
            denial = Denial.objects.create(
                issuing_state=state,
                reference=rec["reference"],
                imported_at=now,
                updated_at=now,
                source_sha256=sha,
                **values,
            )
            result.added.append(denial.reference)
            touched.append(denial)
            continue
        if existing.document == rec:
            result.unchanged.append(existing.reference)
            continue
        newly_revoked = rec["revoked"] and not existing.revoked
        for name, value in values.items():
            setattr(existing, name, value)
        existing.updated_at, existing.source_sha256 = now, sha
        existing.save()
        result.updated.append(existing.reference)
        if newly_revoked:
            result.revoked.append(existing.reference)
        touched.append(existing)
    for denial in touched:
        result.cleared += _clear_flags(actor=actor, denial=denial, today=today)
    result.flagged += _flag_open_cases(actor=actor, denials=[d for d in touched if d.in_force_on(today)])
    record(
        actor=actor,
        action="denials.import",
        data={
            "issuing_state": state,
            "file": filename,
            "sha256": sha,
            "format": fmt,
            "added": result.added,
            "updated": result.updated,
            "revoked": result.revoked,
            "unchanged": len(result.unchanged),
        },
    )
    return result


def _end_users(case: Case) -> list[tuple[str, str, list[str]]]:
    roles = (PartyRole.END_USER, PartyRole.ULTIMATE_END_USER)
    return [(p.name, p.party_type, list(p.aliases or [])) for p in case.parties.all() if p.role in roles]


def _resemblance(case: Case, denial: Denial) -> matching.Resemblance | None:
    return matching.resemblance(
        destination=case.destination,
        ratings=[g.rating for g in case.goods.all()],
        end_users=_end_users(case),
        denial_destination=denial.destination,
        denial_ratings=denial.ratings,
        denial_end_user=denial.end_user_name,
    )


def _raise_flag(*, actor: Actor, case: Case, denial: Denial, found: matching.Resemblance) -> bool:
    flag, created = UndercutFlag.objects.get_or_create(
        case=case,
        denial=denial,
        defaults={
            "party_name": found.party_name,
            "score": found.score,
            "ratings": list(found.ratings),
            "created_at": clock.now(),
        },
    )
    if not created and flag.status == FlagStatus.OPEN:
        return False
    if not created:  # cleared by an earlier revocation, in force again after a revision
        flag.status, flag.cleared_at, flag.cleared_reason = FlagStatus.OPEN, None, ""
        flag.party_name, flag.score, flag.ratings = found.party_name, found.score, list(found.ratings)
        flag.save()
    record(
        actor=actor,
        action="denials.flag",
        target=flag,
        case_id=case.pk,
        data={
            "denial": f"{denial.issuing_state} {denial.reference}",
            "party": found.party_name,
            "score": f"{found.score:.4f}",  # the canonical JSON of the audit log takes no floats
            "ratings": list(found.ratings),
        },
    )
    return True


def _clear_flags(*, actor: Actor, denial: Denial, today: dt.date) -> list[str]:
    """Clear the open flags of a denial that is revoked, or that no longer resembles the case after a revision."""
    cleared: list[str] = []
    flags = UndercutFlag.objects.filter(denial=denial, status=FlagStatus.OPEN).select_related("case")
    for flag in flags:
        if denial.revoked:
            why = f"revoked by {denial.issuing_state}" + (
                f": {denial.revoked_reason}" if denial.revoked_reason else ""
            )
        elif _resemblance(flag.case, denial) is None:
            why = f"revised by {denial.issuing_state}: no longer essentially identical"
        else:
            continue
        flag.status, flag.cleared_at, flag.cleared_reason = FlagStatus.CLEARED, clock.now(), why
        flag.save(update_fields=["status", "cleared_at", "cleared_reason"])
        record(
            actor=actor,
            action="denials.flag_cleared",
            target=flag,
            case_id=flag.case_id,
            data={"reason": why},
        )
        cleared.append(flag.case.reference)
    return cleared


def _flag_open_cases(*, actor: Actor, denials: Iterable[Denial]) -> list[str]:
    flagged: list[str] = []
    for denial in denials:
        cases = Case.objects.filter(
            status__in=CHECKED_STATUSES, destination=denial.destination
        ).prefetch_related("goods", "parties")
        for case in cases.order_by("pk"):
            found = _resemblance(case, denial)
            if found is not None and _raise_flag(actor=actor, case=case, denial=denial, found=found):
                flagged.append(case.reference)
    return flagged


@transaction.atomic
def check_case(*, actor: Actor, case: Case) -> list[UndercutFlag]:
    """Flag `case` against every partner denial in force, and clear its flags that no longer resemble their
    denial (an amended application). Run on submission and amendment by warden.flows.undercut."""
    today = clock.today()
    new: list[UndercutFlag] = []
    candidates = Denial.objects.filter(destination=case.destination, revoked=False)
    for denial in candidates.order_by("pk"):
        if not denial.in_force_on(today):
            continue
        found = _resemblance(case, denial)
        if found is not None and _raise_flag(actor=actor, case=case, denial=denial, found=found):
            new.append(UndercutFlag.objects.get(case=case, denial=denial))
    for flag in UndercutFlag.objects.filter(case=case, status=FlagStatus.OPEN).select_related("denial"):
        if _resemblance(case, flag.denial) is None:
            why = "the application was amended: no longer essentially identical"
            flag.status, flag.cleared_at, flag.cleared_reason = FlagStatus.CLEARED, clock.now(), why
            flag.save(update_fields=["status", "cleared_at", "cleared_reason"])
            record(
                actor=actor, action="denials.flag_cleared", target=flag, case_id=case.pk, data={"reason": why}
            )
    return new


# ------------------------------------------------------------------------------------------ consultations


def _check_consult(actor: Actor, flag: UndercutFlag) -> None:
    if not policy.can_consult(actor, flag.case):
        raise NotPermitted(
            "Only policy, licensing and senior officers record consultations of a denying state"
        )


def _day(value: dt.date | None, what: str, today: dt.date) -> dt.date:
    day = value or today
    if day > today:
        raise InvalidInput(f"{what}: {day} is in the future", field=what)
    return day


@transaction.atomic
def request_consultation(
    *,
    actor: Actor,
    flag: UndercutFlag,
    requested_on: dt.date | None = None,
    deadline: dt.date | None = None,
    note: str = "",
) -> Consultation:
    """Record that the denying state was consulted (by default today, with the User's Guide's three weeks)."""
    flag = UndercutFlag.objects.select_for_update().select_related("case", "denial").get(pk=flag.pk)
    _check_consult(actor, flag)
    if flag.status != FlagStatus.OPEN:
        raise InvalidInput(f"The flag for {flag.denial} on {flag.case} was cleared: {flag.cleared_reason}")
    if Consultation.objects.filter(flag=flag).exists():
        raise InvalidInput(f"{flag.denial.issuing_state} was already consulted about {flag.denial.reference}")
    today = clock.today()
    day = _day(requested_on, "requested_on", today)
    due = deadline or day + dt.timedelta(days=ANSWER_DAYS)
    if due < day:
        raise InvalidInput(f"deadline: {due} is before the request ({day})", field="deadline")
    c = Consultation.objects.create(
        flag=flag, requested_on=day, deadline=due, request_note=note.strip(), requested_by=_person(actor)
    )
    record(
        actor=actor,
        action="denials.consultation.request",
        target=c,
        case_id=flag.case_id,
        data={
            "denial": f"{flag.denial.issuing_state} {flag.denial.reference}",
            "requested_on": str(day),
            "deadline": str(due),
        },
    )
    return c


@transaction.atomic
def record_answer(
    *, actor: Actor, consultation: Consultation, answer: str, answered_on: dt.date | None = None
) -> Consultation:
    c = (
        Consultation.objects.select_for_update()
        .select_related("flag__case", "flag__denial")
        .get(pk=consultation.pk)
    )
    _check_consult(actor, c.flag)
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput("answer: say what the denying state answered", field="answer")
    if c.answered:
        raise InvalidInput(f"The answer of {c.flag.denial.issuing_state} is already recorded", field="answer")
    day = _day(answered_on, "answered_on", clock.today())
    if day < c.requested_on:
        raise InvalidInput(
            f"answered_on: {day} is before the request ({c.requested_on})", field="answered_on"
        )
    c.answer, c.answer_on, c.answer_recorded_by = answer, day, _person(actor)
    c.save(update_fields=["answer", "answer_on", "answer_recorded_by"])
    record(
        actor=actor,
        action="denials.consultation.answer",
        target=c,
        case_id=c.flag.case_id,
        data={"answered_on": str(day), "answer": answer},
    )
    return c


@transaction.atomic
def record_notice(
    *, actor: Actor, consultation: Consultation, reasons: str, sent_on: dt.date | None = None
) -> Consultation:
    """Record the notice to the denying state that we grant after all, with our reasons (CP Art. 4(2))."""
    c = (
        Consultation.objects.select_for_update()
        .select_related("flag__case", "flag__denial")
        .get(pk=consultation.pk)
    )
    _check_consult(actor, c.flag)
    today = clock.today()
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput("reasons: the notice must give the reasons for granting", field="reasons")
    if c.notified:
        raise InvalidInput(
            f"The notice to {c.flag.denial.issuing_state} is already recorded", field="reasons"
        )
    if not c.closed_on(today):
        raise InvalidInput(
            f"{c.flag.denial.issuing_state} has until {c.deadline} to answer; record its answer first",
            field="reasons",
        )
    day = _day(sent_on, "sent_on", today)
    c.notice_reasons, c.notice_on, c.notice_recorded_by = reasons, day, _person(actor)
    c.save(update_fields=["notice_reasons", "notice_on", "notice_recorded_by"])
    record(
        actor=actor,
        action="denials.consultation.notice",
        target=c,
        case_id=c.flag.case_id,
        data={"sent_on": str(day), "reasons": reasons},
    )
    return c


def _person(actor: Actor) -> Any:
    return None if getattr(actor, "pk", None) is None else actor
