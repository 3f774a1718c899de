"""Which end-use check a licence (or one of its shipments) needs, planned from risk: a pure function of the
destination's risk assessment, the goods' ratings, the end user's record and the end-user certificate's
clauses (docs/enduse.md; after-licence.md §2: selection is risk-based, not random).

Score (points, each with the sentence that explains it):
- destination diversion risk (the authority's country assessment): low 5, medium 15, high 30, critical 40;
  internal conflict, terrorism or regional tension high or critical: +10; diversions our own checks found
  in the destination before: +15 each, at most +30;
- goods: any military (ML) rating +20; any proliferation-sensitive dual-use rating (category 0, or an entry
  numbered 1xx-4xx, which the EU list takes from the MTCR, NSG, Australia Group and CWC) +20;
- end user: a diversion found before +50; concerns found before +15 each, at most +30;
- certificate: re-export permitted +15; no re-export clause (or no certificate) +10.
A post-shipment visit when the score reaches PSV_AT (60), else a delivery verification certificate when it
reaches DVC_AT (30) or the certificate itself provides for one; otherwise nothing. A DVC is due DVC_DAYS
(90) after the shipment, a visit PSV_DAYS (180) after it; a check planned at issue counts from the first day
of the licence until a shipment is recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DVC = "delivery_verification_certificate"
PSV = "post_shipment_verification"
DVC_AT, PSV_AT = 30, 60
DVC_DAYS, PSV_DAYS = 90, 180
DAYS = {DVC: DVC_DAYS, PSV: PSV_DAYS}

DIVERSION_POINTS = {"none": 0, "low": 5, "medium": 15, "high": 30, "critical": 40}
INSTABILITY_FIELDS = ("internal_conflict", "terrorism", "regional_tension")
_ML = re.compile(r"^ML\d+", re.IGNORECASE)
# Dual-use entries: category digit, group letter, then three digits; 0xx is Wassenaar, 1xx MTCR, 2xx NSG,
# 3xx Australia Group, 4xx CWC (the EU list's numbering convention). Category 0 is nuclear throughout.
_DUAL_USE = re.compile(r"^(\d)([A-E])(\d)(\d\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Certificate:
    present: bool = False
    re_export: str = ""  # prohibited | with_consent | permitted | "" (not stated)
    delivery_verification: bool = False
    post_shipment_verification: bool = False


@dataclass(frozen=True)
class EndUserRecord:
    concerns: int = 0
    diversions: int = 0


@dataclass(frozen=True)
class Inputs:
    destination: str
    country_levels: Mapping[str, str]  # the country assessment in force: field -> none|low|...|critical
    ratings: Sequence[str]
    end_user: EndUserRecord = field(default_factory=EndUserRecord)
    certificate: Certificate = field(default_factory=Certificate)
    starts_on: dt.date = dt.date(2000, 1, 1)  # the shipment's date, or the licence's first day
    destination_diversions: int = 0


@dataclass(frozen=True)
class Plan:
    planned: bool
    kind: str | None
    due_on: dt.date | None
    score: int
    reasons: tuple[str, ...]


def is_military(rating: str) -> bool:
    return bool(_ML.match(rating.strip()))


def is_sensitive(rating: str) -> bool:
    m = _DUAL_USE.match(rating.strip())
    return bool(m) and (m.group(1) == "0" or m.group(3) in "1234")  # type: ignore[union-attr]


def score(inputs: Inputs) -> tuple[int, list[str]]:
    points = 0
    reasons: list[str] = []

    def add(n: int, why: str) -> None:
        nonlocal points
        if n:
            points += n
            reasons.append(f"{why} (+{n})")

    levels = inputs.country_levels
    diversion = str(levels.get("diversion", "none"))
    add(DIVERSION_POINTS.get(diversion, 0), f"{inputs.destination}: diversion risk assessed {diversion}")
    unstable = [f for f in INSTABILITY_FIELDS if str(levels.get(f, "none")) in ("high", "critical")]
    if unstable:
        add(10, f"{inputs.destination}: {', '.join(f.replace('_', ' ') for f in unstable)} risk high")
    if inputs.destination_diversions:
        add(
            min(30, 15 * inputs.destination_diversions),
            f"{inputs.destination}: {inputs.destination_diversions} diversion(s) found by earlier checks",
        )
    military = sorted({r for r in inputs.ratings if is_military(r)})
    if military:
        add(20, f"military goods ({', '.join(military)})")
    sensitive = sorted({r for r in inputs.ratings if is_sensitive(r)})
    if sensitive:
        add(20, f"proliferation-sensitive dual-use goods ({', '.join(sensitive)})")
    if inputs.end_user.diversions:
        add(50, f"the end user diverted goods before ({inputs.end_user.diversions} finding(s))")
    if inputs.end_user.concerns:
        add(
            min(30, 15 * inputs.end_user.concerns),
            f"earlier checks raised concerns about the end user ({inputs.end_user.concerns})",
        )
    cert = inputs.certificate
    if not cert.present:
        add(10, "no end-user certificate, so no re-export undertaking")
    elif cert.re_export == "permitted":
        add(15, "the end-user certificate permits re-export")
    elif not cert.re_export:
        add(10, "the end-user certificate has no re-export clause")
    return points, reasons


def plan(inputs: Inputs) -> Plan:
    points, reasons = score(inputs)
    cert = inputs.certificate
    if points >= PSV_AT:
        kind = PSV
        reasons.append(f"score {points} reaches {PSV_AT}: a post-shipment verification visit")
        if not cert.post_shipment_verification:
            reasons.append("the certificate gives no consent to on-site checks: ask the importing government")
    elif points >= DVC_AT:
        kind = DVC
        reasons.append(f"score {points} reaches {DVC_AT}: a delivery verification certificate")
    elif cert.present and cert.delivery_verification:
        kind = DVC
        reasons.append("the end-user certificate provides for a delivery verification certificate")
    else:
        reasons.append(f"score {points} is below {DVC_AT}: no check planned")
        return Plan(planned=False, kind=None, due_on=None, score=points, reasons=tuple(reasons))
    due = inputs.starts_on + dt.timedelta(days=DAYS[kind])
    return Plan(planned=True, kind=kind, due_on=due, score=points, reasons=tuple(reasons))
