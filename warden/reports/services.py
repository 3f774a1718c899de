"""Generate an annual report: check who asks and what they ask for, compute it from one consistent view of
the data, render it. Reading only: nothing is written, so nothing is audited (an audit entry per report
would also move the log head the report states, and the same request would never give the same bytes)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from warden.accounts.actors import Actor
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.reports import att, coarm, national, render, unroca
from warden.reports.policy import refusal
from warden.reports.report import Format, Kind, Report

FIRST_YEAR = 2000  # before Warden's data starts and before the EU database (2013): nothing to report
BUILDERS: dict[Kind, Callable[[int, Callable[[str], None]], Report]] = {
    Kind.ATT: att.build,
    Kind.UNROCA: unroca.build,
    Kind.COARM: coarm.build,
    Kind.NATIONAL: national.build,
}
STEPS: dict[Kind, int] = {Kind.ATT: 3, Kind.UNROCA: 3, Kind.COARM: 5, Kind.NATIONAL: 8}
CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8",
    Format.JSON: "application/json",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.PDF: "application/pdf",
    Format.HTML: "text/html; charset=utf-8",
}


@dataclass(frozen=True)
class Output:
    report: Report
    fmt: Format
    content: bytes

    @property
    def filename(self) -> str:
        return f"warden-{self.report.kind}-{self.report.year}.{self.fmt}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]


def parse(kind: str, year: str | int | None, fmt: str) -> tuple[Kind, int, Format]:
    """Validate a request; InvalidInput names the parameter and the accepted values."""
    kinds = ", ".join(k.value for k in Kind)
    formats = ", ".join(f.value for f in Format)
    try:
        k = Kind(str(kind).strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown report kind {kind!r}: choose one of {kinds}", field="kind") from None
    try:
        f = Format(str(fmt).strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown format {fmt!r}: choose one of {formats}", field="format") from None
    last = clock.today().year
    try:
        y = int(str(year).strip())
    except ValueError:
        raise InvalidInput(
            f"year {year!r} is not a year: give YYYY, {FIRST_YEAR} to {last}", field="year"
        ) from None
    if not FIRST_YEAR <= y <= last:
        raise InvalidInput(f"year {y} is out of range: reports cover {FIRST_YEAR} to {last}", field="year")
    return k, y, f


def build(kind: Kind, year: int, progress: Callable[[str], None] | None = None) -> Report:
    """Compute the report from one snapshot: on PostgreSQL a REPEATABLE READ transaction, so the audit
    head it states and every figure come from the same moment (SQLite's read transaction already is)."""
    outermost = not connection.in_atomic_block  # inside a caller's transaction, its snapshot rules
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return BUILDERS[kind](year, progress or (lambda step: None))


def rendered(report: Report, fmt: Format) -> bytes:
    if fmt == Format.CSV:
        return render.to_csv(report)
    if fmt == Format.JSON:
        return render.to_json(report)
    if fmt == Format.XLSX:
        return render.to_xlsx(report)
    if fmt == Format.HTML:
        return render.to_html(report).encode("utf-8")
    return render.to_pdf(report)


def generate(
    *,
    actor: Actor,
    kind: str,
    year: str | int | None,
    fmt: str,
    progress: Callable[[str], None] | None = None,
) -> Output:
    """The report `kind` for calendar `year` in `fmt`, for `actor` (NotPermitted when their role may not)."""
    why = refusal(actor)
    if why:
        raise NotPermitted(why)
    k, y, f = parse(kind, year, fmt)
    report = build(k, y, progress)
    return Output(report, f, rendered(report, f))
