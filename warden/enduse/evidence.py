"""Evidence files of end-use checks, held like case documents (warden.cases.services.documents): PDF only,
judged by content, at most settings.DOCUMENT_MAX_BYTES, stored under settings.UPLOAD_DIR by SHA-256."""

from __future__ import annotations

import hashlib
import os
from typing import IO

from warden.accounts.models import User
from warden.cases.services.documents import check_pdf, document_path, store_bytes
from warden.enduse.models import EndUseCheck, EvidenceFile
from warden.lib import clock
from warden.lib.errors import InvalidInput

CONTENT_TYPE = "application/pdf"  # the only type case documents accept, and so the only one here


def safe_name(filename: str) -> str:
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return (name or "evidence.pdf")[:200]


def store(*, row: EndUseCheck, name: str, content: bytes, uploaded_by: User) -> EvidenceFile:
    """Check and store one file (inside the caller's transaction, which writes the audit entry)."""
    filename = safe_name(name)
    try:
        check_pdf(content)
    except InvalidInput as exc:
        raise InvalidInput(f"evidence {filename}: {exc}", field="evidence") from None
    sha = hashlib.sha256(content).hexdigest()
    store_bytes(content, sha)
    return EvidenceFile.objects.create(
        check_row=row,
        name=filename,
        content_type=CONTENT_TYPE,
        size=len(content),
        sha256=sha,
        uploaded_by=uploaded_by,
        uploaded_at=clock.now(),
    )


def open_bytes(item: EvidenceFile) -> IO[bytes]:
    return document_path(item.sha256).open("rb")
