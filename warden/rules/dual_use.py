"""Dual-use items: listed items are assessed under Article 15 of Regulation (EU) 2021/821 (before 9 Sep
2021, Article 12 of Regulation (EC) No 428/2009), whose considerations include those of Common Position
2008/944/CFSP; the catch-all of Article 5 is only for cyber-surveillance items NOT listed in Annex I.

A listed cyber-surveillance or intrusion item going to a destination with human-rights concerns is a
criterion-two risk under Art. 15(1)(c); an unlisted item designed for covert surveillance is an Art. 5
catch-all case (in force 2021-09-09)."""

from __future__ import annotations

import re

from warden.rules.context import Ctx
from warden.rules.reference import LEVEL_RANK

SURVEILLANCE_WORDS = re.compile(
    r"\b(surveillance|interception|lawful intercept|spyware|monitoring centre|monitoring center|"
    r"facial recognition|imsi|deep packet inspection|intrusion)\b",
    re.IGNORECASE,
)
CYBER_FLAGS = frozenset({"cyber_surveillance", "intrusion_software"})


def check(ctx: Ctx) -> None:
    app = ctx.app
    v = ctx.ref.assessment(app.destination, ctx.on)
    hr = LEVEL_RANK[str(v.data.get("human_rights", "none"))] if v else LEVEL_RANK["medium"]
    if hr < LEVEL_RANK["medium"]:
        return
    for i, g in enumerate(app.goods):
        listed = g.rating.kind == "dual_use" and ctx.ref.dual_use_entry(g.rating.code, ctx.on) is not None
        flagged = any(f["id"] in CYBER_FLAGS for f in ctx.ref.emerging_flags(g.rating, ctx.on))
        if listed and flagged:
            for rule_id, article in (
                ("dual_use.art15.cyber_surveillance", "Article 15(1)(c) of Regulation (EU) 2021/821"),
                ("dual_use.art12_428.cyber_surveillance", "Article 12(1)(c) of Regulation (EC) No 428/2009"),
            ):  # whichever is in force on the assessment date records the finding
                ctx.add(
                    rule_id,
                    f"goods[{i}]",
                    "risk",
                    f"{g.rating.code} is a listed dual-use cyber-surveillance item (Annex I) going to "
                    f"{app.destination}, whose human-rights concern level is at least medium. It is assessed "
                    f"under {article}, which includes the considerations of Common Position 2008/944/CFSP: "
                    "the risk of use for internal repression or serious violations of human rights "
                    "(criterion two) needs an officer's judgement.",
                )
            continue
        unlisted_cyber = g.rating.kind == "national" and bool(
            SURVEILLANCE_WORDS.search(g.description) or SURVEILLANCE_WORDS.search(app.end_use)
        )
        if unlisted_cyber:
            ctx.add(
                "dual_use.art5.cyber_surveillance",
                f"goods[{i}]",
                "risk",
                f"{g.rating.code} is not listed in Annex I but is described as designed for covert surveillance "
                f"and goes to {app.destination}, whose human-rights concern level is at least medium: under "
                "the catch-all of Article 5 it needs an authorisation if it is or may be intended for internal "
                "repression or serious violations of human rights, and an officer's judgement.",
            )
