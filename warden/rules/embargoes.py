"""EU CP criterion 1 and ATT 6.1: arms embargoes of the UN, the EU and the OSCE.

Every country the goods touch is checked: the destination (against the end users' sectors) and the
country of every other party (brokers, intermediaries and consignees in transit or brokering deals),
because a transfer through or brokered from an embargoed country is caught too."""

from __future__ import annotations

from collections.abc import Iterator

from warden.rules.context import Ctx, goods_in_scope, goods_label
from warden.rules.embargo_scope import citation_chain, scope
from warden.rules.model import GOVERNMENTAL_SECTORS, Outcome, Version
from warden.rules.reference import Embargo

NON_GOVERNMENTAL_KNOWN = frozenset({"non_state_armed_group", "commercial", "individual"})


def touchpoints(ctx: Ctx) -> Iterator[tuple[str, str, frozenset[str]]]:
    app = ctx.app
    dest_users = [p for p in app.end_users if p.country in ("", app.destination)] or list(app.end_users)
    yield "destination", app.destination, frozenset(p.sector for p in dest_users) or frozenset({"unknown"})
    for i, p in enumerate(app.parties):
        if p.country and p.country != app.destination:
            yield f"parties[{i}]", p.country, frozenset({p.sector})


def recipient_outcome(v: Version, sectors: frozenset[str], global_regime: bool) -> tuple[Outcome, str] | None:
    """The outcome for these end-user sectors, or None when the measure cannot reach this recipient at all
    (then it is no finding: a regime aimed at groups wherever they are says nothing about a ministry of
    defence in Oslo; the parties' names are screened against its list separately)."""
    d = v.data
    if global_regime:
        if "non_state_armed_group" in sectors:
            return "risk", "the end user is a non-state armed group; screen it against the targeted names"
        return None
    applies_to = d.get("applies_to", "all")
    exempt = frozenset(d.get("exempt_sectors", ()))
    exempt_outcome: Outcome = d.get("exemption_outcome", "pass")
    if applies_to == "all":
        if exempt and sectors <= exempt:
            return exempt_outcome, "the end user is exempt (" + ", ".join(sorted(sectors)) + ")"
        return "deny", "the embargo covers every recipient in the country"
    if applies_to == "non_governmental":
        if sectors <= GOVERNMENTAL_SECTORS:
            return (
                exempt_outcome,
                "the embargo binds only non-governmental forces and the end user is governmental",
            )
        if sectors & NON_GOVERNMENTAL_KNOWN:
            return "deny", "the embargo binds non-governmental recipients and the end user is one"
        return "risk", "the embargo binds non-governmental recipients and the end user's sector is unknown"
    # named_groups / listed_persons: the names themselves are screened; here the sector tells us
    # whether the recipient could be one of the targeted armed groups.
    if "non_state_armed_group" in sectors:
        if applies_to == "named_groups":
            return (
                "deny",
                "the embargo targets armed groups in the country and the end user is a non-state armed group",
            )
        return "risk", "the end user is a non-state armed group; screen it against the targeted names"
    if "unknown" in sectors and applies_to == "named_groups":
        return "risk", "the end user's sector is unknown, so it cannot be excluded from the targeted groups"
    return (
        "pass",
        "the embargo targets named groups or persons only and the end user is not among them by sector",
    )


def check(ctx: Ctx) -> None:
    touched = False
    for subject, country, sectors in touchpoints(ctx):
        for emb, v in ctx.ref.embargo_versions(country, ctx.on):
            to_goods = v.data.get("to_goods") or []
            if not to_goods:  # this version restricts only supplies FROM the target
                continue
            idx = goods_in_scope(ctx, to_goods, sectors)
            if not idx:
                continue
            decided = recipient_outcome(v, sectors, emb.target == "*")
            if decided is None:
                continue
            outcome, why = decided
            if outcome == "deny" and v.data.get("binding") == "political":
                outcome, why = (
                    "risk",
                    why + "; the embargo is a political commitment whose scope is set nationally",
                )
            touched = True
            _emit(ctx, emb, v, subject, country, outcome, why, idx)
    if not touched:
        ctx.add(
            "embargo.none",
            "destination",
            "pass",
            f"No UN, EU or OSCE arms embargo in force on {ctx.on.isoformat()} covers these goods "
            "for any country the transfer touches.",
        )


def _emit(
    ctx: Ctx, emb: Embargo, v: Version, subject: str, country: str, outcome: Outcome, why: str, idx: list[int]
) -> None:
    body = emb.body.lower()
    key = ("embargo-basis", emb.id, v.effective_from, country, ctx.on.year)
    cached = ctx.ref.memo.get(key)
    if cached is None:  # the wording depends only on the version, the country and the year: memoised
        measure = scope(ctx.ref, emb, v, country)
        cached = ctx.ref.memo[key] = (measure, f"{citation_chain(emb, v, ctx.on)}: {measure}")
    measure, basis = cached
    if emb.target == "*":
        where = "An end user" if subject == "destination" else f"The party in {country}"
        text = (
            f"{where} is a non-state armed group, and the {measure} ({emb.title}) applies wherever its "
            f"targets are, in force on {ctx.on.isoformat()}; {goods_label(ctx, idx)} goods are within its "
            f"scope; {why}."
        )
    else:
        name = str((ctx.ref.profiles.get(country) or {}).get("name") or country)
        where = "destination" if subject == "destination" else "party's country"
        where += f" {name} ({country})" if name != country else f" {country}"
        if v.data.get("applies_to", "all") == "all":
            lead = f"The {where} is under the {measure} ({emb.title}), in force on {ctx.on.isoformat()}"
        else:  # a targeted measure: the country is where its targets are, not itself embargoed
            lead = f"The {measure} ({emb.title}) applies in the {where}, in force on {ctx.on.isoformat()}"
        text = f"{lead}; {goods_label(ctx, idx)} goods are within its scope; {why}."
    condition = ""
    if outcome == "condition":  # an exemption that holds only with a notification or an approval
        condition = str(
            v.data.get("condition")
            or "Deliver only after the notification to, or the approval of, the "
            + ("Security Council sanctions committee" if emb.body == "UN" else "competent authorities")
            + f" that the exemption for these end users requires ({v.citation}); keep the proof with the licence."
        )
    ctx.add(f"embargo.{body}.arms", subject, outcome, text, basis, condition=condition)
    if emb.body == "UN":
        ctx.add("att.6.1", subject, outcome, text, basis, condition=condition)
