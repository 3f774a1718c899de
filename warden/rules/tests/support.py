"""Builders for engine tests: a compact case description -> a warden.application/1 document."""

from __future__ import annotations

import functools
from typing import Any

from warden.legislation.loader import bundled_reference
from warden.rules.model import OUTCOME_RANK
from warden.rules.reference import Reference


@functools.cache
def reference() -> Reference:
    return bundled_reference()


def application(case: dict[str, Any]) -> dict[str, Any]:
    dest = case["destination"]
    ratings = case.get("goods", ["ML6.a"])
    descriptions = case.get("descriptions", [])
    doc: dict[str, Any] = {
        "format": "warden.application/1",
        "reference": "APP-TEST",
        "licence_type": case.get("licence_type", "individual"),
        "exporter": {"name": "Northbridge Defence Ltd", "country": "GB"},
        "destination": dest,
        "end_use": case.get("end_use", "Equipment for the end user's own use"),
        "goods": [
            {
                "description": descriptions[i] if i < len(descriptions) else f"Item {r}",
                "rating": r,
                "quantity": 1,
                "value": {"amount": 1000, "currency": "EUR"},
            }
            for i, r in enumerate(ratings)
        ],
        "parties": [
            {
                "role": "end_user",
                "type": "organisation",
                "sector": case.get("sector", "armed_forces"),
                "name": "End User",
                "country": dest,
            }
        ],
    }
    for p in case.get("parties", []):
        doc["parties"].append({"type": "organisation", "name": f"{p['role']} party", **p})
    euc = case.get("euc", {})
    if euc != "none":
        doc["end_user_certificate"] = {
            "number": "EUC-1",
            "issued_on": "2000-01-01",
            "re_export": "prohibited",
            "delivery_verification": True,
            "post_shipment_verification": False,
            **euc,
        }
        # `re_export: null` in a case means the certificate is silent on it (the key is absent).
        doc["end_user_certificate"] = {k: v for k, v in doc["end_user_certificate"].items() if v is not None}
    if "submitted_on" in case:
        doc["submitted_on"] = str(case["submitted_on"])
    if "return_by" in case:
        doc["temporary_export"] = {"return_by": str(case["return_by"]), "purpose": "Trials"}
    if "end_use_flags" in case:
        doc["end_use_flags"] = list(case["end_use_flags"])
    return doc


def worst(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return "absent"
    return max((f["outcome"] for f in findings), key=OUTCOME_RANK.__getitem__)


def embargo_outcome(assessment: dict[str, Any], embargo_id: str) -> str:
    """The worst finding produced by one embargo record (findings name the embargo's title)."""
    ref = reference()
    emb = next(
        e
        for es in (*ref.embargoes_by_target.values(), ref.global_embargoes)
        for e in es
        if e.id == embargo_id
    )
    hits = [
        f
        for f in assessment["findings"]
        if f["rule"].startswith("embargo.") and f"({emb.title})" in f["explanation"]
    ]
    return worst(hits)
