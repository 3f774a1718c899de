"""/audit/: oversight and administrators browse and filter the log, open an entry with its inclusion proof,
and download proofs and checkpoints. The latest checkpoint and the public key are public: verifiers outside
the authority need them, and they reveal only the log's size and root."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
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
        errors[field] = f"'{value}' is not a date: enter a date as YYYY-MM-DD, e.g. 2026-03-01."
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


def _people_called(name: str) -> list[int]:
    """The users whose username, first, last or full name is `name` (case-insensitive)."""
    users = get_user_model().objects.annotate(full=Concat("first_name", Value(" "), "last_name"))
    found = users.filter(
        Q(username__iexact=name)
        | Q(first_name__iexact=name)
        | Q(last_name__iexact=name)
        | Q(full__iexact=name)
    )
    return list(found.values_list("pk", flat=True)[:50])


def _actions_called(text: str) -> list[str] | None:
    """The action codes whose words contain `text` ("decision" finds every decision step); None when `text`
    is itself a code (a known one, or one shaped like "case.x"), which is then matched exactly."""
    if text in ACTION_LABELS or ("." in text and " " not in text):
        return None
    words = text.casefold()
    return [code for code, label in ACTION_LABELS.items() if words in label.casefold()]


def filtered_entries(params: dict[str, str]) -> tuple[QuerySet[AuditEntry], dict[str, str]]:
    """Apply the browser's filters; returns the queryset (newest first) and errors per field."""
    errors: dict[str, str] = {}
    qs = AuditEntry.objects.order_by("-seq")
    actor = params.get("actor", "").strip()
    if actor:
        # People are known by their names, the log by usernames: "Olivia", "olivia smith" and "olivia" all work.
        ids = _people_called(actor)
        qs = qs.filter(Q(actor_id__in=ids) | Q(actor_label=actor)) if ids else qs.filter(actor_label=actor)
        if not ids and actor.casefold() != "system" and not qs.exists():
            errors["actor"] = f"No one called {actor} has an entry in the log. Enter a name or a username."
    action = params.get("action", "").strip()
    if action:
        codes = _actions_called(action)
        if action.endswith("*"):
            qs = qs.filter(action__startswith=action[:-1])
        elif codes is None:
            qs = qs.filter(action=action)
        elif codes:
            qs = qs.filter(action__in=codes)
        else:
            errors["action"] = (
                f"No action is called {action!r}. Choose one from the list, e.g. Decision issued."
            )
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


CSV_HEADERS = ("Seq", "When (UTC)", "Actor", "Action", "Action code", "Object", "Case")


def _csv_cell(value: object) -> object:
    # A cell a spreadsheet would run as a formula is neutralised (CSV injection).
    return "'" + value if isinstance(value, str) and value.startswith(("=", "+", "-", "@")) else value


def _csv(qs: QuerySet[AuditEntry], errors: dict[str, str]) -> HttpResponseBase:
    """The filtered entries, newest first, in words, streamed in chunks (the log may hold millions)."""
    if errors:
        body = "".join(f"{field}: {msg}\n" for field, msg in errors.items())
        return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_HEADERS)
        chunk: list[AuditEntry] = []
        for entry in qs.defer("nodes").iterator(chunk_size=2000):
            chunk.append(entry)
            if len(chunk) == 2000:
                yield from _csv_rows(writer, chunk)
                chunk = []
        yield from _csv_rows(writer, chunk)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def _csv_rows(writer: Any, entries: list[AuditEntry]) -> Iterator[str]:
    for r in log_rows(entries):
        row = (r.seq, r.at.isoformat(), r.actor, r.label, r.action, r.object_label, r.case_label)
        yield writer.writerow([_csv_cell(v) for v in row])


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponseBase:
    _require_browse(request)
    params = {k: request.GET.get(k, "") for k in ("actor", "action", "object", "case", "since", "until")}
    qs, errors = filtered_entries(params)
    if request.GET.get("format") == "csv":
        return _csv(qs, errors)
    # How many entries match: the log's size when nothing is filtered (no count over a million rows).
    filtered = any(params.values())
    matching = None if errors else (qs.count() if filtered else proofs.log_size())
    before = request.GET.get("before", "")
    if before.isdigit():  # keyset pagination: stays fast at any depth of a million-entry log
        qs = qs.filter(seq__lt=int(before))
    rows = [] if errors else list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    query = urlencode([(k, v) for k, v in params.items() if v])
    return render(
        request,
        "audit/index.html",
        {
            "entries": rows,
            "rows": log_rows(rows),
            "actions": sorted(ACTION_LABELS.items(), key=lambda kv: kv[1]),
            "params": params,
            "errors": errors,
            "next_before": rows[-1].seq if more else None,
            "query": query,
            "size": proofs.log_size(),
            "checkpoints": checkpoint_list(5),
            "can_checkpoint": can_make_checkpoint(request.user),
            "matching": matching,
            "filtered": filtered,
        },
        status=400 if errors else 200,
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
