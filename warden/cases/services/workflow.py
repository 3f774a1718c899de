"""The kernel of every case service: lock the row and check the version, move the case along the
transition table with its CaseTransition row and audit entry in the same transaction, and the input checks
several services share (required text, cited criteria, a decision's inputs)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from warden.accounts.models import User
from warden.audit.services import record
from warden.cases.models import (
    Case,
    CaseTransition,
    Decision,
)
from warden.cases.transitions import Action, get
from warden.lib.errors import CaseConflict, InvalidInput

# A refusal criterion's shape, SCHEME:code (EU-CP:7, ATT:6.3, NATIONAL:salw-non-state). Which codes are
# citable is the law's business (warden.legislation.criteria, the ruleset in force): the interfaces pass that
# set in as `citable`, so that this layer, below legislation, holds no copy of it.
CRITERION_SHAPE = re.compile(r"^[A-Z][A-Z-]{1,15}:[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def _lock(case: Case, expected_version: int | None) -> Case:
    """The case row, locked until the end of the transaction, after checking nobody changed it."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    expected = case.version if expected_version is None else expected_version
    if locked.version != expected:
        raise _conflict(locked)
    return locked


def _conflict(locked: Case) -> CaseConflict:
    last = CaseTransition.objects.filter(case=locked).select_related("actor").order_by("-pk").first()
    who = f" by {last.actor.display_name} ({get(last.action).gerund})" if last is not None else ""
    return CaseConflict(
        f"{locked.reference} was changed{who} since you opened it; it is now "
        f"{locked.get_status_display().lower()}. Nothing was saved: reload the case and try again."
    )


def _sync(target: Case, source: Case) -> None:
    """Copy the stored state into the caller's object so that it can be used for the next call."""
    if target is source:
        return
    for f in Case._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))


def _text(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"{what} is required", field=field)
    return value


def _criteria(values: Iterable[str], *, citable: Collection[str], field: str = "criteria") -> list[str]:
    """The cited criteria, stripped and deduplicated; a code outside `citable` (the criteria of the ruleset
    in force, given by the caller: there is no default, so no path skips the check) is refused with the list
    of what may be cited."""
    out = []
    for v in values:
        v = (v or "").strip()
        if v not in citable:
            raise InvalidInput(
                f"{v!r} is not a refusal criterion of the ruleset in force: cite one of {', '.join(citable)}",
                field=field,
            )
        if not CRITERION_SHAPE.match(v):
            raise InvalidInput(
                f"{v!r} is not a refusal criterion: a criterion reads SCHEME:code, e.g. EU-CP:7, ATT:6.3, "
                "NATIONAL:<rule id>",
                field=field,
            )
        if v not in out:
            out.append(v)
    return out


def _move(
    *,
    actor: User,
    case: Case,
    action: Action,
    reason: str = "",
    data: dict[str, Any] | None = None,
    internal: dict[str, Any] | None = None,
) -> CaseTransition:
    """Apply the table's target status to the (locked, already checked) case, save it with a bumped version,
    and store the transition row and its audit entry. `data` goes on the transition row (which the exporter
    may see for exporter-visible actions); `internal` only into the audit entry."""
    t = get(action)
    from_status = case.status if action not in (Action.CREATE, Action.PROPOSE_FOR_HOLDER) else ""
    to_status = t.target if t.target is not None else case.status
    case.status = to_status
    case.version += 1
    case.save()
    row = CaseTransition.objects.create(
        case=case,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        data=data or {},
    )
    record(
        actor=actor,
        action=f"case.{action.value}",
        target=case,
        data={
            "reference": case.reference,
            "from": from_status,
            "to": to_status,
            "reason": reason,
            **(data or {}),
            **(internal or {}),
        },
        case_id=case.pk,
    )
    return row


def _decision_inputs(
    decision: str,
    criteria: Iterable[str],
    conditions: str,
    *,
    what: str,
    citable: Collection[str],
) -> tuple[str, list[str], str]:
    if decision not in Decision.values:
        raise InvalidInput(f"{what} must be one of {', '.join(Decision.values)}", field="decision")
    crit = _criteria(criteria, citable=citable)
    conditions = (conditions or "").strip()
    if decision == Decision.REFUSED and not crit:
        raise InvalidInput(
            f"{what} to refuse must cite at least one criterion (e.g. EU-CP:1, ATT:6.1)", field="criteria"
        )
    if decision == Decision.APPROVED_WITH_CONDITIONS and not conditions:
        raise InvalidInput(f"{what} to approve with conditions must state the conditions", field="conditions")
    if decision != Decision.REFUSED and crit:
        raise InvalidInput(
            f"{what} to approve cannot cite refusal criteria ({', '.join(crit)}): untick them, or refuse",
            field="criteria",
        )
    if decision == Decision.APPROVED:
        conditions = ""
    return decision, crit, conditions
