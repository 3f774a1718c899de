"""The region view's data files: land neighbours (GeoNames) and the Military List to SIPRI category table."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"


@cache
def neighbours() -> dict[str, frozenset[str]]:
    """ISO code -> its land neighbours; symmetric by construction of the GeoNames table (checked by a test)."""
    out: dict[str, frozenset[str]] = {}
    for line in (DATA / "neighbours.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, _, rest = line.partition("\t")
        out[code] = frozenset(c for c in rest.split(",") if c)
    return out


def neighbours_of(code: str) -> frozenset[str]:
    return neighbours().get(code.upper(), frozenset())


@cache
def ml_categories() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load((DATA / "ml_categories.yaml").read_text(encoding="utf-8"))
    return {ml: tuple(cats) for ml, cats in raw["categories"].items()}


def ml_of(rating: str) -> str:
    """ "ML10.a.1" -> "ML10"; a dual-use or national rating -> itself (no SIPRI category)."""
    head = rating.strip().upper().split(".", 1)[0]
    return head


def sipri_categories(rating: str) -> tuple[str, ...]:
    return ml_categories().get(ml_of(rating), ())
