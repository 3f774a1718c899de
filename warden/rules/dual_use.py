"""Regulation (EU) 2021/821 Article 5: the catch-all for unlisted cyber-surveillance items (in force
2021-09-09), plus listed cyber-surveillance items to destinations with human-rights concerns."""

from __future__ import annotations

import re

from warden.rules.context import Ctx
from warden.rules.reference import LEVEL_RANK

SURVEILLANCE_WORDS = re.compile(
    r"\b(surveillance|interception|lawful intercept|spyware|monitoring centre|monitoring center|"
    r"facial recognition|imsi|deep packet inspection|intrusion)\b",
    re.IGNORECASE,
)


def check(ctx: Ctx) -> None:
    app = ctx.app
    v = ctx.ref.assessment(app.destination, ctx.on)
    hr = LEVEL_RANK[str(v.data.get("human_rights", "none"))] if v else LEVEL_RANK["medium"]
    for i, g in enumerate(app.goods):
        flagged = any(
            f["id"] in {"cyber_surveillance", "intrusion_software"}
            for f in ctx.ref.emerging_flags(g.rating, ctx.on)
        )
        unlisted_cyber = g.rating.kind == "national" and bool(
            SURVEILLANCE_WORDS.search(g.description) or SURVEILLANCE_WORDS.search(app.end_use)
        )
        if not (flagged or unlisted_cyber) or hr < LEVEL_RANK["medium"]:
            continue
        kind = (
            "listed cyber-surveillance item" if flagged else "unlisted item designed for covert surveillance"
        )
        ctx.add(
            "dual_use.art5.cyber_surveillance",
            f"goods[{i}]",
            "risk",
            f"{g.rating.code} is an {kind} going to {app.destination}, whose human-rights concern level "
            "is at least medium: it may be intended for internal repression or serious violations of "
            "human rights, so it needs an authorisation and an officer's judgement.",
        )
