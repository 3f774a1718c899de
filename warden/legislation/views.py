"""Legislation pages: reference data in force on a date, country profiles (edited by policy officers,
read-only for other authority users), law-change impact runs with their review queue, and what-if runs.
Who may see and do what is warden.legislation.policy; exporters never see these pages (404), and a run's
page lists only the cases its reader may see. The control-list look-up is the exception: every signed-in
person may use it (it is how exporters find the rating for a goods line)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from warden.accounts.actors import person
from warden.accounts.models import User
from warden.flows import law_change
from warden.legislation import impact, lookup, policy, services
from warden.legislation.forms import CountryAssessmentForm, WhatIfForm, reference_label
from warden.legislation.loader import ASSESSMENT_KEYS, ReferenceDataError, merge_proposal
from warden.legislation.models import CountryProfile, ImpactRun, ItemState, ReferenceRevision, RunStatus
from warden.legislation.ratings import live_reference
from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted, WorkflowError
from warden.rules.effective import version_at


def _authority(request: HttpRequest) -> User:
    user = person(request.user)
    if user is None or not policy.can_view_legislation(user):
        raise Http404
    return user


def _check(user: User, action: policy.LegislationAction) -> None:
    why = policy.refusal(user, action)
    if why:
        raise NotPermitted(why)


def _date(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else clock.today()
    except ValueError:
        return clock.today()


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _authority(request)
    rev, ref = services.current_reference()
    on = _date(request.GET.get("on"))
    rows = []
    for target in sorted(ref.embargoes_by_target) + ["*"]:
        embs = ref.global_embargoes if target == "*" else ref.embargoes_by_target[target]
        for emb in embs:
            v = version_at(emb.versions, on)
            if v is not None:
                rows.append({"emb": emb, "v": v})
    return render(
        request,
        "legislation/index.html",
        {
            "revision": rev,
            "revisions": ReferenceRevision.objects.only("number", "digest", "source", "note", "created_at")[
                :20
            ],
            "on": on,
            "embargoes": rows,
            "runs": ImpactRun.objects.select_related("from_revision", "to_revision")[:20],
            "can_edit": policy.can_edit_country_profile(user),
            "can_what_if": policy.can_run_what_if(user),
            "show_counts": policy.can_view_run_counts(user),
            "what_if_form": WhatIfForm(),
            "ruleset": ref.ruleset_meta,
            "digests": ref.digests,
        },
    )


def memberships(profile: CountryProfile | None, names: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """A profile's memberships with the names the reference data gives each regime (a key the data does
    not name, in a revision loaded before names were added, is humanised rather than shown raw)."""
    out = []
    for key, since in ((profile.data if profile else {}).get("memberships") or {}).items():
        named = names.get(key) or {}
        fallback = reference_label(key)
        out.append(
            {
                "label": named.get("label") or fallback,
                "name": named.get("name") or fallback,
                "since": since.get("since") if isinstance(since, dict) else since,
                "until": since.get("until") if isinstance(since, dict) else None,
            }
        )
    return out


@login_required
def countries(request: HttpRequest) -> HttpResponse:
    _authority(request)
    names = services.regimes()
    rows = [(p, memberships(p, names)) for p in CountryProfile.objects.all()]
    return render(request, "legislation/countries.html", {"rows": rows})


def _current_levels(profile: CountryProfile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    versions = profile.data.get("assessments", [])
    return versions[-1] if versions else {}


@login_required
@require_http_methods(["GET", "POST"])
def country(request: HttpRequest, code: str) -> HttpResponse:
    user = _authority(request)
    code = code.upper()
    profile = CountryProfile.objects.filter(code=code).first()
    can_edit = policy.can_edit_country_profile(user)
    if profile is None and request.method == "GET" and not can_edit:
        raise Http404
    if request.method == "POST":
        _check(user, policy.LegislationAction.EDIT_COUNTRY_PROFILE)
        form = CountryAssessmentForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                law_change.edit_country_profile(
                    actor=user,
                    code=code,
                    levels={k: d[k] for k in ASSESSMENT_KEYS},
                    effective_from=d["effective_from"],
                    citation=d["citation"],
                    reason=d["reason"],
                    atrocity_knowledge=d["atrocity_knowledge"],
                )
            except services.ProfileEditError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    f"New assessment for {code} recorded; the impact on open cases and "
                    "live licences is being computed.",
                )
                return redirect("legislation:country", code=code)
    else:
        current = _current_levels(profile)
        form = CountryAssessmentForm(initial={k: current.get(k, "none") for k in ASSESSMENT_KEYS})
    return render(
        request,
        "legislation/country.html",
        {
            "code": code,
            "profile": profile,
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "keys": ASSESSMENT_KEYS,
            "memberships": memberships(profile, services.regimes()),
        },
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _authority(request)
    run = get_object_or_404(ImpactRun.objects.select_related("from_revision", "to_revision"), pk=pk)
    visible = policy.visible_impact_items(user, run)
    items = visible.select_related("case", "licence").order_by("destination", "pk")
    state = request.GET.get("state")
    if state in ItemState.values:
        items = items.filter(state=state)
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    ctx = {
        "run": run,
        "page": page,
        "has_items": visible.exists(),
        "can_suspend": policy.can_suspend_from_impact(user),
        "can_review": policy.can_review_impact_items(user),
        "can_run_now": policy.can_run_now(user),
        "show_counts": policy.can_view_run_counts(user),
        "running": run.status in (RunStatus.PENDING, RunStatus.RUNNING),
        "state": state or "",
    }
    if request.headers.get("HX-Request") and request.GET.get("progress"):
        return render(request, "legislation/_progress.html", ctx)
    return render(request, "legislation/run.html", ctx)


@login_required
@require_POST
def run_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = _authority(request)
    run = get_object_or_404(ImpactRun, pk=pk)
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
    action = request.POST.get("action")
    if action == "run_now":
        # Fallback when no task worker (`warden worker`) is running: compute it in this request.
        _check(user, policy.LegislationAction.RUN_NOW)
        if run.status == RunStatus.PENDING:
            law_change.execute(run)
            messages.success(request, "Impact computed.")
        return redirect("legislation:run", pk=run.pk)
    if action == "suspend":
        _check(user, policy.LegislationAction.SUSPEND_FROM_IMPACT)
    elif action == "reviewed":
        _check(user, policy.LegislationAction.REVIEW_IMPACT_ITEM)
    if not ids:
        messages.error(request, "Select at least one case or licence.")
    elif action == "suspend":
        try:
            n = impact.suspend_affected(
                actor=user, run=run, item_ids=ids, reason=request.POST.get("reason", "")
            )
        except (impact.ReviewError, WorkflowError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{n} licence(s) suspended.")
    elif action == "reviewed":
        n = impact.mark_reviewed(actor=user, run=run, item_ids=ids)
        messages.success(request, f"{n} item(s) marked as reviewed.")
    return redirect("legislation:run", pk=run.pk)


@login_required
@require_POST
def what_if(request: HttpRequest) -> HttpResponse:
    user = _authority(request)
    _check(user, policy.LegislationAction.WHAT_IF)
    form = WhatIfForm(request.POST, request.FILES)
    files = request.FILES.getlist("files")
    if not form.is_valid() or not files:
        messages.error(request, "Choose at least one reference file and a number of years.")
        return redirect("legislation:index")
    rev = services.current_revision() or services.load_bundled(actor=user)[0]
    try:
        texts = {str(f.name): f.read(2_000_000).decode("utf-8") for f in files}
        run = impact.create_what_if(
            actor=user, bundle=merge_proposal(rev.bundle, texts), years=form.cleaned_data["years"]
        )
    except UnicodeDecodeError:
        messages.error(request, "The files must be UTF-8 YAML.")
        return redirect("legislation:index")
    except ReferenceDataError as exc:
        for e in exc.errors[:20]:
            messages.error(request, e)
        return redirect("legislation:index")
    law_change.enqueue(run)
    return redirect("legislation:run", pk=run.pk)


# The application form's rating fields (id_goods-3-rating): the only fields a result's "Use" button fills.
_RATING_FIELD = re.compile(r"^id_goods-\d{1,4}-rating$")


@login_required
def rating_lookup(request: HttpRequest) -> HttpResponse:
    """Search the control list in force today. With htmx (the application form's "Find a rating" box) the
    results alone, each with a "Use" button for the goods line named by `for`; without, the whole page."""
    user = person(request.user)
    if user is None or not policy.can_look_up_ratings(user):
        raise Http404
    partial = bool(request.headers.get("HX-Request"))
    # Each goods line's box sends its own `q`; without JavaScript the form posts them all, so the last one
    # typed in (the last non-empty) is the search.
    typed = [v for v in request.GET.getlist("q") if v.strip()]
    raw = typed[-1] if typed else request.GET.get("q")
    target = request.GET.get("for", "")
    ctx: dict[str, Any] = {
        "q": raw or "",
        "for": target if _RATING_FIELD.match(target) else "",
        "on": clock.today(),
        "results": None,
        "error": "",
        "limit": lookup.LIMIT,
    }
    if raw is not None and not (partial and not raw.strip()):  # an emptied box just clears the results
        try:
            ctx["results"] = lookup.search(live_reference(), lookup.clean_query(raw), ctx["on"])
        except InvalidInput as exc:
            ctx["error"] = str(exc)
    template = "legislation/_lookup_results.html" if partial else "legislation/lookup.html"
    return render(request, template, ctx)
