"""Undoing what a diversion finding set off, when it proves wrong: clearing one flag (the flagged party is not
the end user the check found, a false match of names) or withdrawing the finding itself (evidence, or a
later clean check of the same end user, shows there was no diversion), which clears every flag it raised and
takes it off the end user's record. A senior officer does either, with a reason (warden.enduse.policy).

Nothing is erased: the flag and the finding stay readable, marked cleared or withdrawn with who and why, and
each step writes its audit entry in the same transaction. A licence suspended over the flag stays
suspended: reinstating it is the licence's own act (a senior officer, on the licence page)."""

from __future__ import annotations

from django.db import transaction

from warden.accounts.actors import Actor, the_person
from warden.audit.services import record
from warden.enduse import policy
from warden.enduse.matching import name_key
from warden.enduse.models import DiversionFlag, EndUseCheck, EndUserProfile, Finding
from warden.lib import clock
from warden.lib.errors import IllegalTransition, InvalidInput

REASON_LIMIT = 4000


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(
            "reason: say why (it is shown on the case and kept in the audit log)", where="reason"
        )
    if len(text) > REASON_LIMIT:
        raise InvalidInput(f"reason: at most {REASON_LIMIT} characters", where="reason")
    if "\x00" in text:
        raise InvalidInput("reason: contains a NUL character", where="reason")
    return text


def _clear(actor: Actor, flag: DiversionFlag, reason: str) -> None:
    flag.cleared_at, flag.cleared_by, flag.cleared_reason = clock.now(), the_person(actor, "clear"), reason
    flag.save(update_fields=["cleared_at", "cleared_by", "cleared_reason"])
    record(
        actor=actor,
        action="enduse.flag_cleared",
        target=flag,
        case_id=flag.case_id,
        data={
            "check": flag.check_row.reference,
            "party": flag.party_name,
            "licence": flag.licence.number if flag.licence else "",
            "reason": reason,
        },
    )


@transaction.atomic
def clear_flag(*, actor: Actor, flag: DiversionFlag, reason: str) -> DiversionFlag:
    """Clear one flag: this case's party is not the end user the check found diverting."""
    policy.check(actor, policy.EndUseAction.CLEAR)
    locked = (
        DiversionFlag.objects.select_for_update(of=("self",))
        .select_related("check_row", "licence", "case")
        .get(pk=flag.pk)
    )
    text = _reason(reason)
    if not locked.standing:
        raise IllegalTransition(
            f"The flag on {locked.case.reference} was already cleared on {locked.cleared_at:%Y-%m-%d}"
        )
    _clear(actor, locked, text)
    return locked


@transaction.atomic
def withdraw_finding(*, actor: Actor, check: EndUseCheck, reason: str) -> list[DiversionFlag]:
    """Withdraw a diversion finding shown to be wrong: the finding stays on the check marked withdrawn, the end
    user's record counts it as withdrawn rather than as a diversion, and every standing flag it raised is
    cleared with the same reason. The flags cleared are returned."""
    policy.check(actor, policy.EndUseAction.CLEAR)
    row = EndUseCheck.objects.select_for_update(of=("self",)).select_related("licence").get(pk=check.pk)
    text = _reason(reason)
    if row.finding != Finding.DIVERSION:
        raise InvalidInput(
            f"{row.reference} found no diversion ({row.get_finding_display() or 'no finding yet'}); only a "
            "diversion finding is withdrawn",
            where="check",
        )
    if row.withdrawn:
        raise IllegalTransition(f"The finding of {row.reference} was already withdrawn")
    who = the_person(actor, "withdraw a diversion finding")
    row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = clock.now(), who, text
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    profile = None
    if row.end_user_name:
        profile = (
            EndUserProfile.objects.select_for_update()
            .filter(name_key=name_key(row.end_user_name), country=row.end_user_country)
            .first()
        )
    if profile is not None:
        profile.diversions = max(0, profile.diversions - 1)
        profile.diversions_withdrawn += 1
        profile.updated_at = clock.now()
        profile.save(update_fields=["diversions", "diversions_withdrawn", "updated_at"])
    record(
        actor=actor,
        action="enduse.finding_withdrawn",
        target=row,
        case_id=row.licence.case_id,
        data={
            "check": row.reference,
            "licence": row.licence.number,
            "end_user": row.end_user_name,
            "reason": text,
            "profile_diversions": profile.diversions if profile is not None else None,
        },
    )
    flags = list(
        DiversionFlag.objects.select_for_update(of=("self",))
        .filter(check_row=row, cleared_at__isnull=True)
        .select_related("check_row", "licence", "case")
        .order_by("pk")
    )
    for flag in flags:
        _clear(actor, flag, f"The finding of {row.reference} was withdrawn: {text}")
    return flags
