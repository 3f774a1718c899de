"""End-user certificate requirements (CP Art. 5; Wassenaar end-user assurances; ATT 11 mitigation)."""

from __future__ import annotations

from warden.rules.context import SALW_ML, Ctx
from warden.rules.reference import LEVEL_RANK


def check(ctx: Ctx) -> None:
    app = ctx.app
    if app.licence_type == "temporary":  # exhibitions and trials: the goods come back, no end user
        return
    controlled = [i for i, g in enumerate(app.goods) if g.rating.kind in {"military", "dual_use"}]
    if not controlled:
        return
    euc = app.euc
    if euc is None:
        for i in controlled:
            ctx.add(
                "euc.missing",
                f"goods[{i}]",
                "risk",
                f"{app.goods[i].rating.code} goods need a checked "
                "end-user certificate (or an official authorisation from the destination) and none was given.",
            )
        return
    if euc.re_export == "permitted":
        ctx.add(
            "euc.re_export",
            "application",
            "risk",
            "The end-user certificate permits re-export without "
            "consent: a risk of re-export under undesirable conditions (criterion 7).",
        )
    elif euc.re_export == "with_consent":
        ctx.add(
            "euc.re_export",
            "application",
            "condition",
            "The end-user certificate allows re-export only "
            "with prior written consent: licence condition that any re-export needs the authority's consent.",
        )
    else:
        ctx.add("euc.re_export", "application", "pass", "The end-user certificate prohibits re-export.")
    v = ctx.ref.assessment(app.destination, ctx.on)
    diversion = LEVEL_RANK[str(v.data.get("diversion", "none"))] if v else LEVEL_RANK["medium"]
    salw = any(
        app.goods[i].rating.kind == "military" and app.goods[i].rating.category in SALW_ML for i in controlled
    )
    if (salw or diversion >= LEVEL_RANK["medium"]) and not euc.delivery_verification:
        why = "small arms, light weapons or ammunition" if salw else "a destination with diversion risk"
        ctx.add(
            "euc.delivery_verification",
            "application",
            "condition",
            f"The goods include {why} and the "
            "end user has not undertaken to return a Delivery Verification Certificate: licence condition "
            "requiring one.",
        )
    elif euc.delivery_verification:
        ctx.add(
            "euc.delivery_verification",
            "application",
            "pass",
            "The end user undertakes to return a Delivery Verification Certificate.",
        )
