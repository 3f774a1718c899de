"""The loader's checker: collects every problem of one reference-data file, each naming the file and the
record, and checks the shapes every kind shares (dated, cited, a chain of versions, a country, unique ids)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from warden.legislation.countries_iso import ISO_3166_ALPHA2


def parse_date(value: Any) -> dt.date | None:
    """A date from YAML (already a date) or an ISO string; None for anything else."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class Checker:
    def __init__(self, kind: str) -> None:
        self.file = f"{kind}.yaml"
        self.errors: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{self.file}: {where}: {msg}")

    def dated(
        self, where: str, rec: dict[str, Any], *, need_citation: bool = True
    ) -> tuple[dt.date, dt.date | None] | None:
        if not isinstance(rec, dict):
            self.err(where, "must be a mapping")
            return None
        start = parse_date(rec.get("effective_from"))
        if start is None:
            self.err(where, f"effective_from missing or not a date (got {rec.get('effective_from')!r})")
            return None
        end = None
        if rec.get("effective_until") is not None:
            end = parse_date(rec.get("effective_until"))
            if end is None:
                self.err(where, f"effective_until is not a date (got {rec.get('effective_until')!r})")
                return None
            if end <= start:
                self.err(where, f"effective_until {end} is not after effective_from {start}")
                return None
        if need_citation and not str(rec.get("citation") or "").strip():
            self.err(where, "citation missing (every record must cite its legal act or source)")
        return start, end

    def chain(self, where: str, versions: list[Any]) -> None:
        spans = []
        for i, v in enumerate(versions):
            span = self.dated(f"{where} version {i + 1}", v)
            if span:
                spans.append((span[0], span[1], i + 1))
        spans.sort()
        for (s1, e1, i1), (s2, _e2, i2) in zip(spans, spans[1:], strict=False):
            if e1 is None or e1 > s2:
                self.err(
                    where, f"versions {i1} (from {s1}, until {e1 or 'open'}) and {i2} (from {s2}) overlap"
                )

    def country(self, where: str, code: Any, *, allow_star: bool = False) -> None:
        if allow_star and code == "*":
            return
        if code not in ISO_3166_ALPHA2:
            self.err(where, f"unknown country code {code!r} (ISO 3166-1 alpha-2 expected)")

    def unique(self, records: list[Any]) -> None:
        seen: set[str] = set()
        for i, r in enumerate(records):
            rid = r.get("id") if isinstance(r, dict) else None
            if not rid:
                self.err(f"record {i + 1}", "id missing")
            elif rid in seen:
                self.err(f"record {rid!r}", "duplicate id")
            else:
                seen.add(str(rid))
