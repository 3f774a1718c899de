"""The region view's query parameters, checked: a bad one is named in the error, never a 500."""

from __future__ import annotations

from collections.abc import Mapping

from warden.lib.errors import InvalidInput
from warden.lib.regions import BY_SLUG, REGIONS, Region
from warden.region.queries import Window, default_window

MIN_YEAR, MAX_YEAR, MAX_SPAN = 1950, 2100, 30


def _year(raw: str, name: str) -> int:
    text = raw.strip()
    if not (text.isdigit() and len(text) == 4 and MIN_YEAR <= int(text) <= MAX_YEAR):
        raise InvalidInput(
            f"{name}: {raw[:20]!r} is not a year between {MIN_YEAR} and {MAX_YEAR}", field=name
        )
    return int(text)


def parse(params: Mapping[str, str]) -> tuple[Region, Window]:
    slug = (params.get("region") or REGIONS[0].slug).strip()
    region = BY_SLUG.get(slug)
    if region is None or not region.codes:
        names = ", ".join(r.slug for r in REGIONS)
        raise InvalidInput(f"region: {slug[:40]!r} is not a region (one of {names})", field="region")
    default = default_window()
    first = _year(params["from"], "from") if params.get("from") else default.first
    last = _year(params["to"], "to") if params.get("to") else default.last
    if first > last:
        raise InvalidInput(f"from: {first} is after to: {last}", field="from")
    if last - first + 1 > MAX_SPAN:
        raise InvalidInput(
            f"to: at most {MAX_SPAN} years at a time ({first}-{last} is {last - first + 1})", field="to"
        )
    return region, Window(first, last)
