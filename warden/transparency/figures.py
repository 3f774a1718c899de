"""The dashboard's figures, aggregated in the database and then redacted (warden.transparency.redaction).

Every query here selects destinations, ratings, dates, decisions and criteria only: no exporter, party,
quantity or value column is read, so none can leak into a page or a CSV. A figure is a list of rows with
a count or None (suppressed) and a total (or None when it too must be withheld)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from warden.audit.merkle import CompactRange
from warden.audit.models import LogHead
from warden.cases.models import Case, Decision, GoodsLine
from warden.legislation.citable import citable_map
from warden.legislation.criteria import INSTRUMENT_CRITERIA
from warden.lib import clock
from warden.lib.regions import OTHER, REGIONS, region_of
from warden.licences.models import Licence, LicenceLine
from warden.transparency import redaction
from warden.transparency.filters import ML_CATEGORIES, OTHER_CATEGORY, Filters, category_label
from warden.web.templatetags.warden_tags import COUNTRY_NAMES  # the project's one table of country names

NOT_ITEMISED_LABEL = "Other destinations (not itemised)"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int | None  # None: suppressed


@dataclass(frozen=True)
class Figure:
    slug: str  # its CSV is /transparency/<slug>.csv
    title: str
    dimension: str  # the column heading of the row labels
    measure: str  # what is counted
    rows: tuple[Row, ...]
    total: int | None
    note: str = ""


def _category_expr(field: str) -> SqlCase:
    # ML1..ML22 by the rating's first element (ML1.a -> ML1, but ML10 is not ML1); anything else (dual-use
    # entries such as 5A001, national ratings) is one "other" category.
    return SqlCase(
        *[When(**{f"{field}__regex": rf"^{c}([^0-9]|$)"}, then=Value(c)) for c in ML_CATEGORIES],
        default=Value(OTHER_CATEGORY),
        output_field=CharField(),
    )


def _rating_q(field: str, category: str) -> Q:
    if category == OTHER_CATEGORY:
        q = Q()
        for c in ML_CATEGORIES:
            q &= ~Q(**{f"{field}__regex": rf"^{c}([^0-9]|$)"})
        return q
    return Q(**{f"{field}__regex": rf"^{category}([^0-9]|$)"})


def _destination_q(f: Filters, field: str) -> Q:
    q = Q()
    named = redaction.published_destinations()
    if f.region is not None:
        # With a region chosen, destinations the policy does not name are left out altogether: pooled within
        # one region they could be a single country's figure.
        if f.region is OTHER:
            q &= ~Q(**{f"{field}__in": [c for r in REGIONS for c in r.codes]})
        else:
            q &= Q(**{f"{field}__in": sorted(f.region.codes)})
        if named is not None:
            q &= Q(**{f"{field}__in": sorted(named)})
    return q


def licences(f: Filters) -> QuerySet[Licence]:
    """The licences the figures count: every licence issued (whatever its status now), by issue year."""
    qs = Licence.objects.filter(_destination_q(f, "case__destination"))
    if f.year is not None:
        qs = qs.filter(issued_at__year=f.year)
    if f.category is not None:
        lines = LicenceLine.objects.filter(_rating_q("goods_line__rating", f.category))
        qs = qs.filter(pk__in=lines.values("licence_id"))
    return qs


def decisions(f: Filters) -> QuerySet[Case]:
    """The cases decided (approved or refused), by the year of the decision."""
    qs = Case.objects.filter(finalised_at__isnull=False).exclude(decision="")
    qs = qs.filter(_destination_q(f, "destination"))
    if f.year is not None:
        qs = qs.filter(finalised_at__year=f.year)
    if f.category is not None:
        goods = GoodsLine.objects.filter(_rating_q("rating", f.category))
        qs = qs.filter(pk__in=goods.values("case_id"))
    return qs


def _figure(
    slug: str,
    title: str,
    dimension: str,
    measure: str,
    counts: Mapping[str, int],
    label: Callable[[str], str],
    total: int,
    *,
    order: Callable[[str], Any] | None = None,
    note: str = "",
) -> Figure:
    cut = redaction.suppress(counts, redaction.threshold())
    keys = sorted(counts, key=order or (lambda k: (-counts[k], k)))
    rows = tuple(Row(k, label(k), None if k in cut.cells else counts[k]) for k in keys)
    return Figure(slug, title, dimension, measure, rows, None if cut.total else total, note)


def _dest_key(code: str) -> str:
    return code if redaction.is_published(code) else redaction.NOT_ITEMISED


def _dest_label(key: str) -> str:
    if key == redaction.NOT_ITEMISED:
        return NOT_ITEMISED_LABEL
    return f"{COUNTRY_NAMES.get(key, key)} ({key})"


def _region_key(code: str) -> str:
    return region_of(code).slug if redaction.is_published(code) else redaction.NOT_ITEMISED


def _region_label(key: str) -> str:
    if key == redaction.NOT_ITEMISED:
        return NOT_ITEMISED_LABEL
    return next((r.name for r in (*REGIONS, OTHER) if r.slug == key), key)


def by_destination_and_region(f: Filters) -> tuple[Figure, Figure]:
    """Licences by destination and by region, suppressed together: destinations within each region (against
    the region's count), then regions against the total, so no withheld destination is a region's count
    minus the others."""
    t = redaction.threshold()
    raw = dict(licences(f).values_list("case__destination").annotate(n=Count("pk")).order_by())
    dest: Counter[str] = Counter()
    for code, n in raw.items():
        dest[_dest_key(code)] += n
    groups: dict[str, dict[str, int]] = {}
    for key, n in dest.items():
        region = redaction.NOT_ITEMISED if key == redaction.NOT_ITEMISED else region_of(key).slug
        groups.setdefault(region, {})[key] = n
    hidden: set[str] = set()
    forced_regions: set[str] = set()
    for region, members in groups.items():
        cut = redaction.suppress(members, t)
        hidden |= cut.cells
        if cut.total:
            forced_regions.add(region)
    region_counts = {region: sum(m.values()) for region, m in groups.items()}
    total = sum(region_counts.values())
    rcut = redaction.suppress(region_counts, t, frozenset(forced_regions))
    # A region withheld to protect another must not be recoverable as the sum of its destinations either:
    # withholding its smallest destination is enough, since the region's own count is withheld too.
    for region in rcut.cells:
        members = groups[region]
        if not set(members) & hidden:
            hidden.add(min(members, key=lambda k: (members[k], k)))
    measure = "Licences issued"
    order = sorted(dest, key=lambda k: (k == redaction.NOT_ITEMISED, -dest[k], k))
    dest_fig = Figure(
        "licences-by-destination",
        "Licences issued by destination",
        "Destination",
        measure,
        tuple(Row(k, _dest_label(k), None if k in hidden else dest[k]) for k in order),
        None if rcut.total else total,
    )
    region_order = sorted(region_counts, key=lambda k: (k == redaction.NOT_ITEMISED, -region_counts[k], k))
    region_fig = Figure(
        "licences-by-region",
        "Licences issued by region",
        "Region",
        measure,
        tuple(Row(k, _region_label(k), None if k in rcut.cells else region_counts[k]) for k in region_order),
        None if rcut.total else total,
    )
    return dest_fig, region_fig


def by_category(f: Filters) -> Figure:
    lines = LicenceLine.objects.filter(licence__in=licences(f))
    counts = dict(
        lines.annotate(cat=_category_expr("goods_line__rating"))
        .values_list("cat")
        .annotate(n=Count("licence_id", distinct=True))
        .order_by()
    )
    order = list(ML_CATEGORIES) + [OTHER_CATEGORY]
    return _figure(
        "licences-by-category",
        "Licences issued by Military List category",
        "Category",
        "Licences issued",
        counts,
        category_label,
        licences(f).count(),
        order=order.index,
        note="A licence covering goods of several categories counts once under each, and once in the total.",
    )


def _year_start(year: int) -> dt.datetime:
    # The authority's time zone (settings.TIME_ZONE), as clock.local_date counts days.
    return dt.datetime(year, 1, 1, tzinfo=timezone.get_default_timezone())


def by_year(f: Filters) -> Figure:
    # Years as ranges of issued_at in the authority's time zone (plain comparisons the database does itself):
    # ExtractYear with time zone conversion runs a Python function per row on SQLite (0.4 s per 25,000).
    qs = licences(f)
    span = qs.aggregate(first=Min("issued_at"), last=Max("issued_at"))
    counts: dict[str, int] = {}
    if span["first"] is not None:
        years = range(clock.local_date(span["first"]).year, clock.local_date(span["last"]).year + 1)
        year = SqlCase(
            *[
                When(issued_at__gte=_year_start(y), issued_at__lt=_year_start(y + 1), then=Value(str(y)))
                for y in years
            ],
            output_field=CharField(),
        )
        counts = dict(qs.annotate(y=year).values_list("y").annotate(n=Count("pk")).order_by())
    return _figure(
        "licences-by-year",
        "Licences issued by year",
        "Year",
        "Licences issued",
        counts,
        str,
        sum(counts.values()),
        order=lambda k: k,
    )


def _criterion_labels() -> dict[str, str]:
    # Instruments first, then the national rules in force (a repealed national code shows as itself).
    labels = {c.code: f"{c.code} {c.label}" for c in INSTRUMENT_CRITERIA}
    labels.update(citable_map())
    return labels


def refusals_by_criterion(f: Filters) -> Figure:
    refused = decisions(f).filter(decision=Decision.REFUSED)
    # The criteria are a JSON list per case; unnesting it is json_each on SQLite and jsonb_array_elements
    # on PostgreSQL, so the (few, short) lists of the refused cases are read and counted here instead.
    counts: Counter[str] = Counter()
    n = 0
    for criteria in refused.values_list("decision_criteria", flat=True):
        n += 1
        counts.update(set(criteria or []))
    labels = _criterion_labels()
    return _figure(
        "refusals-by-criterion",
        "Refusals by criterion cited",
        "Criterion",
        "Refusals",
        counts,
        lambda k: labels.get(k, k),
        n,
        order=lambda k: (list(labels).index(k) if k in labels else len(labels), k),
        note="A refusal citing several criteria counts once under each, and once in the total.",
    )


BANDS: tuple[tuple[str, str, int | None], ...] = (
    ("0-10", "Up to 10 days", 10),
    ("11-20", "11 to 20 days", 20),
    ("21-40", "21 to 40 days", 40),
    ("41-60", "41 to 60 days", 60),
    ("61+", "More than 60 days", None),
)


def processing_times(f: Filters) -> Figure:
    """Decisions by calendar days from submission to decision (an appeal's second decision included)."""
    took = ExpressionWrapper(F("finalised_at") - F("submitted_at"), output_field=DurationField())
    band = SqlCase(
        *[When(took__lt=dt.timedelta(days=limit + 1), then=Value(key)) for key, _, limit in BANDS if limit],
        default=Value(BANDS[-1][0]),
        output_field=CharField(),
    )
    qs = decisions(f).filter(submitted_at__isnull=False)
    counts = dict(qs.annotate(took=took, band=band).values_list("band").annotate(n=Count("pk")).order_by())
    labels = {key: label for key, label, _ in BANDS}
    keys = [key for key, _, _ in BANDS]
    return _figure(
        "processing-times",
        "Decisions by processing time",
        "Time from submission to decision",
        "Decisions",
        counts,
        labels.__getitem__,
        sum(counts.values()),
        order=keys.index,
        note="Calendar days, including any time the case waited for the applicant's answers.",
    )


def all_figures(f: Filters) -> list[Figure]:
    dest, region = by_destination_and_region(f)
    return [dest, region, by_category(f), by_year(f), refusals_by_criterion(f), processing_times(f)]


SLUGS = (
    "licences-by-destination",
    "licences-by-region",
    "licences-by-category",
    "licences-by-year",
    "refusals-by-criterion",
    "processing-times",
)


def figure(slug: str, f: Filters) -> Figure:
    """One figure by its slug (KeyError for an unknown one)."""
    if slug not in SLUGS:
        raise KeyError(slug)
    return next(fig for fig in all_figures(f) if fig.slug == slug)


@dataclass(frozen=True)
class Revision:
    size: int
    root: str  # hex


def data_revision() -> Revision:
    """The audit log's size and Merkle root when the figures are computed: every change the figures count is
    in the log, so a reader can later check that the figures were made from (at least) this state of it."""
    head = LogHead.objects.filter(pk=1).first()
    if head is None or head.size == 0:
        return Revision(0, "")
    return Revision(head.size, CompactRange.from_bytes(head.size, bytes(head.frontier)).root().hex())
