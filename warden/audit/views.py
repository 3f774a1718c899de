"""/audit/: oversight and administrators browse and filter the log, open an entry with its inclusion proof,
and download proofs and checkpoints. The latest checkpoint and the public key are public: verifiers outside
the authority need them, and they reveal only the log's size and root."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from warden.audit import checkpoints, merkle, proofs
from warden.audit.models import AuditEntry, Checkpoint
from warden.audit.policy import can_browse, can_make_checkpoint
from warden.audit.presentation import ACTION_LABELS, LogRow, history_item, log_row
from warden.cases.models import Case
from warden.lib.errors import NotPermitted
from warden.licences.models import Licence

PAGE_SIZE = 50


def _require_browse(request: HttpRequest) -> None:
    if not can_browse(request.user):
        raise NotPermitted("The audit log is open to oversight and administrators.")


def _parse_date(value: str, field: str, errors: dict[str, str]) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        errors[field] = "Enter a date as YYYY-MM-DD."
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def _case_id(reference: str) -> int | None:
    return Case.objects.filter(reference__iexact=reference).values_list("pk", flat=True).first()


def _ids(entries: list[AuditEntry], object_type: str) -> set[int]:
    return {int(e.object_id) for e in entries if e.object_type == object_type and e.object_id.isdigit()}


def log_rows(entries: list[AuditEntry]) -> list[LogRow]:
    """The entries in words, with case references and licence numbers looked up in one query each."""
    case_ids = {e.case_id for e in entries if e.case_id is not None} | _ids(entries, "cases.case")
    licence_ids = _ids(entries, "licences.licence")
    refs = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference")) if case_ids else {}
    numbers = (
        dict(Licence.objects.filter(pk__in=licence_ids).values_list("pk", "number")) if licence_ids else {}
    )
    return [log_row(e, refs, numbers) for e in entries]


def filtered_entries(params: dict[str, str]) -> tuple[QuerySet[AuditEntry], dict[str, str]]:
    """Apply the browser's filters; returns the queryset (newest first) and errors per field."""
    errors: dict[str, str] = {}
    qs = AuditEntry.objects.order_by("-seq")
    if params.get("actor"):
        qs = qs.filter(actor_label=params["actor"].strip())
    action = params.get("action", "").strip()
    if action:
        qs = qs.filter(action__startswith=action[:-1]) if action.endswith("*") else qs.filter(action=action)
    obj = params.get("object", "").strip()
    if obj:
        otype, sep, oid = obj.partition(":")
        if not sep or not otype or not oid:
            errors["object"] = "Enter an object as type:id, e.g. cases.case:42."
        else:
            qs = qs.filter(object_type=otype, object_id=oid)
    case = params.get("case", "").strip()
    if case:
        # Officers know a case by its reference; the number (the log's case id) still works.
        case_id = int(case) if case.isdigit() else _case_id(case)
        if case_id is None:
            errors["case"] = f"No case has the reference {case}. Enter a reference such as APP-2026-000123."
        else:
            qs = qs.filter(case_id=case_id)
    since = _parse_date(params.get("since", ""), "since", errors)
    until = _parse_date(params.get("until", ""), "until", errors)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until + timedelta(days=1))
    return qs, errors


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_browse(request)
    params = {k: request.GET.get(k, "") for k in ("actor", "action", "object", "case", "since", "until")}
    qs, errors = filtered_entries(params)
    before = request.GET.get("before", "")
    if before.isdigit():  # keyset pagination: stays fast at any depth of a million-entry log
        qs = qs.filter(seq__lt=int(before))
    rows = [] if errors else list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return render(
        request,
        "audit/index.html",
        {
            "entries": rows,
            "rows": log_rows(rows),
            "actions": sorted(ACTION_LABELS.items()),
            "params": params,
            "errors": errors,
            "next_before": rows[-1].seq if more else None,
            "query": query,
            "size": proofs.log_size(),
            "checkpoints": checkpoint_list(5),
            "can_checkpoint": can_make_checkpoint(request.user),
        },
    )


def _entry_or_404(seq: int) -> AuditEntry:
    entry = AuditEntry.objects.filter(seq=seq).first()
    if entry is None:
        raise Http404(f"There is no audit entry {seq}.")
    return entry


@login_required
@require_GET
def entry(request: HttpRequest, seq: int) -> HttpResponse:
    _require_browse(request)
    row = _entry_or_404(seq)
    proof = proofs.inclusion(seq)
    try:
        merkle.verify_inclusion(
            seq,
            proof["size"],
            merkle.leaf_hash(row.entry.encode()),
            [bytes.fromhex(h) for h in proof["proof"]],
            bytes.fromhex(proof["root"]),
        )
        verified = True
    except merkle.ProofError:
        verified = False
    return render(
        request,
        "audit/entry.html",
        {
            "entry": row,
            "row": log_rows([row])[0],
            "item": history_item(row),
            "pretty": json.dumps(json.loads(row.entry), indent=2, ensure_ascii=False, sort_keys=True),
            "proof": proof,
            "verified": verified,
        },
    )


@login_required
@require_GET
def entry_proof(request: HttpRequest, seq: int) -> HttpResponse:
    _require_browse(request)
    row = _entry_or_404(seq)
    size = request.GET.get("size", "")
    try:
        proof = proofs.inclusion(seq, int(size) if size.isdigit() else None)
    except proofs.ProofUnavailable as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    proof["entry"] = row.entry  # the exact bytes whose leaf hash the proof starts from
    response = JsonResponse(proof, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="audit-inclusion-{seq}-{proof["size"]}.json"'
    return response


@login_required
@require_GET
def consistency_proof(request: HttpRequest) -> HttpResponse:
    _require_browse(request)
    first, second = request.GET.get("from", ""), request.GET.get("to", "")
    if not first.isdigit() or (second and not second.isdigit()):
        return JsonResponse({"error": "give ?from=SIZE and optionally &to=SIZE (whole numbers)"}, status=400)
    try:
        proof = proofs.consistency(int(first), int(second) if second else None)
    except proofs.ProofUnavailable as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    response = JsonResponse(proof, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="audit-consistency-{proof["first"]}-{proof["second"]}.json"'
    )
    return response


@require_GET
def latest_checkpoint(request: HttpRequest) -> HttpResponse:
    cp = checkpoints.latest()
    if cp is None:
        return HttpResponse("No checkpoint has been made yet.\n", status=404, content_type="text/plain")
    response = HttpResponse(cp.note, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="audit-checkpoint-{cp.size}.txt"'
    return response


@require_GET
def public_key(request: HttpRequest) -> HttpResponse:
    try:
        public = checkpoints.signing_key().public_key()
    except checkpoints.SigningKeyMissing:
        return HttpResponse("No audit signing key is configured.\n", status=503, content_type="text/plain")
    body = (
        f"# Ed25519 key that signs the checkpoints of {checkpoints.origin()}\n"
        f"# note verifier key: {checkpoints.verifier_key(public)}\n{checkpoints.public_key_pem(public)}"
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def make_checkpoint(request: HttpRequest) -> HttpResponse:
    if not can_make_checkpoint(request.user):
        raise NotPermitted("Only administrators make checkpoints on demand.")
    try:
        cp = checkpoints.make_checkpoint()
    except (
        checkpoints.SigningKeyMissing,
        checkpoints.CheckpointError,
    ) as exc:  # no key; a cut or rewritten log
        messages.error(request, f"No checkpoint signed: {exc}")
        return redirect("audit:index")
    if cp is None:
        messages.warning(request, "The audit log is empty; there is nothing to checkpoint yet.")
    else:
        messages.success(request, f"Checkpoint of {cp.size} entries signed.")
    return redirect("audit:index")


def checkpoint_list(limit: int = 20) -> list[Checkpoint]:
    return list(Checkpoint.objects.order_by("-size")[:limit])
