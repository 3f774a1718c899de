"""The steps every licence change shares: lock the row (refusing a stale version), copy the locked row back
to the caller's instance, and move the licence: status and version, a LicenceTransition row and the audit
entry, in the caller's transaction. Used by warden.licences.services and warden.licences.shipments."""

from __future__ import annotations

from typing import Any

from warden.accounts.actors import Actor, person
from warden.audit.services import record
from warden.lib.errors import CaseConflict
from warden.licences.models import Licence, LicenceTransition
from warden.licences.policy import LICENCE_TABLE, LicenceAction


def lock_licence(licence: Licence, expected_version: int | None) -> Licence:
    locked = Licence.objects.select_for_update().select_related("case").get(pk=licence.pk)
    expected = licence.version if expected_version is None else expected_version
    if locked.version != expected:
        raise CaseConflict(
            f"Licence {locked.number} was changed since you opened it (it is now "
            f"{locked.get_status_display().lower()}). Nothing was saved: reload and try again."
        )
    return locked


def sync(target: Licence, source: Licence) -> None:
    if target is not source:
        for f in Licence._meta.concrete_fields:
            setattr(target, f.attname, getattr(source, f.attname))


def move(
    *,
    actor: Actor,
    licence: Licence,
    action: LicenceAction,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> LicenceTransition:
    t = LICENCE_TABLE[action]
    from_status = licence.status
    to_status = t.target if t.target is not None else from_status
    licence.status = to_status
    licence.version += 1
    licence.save(update_fields=["status", "version"])
    row = LicenceTransition.objects.create(
        licence=licence,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        actor=person(actor),  # the system's moves (expiry, a law change) name nobody
        reason=reason,
    )
    record(
        actor=actor,
        action=f"licence.{action.value}",
        target=licence,
        data={
            "number": licence.number,
            "from": from_status,
            "to": to_status,
            "reason": reason,
            **(data or {}),
        },
        case_id=licence.case_id,
    )
    return row
