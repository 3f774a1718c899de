"""The UN Register of Conventional Arms return: the standardised form for exports in categories I-VII
(number of items only: the Register asks for no values), the imports form (not recorded here), and the
background form on small arms and light weapons (exports, separately for small arms and light weapons).
The Register records transfers that took place, so the rows are shipments made in the year."""

from __future__ import annotations

from warden.reports import common, mapping, queries
from warden.reports.att import Progress, describe, fold
from warden.reports.models import BackgroundForm, UnrocaBackground
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


BACKGROUND_COLUMNS = [
    Column("category", "Category (I-VII)"),
    Column("number_of_items", "Number of items", "int"),
    Column("description_of_items", "Description of items"),
    Column("comments", "Comments"),
]


def background(year: int) -> tuple[list[Table], dict[str, str | None]]:
    """The voluntary background forms the authority recorded for the year (warden.reports.records), in the
    Register's panel order; a form with no row is a nil form, said in the facts and the table's note."""
    rows: dict[str, list[tuple[Cell, ...]]] = {f: [] for f in BackgroundForm.values}
    for b in UnrocaBackground.objects.filter(year=year).order_by("form", "category"):
        rows[b.form].append((b.category, b.number_of_items, b.description, b.comments))
    tables, nil = [], {}
    for form in BackgroundForm:
        order = sorted(rows[form.value], key=lambda r: common.category_rank(str(r[0])))
        nil[f"{form.value}"] = None if order else "nil"
        tables.append(
            Table(
                f"{form.value}",
                f"Background information: {form.label.lower()}",
                BACKGROUND_COLUMNS,
                order,
                note="" if order else f"Nil: no {form.label.lower()} recorded for {year}.",
            )
        )
    return tables, nil


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
        desc, comments = describe(cat, a)
        name = mapping.country_name(dest)
        if cat == "VIII":
            row = (sub, dest, name, a.items, "", "", desc, comments)
            (small if sub.startswith("SA-") else light).append(row)
        elif cat != "ammunition":
            exports.append((cat, sub, dest, name, a.items, "", "", desc, comments))
    state = str(opts["reporting_state"])
    progress("background")
    held, nil = background(year)
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
        *held,
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
        "military_holdings": nil["holdings"] or "recorded",
        "procurement_through_national_production": nil["production"] or "recorded",
        "withheld": sorted(withheld),
        "category_mapping": {
            "version": mapping.categories()["version"],
            "source": mapping.categories()["source"],
        },
    }
    notes = ["Numbers of items shipped in the year; the Register asks for no values."]
    for t in held:  # the CSV carries the exports table only: the background forms' figures go in its notes
        figures = ", ".join(f"{r[0]} {r[1]:,}" for r in t.rows)
        notes.append(f"{t.title}: {figures if t.rows else 'nil'}.")
    if withheld:
        notes.append(
            "Data on some items withheld for " + ", ".join(sorted(withheld)).replace("_", " ") + " reasons."
        )
    title = f"UN Register of Conventional Arms: report of {state} for calendar year {year}"
    return Report(Kind.UNROCA, year, title, prov, tables, facts, notes)
