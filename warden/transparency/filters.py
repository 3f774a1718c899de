"""The dashboard's filters (year, region, category), checked: a value that is not one of the allowed ones is
refused with a message naming the filter and the value, never silently dropped (a reader would otherwise
take the unfiltered figures for the filtered ones)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from warden.lib.clock import today
from warden.lib.regions import BY_SLUG, Region

FIRST_YEAR = 2000  # no figures are published for earlier years (none were recorded in Warden)
ML_CATEGORIES: tuple[str, ...] = tuple(f"ML{n}" for n in range(1, 23))
OTHER_CATEGORY = "other"  # dual-use and national ratings: everything outside ML1-ML22
CATEGORIES: tuple[str, ...] = (*ML_CATEGORIES, OTHER_CATEGORY)
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    region: Region | None = None
    category: str | None = None

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for the CSV links and permalinks)."""
        out: dict[str, str] = {}
        if self.year is not None:
            out["year"] = str(self.year)
        if self.region is not None:
            out["region"] = self.region.slug
        if self.category is not None:
            out["category"] = self.category
        return out


def category_label(code: str) -> str:
    return "Dual-use and other ratings" if code == OTHER_CATEGORY else code


def parse(params: Mapping[str, str]) -> tuple[Filters, dict[str, str]]:
    """Filters from query parameters, and {parameter: message} for every invalid one (empty when all are
    valid). An empty parameter means "all"."""
    errors: dict[str, str] = {}
    year: int | None = None
    region: Region | None = None
    category: str | None = None
    raw_year = (params.get("year") or "").strip()
    if raw_year:
        last = today().year
        if not _YEAR.fullmatch(raw_year) or not FIRST_YEAR <= int(raw_year) <= last:
            errors["year"] = f"Year {raw_year!r} is not a year from {FIRST_YEAR} to {last}."
        else:
            year = int(raw_year)
    raw_region = (params.get("region") or "").strip()
    if raw_region:
        if raw_region not in BY_SLUG:
            errors["region"] = f"Region {raw_region!r} is not one of the regions listed in the form."
        else:
            region = BY_SLUG[raw_region]
    raw_category = (params.get("category") or "").strip()
    if raw_category:
        normal = raw_category.upper() if raw_category.upper().startswith("ML") else raw_category.lower()
        if normal not in CATEGORIES:
            errors["category"] = (
                f"Category {raw_category!r} is not ML1 to ML22 or {OTHER_CATEGORY!r} (dual-use and other)."
            )
        else:
            category = normal
    return Filters(year, region, category), errors
