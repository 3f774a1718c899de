"""/search/: search cases, licences, parties and screening matches (warden.oversight.search), page by page
or as CSV, and keep a search under a name (saved searches are per person)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from warden.lib.errors import WorkflowError
from warden.oversight import policy, search, services
from warden.oversight.exports import csv_response
from warden.oversight.models import SavedSearch

PAGE_SIZE = 50


def case_url(user: object, case_id: int) -> str:
    """The committee opens a case in its portal (where the read is logged); everyone else on the case page."""
    if policy.can_use_portal(user):
        return reverse("oversight:case", args=[case_id])
    return reverse("cases:detail", args=[case_id])


def query_without_page(request: HttpRequest) -> str:
    pairs: list[tuple[str, str]] = [
        (k, str(v)) for k, v in request.GET.items() if k not in ("page", "format") and v
    ]
    return urlencode(pairs)


@login_required
@require_GET
def search_view(request: HttpRequest) -> HttpResponseBase:
    if not policy.can_search(request.user):
        raise PermissionDenied("Sign in to search.")
    params = {
        k: request.GET.get(k, "")
        for k in ("kind", "q", "rating", "destination", "status", "since", "until", "page")
    }
    parsed = search.parse_params(request.user, params)
    kind = str(parsed.values.get("kind") or "cases")
    if kind not in search.KINDS:
        kind = "cases"
    spec = search.KINDS[kind]
    if request.GET.get("format") == "csv":
        if not parsed.ok:
            body = "\n".join(f"{field}: {msg}" for field, msg in parsed.errors.items())
            return HttpResponse(body + "\n", status=400, content_type="text/plain; charset=utf-8")
        stream = search.results(request.user, parsed).iterator(chunk_size=2000)
        return csv_response(f"warden-{kind}.csv", spec.headers, (spec.row(obj) for obj in stream))
    page = None
    rows: list[dict[str, object]] = []
    if parsed.ok:
        found = search.results(request.user, parsed)
        paginator = Paginator(found.values_list("pk", flat=True), PAGE_SIZE)
        number = int(str(parsed.values.get("page") or 1))
        if number > max(paginator.num_pages, 1):
            parsed.errors["page"] = f"Page {number} does not exist: there are {paginator.num_pages} pages."
        else:
            page = paginator.page(number)
            rows = [
                {"cells": spec.row(o), "url": case_url(request.user, spec.link(o))}
                for o in search.page_objects(found, list(page.object_list))
            ]
    saved = SavedSearch.objects.filter(owner_id=request.user.pk)
    return render(
        request,
        "oversight/search.html",
        {
            "params": parsed.raw,
            "errors": parsed.errors,
            "kinds": search.kinds_for(request.user),
            "statuses": next(f.choices for f in search.fields_for(request.user, kind) if f.name == "status"),
            "kind": kind,
            "headers": spec.headers,
            "rows": rows,
            "page": page,
            "query": query_without_page(request),
            "saved": saved,
        },
        status=400 if parsed.errors else 200,
    )


@login_required
@require_POST
def save_search_view(request: HttpRequest) -> HttpResponse:
    path = request.POST.get("path", "/search/")
    query = request.POST.get("query", "")
    try:
        saved = services.save_search(
            actor=policy.person(request.user), name=request.POST.get("name", ""), path=path, query=query
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
        target = path if path in services.SAVABLE_PATHS else "/search/"
        return redirect(f"{target}?{query}" if query else target)
    messages.success(request, f"Search saved as “{saved.name}”.")
    return redirect(saved.url)


@login_required
@require_POST
def delete_search_view(request: HttpRequest, pk: int) -> HttpResponse:
    saved = SavedSearch.objects.filter(pk=pk, owner_id=request.user.pk).first()
    if saved is None:
        raise Http404("You have no saved search with that number.")
    services.delete_search(actor=policy.person(request.user), search=saved)
    messages.success(request, f"Saved search “{saved.name}” deleted.")
    return redirect("search")
