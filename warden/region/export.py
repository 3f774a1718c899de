"""The region view as CSV: one row per recipient, typed columns (numbers as numbers), the SIPRI citation."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from warden.region.queries import CITATION

HEADER = (
    "region", "recipient", "first_year", "last_year", "our_licences", "our_items", "sipri_tiv_total",
    "sipri_tiv_5y_moving_average", "largest_supplier", "largest_supplier_share_pct", "new_categories",
    "neighbours_tiv",
)  # fmt: skip


def to_csv(view: dict[str, Any]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    for r in view["recipients"]:
        s = r["sipri"]
        w.writerow(
            [view["region"]["name"], r["code"], view["window"]["first"], view["window"]["last"],
             r["licensed"]["licences"], r["licensed"]["items"], s["tiv_total"], s["moving_average_5y"],
             s["largest_supplier"], "" if s["largest_supplier_share"] is None else s["largest_supplier_share"],
             "; ".join(s["new_categories"]), s["neighbours_tiv"]]
        )  # fmt: skip
    w.writerow([])
    w.writerow([f"# {CITATION}"])
    for f in view["files"]:
        w.writerow(
            [
                f"# SIPRI file {f['filename']} ({f['format']}), data generated {f['data_generated'] or 'not stated'}"
            ]
        )
    return out.getvalue()


def jsonable(value: Any) -> Any:
    """Decimals as strings with their digits, keys as strings: the API's and CLI's JSON."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value
