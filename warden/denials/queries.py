"""Read-only views of the denials: our refusals as warden.denial/1 notifications, everything held (ours and
partners'), and the consultation counts the COARM annual report needs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from warden.accounts.services import our_state
from warden.cases.models import Case, Decision, PartyRole
from warden.denials.models import Consultation, Denial
from warden.lib import clock
from warden.rules.lines import lines_of


def _party(case: Case, role: str) -> dict[str, str] | None:
    for p in case.parties.all():
        if p.role == role:
            out = {"name": p.name}
            if p.address:
                out["address"] = p.address
            if p.country:
                out["country"] = p.country
            return out
    return None


def notification_of(case: Case, state: str) -> dict[str, Any]:
    """A refused case as our denial notification. The refusal's date is the day it was finalised."""
    assert case.finalised_at is not None
    d: dict[str, Any] = {
        "issuing_state": state,
        "reference": case.reference,
        "date": clock.local_date(case.finalised_at).isoformat(),
        "destination": case.destination,
        "goods": [
            {"rating": g.rating, "description": g.description, "quantity": g.quantity}
            for g in case.goods.all()
        ],
    }
    consignee = _party(case, PartyRole.CONSIGNEE)
    if consignee:
        d["consignee"] = consignee
    d["end_user"] = _party(case, PartyRole.END_USER) or {"name": "unknown"}
    d["end_use"] = case.end_use
    d["criteria"] = list(case.decision_criteria)
    d["reason"] = case.decision_reason
    d["revoked"] = False
    return d


def refused_lines_of(case: Case, state: str) -> list[dict[str, Any]]:
    """The destination lines refused within an approval of a global application, each as our denial
    notification: reference <case>/<line number from 1>, the line's country, goods and parties, the criteria
    it was refused under."""
    assert case.finalised_at is not None
    lines = {ln.index: ln for ln in lines_of(case.document)}
    goods = {g.line_no: g for g in case.goods.all()}
    parties = {p.index: p for p in case.parties.all()}
    out = []
    for refused in case.refused_destinations or []:
        line = lines[int(refused["line"])]
        d = notification_of(case, state)
        d["reference"] = f"{case.reference}/{line.index + 1}"
        d["destination"] = line.country
        d["goods"] = [
            {"rating": goods[j].rating, "description": goods[j].description, "quantity": goods[j].quantity}
            for j in line.goods
        ]
        own = [parties[k] for k in line.parties if k in parties]
        for role in (PartyRole.CONSIGNEE, PartyRole.END_USER):
            match = next((p for p in own if p.role == role), None)
            d.pop(str(role), None)
            if match is not None:
                d[str(role)] = {"name": match.name, **({"country": match.country} if match.country else {})}
        d.setdefault("end_user", {"name": "unknown"})
        d["criteria"] = list(refused["criteria"])
        out.append(d)
    return out


def ours(*, since: dt.date | None = None) -> list[dict[str, Any]]:
    """Our refusals (finalised as refused, appeals included while the refusal stands), and the destination
    lines refused within an approval of a global application, oldest first."""
    qs = Case.objects.filter(decision=Decision.REFUSED, finalised_at__isnull=False).prefetch_related(
        "goods", "parties"
    )
    state = our_state()
    out = [notification_of(c, state) for c in qs.order_by("finalised_at", "pk")]
    partial = (
        Case.objects.filter(
            finalised_at__isnull=False, decision__in=(Decision.APPROVED, Decision.APPROVED_WITH_CONDITIONS)
        )
        .exclude(refused_destinations=[])
        .prefetch_related("goods", "parties")
        .order_by("finalised_at", "pk")
    )
    for c in partial:
        out.extend(refused_lines_of(c, state))
    out.sort(key=lambda d: d["date"])
    return [d for d in out if since is None or dt.date.fromisoformat(d["date"]) >= since]


def partner_notification(d: Denial) -> dict[str, Any]:
    return dict(d.document)


def held(*, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Everything held: ours, then partners' (newest first), each with where it came from and its state."""
    today = today or clock.today()
    rows: list[dict[str, Any]] = []
    for d in ours():
        rows.append({"source": "ours", "in_force": True, "notification": d})
    for denial in Denial.objects.all():
        state = "revoked" if denial.revoked else "in force" if denial.in_force_on(today) else "expired"
        rows.append(
            {
                "source": "partner",
                "in_force": state == "in force",
                "state": state,
                "valid_until": denial.valid_until.isoformat(),
                "open_flags": denial.flags.filter(status="open").count(),
                "notification": partner_notification(denial),
            }
        )
    for row in rows:
        row.setdefault("state", "in force")
    return rows


def consultations(year: int) -> dict[str, int]:
    """How many consultations of a denying state we requested in `year`, per destination of the consulted
    case (COARM annual report). Destinations without one are absent."""
    qs = Consultation.objects.filter(requested_on__year=year).values_list(
        "flag__case__destination", flat=True
    )
    return dict(sorted(Counter(qs).items()))
