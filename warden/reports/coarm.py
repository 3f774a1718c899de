"""The EU annual report contribution (Common Position 2008/944/CFSP, Art. 8(2)), as COARM publishes it and
CAAT republishes it (caatdata/eu-arms-export-data export.csv): one row per destination x ML category x
category letter, where a = licences issued, b = value of licences issued (EUR), c = value of actual exports
(EUR, shipments), d = refusals, e1..e8 = times each Common Position criterion was cited. The primary
table keeps exactly those columns, so the file loads into the tools already written for that data; the
wide matrix, brokering and consultations tables follow.

Brokering licences are Warden's `brokering` licence type; the EU reports them in their own table, so they
are left out of rows a-d. The consultations table counts the consultations of denying states recorded
in warden.denials (CP Art. 4); the per-cell consultation and undercut-notification columns and the
consultations received are not recorded yet: 0, named *_issue13 so that nobody mistakes the 0 for a figure."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from warden.denials.queries import consultations
from warden.reports import common, mapping, queries
from warden.reports.att import Progress
from warden.reports.provenance import snapshot
from warden.reports.report import Cell, Column, Kind, Report, Table

LETTERS = ["a", "b", "c", "d", *(f"e{i}" for i in range(1, 9))]

LONG = [
    Column("year", "year", "int"),
    Column("embargo", "embargo", "int"),
    Column("source_iso2", "source_iso2"),
    Column("source_name", "source_name"),
    Column("destination_iso2", "destination_iso2"),
    Column("destination_name", "destination_name"),
    Column("region_code", "region_code"),
    Column("region_name", "region_name"),
    Column("ml", "ml"),
    Column("category", "category"),
    Column("value", "value", "decimal"),
]
WIDE = [
    Column("year", "Year", "int"),
    Column("destination_iso2", "Destination"),
    Column("destination_name", "Destination (name)"),
    Column("region_name", "Region"),
    Column("ml", "ML category"),
    Column("a_licences_issued", "a) Licences issued", "int"),
    Column("b_value_licences_eur", "b) Value of licences issued (EUR)", "decimal"),
    Column("c_value_actual_exports_eur", "c) Value of actual exports (EUR)", "decimal"),
    Column("d_denials", "d) Refusals", "int"),
    *(Column(f"e{i}", f"e) Criterion {i} cited", "int") for i in range(1, 9)),
    Column("consultations_initiated_issue13", "Consultations initiated (issue 13)", "int"),
    Column("undercut_notifications_issue13", "Undercut notifications (issue 13)", "int"),
]
BROKERING = [
    Column("year", "Year", "int"),
    Column("broker_ms", "Broker Member State"),
    Column("status", "Status"),
    Column("destination_iso2", "Destination"),
    Column("ml", "ML category"),
    Column("n_licences", "Number of licences", "int"),
    Column("value_licensed_eur", "Value of licensed items (EUR)", "decimal"),
    Column("criteria_if_refused", "Criteria (refusals)"),
]
CONSULT = [
    Column("year", "Year", "int"),
    Column("member_state", "Member State"),
    Column("consultations_initiated_issue13", "Consultations initiated (issue 13)", "int"),
    Column("consultations_received_issue13", "Consultations received (issue 13)", "int"),
]


def _cp_numbers(criteria: Any) -> list[int]:
    return sorted({int(c.split(":")[1]) for c in criteria or () if str(c).startswith("EU-CP:")})


def build(year: int, progress: Progress) -> Report:
    prov = snapshot(Kind.COARM, year)
    opts = common.options()
    state = str(opts["reporting_state"])
    euro = common.Euro(year)
    cells: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    brok: dict[tuple[str, str, str], list[Any]] = defaultdict(lambda: [0, Decimal(0), set()])

    def ml_ok(ml: str | None) -> str | None:
        return mapping.ml_category(ml) if ml else None

    progress("licences issued")
    for r in queries.licences_by_ml(year, euro.rates())[0]:
        if (ml := ml_ok(r["ml"])) is None:
            continue
        eur = euro.converted(r["eur"], r["unconverted"])
        if r["ltype"] == queries.BROKERING:
            brok[("issued", r["dest"], ml)][0] += r["n"]
            brok[("issued", r["dest"], ml)][1] += eur
        else:
            cells[(r["dest"], ml)]["a"] += r["n"]
            cells[(r["dest"], ml)]["b"] += eur
    progress("licensed values")
    progress("actual exports")
    for r in queries.shipments(year):
        if (ml := mapping.ml_category(r["rating"])) is None or r["ltype"] == queries.BROKERING:
            continue
        cells[(r["dest"], ml)]["c"] += euro.convert(r["value"], r["cur"])
    progress("refusals")
    for r in queries.refusals_by_ml(year):
        if (ml := ml_ok(r["ml"])) is None:
            continue
        if r["ltype"] == queries.BROKERING:
            b = brok[("refused", r["dest"], ml)]
            b[0] += r["n"]
            b[2].update(_cp_numbers(r["criteria"]))
            continue
        cell = cells[(r["dest"], ml)]
        cell["d"] += r["n"]
        for k in _cp_numbers(r["criteria"]):
            cell[f"e{k}"] += r["n"]

    progress("tables")
    embargoed = common.embargoed({d for d, _ in cells}, year)
    keys = sorted(cells, key=lambda k: (k[0], common.ml_rank(k[1])))
    long_rows: list[tuple[Cell, ...]] = []
    wide_rows: list[tuple[Cell, ...]] = []
    for dest, ml in keys:
        cell = cells[(dest, ml)]
        region = mapping.region_of(dest)
        name = mapping.country_name(dest)
        for letter in LETTERS:
            v = cell.get(letter, Decimal(0))
            if v:
                value = int(v) if letter not in ("b", "c") else v
                long_rows.append(
                    (year, int(dest in embargoed), state, mapping.country_name(state), dest, name,
                     region.code, region.name, f"ML {ml[2:]}", letter, value)
                )  # fmt: skip
        wide_rows.append(
            (year, dest, name, region.name, ml, int(cell["a"]), cell["b"], cell["c"], int(cell["d"]),
             *(int(cell[f"e{i}"]) for i in range(1, 9)), 0, 0)
        )  # fmt: skip
    brok_rows = [
        (year, state, status, dest, ml, int(n), value if status == "issued" else Decimal(0),
         " ".join(str(c) for c in sorted(crit)))
        for (status, dest, ml), (n, value, crit) in sorted(brok.items(), key=lambda kv: (kv[0][0], kv[0][1], common.ml_rank(kv[0][2])))
    ]  # fmt: skip
    tables = [
        Table("exports", "COARM data: destination x ML category x category (a-e)", LONG, long_rows),
        Table("matrix", "Licences, values and refusals per destination and ML category", WIDE, wide_rows),
        Table(
            "brokering",
            "Brokering licences",
            BROKERING,
            brok_rows,
            note="Warden's brokering licence type; none issued or refused gives an empty table.",
        ),  # fmt: skip
        Table(
            "consultations",
            "Consultations (Common Position Art. 4)",
            CONSULT,
            [(year, state, sum(consultations(year).values()), 0)],
            note=(
                "Initiated: consultations of a denying state Warden recorded in the year (warden.denials). "
                "Received: partners' consultations of us are not recorded yet, so 0."
            ),
        ),  # fmt: skip
    ]
    facts = {"source_member_state": state, "year": year, "embargoed_destinations": sorted(embargoed)}
    notes = [
        "Military-list (ML1-ML22) goods only; dual-use and national entries are not part of the EU report.",
        "One refusal can cover several ML categories, so rows d do not add up to the number of refusals.",
        *euro.notes(),
    ]
    return Report(
        Kind.COARM,
        year,
        f"EU annual report on arms exports (COARM) {year}: {state}",
        prov,
        tables,
        facts,
        notes,
    )
