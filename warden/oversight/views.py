"""/oversight/: the committee portal (read-only on cases): every case and decision with its findings, advice,
decisions against the engine and their justification, licences and audit proofs; committee notes; and the
integrity indicators (shown to senior officers as well).

Every case the committee opens here is logged (audit.record_read), as the case page does. No page cache
depends on the audit log any more (issue 11 removed it), so a committee reading cases costs other users
nothing but the append itself."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from warden.accounts import interests
from warden.accounts.actors import signed_in
from warden.audit.models import AuditEntry
from warden.audit.presentation import action_label
from warden.audit.services import record_read
from warden.cases import policy as case_policy
from warden.cases.models import Case, Decision, DecisionOverrule
from warden.legislation.services import latest_assessment
from warden.lib.errors import WorkflowError
from warden.licences.models import Licence
from warden.oversight import indicators, policy, services
from warden.oversight.exports import csv_response
from warden.oversight.filters import Field, parse
from warden.oversight.models import CommitteeNote, SavedSearch
from warden.oversight.thresholds import definitions
from warden.oversight.views_search import PAGE_SIZE, case_url, query_without_page


def _require_portal(request: HttpRequest) -> None:
    if not policy.can_use_portal(request.user):
        raise PermissionDenied("The committee portal is open to the oversight committee only.")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_portal(request)
    cases = case_policy.visible_cases(request.user)
    return render(
        request,
        "oversight/index.html",
        {
            "counts": {
                "cases": cases.count(),
                "decided": cases.exclude(decision="").count(),
                "overrules": DecisionOverrule.objects.filter(case__in=cases).count(),
                "licences": Licence.objects.filter(case__in=cases).count(),
            },
            "notes": CommitteeNote.objects.filter(case=None).select_related("author")[:20],
            "saved": SavedSearch.objects.filter(owner_id=request.user.pk),
        },
    )


@login_required
@require_GET
def case_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_portal(request)
    case = get_object_or_404(
        case_policy.visible_cases(request.user).select_related(
            "organisation", "case_officer", "recommended_by", "finalised_by"
        ),
        pk=pk,
    )
    entries = list(AuditEntry.objects.filter(case_id=case.pk).order_by("-seq")[:100])
    response = render(
        request,
        "oversight/case.html",
        {
            "case": case,
            "goods": list(case.goods.all()),
            "parties": list(case.parties.all()),
            "advice": list(case_policy.visible_advice(request.user, case)),
            "overrules": list(
                DecisionOverrule.objects.filter(case=case).select_related(
                    "proposed_by", "recommended_by", "countersigned_by"
                )
            ),
            "assessment": latest_assessment(case),
            "licence": Licence.objects.filter(case=case).first(),
            "transitions": list(case_policy.visible_transitions(request.user, case)),
            "entries": [(e, action_label(e.action)) for e in entries],
            "notes": CommitteeNote.objects.filter(case=case).select_related("author"),
            "interests": interests.visible_declarations(request.user).filter(
                organisation=case.organisation_id
            ),
        },
    )
    # Which cases the committee opened is itself part of the accountability record.
    record_read(actor=signed_in(request), target=case, case_id=case.pk, what="oversight_case")
    return response


@login_required
@require_POST
def add_note_view(request: HttpRequest) -> HttpResponse:
    _require_portal(request)
    case = None
    case_id = request.POST.get("case", "")
    if case_id:
        if not case_id.isdigit():
            raise Http404("No such case.")
        case = get_object_or_404(case_policy.visible_cases(request.user), pk=int(case_id))
    try:
        services.add_committee_note(
            actor=policy.person(request.user), text=request.POST.get("text", ""), case=case
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Note added to the committee's notes.")
    return redirect("oversight:case", case.pk) if case else redirect("oversight:index")


DECISION_FIELDS = [
    Field("decision", "Decision", "choice", Decision.choices),
    Field("against", "Against the engine", "choice", [("yes", "Yes"), ("no", "No")]),
    Field("since", "From date", "date"),
    Field("until", "To date", "date"),
    Field("page", "Page", "int"),
]


def _decisions(user: object, values: dict[str, object]) -> QuerySet[Case]:
    overruled = DecisionOverrule.objects.filter(case=OuterRef("pk"))
    qs = (
        case_policy.visible_cases(user)
        .exclude(decision="")
        .annotate(against=Exists(overruled), attempts=Count("overrules"))
        .select_related("organisation", "finalised_by")
    )
    if d := values.get("decision"):
        qs = qs.filter(decision=d)
    if (a := values.get("against")) is not None:
        qs = qs.filter(against=(a == "yes"))
    if isinstance(since := values.get("since"), dt.date):
        qs = qs.filter(finalised_at__date__gte=since)
    if isinstance(until := values.get("until"), dt.date):
        qs = qs.filter(finalised_at__date__lte=until)
    return qs.order_by("-finalised_at", "-pk")


DECISION_HEADERS = (
    "Case",
    "Exporter",
    "Destination",
    "Decision",
    "Criteria",
    "Decided by",
    "Decided on",
    "Against the engine",
)


def _decision_row(c: Case) -> tuple[object, ...]:
    return (
        c.reference,
        c.organisation.name,
        c.destination,
        c.get_decision_display(),
        " ".join(c.decision_criteria or []),
        c.finalised_by.display_name if c.finalised_by else "",
        c.finalised_at.date().isoformat() if c.finalised_at else "",
        "yes" if getattr(c, "against", False) else "no",
    )


@login_required
@require_GET
def decisions_view(request: HttpRequest) -> HttpResponseBase:
    _require_portal(request)
    parsed = parse(request.GET, DECISION_FIELDS)
    if request.GET.get("format") == "csv":
        if not parsed.ok:
            body = "\n".join(f"{k}: {v}" for k, v in parsed.errors.items())
            return HttpResponse(body + "\n", status=400, content_type="text/plain; charset=utf-8")
        rows = (_decision_row(c) for c in _decisions(request.user, parsed.values).iterator(chunk_size=2000))
        return csv_response("warden-decisions.csv", DECISION_HEADERS, rows)
    page = None
    if parsed.ok:
        paginator = Paginator(_decisions(request.user, parsed.values), PAGE_SIZE)
        number = int(str(parsed.values.get("page") or 1))
        if number > max(paginator.num_pages, 1):
            parsed.errors["page"] = f"Page {number} does not exist: there are {paginator.num_pages} pages."
        else:
            page = paginator.page(number)
    return render(
        request,
        "oversight/decisions.html",
        {
            "page": page,
            "params": parsed.raw,
            "errors": parsed.errors,
            "decisions": Decision.choices,
            "query": query_without_page(request),
        },
        status=400 if parsed.errors else 200,
    )


# ------------------------------------------------------------------------------------- indicators


def _require_indicators(request: HttpRequest) -> None:
    if not policy.can_see_indicators(request.user):
        raise PermissionDenied("The integrity indicators are shown to senior officers and oversight.")


def _linked(request: HttpRequest, hits: list[indicators.Hit]) -> list[dict[str, object]]:
    ids = {i for h in hits for i in h.case_ids}
    refs = indicators.references(ids)
    return [
        {"hit": h, "cases": [(refs.get(i, str(i)), case_url(request.user, i)) for i in h.case_ids]}
        for h in hits
    ]


@login_required
@require_GET
def indicators_view(request: HttpRequest) -> HttpResponse:
    _require_indicators(request)
    results = [{"result": r, "hits": _linked(request, r.hits[:5])} for r in indicators.compute_all()]
    return render(request, "oversight/indicators.html", {"results": results})


@login_required
@require_GET
def indicator_view(request: HttpRequest, ident: str) -> HttpResponseBase:
    _require_indicators(request)
    if ident not in definitions():
        raise Http404(f"There is no indicator {ident!r}.")
    result = indicators.compute(ident)
    if request.GET.get("format") == "csv":
        refs = indicators.references(i for h in result.hits for i in h.case_ids)
        rows = ((h.subject, h.sentence, " ".join(refs.get(i, "") for i in h.case_ids)) for h in result.hits)
        return csv_response(f"warden-indicator-{ident}.csv", ("Subject", "Why", "Cases"), rows)
    page = Paginator(result.hits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/indicator.html",
        {"result": result, "page": page, "hits": _linked(request, list(page.object_list))},
    )
