"""The year's figures, aggregated in the database (GROUP BY through values().annotate()): a report over a
million licences reads a few thousand grouped rows, never the licences themselves. Every query orders by
its group keys, so the same data gives the same rows in the same order (byte-identical reports).

A licence counts in the year it became valid (valid_from: the issue date unless the officer post-dated it);
a refusal in the year of its final decision; a shipment on its shipping date; a suspension or revocation
on the day it was recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import (
    Avg,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.functions import Left, StrIndex
from django.utils import timezone

from warden.cases.models import Case, Decision, GoodsLine, LicenceType
from warden.legislation.models import ImpactRun, ReferenceRevision
from warden.licences.models import Licence, LicenceLine, LicenceStatus, LicenceTransition, Shipment

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


def licence_lines(year: int) -> Rows:
    """Issued lines per destination, licence type, rating and currency: items and value (ATT, UNROCA)."""
    start, end, _, _ = bounds(year)
    return list(
        LicenceLine.objects.filter(licence__valid_from__gte=start, licence__valid_from__lt=end)
        .values(
            dest=F("licence__case__destination"),
            ltype=F("licence__case__licence_type"),
            rating=F("goods_line__rating"),
            cur=F("currency"),
        )
        .annotate(items=Sum("quantity"), value=Sum("value_amount"))
        .order_by("dest", "ltype", "rating", "cur")
    )


def licence_counts_by_ml(year: int) -> Rows:
    """Distinct licences per destination, licence type and ML category (COARM row a)."""
    start, end, _, _ = bounds(year)
    return list(
        LicenceLine.objects.filter(licence__valid_from__gte=start, licence__valid_from__lt=end)
        .annotate(ml=ml_of("goods_line__rating"))
        .values("ml", dest=F("licence__case__destination"), ltype=F("licence__case__licence_type"))
        .annotate(n=Count("licence", distinct=True))
        .order_by("dest", "ltype", "ml")
    )


def value_by_ml(year: int) -> Rows:
    """Licensed value per destination, licence type, ML category and currency (COARM row b)."""
    start, end, _, _ = bounds(year)
    return list(
        LicenceLine.objects.filter(licence__valid_from__gte=start, licence__valid_from__lt=end)
        .annotate(ml=ml_of("goods_line__rating"))
        .values(
            "ml",
            dest=F("licence__case__destination"),
            ltype=F("licence__case__licence_type"),
            cur=F("currency"),
        )
        .annotate(value=Sum("value_amount"))
        .order_by("dest", "ltype", "ml", "cur")
    )


def licences_by_destination_and_type(year: int) -> Rows:
    start, end, _, _ = bounds(year)
    return list(
        Licence.objects.filter(valid_from__gte=start, valid_from__lt=end)
        .values(dest=F("case__destination"), ltype=F("case__licence_type"))
        .annotate(n=Count("id"))
        .order_by("dest", "ltype")
    )


def shipments(year: int) -> Rows:
    """Actual exports: shipments per destination, licence type, rating and currency."""
    start, end, _, _ = bounds(year)
    return list(
        Shipment.objects.filter(shipped_on__gte=start, shipped_on__lt=end)
        .values(
            dest=F("licence__case__destination"),
            ltype=F("licence__case__licence_type"),
            rating=F("line__goods_line__rating"),
            cur=F("line__currency"),
        )
        .annotate(items=Sum("quantity"), value=Sum("value_amount"))
        .order_by("dest", "ltype", "rating", "cur")
    )


def _refused(year: int) -> Q:
    _, _, start, end = bounds(year)
    return Q(decision=Decision.REFUSED, finalised_at__gte=start, finalised_at__lt=end)


def refusals(year: int) -> Rows:
    """Refused cases per destination, licence type and the criteria cited (one row per distinct list)."""
    return list(
        Case.objects.filter(_refused(year))
        .values("destination", "decision_criteria", ltype=F("licence_type"))
        .annotate(n=Count("id"))
        .order_by("destination", "ltype", "decision_criteria")
    )


def refusals_by_ml(year: int) -> Rows:
    """Refused cases per destination, ML category of their goods and criteria (COARM rows d, e)."""
    _, _, start, end = bounds(year)
    return list(
        GoodsLine.objects.filter(
            case__decision=Decision.REFUSED, case__finalised_at__gte=start, case__finalised_at__lt=end
        )
        .annotate(ml=ml_of("rating"))
        .values(
            "ml",
            dest=F("case__destination"),
            ltype=F("case__licence_type"),
            criteria=F("case__decision_criteria"),
        )
        .annotate(n=Count("case", distinct=True))
        .order_by("dest", "ltype", "ml", "criteria")
    )


def licence_events(year: int) -> Rows:
    """Suspensions and revocations recorded in the year, per destination and kind."""
    _, _, start, end = bounds(year)
    return list(
        LicenceTransition.objects.filter(
            to_status__in=[LicenceStatus.SUSPENDED, LicenceStatus.REVOKED], at__gte=start, at__lt=end
        )
        .values("to_status", dest=F("licence__case__destination"))
        .annotate(n=Count("id"))
        .order_by("to_status", "dest")
    )


def processing(year: int) -> Rows:
    """Decisions of the year per licence type and decision: how many, how many by the SLA deadline
    (warden.cases.sla sets sla_deadline at submission and moves it while the exporter is asked), and the
    mean time from submission to decision."""
    _, _, start, end = bounds(year)
    took = ExpressionWrapper(F("finalised_at") - F("submitted_at"), output_field=DurationField())
    return list(
        Case.objects.filter(finalised_at__gte=start, finalised_at__lt=end, submitted_at__isnull=False)
        .exclude(decision="")
        .values("decision", ltype=F("licence_type"))
        .annotate(
            n=Count("id"),
            on_time=Count("id", filter=Q(finalised_at__date__lte=F("sla_deadline"))),
            mean=Avg(took),
        )
        .order_by("ltype", "decision")
    )


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
