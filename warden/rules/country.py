"""EU CP criteria 2 to 8 and ATT 6.3, 7 and 11, from the authority's dated country assessments.

Levels run none < low < medium < high < critical. The mandatory criteria (2, 3, 4) refuse at `critical`
(a "clear risk") and refer at `high`; the criteria to be considered (5 to 8) refer at `high` or above,
because the CP leaves the refusal to the officer's judgement there."""

from __future__ import annotations

from warden.rules.context import Ctx
from warden.rules.model import Outcome, Version
from warden.rules.reference import LEVEL_RANK

HIGH, CRITICAL = LEVEL_RANK["high"], LEVEL_RANK["critical"]

# rule id, assessment field, plain-language concern, refuse at critical?
CRITERIA: tuple[tuple[str, str, str, bool], ...] = (
    (
        "country.human_rights",
        "human_rights",
        "a risk that the goods might be used for internal repression",
        True,
    ),
    ("country.ihl", "ihl", "a risk of serious violations of international humanitarian law", True),
    (
        "country.internal_conflict",
        "internal_conflict",
        "provoking or prolonging armed conflict in the country",
        True,
    ),
    (
        "country.regional_tension",
        "regional_tension",
        "aggression against another state or a territorial claim by force",
        True,
    ),
    (
        "country.allied_security",
        "allied_security",
        "a threat to the security of Member States, allies and friends",
        False,
    ),
    (
        "country.terrorism",
        "terrorism",
        "the buyer's support for terrorism or disregard of international law",
        False,
    ),
    (
        "country.diversion",
        "diversion",
        "diversion within the buyer country or re-export under undesirable conditions",
        False,
    ),
    (
        "country.capacity",
        "capacity",
        "a disproportionate burden on the recipient's technical and economic capacity",
        False,
    ),
)


def _outcome(rank: int, mandatory: bool) -> Outcome:
    if rank >= CRITICAL and mandatory:
        return "deny"
    if rank >= HIGH:
        return "risk"
    return "pass"


def check(ctx: Ctx) -> None:
    dest = ctx.app.destination
    v = ctx.ref.assessment(dest, ctx.on)
    if v is None:
        ctx.add(
            "country.no_assessment",
            "destination",
            "risk",
            f"There is no country assessment for {dest} in force on {ctx.on.isoformat()}, so criteria 2 to 8 "
            "need an officer's judgement.",
        )
        return
    military = any(g.rating.kind == "military" for g in ctx.app.goods)
    # The destination's findings depend only on the assessment version, the rules in force and whether
    # military goods are involved: computed once per combination (the engine's hottest path).
    key = ("country", dest, v.effective_from, ctx.ref.rules_epoch(ctx.on), military)
    cached = ctx.ref.memo.get(key)
    if cached is None:
        sub = Ctx(app=ctx.app, ref=ctx.ref, on=ctx.on)
        _destination_findings(sub, dest, v, military)
        cached = ctx.ref.memo[key] = tuple(sub.findings)
    ctx.findings.extend(cached)
    _party_diversion(ctx, dest)


def _destination_findings(ctx: Ctx, dest: str, v: Version, military: bool) -> None:
    d = v.data
    source = f"country assessment {dest} of {v.effective_from.isoformat()}"
    for rule_id, key, concern, mandatory in CRITERIA:
        level = str(d.get(key, "none"))
        outcome = _outcome(LEVEL_RANK[level], mandatory)
        ctx.add(
            rule_id,
            "destination",
            outcome,
            f"The authority's {source} rates {concern} as {level} for {dest}"
            + ("." if outcome == "pass" else f", which is at or above the threshold for {outcome}."),
            source=f"{source} ({v.citation})",
        )
    if d.get("atrocity_knowledge"):
        ctx.add(
            "att.6.3",
            "destination",
            "deny",
            f"The {source} records knowledge that arms supplied to {dest} would be used in genocide, crimes "
            "against humanity or war crimes; ATT Article 6(3) prohibits the transfer.",
        )
    if military:
        worst = max(LEVEL_RANK[str(d.get(k, "none"))] for k in ("human_rights", "ihl", "terrorism"))
        att7: Outcome = "deny" if worst >= CRITICAL else "risk" if worst >= HIGH else "pass"
        ctx.add(
            "att.7",
            "destination",
            att7,
            f"Export assessment under ATT Article 7 for {dest}: the highest of the human-rights, IHL and "
            f"terrorism ratings is {_name(worst)}"
            + (" (an overriding risk: do not authorise)." if att7 == "deny" else "."),
        )
    div = LEVEL_RANK[str(d.get("diversion", "none"))]
    if military and div >= HIGH:
        ctx.add(
            "att.11",
            "destination",
            "risk",
            f"Diversion risk for {dest} is {_name(div)}: ATT Article 11 requires measures against diversion "
            "(further assurances, delivery verification) or refusal.",
        )


def _party_diversion(ctx: Ctx, dest: str) -> None:
    # Brokering and transit: each other country the goods pass through is a diversion point too.
    for i, p in enumerate(ctx.app.parties):
        if p.country and p.country != dest:
            pv = ctx.ref.assessment(p.country, ctx.on)
            if pv is not None and LEVEL_RANK[str(pv.data.get("diversion", "none"))] >= HIGH:
                ctx.add(
                    "country.diversion",
                    f"parties[{i}]",
                    "risk",
                    f"The {p.role.replace('_', ' ')} sits in {p.country}, rated {pv.data['diversion']} for "
                    f"diversion by the country assessment of {pv.effective_from.isoformat()}.",
                    source=pv.citation,
                )


def _name(rank: int) -> str:
    return ("none", "low", "medium", "high", "critical")[rank]
