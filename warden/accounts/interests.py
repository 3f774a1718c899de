"""Declarations of interest: an officer declares an interest in an exporter, and while it holds Warden
refuses to let them act on that exporter's cases.

This lives in accounts, below cases, so that cases.policy.refusal can ask `conflict_error` for every act on a
case without importing anything above it. Who may declare and who may read everyone's declarations is
accounts.policy (INTEREST_DECLARERS, INTEREST_SUPERVISORS). Each declaration and each end of one is a
service call with an actor, in one transaction, with its audit entry; rows are never deleted, so the history
of what was declared when is both in the table and in the tamper-evident log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from warden.accounts import policy
from warden.accounts.actors import Actor
from warden.accounts.models import InterestDeclaration, Organisation, User
from warden.audit.services import record
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted

# The case actions an interest bars (cases.transitions.Action values; named as strings because cases sits
# above accounts): the decisions and the steps that shape them. Reading the case is not barred, and neither
# is adding a note or uploading a document (the officer may need to record why they stepped aside).
BARRED_ACTIONS = frozenset(
    {
        "assign",
        "start_initial_checks",
        "refer",
        "give_advice",
        "request_information",
        "recommend",
        "finalise",
        "propose_overrule",
        "countersign",
        "reject_overrule",
        "issue_licence",
    }
)


def _holding_on(on: dt.date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def declaration_in_force(user: Any, organisation_id: int | None, on: dt.date) -> InterestDeclaration | None:
    """The declaration of `user` in the organisation that holds on `on`, if any."""
    if organisation_id is None or getattr(user, "pk", None) is None:
        return None
    return (
        InterestDeclaration.objects.filter(
            _holding_on(on), officer_id=user.pk, organisation_id=organisation_id
        )
        .select_related("organisation")
        .first()
    )


def cannot_conflict(user: Any, organisation_id: int | None, on: dt.date | None = None) -> bool:
    """True when no declared interest can bar `user` from acting on this exporter's cases on `on` (today by
    default): not a declaring role, or no declaration in force. A caller checking many actions at once
    (cases.policy.allowed_actions, one case page) asks this once instead of reading the declarations per action."""
    if getattr(user, "role", None) not in policy.INTEREST_DECLARERS:
        return True
    return declaration_in_force(user, organisation_id, on or clock.today()) is None


def conflict_error(
    user: Any, organisation_id: int | None, action: str, prefix: str, on: dt.date | None = None
) -> NotPermitted | None:
    """The refusal cases.policy raises when `user` would do `action` on a case of an exporter they declared
    an interest in: "Cannot finalise APP-...: you declared an interest in Northbridge Defence Ltd on ...".
    None when the action is not barred or no declaration holds on `on` (today by default)."""
    if action not in BARRED_ACTIONS or getattr(user, "role", None) not in policy.INTEREST_DECLARERS:
        return None
    found = declaration_in_force(user, organisation_id, on or clock.today())
    if found is None:
        return None
    return NotPermitted(
        f"{prefix}: you declared an interest in {found.organisation.name} from "
        f"{found.starts_on.isoformat()} ({found.reason}); another officer must act on its cases "
        "(conflict of interest)"
    )


def assignee_error(officer: Any, organisation_id: int | None, reference: str) -> NotPermitted | None:
    """The refusal for making `officer` the case officer of an exporter they declared an interest in (the
    assigning officer's own interest is cases.policy's): for cases.services.assign_case to raise."""
    found = declaration_in_force(officer, organisation_id, clock.today())
    if found is None:
        return None
    return NotPermitted(
        f"Cannot assign {reference} to {officer.display_name}: they declared an interest in "
        f"{found.organisation.name} ({found.reason}); choose another officer (conflict of interest)"
    )


def visible_declarations(user: Any) -> QuerySet[InterestDeclaration]:
    """Everyone's for supervisors and oversight, one's own for declarers, nothing for anyone else."""
    qs = InterestDeclaration.objects.select_related("officer", "organisation").order_by("-starts_on", "-pk")
    if policy.can_view_all_interests(user):
        return qs
    if policy.can_declare_interest(user):
        return qs.filter(officer_id=user.pk)
    return qs.none()


def _text(value: str, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Give {what}", field=field)
    return text


@transaction.atomic(durable=True)
def declare_interest(
    *,
    actor: Actor,
    organisation: Organisation,
    starts_on: dt.date,
    reason: str,
    ends_on: dt.date | None = None,
) -> InterestDeclaration:
    """`actor` declares an interest in the exporter `organisation` from `starts_on` (to `ends_on`, inclusive,
    if it is known to end). Only for oneself: an interest is the officer's own statement."""
    if not policy.can_declare_interest(actor):
        raise NotPermitted(
            "Only licensing officers, senior officers, advisers, policy officers and compliance inspectors "
            "declare interests"
        )
    if not isinstance(actor, User):  # the system has no interests to declare
        raise NotPermitted("Only a person declares an interest")
    reason = _text(reason, "reason", "the reason for the interest (e.g. a shareholding or a relative)")
    if organisation.kind != Organisation.Kind.EXPORTER:
        raise InvalidInput(f"{organisation.name} is not an exporter", field="organisation")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(
            f"The end date {ends_on.isoformat()} is before the start date {starts_on.isoformat()}",
            field="ends_on",
        )
    declaration = InterestDeclaration.objects.create(
        officer=actor,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        declared_at=clock.now(),
    )
    record(
        actor=actor,
        action="interest.declare",
        target=declaration,
        data={
            "organisation": organisation.name,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "reason": reason,
        },
    )
    return declaration


@transaction.atomic(durable=True)
def end_interest(
    *, actor: Actor, declaration: InterestDeclaration, ends_on: dt.date, reason: str
) -> InterestDeclaration:
    """The declarer records that the interest ended on `ends_on` (the last day it held)."""
    locked = InterestDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if getattr(actor, "pk", None) != locked.officer_id:
        raise NotPermitted("Only the officer who declared an interest can record that it ended")
    reason = _text(reason, "reason", "the reason the interest ended")
    if ends_on < locked.starts_on:
        raise InvalidInput(
            f"The end date {ends_on.isoformat()} is before the start date {locked.starts_on.isoformat()}",
            field="ends_on",
        )
    if locked.ended_at is not None:
        raise InvalidInput("This interest was already recorded as ended", field="ends_on")
    locked.ends_on = ends_on
    locked.ended_at = clock.now()
    locked.end_reason = reason
    locked.save(update_fields=["ends_on", "ended_at", "end_reason"])
    record(
        actor=actor,
        action="interest.end",
        target=locked,
        data={"organisation_id": locked.organisation_id, "ends_on": ends_on.isoformat(), "reason": reason},
    )
    declaration.ends_on, declaration.ended_at, declaration.end_reason = ends_on, locked.ended_at, reason
    return locked
