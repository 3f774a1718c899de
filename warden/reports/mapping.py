"""The report vocabularies kept as data in warden/reports/data/: rating -> ATT/UNROCA category, destination
-> region, currency -> EUR. Loaded once per process; each file's digest goes into every report's provenance,
so a changed table shows in the report it changed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
_ML = re.compile(r"^(ML\d{1,2})(?:\.|$)")


@dataclass(frozen=True)
class Category:
    rating: str  # the mapping entry that matched (a prefix of the line's rating)
    att: str  # I..VIII or "ammunition"
    unroca: str | None  # I..VII, None outside the Register's seven categories
    salw: str | None  # SA-1..SA-6 / LW-1..LW-7
    sub: str | None  # IV(a), IV(b), V(a), V(b), VII(a), VII(b)
    note: str
    choices: tuple[str, ...] = ()  # line_categories an officer may give a line of this rating
    code: str = ""  # the line category this is (officer's choice), "" for the rating's own entry

    @property
    def ambiguous(self) -> bool:
        """The rating alone does not decide the row: lines need the officer's category."""
        return len(self.choices) > 1


@dataclass(frozen=True)
class Region:
    code: str
    name: str


OTHER_REGION = Region("OTHER", "Other / not classified")


def _load(name: str) -> tuple[dict[str, Any], str]:
    raw = (DATA / name).read_bytes()
    return yaml.safe_load(raw), "sha256:" + hashlib.sha256(raw).hexdigest()


@cache
def categories() -> dict[str, Any]:
    return _load("categories.yaml")[0]


@cache
def data_digests() -> dict[str, str]:
    """The digest of every data file a report reads (part of its provenance)."""
    return {name: _load(name)[1] for name in ("categories.yaml", "regions.yaml", "eur_rates.yaml")}


@cache
def _entries() -> dict[tuple[str, ...], Category]:
    out: dict[tuple[str, ...], Category] = {}
    for e in categories()["entries"]:
        out[tuple(e["rating"].split("."))] = Category(
            rating=e["rating"],
            att=str(e["att"]),
            unroca=e.get("unroca"),
            salw=e.get("salw"),
            sub=e.get("sub"),
            note=e.get("note", ""),
            choices=tuple(str(c) for c in e.get("choices") or ()),
        )
    return out


def line_codes() -> dict[str, dict[str, Any]]:
    """The line categories an officer may set (categories.yaml `line_categories`)."""
    return {str(k): dict(v) for k, v in categories()["line_categories"].items()}


def resolve(rating: str, code: str | None) -> Category | None:
    """The row a goods line counts in: the officer's line category when set (None for `none`), else the
    rating's entry. A code the rating does not offer (the table changed since it was set) is ignored."""
    base = category_of(rating)
    if base is None or not code or code not in base.choices:
        return base
    spec = line_codes()[code]
    if spec.get("att") is None:
        return None
    return Category(
        rating=base.rating,
        att=str(spec["att"]),
        unroca=spec.get("unroca"),
        salw=spec.get("salw"),
        sub=spec.get("sub"),
        note=base.note,
        choices=base.choices,
        code=code,
    )


@cache
def category_of(rating: str) -> Category | None:
    """The longest mapping entry whose dotted segments start `rating`.

    >>> category_of("ML1.a.2").rating, category_of("ML10.a").att, category_of("ML10.c") is None
    ('ML1.a', 'IV', True)
    """
    parts = tuple(rating.strip().split("."))
    entries = _entries()
    for n in range(len(parts), 0, -1):
        hit = entries.get(parts[:n])
        if hit is not None:
            return hit
    return None


def ml_category(rating: str) -> str | None:
    """ML1..ML22 of a military-list rating; None for dual-use and national entries.

    >>> ml_category("ML10.d"), ml_category("ML4"), ml_category("5A002")
    ('ML10', 'ML4', None)
    """
    m = _ML.match(rating.strip())
    return m.group(1) if m else None


def withheld(rating: str) -> str | None:
    """'commercially_sensitive' or 'national_security' when rows of this rating are withheld (ATT 13(3))."""
    parts = rating.split(".")
    for reason, prefixes in sorted(categories().get("withheld", {}).items()):
        for prefix in prefixes or ():
            pp = str(prefix).split(".")
            if parts[: len(pp)] == pp:
                return str(reason)
    return None


@cache
def _regions() -> dict[str, Region]:
    out: dict[str, Region] = {}
    for code, block in _load("regions.yaml")[0]["regions"].items():
        for cc in block["countries"]:
            out[str(cc)] = Region(str(code), str(block["name"]))
    return out


@cache
def _country_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for block in _load("regions.yaml")[0]["regions"].values():
        out.update({str(k): str(v) for k, v in block["countries"].items()})
    return out


def region_of(country: str) -> Region:
    return _regions().get(country, OTHER_REGION)


def country_name(country: str) -> str:
    return _country_names().get(country, country)


@cache
def _rates() -> dict[int, dict[str, Decimal]]:
    years = _load("eur_rates.yaml")[0]["years"]
    return {
        int(y): {str(c): Decimal(str(r)) for c, r in block["rates"].items()} for y, block in years.items()
    }


def rates_year(year: int) -> int:
    """The block of eur_rates.yaml that `year` uses: its own, else the latest earlier, else the earliest."""
    table = _rates()
    earlier = [y for y in table if y <= year]
    return max(earlier) if earlier else min(table)


def eur_rates(year: int) -> dict[str, Decimal]:
    """EUR per unit of each currency for `year` (the latest block at or before it, else the earliest)."""
    return dict(_rates()[rates_year(year)])


def rates_source(year: int) -> str:
    """Where the year's rates come from and when they are in force, for the report's notes."""
    data = _load("eur_rates.yaml")[0]
    used = rates_year(year)
    block = data["years"][used]
    eff = block["effective"]
    own = "" if used == year else f" (no {year} rates recorded: the {used} rates are used)"
    return (
        f"EUR values at reference rates in force {eff['from']} to {eff['until']}{own}: {data['source']}, "
        f"series {block['series']}."
    )


def eur_rate(currency: str, year: int) -> Decimal | None:
    return eur_rates(year).get(currency)
