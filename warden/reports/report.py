"""What every report is made of: typed tables plus the provenance it was computed from. The renderers
(render.py) turn one of these into CSV, JSON, XLSX, HTML or PDF; the kinds (att, unroca, coarm, national)
only fill it in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

Cell = str | int | Decimal | dt.date | bool | None


class Kind(StrEnum):
    ATT = "att"
    UNROCA = "unroca"
    COARM = "coarm"
    NATIONAL = "national"


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    PDF = "pdf"
    HTML = "html"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = "str"  # str | int | decimal | date | bool: what a spreadsheet cell holds


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: Sequence[tuple[Cell, ...]] = field(default_factory=list)
    note: str = ""

    def as_dicts(self) -> list[dict[str, Cell]]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass
class Report:
    kind: Kind
    year: int
    title: str
    provenance: dict[str, Any]
    tables: list[Table]  # tables[0] is the primary table (the one the CSV carries)
    facts: dict[str, Any] = field(default_factory=dict)  # title-page fields, nil report, totals
    notes: list[str] = field(default_factory=list)
    prose: list[tuple[str, list[str]]] = field(default_factory=list)  # (heading, paragraphs): national
    charts: dict[str, str] = field(default_factory=dict)  # table key -> inline SVG (national)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)
