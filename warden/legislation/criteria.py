"""The refusal criteria a decision may cite: one list, read from the ruleset in force.

The EU Common Position 2008/944/CFSP criteria 1-8 and the Arms Trade Treaty articles are fixed by the
instruments themselves (their labels and citations are here, once); the national criteria are the national
rules of the live reference revision in force on the date, each citable as NATIONAL:<rule id>. The decision
forms, the API and the CLI ask warden.legislation.citable (the live revision), and the case services check a
decision against what they are given (warden.cases sits below legislation and cannot ask itself)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from warden.rules.effective import in_force
from warden.rules.reference import Reference


@dataclass(frozen=True)
class Criterion:
    code: str  # what a decision stores, e.g. "EU-CP:7", "ATT:6.3", "NATIONAL:salw-non-state"
    label: str  # what a reader sees beside the code
    citation: str
    effective_from: dt.date


_CP = "Common Position 2008/944/CFSP, Art. 2, Criterion"
_CP_FROM = dt.date(1998, 6, 8)  # the EU Code of Conduct, whose eight criteria the Common Position kept
_ATT_FROM = dt.date(2014, 12, 24)  # the Arms Trade Treaty's entry into force
INSTRUMENT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("EU-CP:1", "International obligations, embargoes and sanctions", f"{_CP} One", _CP_FROM),
    Criterion("EU-CP:2", "Human rights and international humanitarian law", f"{_CP} Two", _CP_FROM),
    Criterion("EU-CP:3", "Internal situation (tensions or armed conflict)", f"{_CP} Three", _CP_FROM),
    Criterion("EU-CP:4", "Regional peace, security and stability", f"{_CP} Four", _CP_FROM),
    Criterion("EU-CP:5", "National security of member states and allies", f"{_CP} Five", _CP_FROM),
    Criterion("EU-CP:6", "Behaviour towards terrorism and international law", f"{_CP} Six", _CP_FROM),
    Criterion("EU-CP:7", "Risk of diversion or re-export", f"{_CP} Seven", _CP_FROM),
    Criterion(
        "EU-CP:8",
        "Compatibility with the recipient's technical and economic capacity",
        f"{_CP} Eight",
        _CP_FROM,
    ),
    Criterion("ATT:6.1", "Security Council measures", "Arms Trade Treaty, Art. 6(1)", _ATT_FROM),
    Criterion("ATT:6.2", "International agreements", "Arms Trade Treaty, Art. 6(2)", _ATT_FROM),
    Criterion(
        "ATT:6.3", "Genocide, crimes against humanity, war crimes", "Arms Trade Treaty, Art. 6(3)", _ATT_FROM
    ),
    Criterion("ATT:7", "Export assessment", "Arms Trade Treaty, Art. 7", _ATT_FROM),
    Criterion("ATT:11", "Diversion", "Arms Trade Treaty, Art. 11", _ATT_FROM),
)
_INSTRUMENT_CODES = frozenset(c.code for c in INSTRUMENT_CRITERIA)
NATIONAL_ID = re.compile(r"[a-z0-9-]+")  # a national rule's id, as the loader requires it


def is_criterion_form(code: str) -> bool:
    """Whether `code` names a criterion a ruleset rule may report under (the loader's check of ruleset.yaml):
    an instrument criterion, or NATIONAL:<id>."""
    scheme, _, rest = code.partition(":")
    return code in _INSTRUMENT_CODES or (scheme == "NATIONAL" and bool(NATIONAL_ID.fullmatch(rest)))


def _national_label(explanation: str) -> str:
    # The first sentence of the rule's explanation names its policy; the rest explains the finding.
    return " ".join(explanation.split()).partition(". ")[0].rstrip(".")


def citable(ref: Reference, on: dt.date) -> list[Criterion]:
    """The criteria a decision taken on `on` may cite under the reference data `ref`, instruments first."""
    out = [c for c in INSTRUMENT_CRITERIA if c.effective_from <= on]
    for rule in in_force(ref.national, on):
        out.append(
            Criterion(
                code=f"NATIONAL:{rule.record_id}",
                label=_national_label(str(rule.data.get("explanation") or rule.record_id)),
                citation=rule.citation,
                effective_from=rule.effective_from,
            )
        )
    return out
