"""ParsedEntry: one list entry as the importers read it, before it is stored (ListEntry.data). No Django.

The flat lists (aliases, weak_aliases, original_script, dates_of_birth, identifiers...) are what the
matcher reads; `names` and `birth_dates` keep the same facts with what the list said about them (a weak
or former name, the earliest and latest date of a range). `unreadable` keeps every value the importer
could not read, as published, so that nothing the file said is silently lost and the import can report
it; `not_available` names the fields the list marked "not available" (UN "na").
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from warden.lib.canonical import canonical_bytes
from warden.lib.errors import InvalidInput
from warden.screening import listfields as lf


class ListFormatError(InvalidInput, ValueError):
    """The file does not parse; the message names the line or element. (A ValueError too, as before.)"""


def clean(values: Any) -> list[str]:
    out: list[str] = []
    for v in values if isinstance(values, list) else [values]:
        if v is None:
            continue
        s = " ".join(str(v).split())
        if s and s not in out:
            out.append(s)
    return out


@dataclass
class ParsedEntry:
    entry_id: str
    kind: str  # person | organisation | vessel | other
    name: str
    aliases: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    original_script: list[str] = field(default_factory=list)
    dates_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    identifiers: list[dict[str, str]] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    names: list[dict[str, Any]] = field(default_factory=list)
    birth_dates: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_available: list[str] = field(default_factory=list)
    unreadable: list[dict[str, str]] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        return asdict(self)

    def digest(self) -> str:
        """Changes whenever anything about the entry changes: a remembered decision is tied to it."""
        return hashlib.sha256(canonical_bytes(self.data())).hexdigest()

    # -- builders used by every parser, so the flat lists and the records never disagree

    def add_name(self, name: str, kind: str = "alias", *, weak: bool = False, quality: str = "") -> None:
        name = " ".join((name or "").split())
        if not name or any(n["name"] == name and n["type"] == kind for n in self.names):
            return
        self.names.append(lf.name_record(name, kind, weak=weak, quality=quality))
        if kind == "primary" and not self.name:
            self.name = name
        elif kind == "original_script":
            if name not in self.original_script:
                self.original_script.append(name)
        elif name != self.name:
            target = self.weak_aliases if weak else self.aliases
            if name not in target:
                target.append(name)

    def add_dob(self, edtf: str | None, raw: str = "") -> None:
        """A date of birth already read (ISO / EDTF string); None means `raw` could not be read."""
        if edtf is None:
            self.cannot_read("date_of_birth", raw)
            return
        if edtf not in self.dates_of_birth:
            self.dates_of_birth.append(edtf)
            self.birth_dates.append(lf.birth_record(edtf))

    def add_dob_text(self, raw: str | None) -> None:
        if not raw or not raw.strip():
            return
        if lf.is_placeholder(raw):  # "NA", "unknown": the list says it does not know
            self.mark_not_available("date_of_birth")
            return
        self.add_dob(lf.read_dob(raw), raw)

    def mark_not_available(self, field_name: str) -> None:
        if field_name not in self.not_available:
            self.not_available.append(field_name)

    def add_identifier(self, rec: dict[str, str]) -> None:
        if (rec.get("number") or rec.get("type") or rec.get("note")) and rec not in self.identifiers:
            self.identifiers.append(rec)

    def add_countries(self, target: list[str], values: list[str], field_name: str, *, codes: bool) -> None:
        for v in clean(values):
            if lf.is_placeholder(v, code_field=codes):
                self.mark_not_available(field_name)
            elif v not in target:
                target.append(v)

    def cannot_read(self, field_name: str, raw: str) -> None:
        rec = {"field": field_name, "value": " ".join(str(raw).split())}
        if rec not in self.unreadable:
            self.unreadable.append(rec)
