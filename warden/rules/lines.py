"""Destination lines of a global (open individual) licence (warden.application/1 `destinations`).

A global application names several destination countries, each with its own parties (consignees, end users)
and goods, and optional caps on what may be shipped there (UK OIEL, Directive 2009/43 Art. 6, Reg. 2021/821
Art. 12(4)(b): docs/global-licences.md). Each line is assessed as if it were an application of its own (its
country as the destination, its goods and its parties) and its findings name it: `destinations[i]` for what
concerns the line as a whole (its destination, the application as seen from it), `destinations[i].goods[j]`
and `destinations[i].parties[k]` for a goods line or party of the document (j, k index the document, not the
line). A party named by no line is shared by every line (a forwarder, an intermediary), and so are goods
when a line names none.

No Django here: the engine, the schema check (warden.cases.schema) and the decision (which lines the engine
would refuse) all read the lines through this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from warden.rules.model import (
    END_USER_ROLES,
    OUTCOME_RANK,
    DestinationLine,
    Finding,
    Outcome,
    destination_lines,
    recommendation,
)

if TYPE_CHECKING:
    from warden.rules.model import Application

_SUBJECT = re.compile(r"^(goods|parties)\[(\d+)\]$")
_LINE_SUBJECT = re.compile(r"^destinations\[(\d+)\]")


__all__ = ["DestinationLine", "LineView", "line_errors", "line_views", "lines_of", "lines_touched"]


def lines_of(doc: Mapping[str, Any]) -> tuple[DestinationLine, ...]:
    """The destination lines of a (validated) document, with shared parties and default goods filled in;
    () for an application without lines."""
    return destination_lines(dict(doc))


def line_errors(doc: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(JSON pointer, message) for each way the document's `destinations` contradicts the rest of it: lines on
    an application that is not global, an index naming no goods line or party, a country twice, a line with
    no end user, a value cap in another currency than its goods, a top-level destination on no line."""
    raw = doc.get("destinations")
    if raw is None:
        return []
    if doc.get("licence_type") != "global":
        return [
            (
                "/destinations",
                f"destination lines are for a global licence only; this application is "
                f"{doc.get('licence_type')!r}: give one destination, or apply for a global licence",
            )
        ]
    goods, parties = doc.get("goods", []), doc.get("parties", [])
    errors: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for i, line in enumerate(raw):
        where = f"/destinations/{i}"
        country = str(line["country"])
        if country in seen:
            errors.append(
                (
                    f"{where}/country",
                    f"{country} is already destinations[{seen[country]}]: one line a country",
                )
            )
        seen.setdefault(country, i)
        unknown = [
            (f"{where}/parties/{n}", _unknown("party", k, len(parties)))
            for n, k in enumerate(line["parties"])
            if k >= len(parties)
        ] + [
            (f"{where}/goods/{n}", _unknown("goods line", j, len(goods)))
            for n, j in enumerate(line.get("goods") or [])
            if j >= len(goods)
        ]
        errors.extend(unknown)
        if not _any_unknown(doc):
            errors.extend(_line_sense(doc, i, where))
    if not errors and str(doc.get("destination", "")).upper() not in seen:
        errors.append(
            (
                "/destination",
                f"expected one of the destination lines' countries ({', '.join(seen)}); got "
                f"{doc.get('destination')!r}",
            )
        )
    return errors


def _any_unknown(doc: Mapping[str, Any]) -> bool:
    """Whether any line names a party or goods line that does not exist (the lines cannot be read then)."""
    np, ng = len(doc.get("parties", [])), len(doc.get("goods", []))
    return any(k >= np for d in doc["destinations"] for k in d["parties"]) or any(
        j >= ng for d in doc["destinations"] for j in d.get("goods") or []
    )


def _unknown(what: str, index: int, count: int) -> str:
    last = f"0..{count - 1}" if count else "none"
    return f"no {what} {index} in this application (its {what}s are {last})"


def _line_sense(doc: Mapping[str, Any], i: int, where: str) -> list[tuple[str, str]]:
    line = lines_of(doc)[i]
    raw = doc["destinations"][i]
    parties, goods = doc.get("parties", []), doc.get("goods", [])
    errors = []
    if not any(parties[k].get("role") in END_USER_ROLES for k in line.parties):
        errors.append(
            (f"{where}/parties", f"expected at least one end_user among the parties of {line.country}")
        )
    cap = raw.get("value")
    if cap:
        other = sorted({goods[j]["value"]["currency"] for j in line.goods} - {cap["currency"]})
        if other:
            errors.append(
                (
                    f"{where}/value/currency",
                    f"the cap is in {cap['currency']} but this line's goods are valued in {', '.join(other)}: "
                    "give the cap in the goods' currency",
                )
            )
    return errors


# ------------------------------------------------------------------------------------------- the engine


def line_application(app: Application, line: DestinationLine) -> Application:
    """The application as one destination line sees it: its country, its goods and its parties."""
    return replace(
        app,
        destination=line.country,
        goods=tuple(app.goods[j] for j in line.goods),
        parties=tuple(app.parties[k] for k in line.parties),
        lines=(),
    )


def renamed(finding: Finding, line: DestinationLine) -> Finding:
    """A finding of the line's own assessment, its subject naming the line and the document's indexes."""
    prefix = f"destinations[{line.index}]"
    m = _SUBJECT.match(finding.subject)
    if m is None:  # destination, application
        return finding._replace(subject=prefix)
    kind, n = m.group(1), int(m.group(2))
    original = (line.goods if kind == "goods" else line.parties)[n]
    return finding._replace(subject=f"{prefix}.{kind}[{original}]")


def lines_touched(subject: str, lines: Sequence[DestinationLine]) -> list[int]:
    """The line indexes a finding's subject concerns: its own line, every line holding a screened party, or
    every line for what concerns the application as a whole."""
    m = _LINE_SUBJECT.match(subject)
    if m is not None:
        return [int(m.group(1))]
    p = _SUBJECT.match(subject)
    if p is not None and p.group(1) == "parties":
        k = int(p.group(2))
        return [ln.index for ln in lines if k in ln.parties]
    return [ln.index for ln in lines]


@dataclass(frozen=True, slots=True)
class LineView:
    """What the engine says of one destination line."""

    index: int
    country: str
    recommendation: str
    deny_criteria: tuple[str, ...]


def line_views(findings: Iterable[Mapping[str, str]], lines: Sequence[DestinationLine]) -> list[LineView]:
    """The engine's recommendation for each destination line, from the assessment's findings."""
    by_line: dict[int, list[Finding]] = {ln.index: [] for ln in lines}
    for f in findings:
        finding = Finding(
            criterion=f["criterion"],
            rule=f["rule"],
            subject=f["subject"],
            outcome=cast(Outcome, f["outcome"]),
            basis=f.get("basis", ""),
            explanation=f.get("explanation", ""),
        )
        for i in lines_touched(finding.subject, lines):
            by_line[i].append(finding)
    return [
        LineView(
            index=ln.index,
            country=ln.country,
            recommendation=recommendation(by_line[ln.index]),
            deny_criteria=tuple(
                sorted({f.criterion for f in by_line[ln.index] if OUTCOME_RANK[f.outcome] == 3})
            ),
        )
        for ln in lines
    ]
