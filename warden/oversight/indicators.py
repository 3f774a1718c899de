"""Integrity indicators (issue 12 section 3; reports.md 8.4): computed from the case and licence data,
aggregated in the database, each hit explained in one sentence that says why it crossed its threshold.

The thresholds are data (data/indicators.yaml, thresholds.py). An indicator is a prompt for a second look,
never a finding of wrongdoing: the sentences say what was counted and against which threshold, so that a
reader can check the arithmetic on the cases the hit links to.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from warden.accounts.models import Organisation, User
from warden.cases.models import Case, DecisionOverrule, GoodsLine, InformationRequest, Party, PartyRole
from warden.cases.sla import overdue_q
from warden.legislation.services import current_reference
from warden.lib import clock
from warden.licences.models import Licence
from warden.oversight.thresholds import IndicatorDef, definitions

# A hit links to at most this many cases; the drill-down page says when there are more.
MAX_CASES_PER_HIT = 200


@dataclass(frozen=True)
class Hit:
    indicator: str
    subject: str  # the officer, exporter or licence the hit is about
    sentence: str  # why it is a hit, with the figures and the threshold
    case_ids: tuple[int, ...]


@dataclass(frozen=True)
class Result:
    definition: IndicatorDef
    hits: list[Hit]


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _people(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    rows = User.objects.filter(pk__in=wanted).values_list("pk", "first_name", "last_name", "username")
    return {pk: (f"{first} {last}".strip() or username) for pk, first, last, username in rows}


def _orgs(ids: Iterable[int]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


# ---------------------------------------------------------------------------------------------- R1


def overrules(d: IndicatorDef) -> list[Hit]:
    """Officers whose proposals against the engine make up a large share of their decisions."""
    min_decisions, share = int(d.value("min_decisions")), float(d.value("share"))
    proposed = dict(
        DecisionOverrule.objects.values_list("proposed_by")
        .annotate(n=Count("id"))
        .values_list("proposed_by", "n")
    )
    decided = dict(
        Case.objects.exclude(finalised_by=None)
        .values_list("finalised_by")
        .annotate(n=Count("id"))
        .values_list("finalised_by", "n")
    )
    names = _people(proposed)
    hits = []
    for officer, n in sorted(proposed.items(), key=lambda kv: -kv[1]):
        total = max(n, decided.get(officer, 0) + n)  # each proposal is a decision the officer took
        if total < min_decisions or n / total < share:
            continue
        ids = DecisionOverrule.objects.filter(proposed_by=officer).values_list("case_id", flat=True)
        hits.append(
            Hit(
                d.id,
                names.get(officer, "?"),
                f"{names.get(officer, '?')} took {n} of {total} decisions ({_pct(n / total)}) against the "
                f"engine's recommendation; the threshold is {_pct(share)} of at least {min_decisions} decisions.",
                tuple(dict.fromkeys(ids[:MAX_CASES_PER_HIT])),
            )
        )
    return hits


# ---------------------------------------------------------------------------------------------- R3


def concentration(d: IndicatorDef) -> list[Hit]:
    """Exporters most of whose decided cases one officer decided."""
    min_cases, share = int(d.value("min_cases")), float(d.value("share"))
    rows = list(
        Case.objects.exclude(finalised_by=None)
        .values_list("organisation", "finalised_by")
        .annotate(n=Count("id"))
        .values_list("organisation", "finalised_by", "n")
    )
    totals: dict[int, int] = defaultdict(int)
    for org, _, n in rows:
        totals[org] += n
    names, orgs = _people(r[1] for r in rows), _orgs(totals)
    hits = []
    for org, officer, n in sorted(rows, key=lambda r: (-r[2], r[0])):
        total = totals[org]
        if total < min_cases or n / total < share:
            continue
        ids = (
            Case.objects.filter(organisation=org, finalised_by=officer)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        hits.append(
            Hit(
                d.id,
                f"{orgs.get(org, '?')} / {names.get(officer, '?')}",
                f"{names.get(officer, '?')} decided {n} of the {total} decided cases of {orgs.get(org, '?')} "
                f"({_pct(n / total)}); the threshold is {_pct(share)} of at least {min_cases} cases.",
                tuple(ids[:MAX_CASES_PER_HIT]),
            )
        )
    return hits


# ---------------------------------------------------------------------------------------------- R2


def _chunks(ids: list[int], size: int = 2000) -> Iterable[list[int]]:
    # IN lists of a bounded size: SQLite limits the parameters of one statement.
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def references(ids: Iterable[int]) -> dict[int, str]:
    """Case references by id, looked up in bounded chunks."""
    out: dict[int, str] = {}
    for chunk in _chunks(sorted(set(ids))):
        out.update(Case.objects.filter(pk__in=chunk).values_list("pk", "reference"))
    return out


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


def _split_hit(
    d: IndicatorDef,
    exporter: str,
    rating: str,
    dest: str,
    end_user: str,
    run: list[tuple[dt.datetime, int, Decimal]],
    refs: dict[int, str],
    together: Decimal,
) -> Hit:
    window, limit, currency = (
        int(d.value("window_days")),
        Decimal(str(d.value("value"))),
        str(d.value("currency")),
    )
    days = (run[-1][0] - run[0][0]).days
    span = "on the same day" if days == 0 else f"within {days} day{'s' if days > 1 else ''}"
    shown = [refs.get(c, str(c)) for _, c, _ in run[:10]]
    names = ", ".join(shown) + (f" and {len(run) - 10} more" if len(run) > 10 else "")
    return Hit(
        d.id,
        exporter,
        f"{exporter} made {len(run)} applications {span} for {rating} to {dest} for the end user {end_user} "
        f"({names}): each under {currency} {limit:,.0f}, together {currency} {together:,.0f} "
        f"(window {window} days).",
        tuple(c for _, c, _ in run[:MAX_CASES_PER_HIT]),
    )


def split_applications(d: IndicatorDef) -> list[Hit]:
    """Several applications by the same exporter, to the same destination and end user, for the same rating,
    within the window, each under the value threshold but together at or above it."""
    window, limit = int(d.value("window_days")), Decimal(str(d.value("value")))
    currency, minimum = str(d.value("currency")), int(d.value("min_applications"))
    lines = GoodsLine.objects.filter(currency=currency, case__submitted_at__isnull=False)
    # In the database: the (exporter, destination, rating) groups with enough applications, and each
    # application's total per rating under the threshold. The two are joined here (a set look-up), not as one
    # OR per group in SQL, which SQLite caps at 1,000 terms.
    groups = set(
        lines.values_list("case__organisation", "case__destination", "rating")
        .annotate(n=Count("case", distinct=True))
        .filter(n__gte=minimum)
        .values_list("case__organisation", "case__destination", "rating")
    )
    # Each application's first end user, read in the same query (no IN list of ids to build).
    end_user = Party.objects.filter(case=OuterRef("case"), role=PartyRole.END_USER).order_by("index")
    fields = (
        "case",
        "case__reference",
        "case__organisation",
        "case__destination",
        "rating",
        "case__submitted_at",
    )
    totals = (
        lines.values_list(*fields)
        .annotate(total=Sum("value_amount"), end_user=Subquery(end_user.values("name")[:1]))
        .filter(total__lt=limit)
        .values_list(*fields, "total", "end_user")
    )
    end_users: dict[int, str] = {}
    refs: dict[int, str] = {}
    clusters: dict[tuple[Any, ...], list[tuple[dt.datetime, int, Decimal]]] = defaultdict(list)
    for case_id, ref, org, dest, rating, at, total, name in (
        totals.iterator(chunk_size=5000) if groups else ()
    ):
        if (org, dest, rating) in groups and name and at is not None:
            end_users[case_id], refs[case_id] = name, ref
            clusters[(org, dest, _norm(name), rating)].append((at, case_id, total))
    orgs = _orgs(k[0] for k in clusters)
    hits = []
    for (org, dest, _, rating), items in sorted(clusters.items(), key=lambda kv: str(kv[0])):
        items.sort()
        # A sliding window (both ends only move forward): each application is added and dropped once.
        i = j = 0
        together = Decimal(0)
        while i < len(items):
            if j <= i:
                j, together = i, Decimal(0)
            while j < len(items) and (items[j][0] - items[i][0]).days <= window:
                together += items[j][2]
                j += 1
            run = items[i:j]
            if len(run) >= minimum and together >= limit:
                hits.append(
                    _split_hit(d, orgs.get(org, "?"), rating, dest, end_users[run[0][1]], run, refs, together)
                )
                i = j
            else:
                together -= items[i][2]
                i += 1
    return hits


# ---------------------------------------------------------------------------------------------- R5


def repeated_rfis(d: IndicatorDef) -> list[Hit]:
    """Officers who asked the exporter again and again on several cases (each request stops the clock)."""
    per_case, min_cases = int(d.value("requests_per_case")), int(d.value("min_cases"))
    rows = (
        InformationRequest.objects.values_list("asked_by", "case")
        .annotate(n=Count("id"))
        .filter(n__gte=per_case)
        .values_list("asked_by", "case", "n")
    )
    by_officer: dict[int, list[int]] = defaultdict(list)
    for officer, case_id, _ in rows:
        by_officer[officer].append(case_id)
    names = _people(by_officer)
    hits = []
    for officer, cases in sorted(by_officer.items(), key=lambda kv: -len(kv[1])):
        if len(cases) < min_cases:
            continue
        hits.append(
            Hit(
                d.id,
                names.get(officer, "?"),
                f"{names.get(officer, '?')} asked {per_case} or more requests for information on each of "
                f"{len(cases)} cases; the threshold is {per_case} requests on a case, on at least {min_cases} cases.",
                tuple(sorted(cases)[:MAX_CASES_PER_HIT]),
            )
        )
    return hits


def late_decisions(d: IndicatorDef) -> list[Hit]:
    """Officers with many cases decided after their service-level deadline or overdue now (warden.cases.sla).
    The officer is the case officer, or the recommending officer where none was assigned."""
    min_late, share = int(d.value("min_late")), float(d.value("share"))
    base = Case.objects.exclude(sla_deadline=None).annotate(
        officer=Coalesce("case_officer", "recommended_by")
    )
    base = base.exclude(officer=None)
    late_q = Q(finalised_at__isnull=False, finalised_at__date__gt=F("sla_deadline")) | overdue_q()
    totals = dict(base.values_list("officer").annotate(n=Count("id")).values_list("officer", "n"))
    late = dict(
        base.filter(late_q).values_list("officer").annotate(n=Count("id")).values_list("officer", "n")
    )
    names = _people(late)
    hits = []
    for officer, n in sorted(late.items(), key=lambda kv: -kv[1]):
        total = totals.get(officer, n)
        if n < min_late or n / total < share:
            continue
        ids = base.filter(late_q, officer=officer).order_by("pk").values_list("pk", flat=True)
        hits.append(
            Hit(
                d.id,
                names.get(officer, "?"),
                f"{n} of the {total} cases of {names.get(officer, '?')} ({_pct(n / total)}) were decided after "
                f"their deadline or are overdue now; the threshold is {_pct(share)} and at least {min_late} cases.",
                tuple(ids[:MAX_CASES_PER_HIT]),
            )
        )
    return hits


# ---------------------------------------------------------------------------------------------- embargoes


def embargo_starts() -> list[tuple[str, dt.date, str, str]]:
    """(target country, first day in force, title, citation) of every embargo version that starts a supply
    restriction: the first version, one after a gap or after a version without one, or a new measure.
    An amendment that continues a restriction in force is not a start (nothing new took effect)."""
    _, ref = current_reference()
    out = []
    for target, embargoes in ref.embargoes_by_target.items():
        for emb in embargoes:
            previous = None
            for v in emb.versions:
                restricts = bool(v.data.get("to_goods"))
                continues = (
                    previous is not None
                    and bool(previous.data.get("to_goods"))
                    and previous.effective_until == v.effective_from
                    and not v.data.get("new_measure")
                )
                if restricts and not continues:
                    out.append((target, v.effective_from, emb.title, v.citation))
                previous = v
    return sorted(out, key=lambda s: (s[1], s[0]))


def pre_embargo_licences(d: IndicatorDef) -> list[Hit]:
    """Licences issued to a destination in the days before an embargo on it took effect."""
    window = int(d.value("window_days"))
    starts = embargo_starts()
    wanted = Q(pk__in=[])
    for target, start, _, _ in starts:
        wanted |= Q(case__destination=target, issued_at__date__gte=start - dt.timedelta(days=window)) & Q(
            issued_at__date__lt=start
        )
    hits = []
    for lic in Licence.objects.filter(wanted).select_related("case").order_by("issued_at", "pk"):
        issued = clock.local_date(lic.issued_at)
        for target, start, title, citation in starts:
            if target == lic.case.destination and 0 < (start - issued).days <= window:
                hits.append(
                    Hit(
                        d.id,
                        lic.number,
                        f"Licence {lic.number} ({lic.case.reference}) for {target} was issued on "
                        f"{issued.isoformat()}, {(start - issued).days} days before the {title} took effect on "
                        f"{start.isoformat()} ({citation}); the window is {window} days.",
                        (lic.case_id,),
                    )
                )
                break
    return hits


COMPUTE: dict[str, Callable[[IndicatorDef], list[Hit]]] = {
    "overrules": overrules,
    "concentration": concentration,
    "split_applications": split_applications,
    "repeated_rfis": repeated_rfis,
    "late_decisions": late_decisions,
    "pre_embargo_licences": pre_embargo_licences,
}


def compute(indicator: str) -> Result:
    d = definitions()[indicator]
    return Result(d, COMPUTE[indicator](d))


def compute_all() -> list[Result]:
    return [compute(i) for i in definitions()]
