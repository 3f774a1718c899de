"""The year's figures, aggregated in the database (GROUP BY through values().annotate()): a report over a
million licences reads a few thousand grouped rows, never the licences themselves. Every query orders by
its group keys, so the same data gives the same rows in the same order (byte-identical reports).

A licence counts in the year it became valid (valid_from: the issue date unless the officer post-dated it);
a refusal in the year of its final decision; a shipment on its shipping date; a suspension or revocation
on the day it was recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    F,
    FloatField,
    Func,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.functions import Left, StrIndex
from django.utils import timezone

from warden.cases.models import Case, Decision, LicenceType
from warden.legislation.models import ImpactRun, ReferenceRevision
from warden.licences.models import (
    Licence,
    LicenceDestination,
    LicenceLine,
    LicenceStatus,
    LicenceTransition,
    Shipment,
)

Rows = Sequence[Mapping[str, Any]]


def bounds(year: int) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    """The calendar year as dates and as aware moments in the authority's time zone."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    tz = timezone.get_current_timezone()
    return start, end, dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def ml_of(field: str) -> When_:
    """The rating's entry before its first dot ("ML10.d" -> "ML10"), computed by the database so that the
    GROUP BY is per ML category, not per sub-entry (a licence with ML10.a and ML10.c lines counts once)."""
    dot = StrIndex(field, Value("."))
    return When_(
        When(**{f"{field}__contains": "."}, then=Left(field, dot - 1)),
        default=F(field),
        output_field=CharField(),
    )


def _sorted(qs: Any, keys: tuple[str, ...]) -> Rows:
    """The grouped rows in key order. The database is given no ORDER BY and the GROUP BY leads with the
    driving table's columns: with `dest` (a case column) first, SQLite walks the cases by their destination
    index and looks each licence up from there, three times slower at a million rows than scanning the
    licences. A few thousand groups sort in Python in no time."""
    return sorted(qs.order_by(), key=lambda r: tuple(str(r[k]) for k in keys))


class JulianDay(Func):
    """Days (fractional) since the Julian epoch, native on both databases: Django's own date arithmetic
    on SQLite calls a Python function per row, which costs seconds over a year of decisions."""

    function = "julianday"
    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM %(expressions)s) / 86400.0 + 2440587.5)",
            **extra,
        )


class Scan(Func):
    """The column, with SQLite told not to use its index (unary +): a year is most of the table, and
    walking the finalised_at index means a random table read per case, eight times slower over 100,000
    cases than reading the table through (measured, bench/reports.py). The comparison is unchanged.
    PostgreSQL's planner chooses between index and sequential scan from its statistics by itself."""

    template = "+%(expressions)s"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="%(expressions)s", **extra)


def _decided_in(year: int) -> Q:
    _, _, start, end = bounds(year)
    return Q(decided__gte=start, decided__lt=end)


def licence_lines(year: int) -> Rows:
    """Issued lines per currency, rating, the officer's line category (warden.reports.models.LineCategory,
    None when not set), licence type and destination: items and value (every kind)."""
    start, end, _, _ = bounds(year)
    qs = (
        LicenceLine.objects.filter(licence__valid_from__gte=start, licence__valid_from__lt=end)
        .values(
            cur=F("currency"),
            rating=F("goods_line__rating"),
            code=F("goods_line__report_category__code"),
            ltype=F("goods_line__case__licence_type"),
            dest=F("goods_line__case__destination"),
        )
        .annotate(items=Sum("quantity"), value=Sum("value_amount"))
    )
    return _sorted(qs, ("dest", "ltype", "rating", "code", "cur"))


def _eur(eur_rates: Mapping[str, Decimal]) -> When_:
    money = DecimalField(max_digits=24, decimal_places=6)
    return When_(
        *(
            When(currency=cur, then=F("value_amount") * Value(rate, output_field=money))
            for cur, rate in sorted(eur_rates.items())
        ),
        default=Value(Decimal(0), output_field=money),
        output_field=money,
    )


def _issued_lines(year: int) -> Any:
    """The licence lines of the licences that became valid in the year. The licence type and destination
    are read through the line's goods line (its case), not through the licence, so the licence table is
    read once, for valid_from only."""
    start, end, _, _ = bounds(year)
    return LicenceLine.objects.filter(licence__valid_from__gte=start, licence__valid_from__lt=end).annotate(
        ml=ml_of("goods_line__rating"),
        ltype=F("goods_line__case__licence_type"),
        dest=F("goods_line__case__destination"),
    )


def licences_by_ml(
    year: int, eur_rates: Mapping[str, Decimal], *, by_type: bool = False
) -> tuple[Rows, Rows]:
    """(per ML category, licence type and destination: distinct licences `n` (COARM row a: a licence with
    ML10.a and ML10.b lines counts once under ML10) and their value in EUR (row b), converted in the query
    at the year's rates; `unconverted` sums the lines in currencies without a rate), and (per licence type
    and destination: licences issued; only when `by_type`, else empty).

    One pass over the year's lines counts lines, not licences: COUNT(DISTINCT licence) makes PostgreSQL
    sort the million joined rows (to disk at the default work_mem) and doubled the query's time. Lines and
    licences differ only for licences with more than one line; those are found from the licence-line index
    alone (an index-only scan in licence order) and counted exactly in two small queries, and the
    difference is applied here. Licences per type and destination come from the same pass: a licence with
    one line is one line, and the licences with several are counted apart."""
    multi = (
        LicenceLine.objects.order_by()
        .values("licence")
        .annotate(k=Count("id"))
        .filter(k__gt=1)
        .values("licence")
    )
    main = (
        _issued_lines(year)
        .values("ml", "ltype", "dest")
        .annotate(
            lines=Count("id"),
            eur=Sum(_eur(eur_rates)),
            unconverted=Sum("value_amount", filter=~Q(currency__in=list(eur_rates))),
        )
        .order_by()
    )
    several = _issued_lines(year).filter(licence__in=multi)
    fix_ml = {
        (r["ml"], r["ltype"], r["dest"]): r["lines"] - r["n"]
        for r in several.values("ml", "ltype", "dest")
        .annotate(lines=Count("id"), n=Count("licence", distinct=True))
        .order_by()
    }
    fix_type = (
        {
            (r["ltype"], r["dest"]): (r["lines"], r["n"])
            for r in several.values("ltype", "dest")
            .annotate(lines=Count("id"), n=Count("licence", distinct=True))
            .order_by()
        }
        if by_type
        else {}
    )
    by_ml: list[dict[str, Any]] = []
    per_type: dict[tuple[str, str], int] = {}
    for r in main:
        key = (r["ltype"], r["dest"])
        by_ml.append({**r, "n": r["lines"] - fix_ml.get((r["ml"], *key), 0)})
        per_type[key] = per_type.get(key, 0) + r["lines"]
    for key, (lines, n) in fix_type.items():
        per_type[key] += n - lines
    if by_type:
        for key, n in _by_destination_line(year).items():
            per_type[key] = per_type.get(key, 0) + n
    types = [{"ltype": lt, "dest": d, "n": n} for (lt, d), n in per_type.items() if n] if by_type else []
    return (
        sorted(by_ml, key=lambda r: (str(r["dest"]), str(r["ltype"]), str(r["ml"]))),
        sorted(types, key=lambda r: (str(r["dest"]), str(r["ltype"]))),
    )


def _by_destination_line(year: int) -> dict[tuple[str, str], int]:
    """What turns the count per case destination into one per licensed destination line: a global licence
    counts once under each line's country (the refused lines were never licensed) and not under its case's
    own destination. Few licences have lines, so both queries are small."""
    start, end, _, _ = bounds(year)
    issued = Licence.objects.filter(valid_from__gte=start, valid_from__lt=end)
    out: dict[tuple[str, str], int] = {}
    for r in (
        issued.filter(destinations__isnull=False)
        .values(ltype=F("case__licence_type"), dest=F("case__destination"))
        .annotate(n=Count("id", distinct=True))
        .order_by()
    ):
        out[(r["ltype"], r["dest"])] = out.get((r["ltype"], r["dest"]), 0) - r["n"]
    for r in (
        LicenceDestination.objects.filter(licence__in=issued)
        .values(ltype=F("licence__case__licence_type"), dest=F("country"))
        .annotate(n=Count("licence", distinct=True))
        .order_by()
    ):
        out[(r["ltype"], r["dest"])] = out.get((r["ltype"], r["dest"]), 0) + r["n"]
    return out


def shipments(year: int) -> Rows:
    """Actual exports: shipments per currency, rating, line category, licence type and destination. The
    case is reached through the line's goods line, not the licence: one join and one big table fewer."""
    start, end, _, _ = bounds(year)
    qs = (
        Shipment.objects.filter(shipped_on__gte=start, shipped_on__lt=end)
        .values(
            cur=F("line__currency"),
            rating=F("line__goods_line__rating"),
            code=F("line__goods_line__report_category__code"),
            ltype=F("line__goods_line__case__licence_type"),
            dest=F("line__goods_line__case__destination"),
        )
        .annotate(items=Sum("quantity"), value=Sum("value_amount"))
    )
    return _sorted(qs, ("dest", "ltype", "rating", "code", "cur"))


def refusals(year: int) -> Rows:
    """Refused cases per destination, licence type and the criteria cited (one row per distinct list)."""
    qs = (
        Case.objects.annotate(decided=Scan("finalised_at", output_field=DateTimeField()))
        .filter(_decided_in(year), decision=Decision.REFUSED)
        .values("decision_criteria", "destination", ltype=F("licence_type"))
        .annotate(n=Count("id"))
    )
    return _sorted(qs, ("destination", "ltype", "decision_criteria"))


def refusals_by_ml(year: int) -> Rows:
    """Refused cases per ML category of their goods, criteria, licence type and destination (COARM d, e)."""
    qs = (
        Case.objects.annotate(decided=Scan("finalised_at", output_field=DateTimeField()))
        .filter(_decided_in(year), decision=Decision.REFUSED)
        .annotate(ml=ml_of("goods__rating"))
        .values("ml", criteria=F("decision_criteria"), ltype=F("licence_type"), dest=F("destination"))
        .annotate(n=Count("id", distinct=True))
    )
    return _sorted(qs, ("dest", "ltype", "ml", "criteria"))


def licence_events(year: int) -> Rows:
    """Suspensions and revocations recorded in the year, per kind and destination."""
    _, _, start, end = bounds(year)
    qs = (
        LicenceTransition.objects.filter(
            to_status__in=[LicenceStatus.SUSPENDED, LicenceStatus.REVOKED], at__gte=start, at__lt=end
        )
        .values("to_status", dest=F("licence__case__destination"))
        .annotate(n=Count("id"))
    )
    return _sorted(qs, ("to_status", "dest"))


def processing(year: int) -> Rows:
    """Decisions of the year per licence type and decision: how many, how many by the SLA deadline
    (warden.cases.sla sets sla_deadline at submission and moves it while the exporter is asked), and the
    mean days from submission to decision. "By the deadline" means before the end of the deadline day in
    UTC, the same on both databases (the stored moments are UTC; a decision in the last local hour of a
    summer deadline day in London counts as on time either way)."""
    late = JulianDay("finalised_at") - JulianDay("sla_deadline")
    took = JulianDay("finalised_at") - JulianDay("submitted_at")
    qs = (
        Case.objects.annotate(
            decided=Scan("finalised_at", output_field=DateTimeField()),
            submitted=Scan("submitted_at", output_field=DateTimeField()),
        )
        .filter(_decided_in(year), submitted__isnull=False)
        .exclude(decision="")
        .annotate(late=late)
        .values(ltype=F("licence_type"), verdict=F("decision"))
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(late__lt=1)), mean=Avg(took))
    )
    return _sorted(qs, ("ltype", "verdict"))


def law_changes(year: int) -> tuple[Rows, Rows]:
    """Reference-data revisions made live in the year, and the impact runs they started."""
    _, _, start, end = bounds(year)
    revisions = list(
        ReferenceRevision.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("number", "source", "note", "digest", "created_at")
        .order_by("number")
    )
    runs = list(
        ImpactRun.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("kind", "status", "total", "affected", "created_at", to=F("to_revision__number"))
        .order_by("created_at", "id")
    )
    return revisions, runs


BROKERING = LicenceType.BROKERING
