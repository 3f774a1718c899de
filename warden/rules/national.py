"""National rules as data (CP Art. 3 lets a state be stricter): each record in national_rules.yaml says
when it applies (destinations, rating prefixes, end-user sectors, licence types) and with which outcome."""

from __future__ import annotations

from warden.rules.context import Ctx
from warden.rules.effective import in_force
from warden.rules.model import Finding, rating_matches


def check(ctx: Ctx) -> None:
    app = ctx.app
    for rule in in_force(ctx.ref.national, ctx.on):
        when = rule.data.get("when", {})
        if "destinations" in when and app.destination not in when["destinations"]:
            continue
        if "licence_types" in when and app.licence_type not in when["licence_types"]:
            continue
        if "sectors" in when and not ({p.sector for p in app.end_users} & set(when["sectors"])):
            continue
        # A national measure on a declared end use (Art. 9 of Reg. 2021/821 lets a state require a licence
        # for unlisted items on public-security or human-rights grounds): any one of the flags.
        if "end_use_flags" in when and not (app.end_use_flags & set(when["end_use_flags"])):
            continue
        prefixes = when.get("ratings", [])
        hits = [
            i
            for i, g in enumerate(app.goods)
            if not prefixes or any(rating_matches(g.rating.code, p) for p in prefixes)
        ]
        if not hits:
            continue
        subject = "application" if not prefixes else f"goods[{hits[0]}]"
        ctx.findings.append(
            Finding(
                criterion=f"NATIONAL:{rule.record_id}",
                rule=f"national.{rule.record_id}",
                subject=subject,
                outcome=rule.data["outcome"],
                basis=rule.citation,
                explanation=str(rule.data["explanation"]),
                condition=str(rule.data.get("condition") or ""),
            )
        )
