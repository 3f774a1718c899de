"""Catch-all controls and UAVs: what the exporter's end-use declarations and the goods' UAV flag change.

An application carries `end_use_flags`: what the exporter has been informed of, or is aware of or has
grounds to suspect ("I have reason to believe..."), about the end use. Each flag is a legal trigger:
- `wmd`: Reg. (EU) 2021/821 Art. 4(1)(a) (earlier 428/2009 and 1334/2000 Art. 4(1)): a use in connection
  with chemical, biological or nuclear weapons or missiles for them. No licence can rest on it: deny.
- `military_end_use`: Art. 4(1)(b): a military end use in a destination under a UN, EU or OSCE arms
  embargo. It bites only where the embargo reaches this end user (the embargo engine's own scope rules
  decide that); elsewhere the declaration is recorded as a pass. An armed-forces or police end user
  implies a military end use even when the exporter did not declare one: referred, not refused, because
  the end use is inferred rather than declared.
- `illegal_military_parts`: Art. 4(1)(c): parts of military items exported in breach of an authorisation.
- `internal_repression`: Art. 5 (cyber-surveillance for internal repression or serious violations of human
  rights or IHL); before 9 Sep 2021 the same declaration is Criterion Two (a) of the Common Position.
- `uav`: the goods are or are for an unmanned aerial vehicle, as the control list's `uav` flag says of
  ML10.b, 9A012 and 9A120 too. UAVs carry two questions the list rating alone does not: delivery of WMD
  (MTCR Guidelines, unless the rating is already an MTCR one, which treaty.mtcr assesses) and regional
  stability (Criterion Four).
Art. 4 catches items NOT on the military list; military-listed goods are licensed as such and their
embargo findings come from embargoes.py, so the Art. 4(1)(b) rules skip them.
"""

from __future__ import annotations

from warden.rules.context import Ctx
from warden.rules.embargoes import recipient_outcome, touchpoints
from warden.rules.model import OUTCOME_RANK, Outcome
from warden.rules.reference import LEVEL_RANK

END_USE_FLAGS: tuple[str, ...] = (
    "wmd",
    "military_end_use",
    "illegal_military_parts",
    "internal_repression",
    "uav",
)
# How the application form and the case page say each flag (the exporter's own words: "I have reason to
# believe..."); the order is END_USE_FLAGS'.
END_USE_FLAG_LABELS: dict[str, str] = {
    "wmd": "for chemical, biological or nuclear weapons, or missiles able to deliver them",
    "military_end_use": "for military use (incorporation into, or production of, military items)",
    "illegal_military_parts": "parts of military items exported without, or in breach of, a licence",
    "internal_repression": "for internal repression or serious violations of human rights or IHL",
    "uav": "for, or part of, an unmanned aerial vehicle (drone)",
}
MILITARY_SECTORS = frozenset({"armed_forces", "police"})
# One rule id per legal act, each dated in ruleset.yaml: whichever is in force on the date records it.
ART4 = {
    "a": ("catch_all.art4_1a", "catch_all.art4_1a_428", "catch_all.art4_1a_1334"),
    "b": ("catch_all.art4_1b", "catch_all.art4_1b_428", "catch_all.art4_1b_1334"),
    "c": ("catch_all.art4_1c", "catch_all.art4_1c_428", "catch_all.art4_1c_1334"),
}


def _add_each(ctx: Ctx, rule_ids: tuple[str, ...], subject: str, outcome: Outcome, text: str) -> None:
    for rule_id in rule_ids:
        ctx.add(rule_id, subject, outcome, text)


def check(ctx: Ctx) -> None:
    app = ctx.app
    flags = app.end_use_flags
    if "wmd" in flags:
        _add_each(
            ctx,
            ART4["a"],
            "application",
            "deny",
            "The exporter has declared that the goods are or may be intended, wholly or partly, for use in "
            "connection with chemical, biological or nuclear weapons, nuclear explosive devices or missiles "
            "capable of delivering them: a licence cannot be granted for that end use.",
        )
    _military_end_use(ctx)
    if "illegal_military_parts" in flags:
        _add_each(
            ctx,
            ART4["c"],
            "application",
            "risk",
            "The exporter has declared that the goods may be parts or components of military items exported "
            "without, or in breach of, an authorisation: an officer must establish what the goods are for "
            "before any licence.",
        )
    if "internal_repression" in flags:
        _repression(ctx)
    _uav(ctx)


def _military_end_use(ctx: Ctx) -> None:
    app = ctx.app
    declared = "military_end_use" in app.end_use_flags
    sectors = frozenset(p.sector for p in app.end_users)
    inferred = bool(sectors & MILITARY_SECTORS)
    if not (declared or inferred):
        return
    idx = [i for i, g in enumerate(app.goods) if g.rating.kind != "military"]
    if not idx:
        return
    ratings = ", ".join(sorted({app.goods[i].rating.code for i in idx}))
    worst: tuple[Outcome, str, str] | None = None
    for subject, country, touched in touchpoints(ctx):
        for emb, v in ctx.ref.embargo_versions(country, ctx.on):
            if not v.data.get("to_goods"):
                continue
            decided = recipient_outcome(v, touched, emb.target == "*")
            if decided is None or decided[0] not in ("deny", "risk"):
                continue
            if worst is None or OUTCOME_RANK[decided[0]] > OUTCOME_RANK[worst[0]]:
                worst = (decided[0], subject, f"{emb.title} ({v.citation}) on {country}: {decided[1]}")
    if worst is None:
        if declared:
            _add_each(
                ctx,
                ART4["b"],
                "application",
                "pass",
                f"The exporter declared a military end use for {ratings}, but no UN, EU or OSCE arms embargo "
                f"in force on {ctx.on.isoformat()} reaches this end user in any country the transfer "
                "touches, so Article 4(1)(b) does not make the goods licensable on that ground.",
            )
        return
    reach, subject, what = worst
    if declared:
        outcome: Outcome = "deny" if reach == "deny" else "risk"
        lead = f"The exporter declared a military end use for {ratings}"
    else:
        outcome = "risk"
        sector = ", ".join(sorted(sectors & MILITARY_SECTORS)).replace("_", " ")
        lead = (
            f"The end user is in the {sector} sector, so a military end use of {ratings} is implied though "
            "not declared (referred, not refused, because it is inferred)"
        )
    _add_each(
        ctx,
        ART4["b"],
        subject,
        outcome,
        f"{lead}, and an arms embargo reaches the recipient: {what}. Under Article 4(1)(b) items that are "
        "not on the military list need an authorisation for such a use.",
    )


def _repression(ctx: Ctx) -> None:
    v = ctx.ref.assessment(ctx.app.destination, ctx.on)
    level = str(v.data.get("human_rights", "none")) if v else ""
    critical = bool(level) and LEVEL_RANK[level] >= LEVEL_RANK["critical"]
    outcome: Outcome = "deny" if critical else "risk"
    where = (
        f"{ctx.app.destination}, whose human-rights concern level is {level}"
        if level
        else f"{ctx.app.destination}, for which no country risk assessment is recorded"
    )
    text = (
        "The exporter has declared that the goods are or may be intended for internal repression or "
        f"serious violations of human rights or international humanitarian law, in {where}"
        + (": a clear risk, so the licence must be refused." if critical else ": an officer must judge it.")
    )
    ctx.add("catch_all.art5", "application", outcome, text)
    ctx.add("catch_all.cp2_repression", "application", outcome, text)


def _uav(ctx: Ctx) -> None:
    app = ctx.app
    declared = "uav" in app.end_use_flags
    idx = [
        i
        for i, g in enumerate(app.goods)
        if declared or any(f["id"] == "uav" for f in ctx.ref.emerging_flags(g.rating, ctx.on))
    ]
    if not idx:
        return
    subject = f"goods[{idx[0]}]"
    ratings = ", ".join(sorted({app.goods[i].rating.code for i in idx}))
    why = "declared by the exporter" if declared else "the control list flags the rating as a UAV entry"
    dest = app.destination
    non_mtcr = [i for i in idx if app.goods[i].rating.regime != "mtcr"]
    if non_mtcr and not ctx.ref.member(dest, "mtcr", ctx.on):
        ctx.add(
            "uav.mtcr",
            subject,
            "risk",
            f"{ratings}: unmanned aerial vehicle goods ({why}) going to {dest}, which is not a partner of "
            "the Missile Technology Control Regime: whether the UAV could deliver weapons of mass "
            "destruction (range and payload) needs an officer's judgement.",
        )
    elif non_mtcr:
        ctx.add(
            "uav.mtcr",
            subject,
            "pass",
            f"{ratings}: unmanned aerial vehicle goods ({why}) going to {dest}, an MTCR partner.",
        )
    v = ctx.ref.assessment(dest, ctx.on)
    tension = str(v.data.get("regional_tension", "none")) if v else ""
    if not tension or LEVEL_RANK[tension] >= LEVEL_RANK["medium"]:
        state = (
            f"the regional tension recorded for {dest} is {tension}"
            if tension
            else (f"no country risk assessment of {dest} records its regional tension")
        )
        ctx.add(
            "uav.regional_stability",
            subject,
            "risk",
            f"{ratings}: UAVs ({why}) change a recipient's reach and surveillance capability, and {state}: "
            "their effect on regional stability needs an officer's judgement.",
        )
    else:
        ctx.add(
            "uav.regional_stability",
            subject,
            "pass",
            f"{ratings}: UAVs ({why}); the regional tension recorded for {dest} is {tension}.",
        )
