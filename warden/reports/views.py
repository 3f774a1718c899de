"""/reports/: choose a report, a year and a format, download it. For the roles of warden.reports.policy;
a bad choice re-renders the form with the reason (400), never a 500."""

from __future__ import annotations

import base64
import hashlib
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from warden.lib import clock
from warden.lib.errors import InvalidInput, NotPermitted
from warden.reports import records, services, unroca
from warden.reports.models import UNROCA_CATEGORIES, BackgroundForm
from warden.reports.policy import background_refusal, refusal
from warden.reports.report import Format, Kind

KIND_LABELS = [
    (Kind.ATT.value, "Arms Trade Treaty annual report (ATT)"),
    (Kind.UNROCA.value, "UN Register of Conventional Arms (UNROCA)"),
    (Kind.COARM.value, "EU annual report tables (COARM)"),
    (Kind.NATIONAL.value, "National annual report"),
]
FORMAT_LABELS = [
    (Format.PDF.value, "PDF"),
    (Format.XLSX.value, "Spreadsheet (XLSX)"),
    (Format.CSV.value, "CSV"),
    (Format.JSON.value, "JSON"),
    (Format.HTML.value, "Web page (HTML)"),
]


def _require(request: HttpRequest) -> None:
    why = refusal(request.user)  # type: ignore[arg-type]
    if why:
        raise PermissionDenied(why[0].upper() + why[1:] + ".")


def _form(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    last = clock.today().year
    ctx = {
        "kinds": KIND_LABELS,
        "formats": FORMAT_LABELS,
        "kind": request.GET.get("kind", Kind.NATIONAL.value),
        "fmt": request.GET.get("format", Format.PDF.value),
        "year": request.GET.get("year", str(last - 1)),
        "first_year": services.FIRST_YEAR,
        "last_year": last,
        "error": error,
    }
    return render(request, "reports/index.html", ctx, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request)
    return _form(request)


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    _require(request)
    try:
        out = services.generate(
            actor=request.user,  # type: ignore[arg-type]
            kind=request.GET.get("kind", ""),
            year=request.GET.get("year", ""),
            fmt=request.GET.get("format", ""),
        )
    except InvalidInput as exc:
        return _form(request, error=str(exc)[0].upper() + str(exc)[1:] + ".", status=400)
    response = HttpResponse(out.content, content_type=out.content_type)
    disposition = "inline" if out.fmt == Format.HTML else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{out.filename}"'
    if out.fmt == Format.HTML:
        # The HTML report is one self-contained file (also saved and opened offline, and the PDF's source),
        # so its style stays inline: the Content-Security-Policy allows exactly those blocks, by hash.
        response._csp_update = {"style-src": _style_hashes(out.content)}  # type: ignore[attr-defined]
    return response


def _style_hashes(html: bytes) -> list[str]:
    blocks = re.findall(rb"<style[^>]*>(.*?)</style>", html, flags=re.DOTALL)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(b).digest()).decode()}'" for b in blocks]


@login_required
@require_http_methods(["GET", "POST"])
def background(request: HttpRequest) -> HttpResponse:
    """/reports/background: the UNROCA background forms of a year, and (policy and senior officers) the
    form to record one category. A bad row re-renders the form with the reason (400), nothing stored."""
    _require(request)
    actor = request.user
    may_record = background_refusal(actor) is None  # type: ignore[arg-type]
    posted = request.POST.dict() if request.method == "POST" else {}
    error, done, status = "", "", 200
    shown = request.GET.get("year") or posted.get("year")
    if request.method == "POST":
        try:
            row = records.parse_row(posted)
            outcome = records.record_background(actor=actor, row=row)  # type: ignore[arg-type]
            done = f"{BackgroundForm(row.form).label} {row.year}, category {row.category}: {outcome}."
            posted, shown = {}, str(row.year)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from None
        except InvalidInput as exc:
            error, status = str(exc)[0].upper() + str(exc)[1:] + ".", 400
    try:
        year = int(shown or clock.today().year - 1)
    except ValueError:
        year = clock.today().year - 1
    tables, _ = unroca.background(year)
    ctx = {
        "forms": BackgroundForm.choices,
        "categories": UNROCA_CATEGORIES,
        "year": year,
        "posted": posted,
        "tables": tables,
        "may_record": may_record,
        "error": error,
        "done": done,
    }
    return render(request, "reports/background.html", ctx, status=status)
