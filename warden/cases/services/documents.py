"""Documents attached to a case: checked to be a real PDF, stored by content hash, downloads audited."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction

from warden.accounts.models import User
from warden.audit.services import record
from warden.cases import policy
from warden.cases.models import (
    Case,
    Document,
)
from warden.cases.services.workflow import (
    _move,
    _sync,
)
from warden.cases.transitions import Action
from warden.lib.errors import InvalidInput, NotPermitted
from warden.lib.pdf_safety import UnreadablePdf, active_content

# ---------------------------------------------------------------------------------------------- documents


def check_pdf(content: bytes, *, max_bytes: int | None = None) -> None:
    """Accept only what is really a PDF, judged by its bytes (never by the file name): the %PDF-x.y header
    at the start, an end-of-file marker and cross-reference pointer near the end, at least one object, no
    active content (JavaScript, launch actions, embedded files), and at most settings.DOCUMENT_MAX_BYTES."""
    limit = settings.DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    if not content:
        raise InvalidInput("The file is empty", field="content")
    if len(content) > limit:
        raise InvalidInput(
            f"The file is {len(content):,} bytes; the limit is {limit:,} bytes", field="content"
        )
    if not re.match(rb"%PDF-[12]\.\d", content[:8]):
        raise InvalidInput("Only PDF documents are accepted; this file is not a PDF", field="content")
    tail = content[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise InvalidInput("The PDF is truncated or damaged (no end-of-file marker)", field="content")
    if not re.search(rb"\d+\s+\d+\s+obj\b", content):
        raise InvalidInput("The PDF is damaged (it contains no objects)", field="content")
    # Active content is judged by a PDF parser (warden.lib.pdf_safety): escaped names, compressed object
    # streams and name trees hide it from any byte search.
    try:
        found = active_content(content)
    except UnreadablePdf as exc:
        raise InvalidInput(f"The PDF cannot be accepted: {exc}", field="content") from None
    if found:
        raise InvalidInput(
            "PDFs with scripts, launch actions or embedded files are not accepted (" + "; ".join(found) + ")",
            field="content",
        )


def _safe_filename(filename: str) -> str:
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return (name or "document.pdf")[:200]


def document_path(sha256: str) -> Path:
    """Where the bytes of a document live: under settings.UPLOAD_DIR (never a web root), by content hash."""
    return Path(settings.UPLOAD_DIR) / sha256[:2] / sha256


def store_bytes(content: bytes, sha: str) -> None:
    """Write `content` once under its hash, atomically (every upload: case documents, end-use evidence)."""
    path = document_path(sha)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@transaction.atomic
def store_document(
    *, actor: User, case: Case, filename: str, content: bytes, kind: str = "end_user_certificate"
) -> Document:
    """The case's part of warden.flows.amendment.upload_document (call that, which re-assesses the case
    next): attach a PDF to a case (the exporter while the case is a draft or open; officers while it is open).
    The content is checked (check_pdf), stored under settings.UPLOAD_DIR by SHA-256 and audited. Not
    version-checked: documents can be added while others work on the case."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    policy.check_act(actor, locked, Action.UPLOAD_DOCUMENT)
    check_pdf(content)
    kind = (kind or "other").strip()[:40]
    sha = hashlib.sha256(content).hexdigest()
    store_bytes(content, sha)
    doc = Document.objects.create(
        case=locked,
        kind=kind,
        filename=_safe_filename(filename),
        size=len(content),
        sha256=sha,
        uploaded_by=actor,
    )
    _move(
        actor=actor,
        case=locked,
        action=Action.UPLOAD_DOCUMENT,
        data={"document": doc.pk, "filename": doc.filename, "sha256": sha, "size": doc.size, "kind": kind},
    )
    _sync(case, locked)
    return doc


def open_document(*, actor: User, document: Document) -> IO[bytes]:
    """The bytes of a document as an open binary file (Django's FileResponse closes it), for those who may
    see its case. Every download is an audit entry ('document.download'), committed before the file is
    handed out. Raises NotPermitted otherwise; callers answer 404 to hide that the document exists."""
    if not policy.can_view_document(actor, document):
        raise NotPermitted("No such document")
    path = document_path(document.sha256)
    with transaction.atomic():
        record(
            actor=actor,
            action="document.download",
            target=document,
            data={"filename": document.filename, "sha256": document.sha256},
            case_id=document.case_id,
        )
    return path.open("rb")
