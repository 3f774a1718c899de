"""End-user certificate requirements (CP Art. 5; Wassenaar end-user assurances; ATT 11 mitigation).

Criterion Seven asks about diversion and re-export "under undesirable conditions"; the certificate is the
main evidence. So a certificate that cannot be what it says (issued after the application it supports, or
after the day of the assessment, i.e. in the assessment's future) or that has lapsed is referred to an
officer, and a certificate silent on re-export is met with a licence condition, never read as a
prohibition (nor as a refusal ground)."""

from __future__ import annotations

from warden.rules.context import SALW_ML, Ctx
from warden.rules.model import EndUserCertificate
from warden.rules.reference import LEVEL_RANK

RE_EXPORT_CONDITION = (
    "The goods shall not be re-exported, transferred or sold to any other end user or destination without "
    "the prior written authorisation of the licensing authority."
)
DVC_CONDITION = (
    "The exporter shall obtain a Delivery Verification Certificate from the authorities of the destination "
    "country confirming the goods' arrival with the end user, and send it to the licensing authority."
)


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
    _dates(ctx, euc)
    _re_export(ctx, euc)
    _delivery_verification(ctx, euc, controlled)


def _dates(ctx: Ctx, euc: EndUserCertificate) -> None:
    app, on = ctx.app, ctx.on
    if euc.issued_on is not None:
        late = []
        if app.submitted_on is not None and euc.issued_on > app.submitted_on:
            late.append(f"after the application it supports ({app.submitted_on.isoformat()})")
        if euc.issued_on > on:
            late.append(f"after the date of this assessment ({on.isoformat()}), that is in its future")
        if late:
            ctx.add(
                "euc.issue_date",
                "application",
                "risk",
                f"The end-user certificate {euc.number} is dated {euc.issued_on.isoformat()}, "
                + " and ".join(late)
                + ": a certificate cannot vouch for an end use before it exists; check it with the issuing "
                "authority (criterion 7, risk of diversion).",
            )
    if euc.valid_until is not None and euc.valid_until < on:
        ctx.add(
            "euc.expired",
            "application",
            "risk",
            f"The end-user certificate {euc.number} was valid until {euc.valid_until.isoformat()} and has "
            f"lapsed by {on.isoformat()}: ask for a current certificate (criterion 7, risk of diversion).",
        )


def _re_export(ctx: Ctx, euc: EndUserCertificate) -> None:
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
            condition=RE_EXPORT_CONDITION,
        )
    elif euc.re_export == "prohibited":
        ctx.add("euc.re_export", "application", "pass", "The end-user certificate prohibits re-export.")
    else:
        ctx.add(
            "euc.re_export",
            "application",
            "condition",
            f"The end-user certificate {euc.number} says nothing about re-export: a risk of re-export under "
            "undesirable conditions (criterion 7), not a prohibition and not a refusal ground. Address it by a "
            "licence condition requiring the authority's consent to any re-export (or obtain a certificate "
            "with a re-export clause).",
            condition=RE_EXPORT_CONDITION,
        )


def _delivery_verification(ctx: Ctx, euc: EndUserCertificate, controlled: list[int]) -> None:
    app = ctx.app
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
            condition=DVC_CONDITION,
        )
    elif euc.delivery_verification:
        ctx.add(
            "euc.delivery_verification",
            "application",
            "pass",
            "The end user undertakes to return a Delivery Verification Certificate.",
        )
