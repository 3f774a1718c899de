"""The notices of catch-all decisions, as `warden.catchall/1` (docs/catchall-format.md): for the other member
states and the Commission (Reg. (EU) 2021/821 Art. 4(4)-(6), 5(4), 9(2), 10) and for our customs, who must
be able to stop the goods. A sibling of `warden.denial/1` rather than a kind inside it: a catch-all notice
is not a refusal (it feeds no undercut consultation) and carries what a denial has not: the legal basis,
the exporter for customs, and how long it stands.

Reading only: the notice is written by warden.catchall.services.decide."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from warden.catchall.models import CatchAllNotice

FORMAT = "warden.catchall/1"
FILE_FORMATS = ("json", "csv")
# The literal the denial format uses for goods on no control list (docs/denial-format.md).
UNLISTED = "catch all"
CSV_COLUMNS = [
    "issuing_state",
    "reference",
    "date",
    "valid_until",
    "basis",
    "destination",
    "goods_rating",
    "goods_description",
    "exporter_name",
    "exporter_country",
    "end_user_name",
    "end_user_country",
    "end_use",
    "decision",
    "reason",
    "embargoes",
    "intended_export_on",
]


def held(*, since: dt.date | None = None) -> QuerySet[CatchAllNotice]:
    qs = CatchAllNotice.objects.select_related("referral__organisation", "referral__decided_by")
    if since is not None:
        qs = qs.filter(issued_on__gte=since)
    return qs.order_by("issued_on", "pk")


def as_record(n: CatchAllNotice) -> dict[str, Any]:
    r = n.referral
    return {
        "issuing_state": n.issuing_state,
        "reference": r.reference,
        "date": n.issued_on.isoformat(),
        "valid_until": n.valid_until.isoformat(),
        "basis": r.basis,
        "basis_text": r.get_basis_display(),
        "destination": r.destination,
        "goods": [{"rating": r.rating or UNLISTED, "description": r.goods_description}],
        "exporter": {"name": r.organisation.name, "country": r.organisation.country},
        "end_user": {"name": r.end_user_name, "country": r.end_user_country},
        "end_use": r.end_use,
        "decision": "licence_required",
        "reason": r.decision_reason,
        "embargoes": [str(e.get("id", "")) for e in r.embargo_status],
        "intended_export_on": r.intended_export_on.isoformat() if r.intended_export_on else None,
    }


def document(records: Iterable[dict[str, Any]], *, issuing_state: str, today: dt.date) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "issuing_state": issuing_state,
        "generated_on": today.isoformat(),
        "notices": list(records),
    }


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    """One row a notice; the few lists (goods, embargoes) joined with " | " as in warden.denial/1's CSV."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for d in records:
        writer.writerow(
            {
                "issuing_state": d["issuing_state"],
                "reference": d["reference"],
                "date": d["date"],
                "valid_until": d["valid_until"],
                "basis": d["basis"],
                "destination": d["destination"],
                "goods_rating": " | ".join(g["rating"] for g in d["goods"]),
                "goods_description": " | ".join(g["description"].replace("|", "/") for g in d["goods"]),
                "exporter_name": d["exporter"]["name"],
                "exporter_country": d["exporter"]["country"],
                "end_user_name": d["end_user"]["name"],
                "end_user_country": d["end_user"]["country"],
                "end_use": d["end_use"],
                "decision": d["decision"],
                "reason": d["reason"],
                "embargoes": " | ".join(d["embargoes"]),
                "intended_export_on": d["intended_export_on"] or "",
            }
        )
    return out.getvalue()
