"""How an embargo finding cites and describes the measure: the act that imposed it first, then the acts that
amended it (in the order they were adopted), and the embargo's real scope (a territorial embargo, or a
targeted one on non-governmental forces, named groups or designated persons), so that nobody reads
"UN arms embargo on ISIL/Al-Qaida" on an application to Norway or "arms embargo on Lebanon" for a measure
that binds only Lebanon's non-state armed groups.

Citations are data: each version of an embargo record cites its own act(s) (embargoes.yaml). The measure in
force on a date is the run of versions that chain without a gap up to that date (a lifted embargo that is
later re-imposed is a new measure, and a version marked `new_measure: true` starts one too, e.g. UNSCR 2713
(2023) replacing the 1992 Somalia embargo)."""

from __future__ import annotations

import datetime as dt
import re

from warden.rules.model import Version
from warden.rules.reference import Embargo, Reference

GOODS_LABELS = {
    "arms": "arms and related materiel",
    "arms_except_salw": "arms other than small arms and light weapons",
    "salw": "small arms, light weapons and their ammunition",
    "unroca_and_missiles": "major conventional arms (UN Register categories) and missiles",
    "dual_use": "dual-use items",
    "dual_use_wmd": "proliferation-sensitive (nuclear, missile, chemical and biological) items",
    "dual_use_military_end_user": "dual-use items for military end users",
    "repression": "equipment which might be used for internal repression",
    "telecom_monitoring": "telecommunications monitoring and interception equipment",
}
_ACT = re.compile(r"^(.*?)(?=,| as | of \d| \(|$)")  # an act's identifier, before its qualifiers


def run_of(emb: Embargo, v: Version) -> list[Version]:
    """The versions of `emb` forming the measure in force in `v`: v and its gapless predecessors, oldest
    first, stopping at a version that starts a new measure."""
    versions = sorted(emb.versions, key=lambda x: x.effective_from)
    i = next(n for n, x in enumerate(versions) if x.effective_from == v.effective_from)
    start = i
    while (
        start > 0
        and not versions[start].data.get("new_measure")
        and versions[start - 1].effective_until == versions[start].effective_from
    ):
        start -= 1
    return versions[start : i + 1]


def _act(piece: str) -> str:
    m = _ACT.match(piece)
    return (m.group(1) if m else piece).strip()


_ENDED = re.compile(r"\b(?:lifted|ended|repealed|terminated) by\b", re.IGNORECASE)
_YEARS = (
    re.compile(r"\((\d{4})\)"),  # UNSCR 1718 (2006)
    re.compile(r"\b((?:19|20)\d{2})/\d+"),  # Decision (CFSP) 2024/882, 2010/231/CFSP
    re.compile(r"\b(\d{2})/\d+/(?:CFSP|EC)\b"),  # Decision 94/165/CFSP, Common Position 96/746/CFSP
)


def _year(piece: str) -> int | None:
    """The latest year of an act named in `piece`, if it names one with a number."""
    years = []
    for form in _YEARS:
        for y in form.findall(piece):
            n = int(y)
            years.append(n if n > 99 else (1900 + n if n >= 50 else 2000 + n))
    return max(years) if years else None


def citation_chain(emb: Embargo, v: Version, on: dt.date | None = None) -> str:
    """The imposing act first, then each amending act once, oldest first; as of `on`, acts adopted later
    (a renewal or the act that will lift the measure) are left out.

    "UNSCR 1970 (2011) as amended by UNSCR 2009 (2011)" after "UNSCR 1970 (2011)" adds ", as amended by
    UNSCR 2009 (2011)"; the same act cited again with another article or date adds nothing."""
    out = ""
    seen: set[str] = set()
    for version in run_of(emb, v):
        for piece in (p.strip() for p in version.citation.split(";")):
            if not piece or _ENDED.search(piece):
                continue
            year = _year(piece)
            if on is not None and year is not None and year > on.year and out:
                continue
            act = _act(piece)
            if act.lower() not in seen:
                seen.add(act.lower())
                out = piece if not out else out + "; " + piece
                continue
            i = piece.find(" as ")
            if i >= 0 and piece[i + 1 :].lower() not in out.lower():
                rest = piece[i + 1 :]
                if on is None or (_year(rest) or 0) <= on.year:
                    out += ", " + rest
    return out


def place(ref: Reference, emb: Embargo, country: str) -> str:
    """Where the measure applies: nowhere in particular for a regime aimed at groups wherever they are."""
    if emb.target == "*":
        return ""
    return emb.place or str((ref.profiles.get(country) or {}).get("name") or country)


def scope(ref: Reference, emb: Embargo, v: Version, country: str) -> str:
    """The measure as it stands in `v`, in words: "UN arms embargo on Libya", "UN targeted arms embargo
    on non-governmental forces in Lebanon", "UN targeted arms embargo on ISIL (Da'esh), Al-Qaida and
    associated individuals and entities"."""
    d = v.data
    if d.get("scope"):
        return str(d["scope"])
    body = emb.body
    where = place(ref, emb, country)
    goods = list(d.get("to_goods") or [])
    if "arms" in goods:
        what, on = "arms embargo", "on "
        extra = [GOODS_LABELS[g] for g in goods if g not in {"arms"}]
    else:  # no general arms embargo: say what is restricted
        what = "restrictions on supplies of " + " and ".join(GOODS_LABELS[g] for g in goods)
        on, extra = "to ", []
    political = " (a political commitment)" if d.get("binding") == "political" else ""
    applies = d.get("applies_to", "all")
    if applies == "all":
        text = f"{body} {what} {on}{where}"
        if d.get("exempt_sectors"):
            text += ", from which the government's forces are exempt"
    elif applies == "non_governmental":
        text = f"{body} targeted {what} on non-governmental forces and entities in {where}"
    elif applies == "named_groups":
        targets = str(d.get("targets") or "named armed groups")
        text = f"{body} targeted {what} on {targets}" + (f" in {where}" if where else "")
    else:
        text = f"{body} targeted {what} on designated persons and entities" + (
            f" in {where}" if where else ""
        )
    if extra:
        text += " (also " + ", ".join(extra) + ")"
    return text + political
