"""The UN Register of Conventional Arms return: the standardised form for exports in categories I-VII
(number of items only: the Register asks for no values), the imports form (not recorded here), and the
background form on small arms and light weapons (exports, separately for small arms and light weapons).
The Register records transfers that took place, so the rows are shipments made in the year."""

from __future__ import annotations

from warden.reports import common, mapping, queries
from warden.reports.att import Progress, fold
from warden.reports.provenance import snapshot
from warden.reports.report import Cell, Column, Kind, Report, Table

EXPORT_COLUMNS = [
    Column("category", "Category (I-VII)"),
    Column("subcategory", "Sub-category"),
    Column("final_importer_state", "Final importer State(s)"),
    Column("final_importer_state_name", "Final importer State (name)"),
    Column("number_of_items", "Number of items", "int"),
    Column("state_of_origin", "State of origin (if not exporter)"),
    Column("intermediate_locations", "Intermediate location(s) (if any)"),
    Column("description_of_item", "Description of item"),
    Column("comments_on_transfer", "Comments on the transfer"),
]
SALW_COLUMNS = [
    Column("subcategory", "Sub-category"),
    Column("final_importer_state", "Final importer State"),
    Column("final_importer_state_name", "Final importer State (name)"),
    Column("number_of_items", "Number of items", "int"),
    Column("state_of_origin", "State of origin (if not exporter)"),
    Column("intermediate_locations", "Intermediate location(s)"),
    Column("description_of_item", "Description of item"),
    Column("comments_on_transfer", "Comments on the transfer"),
]


def build(year: int, progress: Progress) -> Report:
    prov = snapshot(Kind.UNROCA, year)
    opts = common.options()
    euro = common.Euro(year)  # unused values: the Register counts items
    withheld: set[str] = set()
    progress("shipments")
    acc = fold(year, "actual", queries.shipments(year), euro, withheld, unroca=True)
    progress("tables")
    exports: list[tuple[Cell, ...]] = []
    small: list[tuple[Cell, ...]] = []
    light: list[tuple[Cell, ...]] = []
    for (cat, sub, _basis, dest), a in sorted(
        acc.items(), key=lambda kv: (common.category_rank(kv[0][0]), kv[0][1], kv[0][3])
    ):
        label = mapping.categories()["categories"].get(cat, cat)
        desc = f"{label}; control-list entries {', '.join(sorted(a.ratings))}"
        comments = f"{', '.join(sorted(a.ltypes))} licence(s)"
        name = mapping.country_name(dest)
        if cat == "VIII":
            row = (sub, dest, name, a.items, "", "", desc, comments)
            (small if sub.startswith("SA-") else light).append(row)
        elif cat != "ammunition":
            exports.append((cat, sub, dest, name, a.items, "", "", desc, comments))
    state = str(opts["reporting_state"])
    tables = [
        Table(
            "exports",
            "Report on international transfers of conventional arms: exports",
            EXPORT_COLUMNS,
            exports,
        ),
        Table(
            "imports",
            "Report on international transfers of conventional arms: imports",
            [
                c if c.key != "final_importer_state" else Column("exporter_state", "Exporter State(s)")
                for c in EXPORT_COLUMNS
            ],
            [],
            note="Imports are not recorded by this authority.",
        ),
        Table(
            "salw_small_arms",
            "Background information: international transfers of small arms (exports)",
            SALW_COLUMNS,
            small,
        ),
        Table(
            "salw_light_weapons",
            "Background information: international transfers of light weapons (exports)",
            SALW_COLUMNS,
            light,
        ),
    ]
    facts = {
        "reporting_state": state,
        "calendar_year": year,
        "authority": opts["authority"],
        "contact": opts["contact"],
        "nil_report_exports": None
        if exports
        else f"Nil report: {state} made no exports in categories I-VII in calendar year {year}.",
        "imports": "not recorded",
        "withheld": sorted(withheld),
        "category_mapping": {
            "version": mapping.categories()["version"],
            "source": mapping.categories()["source"],
        },
    }
    notes = ["Numbers of items shipped in the year; the Register asks for no values."]
    if withheld:
        notes.append(
            "Data on some items withheld for " + ", ".join(sorted(withheld)).replace("_", " ") + " reasons."
        )
    title = f"UN Register of Conventional Arms: report of {state} for calendar year {year}"
    return Report(Kind.UNROCA, year, title, prov, tables, facts, notes)
