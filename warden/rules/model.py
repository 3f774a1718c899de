"""Plain data the engine works on: the application, the reference snapshot and the findings.
No Django here: the engine is fed these dataclasses and returns them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

Outcome = Literal["deny", "risk", "condition", "pass"]
OUTCOME_RANK: dict[str, int] = {"pass": 0, "condition": 1, "risk": 2, "deny": 3}
GOVERNMENTAL_SECTORS = frozenset({"armed_forces", "police", "government"})
END_USER_ROLES = frozenset({"end_user", "ultimate_end_user"})

_ML = re.compile(r"^ML(\d{1,2})(?:\.?([a-z0-9.]*))?$", re.IGNORECASE)
_DU = re.compile(r"^([0-9])([A-E])(\d{3})(?:\.?([a-z0-9.]*))?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rating:
    """A control-list entry parsed once: `ML10.d` -> military 10; `5A002` -> dual-use 5/A/002."""

    code: str
    kind: Literal["military", "dual_use", "national"]
    category: int | None = None  # ML number or dual-use category 0..9
    group: str = ""  # dual-use product group A..E
    serial: int | None = None  # dual-use serial 002

    @classmethod
    def parse(cls, code: str) -> Rating:
        text = code.strip()
        m = _ML.match(text)
        if m:
            return cls(code=text, kind="military", category=int(m.group(1)))
        m = _DU.match(text)
        if m:
            return cls(
                code=text,
                kind="dual_use",
                category=int(m.group(1)),
                group=m.group(2).upper(),
                serial=int(m.group(3)),
            )
        return cls(code=text, kind="national")

    @property
    def regime(self) -> str:
        """The regime a dual-use serial comes from (0xx WA, 1xx MTCR, 2xx NSG, 3xx AG, 4xx CWC, 9xx national)."""
        if self.kind != "dual_use" or self.serial is None:
            return ""
        if self.category == 0:
            return "nsg"
        return {0: "wassenaar", 1: "mtcr", 2: "nsg", 3: "australia_group", 4: "cwc"}.get(
            self.serial // 100, "national"
        )


@dataclass(frozen=True, slots=True)
class Goods:
    description: str
    rating: Rating
    quantity: int


@dataclass(frozen=True, slots=True)
class Party:
    role: str
    sector: str
    name: str
    country: str


@dataclass(frozen=True, slots=True)
class EndUserCertificate:
    number: str
    re_export: str  # prohibited | with_consent | permitted, or "" when the certificate is silent on it
    delivery_verification: bool
    post_shipment_verification: bool
    issued_on: dt.date | None = None
    valid_until: dt.date | None = None  # last day the certificate is valid, when it states one


@dataclass(frozen=True, slots=True)
class DestinationLine:
    """One destination line of a global application (warden.rules.lines reads and checks them)."""

    index: int  # destinations[index] in the document
    country: str
    parties: tuple[int, ...]  # indexes into the document's parties (the line's own and the shared ones)
    goods: tuple[int, ...]  # indexes into the document's goods


@dataclass(frozen=True, slots=True)
class Application:
    reference: str
    licence_type: str
    destination: str
    end_use: str
    exporter_country: str
    goods: tuple[Goods, ...]
    parties: tuple[Party, ...]
    euc: EndUserCertificate | None
    submitted_on: dt.date | None = None
    # What the exporter declares it knows or suspects of the end use (catch_all.END_USE_FLAGS).
    end_use_flags: frozenset[str] = frozenset()
    # A temporary export's promised return (None when the document states none).
    return_by: dt.date | None = None
    # A global application's destination lines, each assessed on its own (warden.rules.lines); () otherwise.
    lines: tuple[DestinationLine, ...] = ()

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Application:
        """Build from a warden.application/1 document (assumed already validated)."""
        euc_doc = doc.get("end_user_certificate")
        euc = None
        if euc_doc:
            # A certificate silent on re-export is silent: not read as a prohibition (euc.py decides).
            euc = EndUserCertificate(
                number=str(euc_doc.get("number", "")),
                re_export=str(euc_doc.get("re_export") or ""),
                delivery_verification=bool(euc_doc.get("delivery_verification", False)),
                post_shipment_verification=bool(euc_doc.get("post_shipment_verification", False)),
                issued_on=_date(euc_doc.get("issued_on")),
                valid_until=_date(euc_doc.get("valid_until")),
            )
        submitted = doc.get("submitted_on")
        return cls(
            reference=str(doc.get("reference", "")),
            licence_type=str(doc.get("licence_type", "individual")),
            destination=str(doc.get("destination", "")).upper(),
            end_use=str(doc.get("end_use", "")),
            exporter_country=str((doc.get("exporter") or {}).get("country", "")).upper(),
            goods=tuple(
                Goods(
                    description=str(g.get("description", "")),
                    rating=Rating.parse(str(g.get("rating", ""))),
                    quantity=int(g.get("quantity", 0)),
                )
                for g in doc.get("goods", [])
            ),
            parties=tuple(
                Party(
                    role=str(p.get("role", "")),
                    sector=str(p.get("sector") or "unknown"),
                    name=str(p.get("name", "")),
                    country=str(p.get("country") or "").upper(),
                )
                for p in doc.get("parties", [])
            ),
            euc=euc,
            submitted_on=_date(submitted),
            end_use_flags=frozenset(str(f) for f in doc.get("end_use_flags") or ()),
            return_by=_date((doc.get("temporary_export") or {}).get("return_by")),
            lines=destination_lines(doc),
        )

    @property
    def end_users(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role in END_USER_ROLES)


class Finding(NamedTuple):
    """A tuple, so that sorting and de-duplicating thousands of findings per second stays in C.

    `condition` is the licence condition a `condition` finding proposes (its wording, for the officer to
    adopt or change); empty otherwise, and then absent from the document (an added, optional field)."""

    criterion: str
    rule: str
    subject: str
    outcome: Outcome
    basis: str
    explanation: str
    condition: str = ""

    def as_dict(self) -> dict[str, str]:
        # Keys in sorted order, so evaluate.to_bytes can skip re-sorting (canonical JSON sorts keys).
        out = {"basis": self.basis}
        if self.condition:
            out["condition"] = self.condition
        out.update(
            criterion=self.criterion,
            explanation=self.explanation,
            outcome=self.outcome,
            rule=self.rule,
            subject=self.subject,
        )
        return out


def destination_lines(doc: dict[str, Any]) -> tuple[DestinationLine, ...]:
    """Destination lines with the parties no line names shared by all, and all goods where none are named."""
    raw = doc.get("destinations") or []
    named = {int(k) for d in raw for k in d.get("parties", [])}
    shared = {k for k in range(len(doc.get("parties", []))) if k not in named}
    every_goods = range(len(doc.get("goods", [])))
    return tuple(
        DestinationLine(
            index=i,
            country=str(d["country"]).upper(),
            parties=tuple(sorted({int(k) for k in d["parties"]} | shared)),
            goods=tuple(sorted({int(j) for j in d.get("goods") or every_goods})),
        )
        for i, d in enumerate(raw)
    )


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def recommendation(findings: list[Finding] | tuple[Finding, ...]) -> str:
    """Contract rule: refuse if any deny; else refer if any risk; else conditions; else approve.

    >>> recommendation([]), recommendation([Finding("EU-CP:7", "x", "application", "condition", "", "")])
    ('approve', 'approve_with_conditions')
    """
    worst = max((OUTCOME_RANK[f.outcome] for f in findings), default=0)
    return ("approve", "approve_with_conditions", "refer", "refuse")[worst]


def rating_matches(code: str, prefix: str) -> bool:
    """A control-list prefix matches the entry and its sub-items, not a longer number.

    >>> rating_matches("ML10.d", "ML1"), rating_matches("ML1.a", "ML1"), rating_matches("5A001j", "5A001")
    (False, True, True)
    """
    c, p = code.strip().upper(), prefix.strip().upper()
    return c == p or (c.startswith(p) and not c[len(p)].isdigit())


RECOMMENDATION_RANK = {"approve": 0, "approve_with_conditions": 1, "refer": 2, "refuse": 3}


@dataclass(frozen=True, slots=True)
class Version:
    """One dated version of a reference record; `data` holds its fields (scope, levels, ...)."""

    record_id: str
    effective_from: dt.date
    effective_until: dt.date | None
    citation: str
    url: str
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
