"""Human-readable rendering of audit entries (case history, log browser). No database access."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warden.audit.models import AuditEntry

# Wording for the actions people see most; anything else is derived from the action name.
ACTION_LABELS = {
    "case.create": "Application created",
    "case.submit": "Application submitted",
    "case.withdraw": "Application withdrawn",
    "case.finalise": "Decision issued",
    "case.appeal": "Decision appealed",
    "case.upload_document": "Document uploaded",
    "document.download": "Document downloaded",
    "licence.issue": "Licence issued",
    "read": "Record viewed",
    "read.case": "Case page viewed",
    "read.document": "Document downloaded",
}
_HIDDEN_KEYS = {"reference", "from", "to", "reason", "what"}
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class HistoryItem:
    seq: int
    at: datetime
    actor: str
    label: str
    change: str  # "submitted → under review", or ""
    reason: str
    details: list[tuple[str, str]]


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    domain, _, verb = action.partition(".")
    words = (verb or domain).replace("_", " ").replace(".", " ")
    return f"{words[:1].upper()}{words[1:]}" + (f" ({domain})" if verb and domain != "case" else "")


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."


def _worth_showing(key: str, value: Any) -> bool:
    """Plain facts only on the case page; digests and nested structures stay in the log entry itself."""
    if key in _HIDDEN_KEYS or value in (None, "", [], {}) or isinstance(value, dict):
        return False
    return not (isinstance(value, str) and (value.startswith("sha256:") or _HEX64.fullmatch(value)))


def history_item(entry: AuditEntry) -> HistoryItem:
    try:
        data = json.loads(entry.entry).get("data") or {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {"data": data}
    change = ""
    if data.get("from") or data.get("to"):
        before = str(data.get("from") or "new").replace("_", " ")
        after = str(data.get("to") or "").replace("_", " ")
        change = f"{before} → {after}" if before != after else ""
    details = [(k.replace("_", " "), _short(v)) for k, v in sorted(data.items()) if _worth_showing(k, v)]
    return HistoryItem(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor_label,
        label=action_label(entry.action),
        change=change,
        reason=str(data.get("reason") or ""),
        details=details[:5],
    )
