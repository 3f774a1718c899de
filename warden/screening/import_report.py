"""What an import kept and what it could not read, per field, with counts (`warden lists import`).

Computed from the stored entry data (ListEntry.data, i.e. importers.ParsedEntry), so it reports what
was actually written, and works for any format. No Django.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

FIELD_LABELS = {
    "date_of_birth": "date of birth",
    "address_link": "address link",
    "nationality": "nationality",
    "country": "country",
}


@dataclass
class ImportReport:
    counts: Counter[str] = field(default_factory=Counter)
    # (field, value as published) -> entry ids
    unreadable: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, entry_id: str, kind: str, data: dict[str, Any]) -> None:
        c = self.counts
        c["entries"] += 1
        c[f"kind:{kind}"] += 1
        names = data.get("names") or []
        c["names"] += 1  # every entry has its one name; the others are aliases
        for n in names:
            if n.get("type") in ("alias", "former"):
                c["aliases"] += 1
                c["aliases:weak"] += bool(n.get("weak"))
                c["aliases:former"] += n.get("type") == "former"
            elif n.get("type") == "original_script":
                c["original_script"] += 1
        if not names:  # data stored before name records existed
            c["aliases"] += len(data.get("aliases") or []) + len(data.get("weak_aliases") or [])
            c["aliases:weak"] += len(data.get("weak_aliases") or [])
        for b in data.get("birth_dates") or [{"kind": "exact"} for _ in data.get("dates_of_birth") or []]:
            c["dates_of_birth"] += 1
            c[f"dates_of_birth:{b.get('kind')}"] += 1
        c["nationalities"] += len(data.get("nationalities") or [])
        for f in data.get("not_available") or []:
            c[f"not_available:{f}"] += 1
        c["addresses"] += len(data.get("addresses") or [])
        for i in data.get("identifiers") or []:
            c["identifiers"] += 1
            c["identifiers:without_number"] += not i.get("number")
        c["notes"] += len(data.get("notes") or [])
        for u in data.get("unreadable") or []:
            self.unreadable[(str(u.get("field")), str(u.get("value")))].append(entry_id)

    def kept_line(self) -> str:
        c = self.counts

        def n(key: str) -> str:
            return f"{c[key]:,}"

        kinds = ", ".join(
            f"{k} {c['kind:' + k]:,}" for k in ("person", "organisation", "vessel", "other") if c["kind:" + k]
        )
        parts = [
            f"entries {n('entries')} ({kinds})" if kinds else f"entries {n('entries')}",
            f"names {n('names')}",
            f"aliases {n('aliases')} (weak {n('aliases:weak')}, former {n('aliases:former')})",
            f"original-script names {n('original_script')}",
            f"dates of birth {n('dates_of_birth')} (ranges {n('dates_of_birth:range')}, "
            f"approximate {n('dates_of_birth:approximate')})",
            f"nationalities {n('nationalities')} (marked not available {n('not_available:nationality')})",
            f"addresses {n('addresses')}",
            f"identifiers {n('identifiers')} (without number {n('identifiers:without_number')})",
        ]
        if c["notes"]:
            parts.append(f"sanctions notes {n('notes')}")
        return "kept: " + "; ".join(parts)

    def unreadable_lines(self, list_prefix: str = "", show: int = 5) -> list[str]:
        if not self.unreadable:
            return ["could not read: nothing"]
        lines = []
        by_count = sorted(self.unreadable.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        total = sum(len(v) for v in self.unreadable.values())
        lines.append(f"could not read: {total:,} value(s), kept as published in the entries' data")
        for (fld, value), ids in by_count:
            shown = ", ".join(f"{list_prefix}{i}" for i in ids[:show]) + (", ..." if len(ids) > show else "")
            lines.append(f"  {FIELD_LABELS.get(fld, fld)} {value!r} x{len(ids)} (entries {shown})")
        return lines


def summarise(rows: Iterable[tuple[str, str, dict[str, Any]]]) -> ImportReport:
    """rows: (entry id, kind, data) of one list version."""
    report = ImportReport()
    for entry_id, kind, data in rows:
        report.add(entry_id, kind, data or {})
    return report
