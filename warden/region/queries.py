"""The regional-stability figures (Common Position Criterion 4; after-licence.md 8.10): what we licensed to a
region's states and, from the imported SIPRI register, what they received, with indicators per recipient and
the tensions Warden records for the region (country risk assessments and embargoes in force, dated data).

TIV is SIPRI's trend-indicator value: a volume of military resources, never money, so it is shown beside
our licence counts and never added to or compared with licence values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from warden.legislation.services import current_reference
from warden.lib import clock
from warden.lib.regions import Region
from warden.licences.models import LicenceLine
from warden.region import reference
from warden.region.models import Transfer, TransferFile
from warden.rules.effective import applies_on, version_at

LEVELS = ("none", "low", "medium", "high", "critical")
TENSE = frozenset({"medium", "high", "critical"})  # a level the view lists as a tension
HISTORY_YEARS = 10  # "new capability": no delivery in the category in this many years before the window
CITATION = "Source: SIPRI Arms Transfers Database (c) SIPRI. TIV = SIPRI trend-indicator value (millions), a volume measure, not money."
ZERO = Decimal(0)


@dataclass(frozen=True)
class Window:
    first: int
    last: int

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)


def default_window(today: dt.date | None = None) -> Window:
    """The last five complete years: the register is published in March for the year before."""
    year = (today or clock.today()).year - 1
    return Window(year - 4, year)


def sipri_files() -> list[dict[str, Any]]:
    return [
        {"filename": f.filename, "format": f.fmt, "data_generated": f.data_generated, "rows": f.rows,
         "imported_at": f.imported_at.isoformat(), "title": f.title}
        for f in TransferFile.objects.all()
    ]  # fmt: skip


def _tiv(codes: Iterable[str], first: int, last: int) -> list[dict[str, Any]]:
    qs = (
        Transfer.objects.filter(
            recipient_code__in=list(codes), delivery_year__gte=first, delivery_year__lte=last
        )
        .values("recipient_code", "supplier", "supplier_code", "category", "delivery_year")
        .annotate(tiv=Sum("tiv_delivered"), n=Sum("number"), rows=Count("id"))
        .order_by()
    )
    return [dict(r) for r in qs]


def _licensed(codes: Iterable[str], window: Window) -> dict[str, dict[str, Any]]:
    """Our licences per destination in the window (a licence counts in its valid_from year, as in the reports)."""
    rows = (
        LicenceLine.objects.filter(
            licence__case__destination__in=list(codes),
            licence__valid_from__gte=dt.date(window.first, 1, 1),
            licence__valid_from__lt=dt.date(window.last + 1, 1, 1),
        )
        .values("licence__case__destination", "goods_line__rating", "licence_id", "quantity")
        .order_by()
    )
    out: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"licences": set(), "items": 0, "by_ml": defaultdict(int)}
    )
    for r in rows:
        entry = out[r["licence__case__destination"]]
        entry["licences"].add(r["licence_id"])
        entry["items"] += r["quantity"]
        entry["by_ml"][reference.ml_of(r["goods_line__rating"])] += r["quantity"]
    return {
        code: {"licences": len(e["licences"]), "items": e["items"], "by_ml": dict(sorted(e["by_ml"].items()))}
        for code, e in out.items()
    }


def tensions(codes: Iterable[str], on: dt.date | None = None) -> list[dict[str, Any]]:
    """Per country: its recorded regional-tension and internal-conflict levels in force on `on` when medium or
    above, and the arms embargoes in force, each with its citation."""
    day = on or clock.today()
    _, ref = current_reference()
    out = []
    for code in sorted(set(codes)):
        items: list[dict[str, str]] = []
        version = version_at(ref.assessments.get(code, ()), day)
        if version is not None:
            for key, label in (
                ("regional_tension", "Regional tension"),
                ("internal_conflict", "Internal conflict"),
            ):
                level = str(version.data.get(key, ""))
                if level in TENSE:
                    items.append({"what": f"{label}: {level}", "since": version.effective_from.isoformat(),
                                  "citation": version.citation})  # fmt: skip
        for emb in ref.embargoes_by_target.get(code, []):
            in_force = [v for v in emb.versions if applies_on(v, day)]
            if in_force:
                v = in_force[0]
                items.append({"what": f"{emb.body} arms embargo: {emb.title}", "since": v.effective_from.isoformat(),
                              "citation": v.citation})  # fmt: skip
        if items:
            out.append({"code": code, "items": items})
    return out


def _per_recipient(rows: list[dict[str, Any]], window: Window) -> dict[str, dict[str, Any]]:
    acc: dict[str, dict[str, Any]] = {}
    for r in rows:
        e = acc.setdefault(
            r["recipient_code"],
            {"by_year": defaultdict(Decimal), "by_supplier": defaultdict(Decimal), "by_category": defaultdict(Decimal),
             "window_categories": set(), "history_categories": set()},
        )  # fmt: skip
        tiv = r["tiv"] or ZERO
        year = r["delivery_year"]
        if year in window.years:
            e["by_year"][year] += tiv
            e["by_supplier"][r["supplier"]] += tiv
            e["by_category"][r["category"]] += tiv
            e["window_categories"].add(r["category"])
        else:
            e["history_categories"].add(r["category"])
    return acc


def _indicators(e: dict[str, Any], window: Window, neighbour_tiv: Decimal) -> dict[str, Any]:
    total = sum(e["by_year"].values(), ZERO)
    suppliers = sorted(e["by_supplier"].items(), key=lambda kv: (-kv[1], kv[0]))
    last5 = [e["by_year"].get(y, ZERO) for y in range(window.last - 4, window.last + 1)]
    top = suppliers[0] if suppliers else None
    return {
        "tiv_total": total,
        "tiv_by_year": {y: e["by_year"].get(y, ZERO) for y in window.years},
        "moving_average_5y": (sum(last5, ZERO) / 5).quantize(Decimal("0.01")),
        "largest_supplier": top[0] if top else "",
        "largest_supplier_share": (top[1] / total * 100).quantize(Decimal("0.1")) if top and total else None,
        "suppliers": [{"name": n, "tiv": v} for n, v in suppliers[:5]],
        "by_category": dict(sorted(e["by_category"].items())),
        "new_categories": sorted(e["window_categories"] - e["history_categories"]),
        "neighbours_tiv": neighbour_tiv,
    }


def region_view(region: Region, window: Window) -> dict[str, Any]:
    codes = set(region.codes)
    around = set().union(*(reference.neighbours_of(c) for c in codes)) if codes else set()
    rows = _tiv(codes | around, window.first - HISTORY_YEARS, window.last)
    per = _per_recipient(rows, window)
    window_tiv = {code: sum(e["by_year"].values(), ZERO) for code, e in per.items()}
    licensed = _licensed(codes, window)
    recipients: list[dict[str, Any]] = []
    for code in sorted(codes):
        if code not in per and code not in licensed:
            continue
        near = sum((window_tiv.get(n, ZERO) for n in reference.neighbours_of(code)), ZERO)
        empty: dict[str, Any] = {
            "by_year": {},
            "by_supplier": {},
            "by_category": {},
            "window_categories": set(),
            "history_categories": set(),
        }
        recipients.append(
            {"code": code, "licensed": licensed.get(code, {"licences": 0, "items": 0, "by_ml": {}}),
             "sipri": _indicators(per.get(code, empty), window, near), "in_register": code in per}
        )  # fmt: skip
    unmapped = (
        Transfer.objects.filter(recipient_code="", delivery_year__gte=window.first, delivery_year__lte=window.last)
        .values("recipient").annotate(tiv=Sum("tiv_delivered")).order_by("recipient")
    )  # fmt: skip
    by_year = {
        y: sum((r["sipri"]["tiv_by_year"].get(y, ZERO) for r in recipients), ZERO) for y in window.years
    }
    return {
        "region": {"slug": region.slug, "name": region.name},
        "window": {"first": window.first, "last": window.last},
        "recipients": recipients,
        "tiv_by_year": by_year,
        "licences_total": sum(r["licensed"]["licences"] for r in recipients),
        "non_state_or_unknown": [{"recipient": r["recipient"], "tiv": r["tiv"] or ZERO} for r in unmapped],
        "tensions": tensions(codes),
        "files": sipri_files(),
        "citation": CITATION,
    }


def case_panel(case: Any, today: dt.date | None = None) -> dict[str, Any]:
    """What this export adds to the recipient's and its neighbours' holdings, as far as open data shows."""
    window = default_window(today)
    dest = case.destination
    near = sorted(reference.neighbours_of(dest))
    ratings = sorted({g.rating for g in case.goods.all()})
    cats = {r: reference.sipri_categories(r) for r in ratings}
    wanted = sorted({c for cs in cats.values() for c in cs})
    rows = _tiv([dest, *near], window.first - HISTORY_YEARS, window.last)
    per = _per_recipient(rows, window)

    def received(code: str) -> dict[str, Decimal]:
        e = per.get(code)
        return {c: (e["by_category"].get(c, ZERO) if e else ZERO) for c in wanted}

    recipient_new = []
    e = per.get(dest)
    for c in wanted:
        seen = e is not None and (c in e["window_categories"] or c in e["history_categories"])
        if not seen:
            recipient_new.append(c)
    licensed = _licensed([dest, *near], window)
    mls = {reference.ml_of(r) for r in ratings}
    return {
        "destination": dest,
        "window": {"first": window.first, "last": window.last},
        "goods": [{"rating": r, "sipri_categories": list(cats[r])} for r in ratings],
        "not_in_register": [r for r in ratings if not cats[r]],
        "recipient_received": received(dest),
        "recipient_in_register": dest in per,
        "new_capability": recipient_new if dest in per else [],
        "neighbours": [
            {
                "code": n,
                "received": received(n),
                "licensed_same_ml": sum(
                    v for ml, v in licensed.get(n, {}).get("by_ml", {}).items() if ml in mls
                ),
            }
            for n in near
        ],  # fmt: skip
        "licensed_to_recipient": licensed.get(dest, {"licences": 0, "items": 0, "by_ml": {}}),
        "tensions": tensions([dest, *near], today),
        "holdings": "unknown (UNROCA holdings are not imported; a missing value is unknown, not zero)",
        "has_register": TransferFile.objects.exists(),
        "citation": CITATION,
    }
