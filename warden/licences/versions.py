"""A licence's versions: the terms in force now and on any date, and what an amendment changes.

Version 1 is the licence as issued; until the first amendment is granted it exists only as the live rows
(Licence, LicenceLine), and `versions_of` presents it from them. A granted amendment records version 1 (if
not yet recorded) and the new version, then rewrites the live rows in place, so every page, the PDF and the
shipments read the terms in force without knowing about versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from warden.cases.models import Case
from warden.licences.models import Licence, LicenceLine, LicenceVersion


@dataclass(frozen=True)
class VersionView:
    number: int
    effective_from: dt.date
    effective_until: dt.date | None  # the day before the next version, None for the one in force
    case: Case
    valid_until: dt.date
    conditions: str
    lines: list[dict[str, Any]]
    diff: dict[str, Any]


def line_snapshot(line: LicenceLine) -> dict[str, Any]:
    g = line.goods_line
    return {
        "line": line.pk,
        "line_no": g.line_no,
        "description": g.description,
        "rating": g.rating,
        "quantity": line.quantity,
        "value_amount": str(line.value_amount),
        "currency": line.currency,
    }


def live_lines(licence: Licence) -> list[dict[str, Any]]:
    rows = LicenceLine.objects.filter(licence=licence).select_related("goods_line")
    return [line_snapshot(ln) for ln in sorted(rows, key=lambda ln: ln.goods_line.line_no)]


def current_number(licence: Licence) -> int:
    last = LicenceVersion.objects.filter(licence=licence).order_by("-number").values_list("number", flat=True)
    return next(iter(last), 1)


def terms_case(licence: Licence) -> Case:
    """The case whose document carries the terms in force: the last granted amendment's, else the licence's."""
    last = LicenceVersion.objects.filter(licence=licence).select_related("case").order_by("-number").first()
    return last.case if last is not None else licence.case


def versions_of(licence: Licence) -> list[VersionView]:
    """Every version, oldest first, each with the day it stopped being in force."""
    rows = list(LicenceVersion.objects.filter(licence=licence).select_related("case").order_by("number"))
    if not rows:
        return [
            VersionView(
                1,
                licence.valid_from,
                None,
                licence.case,
                licence.valid_until,
                licence.conditions,
                live_lines(licence),
                {},
            )
        ]
    out = []
    for i, v in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        until = nxt.effective_from - dt.timedelta(days=1) if nxt else None
        out.append(
            VersionView(
                v.number, v.effective_from, until, v.case, v.valid_until, v.conditions, v.lines, v.diff
            )
        )
    return out


def version_on(licence: Licence, day: dt.date) -> VersionView:
    """The version in force on `day` (the first one for a day before any amendment)."""
    found = versions_of(licence)
    for v in reversed(found):
        if v.effective_from <= day:
            return v
    return found[0]


# ---------------------------------------------------------------------------------------------- the diff


def _goods(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "description": str(g.get("description", "")),
            "rating": str(g.get("rating", "")),
            "quantity": int(g.get("quantity", 0)),
            "value": f"{Decimal(str((g.get('value') or {}).get('amount', 0))):.2f} "
            f"{(g.get('value') or {}).get('currency', '')}",
        }
        for g in doc.get("goods", [])
    ]


def _parties(doc: dict[str, Any]) -> list[str]:
    return sorted(
        f"{p.get('role', '')}: {p.get('name', '')} ({p.get('country', '')})" for p in doc.get("parties", [])
    )


FIELDS = ("end_use", "licence_type", "destination")


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What the amended application changes: goods lines added, removed or changed (by position), parties
    added or removed, and changed fields; an empty dict when nothing changed."""
    out: dict[str, Any] = {}
    before, after = _goods(old), _goods(new)
    goods = []
    for i in range(max(len(before), len(after))):
        b = before[i] if i < len(before) else None
        a = after[i] if i < len(after) else None
        if b != a:
            goods.append({"line": i + 1, "before": b, "after": a})
    if goods:
        out["goods"] = goods
    pb, pa = _parties(old), _parties(new)
    added, removed = [p for p in pa if p not in pb], [p for p in pb if p not in pa]
    if added or removed:
        out["parties"] = {"added": added, "removed": removed}
    fields = {k: {"before": old.get(k), "after": new.get(k)} for k in FIELDS if old.get(k) != new.get(k)}
    old_euc, new_euc = old.get("end_user_certificate"), new.get("end_user_certificate")
    if old_euc != new_euc:
        fields["end_user_certificate"] = {"before": old_euc, "after": new_euc}
    if fields:
        out["fields"] = fields
    return out


def document_for_proposal(licence: Licence) -> dict[str, Any]:
    """The application a proposal starts from: the terms in force, with the quantities and values licensed
    (which may differ from what was applied for only through an earlier amendment, so they are the same)."""
    doc = dict(terms_case(licence).document)
    doc.pop("submitted_on", None)
    doc.pop("reference", None)
    return doc
