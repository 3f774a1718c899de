"""What every rule module receives: the application, the reference snapshot, the date, and a sink for
findings that fills in criterion and legal basis from the ruleset (so rules are switched on and off by
their effective dates in data, not in code)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from warden.rules.model import Application, Finding, Goods, Outcome
from warden.rules.reference import Reference

SALW_ML = frozenset({1, 2, 3})  # small arms, light weapons and their ammunition (ATT Art. 2(1)(h), Art. 3)


@dataclass
class Ctx:
    app: Application
    ref: Reference
    on: dt.date
    findings: list[Finding] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rules = self.ref.rules_on(self.on)

    def in_force(self, rule_id: str) -> bool:
        return rule_id in self.rules

    def add(
        self,
        rule_id: str,
        subject: str,
        outcome: Outcome,
        explanation: str,
        basis: str | None = None,
        *,
        source: str = "",
        condition: str = "",
    ) -> None:
        """Record a finding of `rule_id` if that rule is in force; basis defaults to the rule's citation,
        followed by `source` (the reference record relied on) when given; `condition` is the wording of the
        licence condition a `condition` finding proposes."""
        rule = self.rules.get(rule_id)
        if rule is None:  # not in force on this date: the rule did not exist yet, or was repealed
            return
        self.findings.append(
            Finding(
                criterion=rule.criterion,
                rule=rule_id,
                subject=subject,
                outcome=outcome,
                basis=(basis or rule.citation) + (f"; {source}" if source else ""),
                explanation=explanation,
                condition=condition,
            )
        )


def goods_in_scope(ctx: Ctx, selectors: list[str], sectors: frozenset[str]) -> list[int]:
    """Indices of goods lines caught by an embargo's list-category selectors (see embargoes.yaml header)."""
    hits = []
    for i, g in enumerate(ctx.app.goods):
        if any(_selects(ctx, s, g, sectors) for s in selectors):
            hits.append(i)
    return hits


def _selects(ctx: Ctx, selector: str, g: Goods, sectors: frozenset[str]) -> bool:
    r = g.rating
    if selector == "arms":
        return r.kind == "military"
    if selector == "arms_except_salw":
        return r.kind == "military" and r.category not in SALW_ML
    if selector == "salw":
        return r.kind == "military" and r.category in SALW_ML
    if selector == "unroca_and_missiles":
        entry = ctx.ref.ml_entry(r)
        return bool(entry and (entry.get("unroca") or r.category == 4))
    if selector == "dual_use":
        return r.kind == "dual_use"
    if selector == "dual_use_wmd":
        return r.kind == "dual_use" and r.regime in {"nsg", "mtcr", "australia_group", "cwc"}
    if selector == "dual_use_military_end_user":
        return r.kind == "dual_use" and bool(sectors & {"armed_forces", "police"})
    if selector in {"repression", "telecom_monitoring"}:
        return any(
            f["id"] in {"cyber_surveillance", "intrusion_software"} for f in ctx.ref.emerging_flags(r, ctx.on)
        )
    return False


def goods_label(ctx: Ctx, idx: list[int]) -> str:
    ratings = sorted({ctx.app.goods[i].rating.code for i in idx})
    return ", ".join(ratings)
