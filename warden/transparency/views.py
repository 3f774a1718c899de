"""The public pages (no login): the transparency dashboard, its CSV downloads and licence verification; and
the refusal letter download for the applicant and the officers (login required).

The public pages read nothing about the visitor and write nothing: they only aggregate (figures) or look one
code up (verification)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from warden.cases import policy as case_policy
from warden.lib.clock import now, today
from warden.lib.errors import NotPermitted
from warden.lib.regions import OTHER, REGIONS
from warden.transparency import charts, export, figures, redaction, refusal_letter, verification
from warden.transparency.filters import CATEGORIES, category_label, parse


def _form_context(request: HttpRequest) -> dict[str, object]:
    return {
        "years": list(range(today().year, 1999, -1)),
        "regions": [*REGIONS, OTHER],
        "categories": [(c, category_label(c)) for c in CATEGORIES],
        "chosen": {k: request.GET.get(k, "") for k in ("year", "region", "category")},
        "threshold": redaction.threshold(),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    f, errors = parse(request.GET)
    context = _form_context(request)
    if errors:
        # The figures are not shown at all: unfiltered figures under a filter the reader thinks applies
        # would be read as the filtered ones.
        context["errors"] = errors
        return render(request, "transparency/dashboard.html", context, status=400)
    query = urlencode(f.query())
    revision = figures.data_revision()
    context.update(
        {
            "figures": [
                {
                    "figure": fig,
                    "chart": charts.bar_chart(fig),
                    "csv_url": reverse("transparency:csv", args=[fig.slug]) + (f"?{query}" if query else ""),
                }
                for fig in figures.all_figures(f)
            ],
            "described": export.describe(f),
            "computed_at": now(),
            "revision": revision,
        }
    )
    return render(request, "transparency/dashboard.html", context)


@require_GET
def figure_csv(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in figures.SLUGS:
        raise Http404("No such figure")
    f, errors = parse(request.GET)
    if errors:
        return HttpResponse(
            "Invalid filter: " + " ".join(errors.values()) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    revision = figures.data_revision()
    fig = figures.figure(slug, f)
    response = HttpResponse(export.figure_csv(fig), content_type="text/csv; charset=utf-8")
    # Kept out of the CSV body, which stays a plain table a spreadsheet opens as it is.
    response["X-Warden-Audit-Log"] = f"size={revision.size} root={revision.root}"
    response["Content-Disposition"] = f'attachment; filename="{export.filename(fig, f)}"'
    return response


def _no_index(response: HttpResponse) -> HttpResponse:
    # Verification answers are about one paper in someone's hands: not for caches or search engines.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    if code:
        return HttpResponseRedirect(reverse("transparency:verify", args=[code]))
    return _no_index(render(request, "transparency/verify_form.html", {}))


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    found = verification.lookup(code, today())
    if found is None:
        # One answer for unknown and malformed codes alike: nothing hints at which codes exist.
        return _no_index(render(request, "transparency/verify_unknown.html", {}, status=404))
    return _no_index(render(request, "transparency/verify.html", {"licence": found}))


@login_required
@require_GET
def refusal_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(case_policy.visible_cases(request.user), pk=pk)
    try:
        content = refusal_letter.refusal_letter(actor=request.user, case=case)  # type: ignore[arg-type]
    except NotPermitted as exc:
        raise Http404("No refusal letter for this case") from exc
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="refusal-{case.reference}.pdf"'
    return response
