"""EU CP criterion 1 (non-proliferation commitments) and ATT 6.2 (other international obligations):
NPT/NSG, CWC/Australia Group, BTWC, MTCR, and the Ottawa and Oslo bans."""

from __future__ import annotations

from warden.rules.context import Ctx


def check(ctx: Ctx) -> None:
    dest = ctx.app.destination
    on = ctx.on
    for i, g in enumerate(ctx.app.goods):
        r = g.rating
        subject = f"goods[{i}]"
        text = g.description.lower()
        if r.regime == "nsg" and not ctx.ref.member(dest, "npt", on):
            _both(
                ctx,
                "treaty.npt",
                subject,
                f"{r.code} is a nuclear-related (NSG) item and {dest} is not a "
                f"party to the NPT on {on.isoformat()}.",
            )
        if r.regime in {"australia_group", "cwc"} and not ctx.ref.member(dest, "cwc", on):
            _both(
                ctx,
                "treaty.cwc",
                subject,
                f"{r.code} is a chemical/biological precursor or equipment item "
                f"and {dest} is not a party to the Chemical Weapons Convention on {on.isoformat()}.",
            )
        if r.kind == "military" and r.category == 7:
            missing = [t.upper() for t in ("cwc", "btwc") if not ctx.ref.member(dest, t, on)]
            if missing:
                ctx.add(
                    "treaty.ml7",
                    subject,
                    "risk",
                    f"ML7 agents or equipment to {dest}, which is not a "
                    f"party to the {' and '.join(missing)} on {on.isoformat()}.",
                )
        if (r.regime == "mtcr" or (r.kind == "military" and r.category == 4)) and not ctx.ref.member(
            dest, "mtcr", on
        ):
            ctx.add(
                "treaty.mtcr",
                subject,
                "risk",
                f"{r.code} is missile-related and {dest} is not an MTCR "
                "partner: MTCR guidelines apply a strong presumption of denial to Category I items.",
            )
        if "anti-personnel mine" in text or "antipersonnel mine" in text:
            _both(
                ctx,
                "treaty.ottawa",
                subject,
                "Anti-personnel mines may not be transferred under the Ottawa Convention (1997).",
            )
        if "cluster munition" in text or "submunition" in text:
            _both(
                ctx,
                "treaty.oslo",
                subject,
                "Cluster munitions may not be transferred under the "
                "Convention on Cluster Munitions (Oslo, 2008).",
            )


def _both(ctx: Ctx, rule_id: str, subject: str, text: str) -> None:
    ctx.add(rule_id, subject, "deny", text)
    underlying = ctx.ref.rules.get(rule_id)
    ctx.add("att.6.2", subject, "deny", text, source=underlying.citation if underlying else "")
