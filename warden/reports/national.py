"""The national annual report: prose with tables and charts, after the UK, German and Swedish reports to
parliament (shared/docs/reports.md s.5): volume by region, ML category and licence type, refusals by
criterion, processing times against the service levels of warden.cases.sla, suspensions and revocations,
and the year's changes to the law (reference-data revisions) with their impact runs."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from warden.cases.models import Decision, LicenceType
from warden.cases.sla import SLA_WORKING_DAYS
from warden.legislation.criteria import INSTRUMENT_CRITERIA
from warden.lib import charts
from warden.reports import common, mapping, queries
from warden.reports.att import Progress
from warden.reports.provenance import snapshot
from warden.reports.report import Column, Kind, Report, Table

LABELS = {c.code: c.label for c in INSTRUMENT_CRITERIA}
TENTH = Decimal("0.1")


def _n(count: int, noun: str) -> str:
    """'1 licence', '2,040 licences'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / whole).quantize(TENTH) if whole else Decimal(0)


def build(year: int, progress: Progress) -> Report:  # noqa: PLR0915 (one report, read top to bottom)
    prov = snapshot(Kind.NATIONAL, year)
    opts = common.options()
    euro = common.Euro(year)
    region_n: dict[str, int] = defaultdict(int)
    region_v: dict[str, Decimal] = defaultdict(Decimal)
    region_c: dict[str, Decimal] = defaultdict(Decimal)
    region_r: dict[str, int] = defaultdict(int)
    type_n: dict[str, int] = defaultdict(int)
    type_v: dict[str, Decimal] = defaultdict(Decimal)
    type_r: dict[str, int] = defaultdict(int)
    ml_n: dict[str, int] = defaultdict(int)
    ml_v: dict[str, Decimal] = defaultdict(Decimal)
    cited: dict[str, int] = defaultdict(int)

    progress("licences issued")
    by_ml, per_type = queries.licences_by_ml(year, euro.rates(), by_type=True)
    for r in per_type:
        region_n[mapping.region_of(r["dest"]).name] += r["n"]
        type_n[r["ltype"]] += r["n"]
    progress("licensed values")
    for r in by_ml:
        eur = euro.converted(r["eur"], r["unconverted"])
        ml = mapping.ml_category(r["ml"]) or "Other entries"
        ml_n[ml] += r["n"]
        ml_v[ml] += eur
        region_v[mapping.region_of(r["dest"]).name] += eur
        type_v[r["ltype"]] += eur
    progress("actual exports")
    for r in queries.shipments(year):
        region_c[mapping.region_of(r["dest"]).name] += euro.convert(r["value"], r["cur"])
    progress("refusals")
    for r in queries.refusals(year):
        region_r[mapping.region_of(r["destination"]).name] += r["n"]
        type_r[r["ltype"]] += r["n"]
        for c in r["decision_criteria"] or ():
            cited[str(c)] += r["n"]
    progress("processing times")
    proc = queries.processing(year)
    progress("licence events")
    events = queries.licence_events(year)
    progress("law changes")
    revisions, runs = queries.law_changes(year)
    progress("tables")

    regions = sorted(set(region_n) | set(region_v) | set(region_r) | set(region_c))
    by_region = Table(
        "by_region",
        "Licences and refusals by region of destination",
        [Column("region", "Region"), Column("licences", "Licences issued", "int"),
         Column("value_eur", "Value of licences (EUR)", "decimal"),
         Column("actual_exports_eur", "Actual exports (EUR)", "decimal"), Column("refusals", "Refusals", "int")],
        [(g, region_n[g], region_v[g], region_c[g], region_r[g]) for g in regions],
    )  # fmt: skip
    mls = sorted(set(ml_n) | set(ml_v), key=common.ml_rank)
    by_category = Table(
        "by_category",
        "Licences by military-list category",
        [Column("ml", "Category"), Column("licences", "Licences issued", "int"),
         Column("value_eur", "Value (EUR)", "decimal")],
        [(m, ml_n[m], ml_v[m]) for m in mls],
        note="A licence covering goods of several categories counts once in each.",
    )  # fmt: skip
    types = [t for t in LicenceType.values if type_n[t] or type_r[t] or type_v[t]]
    by_type = Table(
        "by_type",
        "Licences and refusals by licence type",
        [Column("licence_type", "Licence type"), Column("licences", "Licences issued", "int"),
         Column("value_eur", "Value (EUR)", "decimal"), Column("refusals", "Refusals", "int")],
        [(LicenceType(t).label, type_n[t], type_v[t], type_r[t]) for t in types],
    )  # fmt: skip
    criteria = Table(
        "refusals_by_criterion",
        "Refusals by criterion cited",
        [
            Column("criterion", "Criterion"),
            Column("label", "Meaning"),
            Column("times_cited", "Times cited", "int"),
        ],
        [(c, LABELS.get(c, c), n) for c, n in sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))],
        note="A refusal may cite several criteria.",
    )
    agg: dict[str, dict[str, int | Decimal]] = defaultdict(lambda: defaultdict(int))
    for r in proc:
        a = agg[r["ltype"]]
        a["n"] += r["n"]
        a["on_time"] += r["on_time"]
        a["refused"] += r["n"] if r["verdict"] == Decision.REFUSED else 0
        # The mean comes back as a float (days); rounded to the microsecond-day so that both databases and
        # every run give the same decimal.
        a["days"] += Decimal(repr(round(r["mean"] or 0.0, 6))) * r["n"]
    processing = Table(
        "processing",
        "Processing times against the service level",
        [Column("licence_type", "Licence type"), Column("decisions", "Decisions", "int"),
         Column("refused", "Refused", "int"), Column("refused_pct", "Refused (%)", "decimal"),
         Column("sla_working_days", "Target (working days)", "int"),
         Column("on_time", "Decided by the deadline", "int"), Column("on_time_pct", "By the deadline (%)", "decimal"),
         Column("mean_days", "Mean calendar days to decision", "decimal")],
        [(LicenceType(t).label, int(a["n"]), int(a["refused"]), _pct(int(a["refused"]), int(a["n"])),
          SLA_WORKING_DAYS[t], int(a["on_time"]), _pct(int(a["on_time"]), int(a["n"])),
          (Decimal(a["days"]) / int(a["n"])).quantize(TENTH) if a["n"] else Decimal(0))
         for t, a in sorted(agg.items())],
    )  # fmt: skip
    ev: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in events:
        ev[r["dest"]][r["to_status"]] += r["n"]
    licence_events = Table(
        "suspensions_revocations",
        "Suspensions and revocations",
        [Column("destination", "Destination"), Column("destination_name", "Destination (name)"),
         Column("suspensions", "Suspensions", "int"), Column("revocations", "Revocations", "int")],
        [(d, mapping.country_name(d), e["suspended"], e["revoked"]) for d, e in sorted(ev.items())],
    )  # fmt: skip
    law = Table(
        "law_changes",
        "Changes to the law and reference data",
        [Column("revision", "Revision", "int"), Column("date", "Date", "date"), Column("source", "Source"),
         Column("note", "What changed")],
        [(r["number"], r["created_at"].date(), r["source"], r["note"]) for r in revisions],
    )  # fmt: skip
    impact = Table(
        "impact_runs",
        "Impact of the changes on open cases and live licences",
        [Column("date", "Date", "date"), Column("kind", "Run"), Column("to_revision", "Revision", "int"),
         Column("status", "Status"), Column("cases_examined", "Cases examined", "int"),
         Column("affected", "Cases or licences affected", "int")],
        [(r["created_at"].date(), r["kind"], r["to"], r["status"], r["total"], r["affected"]) for r in runs],
    )  # fmt: skip

    total_n, total_v, total_r = sum(type_n.values()), sum(type_v.values(), Decimal(0)), sum(type_r.values())
    decisions = sum(int(a["n"]) for a in agg.values())
    on_time = sum(int(a["on_time"]) for a in agg.values())
    susp = sum(e["suspended"] for e in ev.values())
    revo = sum(e["revoked"] for e in ev.values())
    ranked = sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked[0] if ranked else None
    authority = str(opts["authority"])
    prose = [
        ("Summary", [
            f"In {year} the {authority} issued {_n(total_n, 'licence')} for goods worth EUR {total_v:,.2f} in "
            f"total and refused {_n(total_r, 'application')}.",
            f"{_n(decisions, 'application')} {'was' if decisions == 1 else 'were'} decided in the year; {on_time:,} ({_pct(on_time, decisions)}%) "
            "were decided by their service-level deadline.",
            f"{_n(susp, 'licence')} {'was' if susp == 1 else 'were'} suspended and {revo:,} revoked during the year.",
        ]),
        ("Refusals", [
            (f"The criterion cited most often was {top[0]} ({LABELS.get(top[0], top[0])}), {_n(top[1], 'time')}."
             if top else "No application was refused in the year."),
        ]),
        ("Changes to the law", [
            f"{len(revisions):,} revisions of the reference data (control lists, embargoes, country assessments, "
            f"rules) were made live in {year}, and {len(runs):,} impact runs re-examined the open cases and live "
            "licences they affected."
            if revisions or runs else f"The reference data did not change in {year}.",
        ]),
    ]  # fmt: skip
    svg = {
        "by_region": charts.bars(
            "Licences issued by region", [(g, region_n[g]) for g in regions if region_n[g]]
        ),
        "by_category": charts.bars(
            "Value of licences by category (EUR)", [(m, ml_v[m]) for m in mls if ml_v[m]]
        ),
        "refusals_by_criterion": charts.bars("Refusals by criterion", [(c, n) for c, _, n in criteria.rows]),  # type: ignore[misc]
    }
    tables = [by_region, by_category, by_type, criteria, processing, licence_events, law, impact]
    return Report(
        Kind.NATIONAL, year, f"Strategic export controls: annual report {year}", prov, tables,
        {"licences": total_n, "value_eur": total_v, "refusals": total_r, "decisions": decisions},
        euro.notes(), prose, svg,
    )  # fmt: skip
