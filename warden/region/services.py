"""Importing a SIPRI trade register: one service, all or nothing, audited in the same transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from warden.accounts.actors import Actor
from warden.accounts.models import User
from warden.audit.services import record
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.region import policy, sipri
from warden.region.models import Transfer, TransferFile


@dataclass(frozen=True)
class ImportResult:
    file: TransferFile
    rows: int
    unmapped: tuple[str, ...]  # names kept without a country code (unknown, non-state, historic)
    replaced: int = 0  # rows of earlier files the same deal and year now comes from this file

    def summary(self) -> str:
        text = f"{self.file.filename}: {self.rows} transfer row(s) imported ({self.file.fmt} format"
        text += f", data generated {self.file.data_generated})" if self.file.data_generated else ")"
        if self.replaced:
            text += f"; {self.replaced} row(s) of earlier files replaced by this one's"
        if self.unmapped:
            text += f"; kept without a country code: {', '.join(self.unmapped[:8])}"
            text += f" and {len(self.unmapped) - 8} more" if len(self.unmapped) > 8 else ""
        return text


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    """One deal's delivery in one year: the register's id when it has one, else what the legacy row says."""
    if row["deal_id"]:
        return ("id", row["deal_id"], row["delivery_year"])
    return (
        "legacy",
        row["supplier"],
        row["recipient"],
        row["designation"],
        row["order_year"],
        row["delivery_year"],
    )


def _replace_earlier(rows: list[dict[str, Any]]) -> int:
    """SIPRI revises its data: a newer file's row for the same deal and year replaces the earlier one, so
    overlapping imports never count a delivery twice."""
    keys = {_key(r) for r in rows}
    fields = ("id", "deal_id", "supplier", "recipient", "designation", "order_year", "delivery_year")
    held = Transfer.objects.filter(recipient__in={r["recipient"] for r in rows}).values(*fields)
    stale = [h["id"] for h in held if _key(h) in keys]
    for start in range(0, len(stale), 500):
        Transfer.objects.filter(id__in=stale[start : start + 500]).delete()
    return len(stale)


def import_register(*, actor: Actor, data: bytes, filename: str) -> ImportResult:
    """Store a SIPRI trade-register file. Raises NotPermitted, InvalidInput (a file already imported) or
    sipri.SipriFormatError naming the line and column of the first bad row; on any of them nothing is stored."""
    reason = policy.why_not(actor, policy.RegionAction.IMPORT)
    if reason:
        raise NotPermitted(reason)
    register = sipri.parse(data)  # before the transaction: a bad file never touches the database
    sha = hashlib.sha256(data).hexdigest()
    name = (filename or "upload.csv").strip()[:255]
    with transaction.atomic():
        if TransferFile.objects.filter(sha256=sha).exists():
            raise InvalidInput(f"{name}: this file was imported already (sha256 {sha[:12]}…)", field="file")
        replaced = _replace_earlier(register.rows)
        source = TransferFile.objects.create(
            filename=name,
            sha256=sha,
            fmt=register.fmt,
            title=register.title,
            data_generated=register.data_generated,
            rows=len(register.rows),
            imported_by=actor if isinstance(actor, User) else None,
            imported_at=clock.now(),
        )
        Transfer.objects.bulk_create(
            (Transfer(source=source, **row) for row in register.rows), batch_size=2000
        )
        unmapped = sorted(
            {r["supplier"] for r in register.rows if not r["supplier_code"]}
            | {r["recipient"] for r in register.rows if not r["recipient_code"]}
        )
        record(
            actor=actor,
            action="region.sipri_import",
            target=source,
            data={
                "file": name,
                "sha256": sha,
                "format": register.fmt,
                "rows": len(register.rows),
                "data_generated": register.data_generated,
                "unmapped": unmapped,
                "replaced": replaced,
            },
        )
    return ImportResult(file=source, rows=len(register.rows), unmapped=tuple(unmapped), replaced=replaced)
