"""Case pages: the queue, the exporter's application form, the case page and one POST per workflow action.

Views are thin: who may see a case and which actions they may take come from policy; every change is made
by a service. A case the user may not see is a 404 (its existence is not leaked)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from warden.accounts.actors import signed_in
from warden.accounts.models import Role, User
from warden.audit.services import record_read
from warden.cases import policy, services
from warden.cases.forms import ApplicationUploadForm, GoodsLineForm, PartyForm
from warden.cases.models import Case, Document
from warden.cases.transitions import Action, WorkflowError
from warden.cases.web import application_form, case_page, queue
from warden.cases.web.case_actions import ACTIONS, make_form, run_action
from warden.flows import case_decision, submission
from warden.lib import safe_json

MAX_JSON_BYTES = 1024 * 1024


def _person(request: HttpRequest) -> User:
    """The logged-in person (every changing view is behind login_required; the policy refuses anyone else)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Log in first")
    return request.user


def _visible_case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(policy.visible_cases(request.user), pk=pk)


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    q = queue.build(request.user, request.GET, request.GET.get("page"))  # type: ignore[arg-type]
    context = {"queue": q, "form": q.form, "page": q.page, "internal": request.user.is_authority}  # type: ignore[union-attr]
    return render(request, "cases/queue.html", context)


# ------------------------------------------------------------------------------------ the application form


def _application_page(
    request: HttpRequest,
    forms: application_form.ApplicationForms,
    *,
    case: Case | None = None,
    upload: ApplicationUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "cases/application_form.html",
        {"forms": forms, "case": case, "upload": upload or ApplicationUploadForm()},
        status=status,
    )


def _save_application(
    request: HttpRequest, forms: application_form.ApplicationForms, case: Case | None
) -> HttpResponse:
    """Validate the forms, then create or update the draft through the service; schema errors go back next
    to their fields and nothing is stored."""
    if "add_goods" in request.POST or "add_party" in request.POST:
        # Without JavaScript, "add another" posts the form back with one more empty line.
        if "add_goods" in request.POST:
            forms.goods.append(GoodsLineForm(prefix=f"goods-{forms.next_goods_index()}"))
        else:
            forms.parties.append(PartyForm(prefix=f"parties-{forms.next_party_index()}"))
        return _application_page(request, forms, case=case)
    if not forms.is_valid():
        return _application_page(request, forms, case=case, status=422)
    document = application_form.to_document(forms, user=request.user, base=case.document if case else None)  # type: ignore[arg-type]
    try:
        if case is None:
            case = submission.create_application(actor=_person(request), document=document)
        else:
            case = submission.update_draft(actor=_person(request), case=case, document=document)
    except services.InvalidDocument as exc:
        application_form.place_errors(forms, exc.errors)
        return _application_page(request, forms, case=case, status=422)
    except WorkflowError as exc:
        forms.extra_errors.append(("", str(exc)))
        return _application_page(request, forms, case=case, status=422)
    messages.success(request, f"Draft {case.reference} saved. Check it, then submit it when ready.")
    return redirect("cases:detail", case.pk)


def _can_create(request: HttpRequest) -> None:
    why = policy.why_not(request.user, None, Action.CREATE)
    if why:
        raise Http404(why)


@login_required
@require_http_methods(["GET", "POST"])
def new_application(request: HttpRequest) -> HttpResponse:
    _can_create(request)
    if request.method == "GET":
        return _application_page(request, application_form.unbound())
    return _save_application(request, application_form.bound(request.POST), None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_application(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    why = policy.why_not(request.user, case, Action.EDIT_DRAFT)
    if why:
        messages.error(request, why)
        return _back(request, case, status=403)
    if request.method == "GET":
        return _application_page(request, application_form.unbound(case.document), case=case)
    return _save_application(request, application_form.bound(request.POST), case)


@login_required
@require_POST
def upload_application(request: HttpRequest) -> HttpResponse:
    """Create a draft from a warden.application/1 file made by the exporter's own systems."""
    _can_create(request)
    upload = ApplicationUploadForm(request.POST, request.FILES)
    empty = application_form.unbound()
    if not upload.is_valid():
        return _application_page(request, empty, upload=upload, status=422)
    raw = upload.cleaned_data["document"]
    try:
        if raw.size > MAX_JSON_BYTES:
            raise ValueError(f"the file is larger than {MAX_JSON_BYTES // 1024} KiB")
        document = safe_json.loads(raw.read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        upload.add_error("document", f"Not a readable JSON document: {exc}")
        return _application_page(request, empty, upload=upload, status=422)
    try:
        case = submission.create_application(actor=_person(request), document=document)
    except services.InvalidDocument as exc:
        for pointer, message in exc.errors:
            upload.add_error("document", f"{pointer or 'document'}: {message}")
        return _application_page(request, empty, upload=upload, status=422)
    except WorkflowError as exc:
        upload.add_error("document", str(exc))
        return _application_page(request, empty, upload=upload, status=422)
    messages.success(request, f"Draft {case.reference} created from {raw.name}.")
    return redirect("cases:detail", case.pk)


@login_required
@require_GET
def goods_line(request: HttpRequest) -> HttpResponse:
    """One more goods line (htmx), with the "add" button moved on to the next index (out-of-band swap)."""
    index = _index(request)
    return render(
        request,
        "cases/_goods_line.html",
        {"line": GoodsLineForm(prefix=f"goods-{index}"), "next": index + 1, "oob": True},
    )


@login_required
@require_GET
def party_line(request: HttpRequest) -> HttpResponse:
    index = _index(request)
    return render(
        request,
        "cases/_party.html",
        {"party": PartyForm(prefix=f"parties-{index}"), "next": index + 1, "oob": True},
    )


def _index(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.GET.get("index", "0")), 500))
    except ValueError:
        raise Http404("bad line index") from None


# ------------------------------------------------------------------------------------ the case page


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(case_page.page_cases(request.user), pk=pk)  # type: ignore[arg-type]
    response = render(request, "cases/case.html", case_page.context(request, case))
    if getattr(request.user, "role", None) == Role.OVERSIGHT:
        # Oversight reads every case: which cases it opened is itself part of the accountability record.
        record_read(actor=signed_in(request), target=case, case_id=pk, what="case")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET: the action's form (a fragment for htmx, else the case page with that form open). POST: do it."""
    case = _visible_case(request, pk)
    if action not in ACTIONS:
        raise Http404("no such action")
    if request.method == "GET":
        if action not in case_decision.allowed_actions(request.user, case):
            raise Http404("that action is not available on this case now")
        if request.headers.get("HX-Request"):
            return render(
                request, "cases/_action_form.html", {"case": case, "a": case_page.action_form(action, case)}
            )
        return render(request, "cases/case.html", case_page.context(request, case, show=action))
    why = case_decision.why_not(request.user, case, action)
    if why:
        # Refused before any input is read: the same sentence the service would give.
        messages.error(request, why)
        return _back(request, case, status=403)
    form = make_form(action, case, request.POST, request.FILES, auto_id=case_page.auto_id(action))
    if not form.is_valid():
        return render(
            request,
            "cases/case.html",
            case_page.context(request, case, bound={action: form}),
            status=422,
        )
    try:
        result = run_action(action, actor=signed_in(request), case=case, data=form.cleaned_data, form=form)
    except WorkflowError as exc:
        field = getattr(exc, "field", "")
        if field and field in form.fields:
            form.add_error(field, str(exc))
            return render(
                request, "cases/case.html", case_page.context(request, case, bound={action: form}), status=422
            )
        messages.error(request, str(exc))
        return _back(request, case, status=409)
    messages.success(request, result)
    return _back(request, case)


def _back(request: HttpRequest, case: Case, status: int = 302) -> HttpResponse:
    url = reverse("cases:detail", args=[case.pk])
    if status == 302:
        return HttpResponseRedirect(url)
    # A refused action shows the case page again with the message, and the status says why.
    case.refresh_from_db()
    if not policy.can_view_case(request.user, case):
        return HttpResponseRedirect(reverse("web:home"))
    return render(request, "cases/case.html", case_page.context(request, case), status=status)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    case = _visible_case(request, pk)
    document = get_object_or_404(Document, pk=doc_pk, case=case)
    if not policy.can_view_document(request.user, document):
        raise Http404("no such document")
    handle = services.open_document(actor=_person(request), document=document)
    return FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type="application/pdf"
    )
