"""The Arms Trade Treaty annual report (Art. 13(3)) in the structure of the 2017 reporting template
(ATT/CSP3 Annex 2): title page, Table 1 exports, Table 2 imports, the nil report, national definitions.
Rows are the categories I-VIII (VIII with its small-arms and light-weapons sub-rows) and the voluntary
ammunition row, per final importing state and basis (authorised: licences issued in the year; actual:
shipments made in the year). Value is in EUR (the template asks for value with its currency)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from warden.reports import common, mapping, queries
from warden.reports.provenance import snapshot
from warden.reports.report import Column, Kind, Report, Table

Progress = Callable[[str], None]

COLUMNS = [
    Column("category", "Category"),
    Column("subcategory", "Sub-category"),
    Column("basis", "Authorised or actual"),
    Column("final_importing_state", "Final importing State"),
    Column("final_importing_state_name", "Final importing State (name)"),
    Column("number_of_items", "Number of items", "int"),
    Column("value", "Value", "decimal"),
    Column("currency", "Currency"),
    Column("description_of_item", "Description of item"),
    Column("comments_on_transfer", "Comments on the transfer"),
]

NIL_STATEMENT = (
    "{state} reports that it did not export any conventional arms covered by Article 2(1) of the Arms Trade "
    "Treaty during the reporting period 1 January to 31 December {year}."
)


@dataclass
class _Acc:
    items: int = 0
    value: Decimal = Decimal(0)
    ratings: set[str] = field(default_factory=set)
    ltypes: set[str] = field(default_factory=set)
    by_officer: int = 0  # items placed in this row by the officer's line category
    by_default: dict[str, int] = field(default_factory=dict)  # ambiguous rating -> items placed by default


def _sub(cat: mapping.Category) -> str:
    code = cat.salw or cat.sub or ""
    label = mapping.categories()["subcategories"].get(code, "")
    return f"{code} {label}".strip()


def fold(
    year: int, basis: str, rows: queries.Rows, euro: common.Euro, withheld: set[str], *, unroca: bool = False
) -> dict[tuple[str, str, str, str], _Acc]:
    """Grouped lines -> (category, sub-category, basis, destination) accumulators. Lines whose rating maps
    to no category (parts, technology, dual-use) are not part of these returns."""
    out: dict[tuple[str, str, str, str], _Acc] = defaultdict(_Acc)
    for r in rows:
        cat = mapping.resolve(r["rating"], r.get("code"))
        if cat is None or (unroca and cat.unroca is None and cat.salw is None):
            continue
        reason = mapping.withheld(r["rating"])
        if reason:
            withheld.add(reason)
            continue
        acc = out[(cat.att, _sub(cat), basis, r["dest"])]
        items = int(r["items"] or 0)
        acc.items += items
        acc.value += euro.convert(r["value"], r["cur"])
        acc.ratings.add(cat.rating)
        acc.ltypes.add(r["ltype"])
        if cat.code:
            acc.by_officer += items
        elif cat.ambiguous:
            acc.by_default[cat.rating] = acc.by_default.get(cat.rating, 0) + items
    return out


def comments(acc: _Acc) -> str:
    """The comments column: the licence types, and how the row was decided where the rating alone could
    not decide it (categories.yaml `choices`): items the officer placed, items counted by the default."""
    parts = [f"{', '.join(sorted(acc.ltypes))} licence(s)"]
    if acc.by_officer:
        parts.append(f"{acc.by_officer:,} item(s) in this row by the officer's category for the line")
    for rating, items in sorted(acc.by_default.items()):
        entry = mapping.category_of(rating)
        options = ", ".join(entry.choices) if entry else ""
        parts.append(
            f"{items:,} item(s) of {rating} counted here by the rating's default: {rating} may be {options}, "
            "and no officer has set the line's category"
        )
    return "; ".join(parts)


def describe(att: str, acc: _Acc) -> tuple[str, str]:
    label = mapping.categories()["categories"].get(att, att)
    desc = f"{label}; control-list entries {', '.join(sorted(acc.ratings))}"
    return desc, comments(acc)


def build(year: int, progress: Progress) -> Report:
    prov = snapshot(Kind.ATT, year)
    opts = common.options()
    euro = common.Euro(year)
    withheld: set[str] = set()
    progress("licences issued")
    acc = fold(year, "authorised", queries.licence_lines(year), euro, withheld)
    progress("shipments")
    acc.update(fold(year, "actual", queries.shipments(year), euro, withheld))
    progress("tables")
    rows = []
    for (att, sub, basis, dest), a in sorted(
        acc.items(), key=lambda kv: (common.category_rank(kv[0][0]), kv[0][1], kv[0][2], kv[0][3])
    ):
        desc, comments = describe(att, a)
        rows.append(
            (att, sub, basis, dest, mapping.country_name(dest), a.items, a.value, "EUR", desc, comments)
        )
    exports = Table("exports", "Table 1: Exports", COLUMNS, rows)
    imports = Table(
        "imports",
        "Table 2: Imports",
        [
            c if c.key != "final_importing_state" else Column("exporting_state", "Exporting State")
            for c in COLUMNS
        ],
        [],
        note="Warden records export licences only; imports are not recorded by this authority.",
    )
    definitions = Table(
        "national_definitions",
        "Annex 2: National definitions (how control-list ratings were counted)",
        [
            Column("rating", "Control-list entry"),
            Column("category", "Category"),
            Column("note", "Definition used"),
        ],
        [(e["rating"], str(e["att"]), e.get("note", "")) for e in mapping.categories()["entries"]],
    )
    state = str(opts["reporting_state"])
    facts = {
        "reporting_state": state,
        "reporting_year": year,
        "authority": opts["authority"],
        "contact": opts["contact"],
        "forms_included": ["exports" if rows else "nil_exports", "annex2"],
        "withheld_commercially_sensitive": bool(opts["withheld_commercially_sensitive"])
        or "commercially_sensitive" in withheld,
        "withheld_national_security": bool(opts["withheld_national_security"])
        or "national_security" in withheld,
        "public": bool(opts["public"]),
        "nil_report_exports": None if rows else NIL_STATEMENT.format(state=state, year=year),
        "imports": "not recorded",
        "category_mapping": {
            "version": mapping.categories()["version"],
            "source": mapping.categories()["source"],
        },
    }
    notes = [
        "Categories are derived from the control-list rating of each licence line with the versioned table "
        f"warden/reports/data/categories.yaml (version {mapping.categories()['version']}); parts, components "
        "and technology are not counted. Source: " + mapping.categories()["source"] + ".",
        *euro.notes(),
    ]
    if facts["withheld_commercially_sensitive"] or facts["withheld_national_security"]:
        notes.append(
            "Commercially sensitive and/or national security data withheld in accordance with Article 13(3)."
        )
    title = f"Arms Trade Treaty annual report {year}: {state}"
    return Report(Kind.ATT, year, title, prov, [exports, imports, definitions], facts, notes)
