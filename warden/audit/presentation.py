"""Human-readable rendering of audit entries (case history, log browser). No database access: the views
look up case references and licence numbers and pass them in."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warden.audit.models import AuditEntry
from warden.lib.text import humanise

# One label per action actually recorded: the case transition table (warden/cases/transitions.py, written
# as "case.<action>"), the licence table (warden/licences/policy.py, "licence.<action>") and the literal
# actions of the services (`grep -rn 'action="' warden`). test_presentation checks that none is missing.
# Anything else falls back to a humanised form of its name.
ACTION_LABELS = {
    "case.refusal_letter.download": "Refusal letter downloaded",
    "denials.import": "Partner denial notifications imported",
    "reports.unroca_background.record": "UNROCA background form: category recorded",
    "reports.unroca_background.import": "UNROCA background forms imported",
    "reports.line_category": "Goods line's ATT/UNROCA category set",
    "inbox.bulletin_acknowledged": "Law-change bulletin acknowledged",
    "inbox.mail_preference": "E-mail preference changed",
    "catchall.notify": "Catch-all: exporter notified a reason to believe",
    "catchall.raise": "Catch-all: concern raised by the authority",
    "catchall.decide": "Catch-all referral decided",
    "catchall.link": "Catch-all referral linked to its licence application",
    "catchall.notice": "Catch-all notice issued to partner states and customs",
    "region.sipri_import": "SIPRI arms-transfer data imported",
    "denials.flag": "Flagged: essentially identical to a partner's denial",
    "denials.flag_cleared": "Partner-denial flag cleared",
    "denials.consultation.request": "Denying state consulted",
    "denials.consultation.answer": "Denying state's answer recorded",
    "denials.consultation.notice": "Notice of grant sent to the denying state",
    "enduse.check.plan": "End-use check planned",
    "enduse.check.assign": "End-use check assigned to an inspector",
    "enduse.check.reschedule": "End-use check re-dated from the shipment",
    "enduse.check.record": "End-use check finding recorded",
    "enduse.flag": "Flagged: diversion found by an end-use check on the same end user",
    "enduse.evidence.download": "End-use evidence downloaded",
    "enduse.flag_cleared": "Diversion flag cleared",
    "enduse.finding_withdrawn": "Diversion finding withdrawn as wrong",
    "ogl.publish": "Open general licence version published",
    "ogl.register": "Registered to use an open general licence",
    "ogl.use": "Use of an open general licence reported",
    "ogl.deregister": "Open general licence registration deregistered",
    "ogl.surrender": "Open general licence registration surrendered",
    "ogl.suspend": "Open general licence registration suspended",
    "ogl.revoke": "Open general licence registration revoked",
    "ogl.reinstate": "Open general licence registration reinstated",
    "ogl.return": "Open general licence return filed",
    "ogl.return_missed": "Open general licence return missed: compliance flag",
    "legislation.impact_run_reclaimed": "Law-change run restarted after its process died",
    "legislation.what_if_reclaimed": "What-if run restarted after its process died",
    "ops.task_abandoned": "Background task marked failed: its worker died",
    "system.backup": "Database backed up",
    "system.restore": "Database restored from a backup",
    "case.create": "Application created",
    "case.propose_for_holder": "Amendment proposed by an officer for the holder",
    "case.edit_draft": "Draft edited",
    "case.submit": "Application submitted",
    "case.start_initial_checks": "Initial checks started",
    "case.refer": "Referred for advice",
    "case.give_advice": "Advice given",
    "case.request_information": "Information requested",
    "case.answer_request": "Request for information answered",
    "case.recommend": "Decision recommended",
    "case.finalise": "Decision issued",
    "case.propose_overrule": "Decision against the engine proposed",
    "case.countersign": "Decision countersigned and issued",
    "case.reject_overrule": "Proposed decision rejected",
    "case.issue_licence": "Licence recorded on the case",
    "case.withdraw": "Application withdrawn",
    "case.appeal": "Decision appealed",
    "case.close": "Case closed",
    "case.assign": "Case officer assigned",
    "case.add_note": "Note added",
    "case.upload_document": "Document uploaded",
    "document.download": "Document downloaded",
    "licence.issue": "Licence issued",
    "licence.suspend": "Licence suspended",
    "licence.reinstate": "Licence reinstated",
    "licence.revoke": "Licence revoked",
    "licence.surrender": "Licence surrendered",
    "licence.expire": "Licence expired",
    "licence.exhaust": "Licence used up",
    "licence.record_shipment": "Shipment recorded",
    "licence.propose_amendment": "Amendment proposed",
    "licence.record_return": "Temporary export returned",
    "licence.amend": "Licence amended (new version)",
    "licence.returns_import": "Shipment returns imported (CSV)",
    "licence.download": "Licence PDF downloaded",
    "screening.list_imported": "Sanctions list imported",
    "screening.case_screened": "Parties screened",
    "screening.match_decided": "Screening match decided",
    "screening.rescreen_finished": "Open cases re-screened after a list import",
    "legislation.reference_loaded": "Reference data loaded",
    "legislation.case_assessed": "Case assessed against the rules",
    "legislation.country_profile_edited": "Country profile changed",
    "legislation.what_if_started": "What-if run started",
    "legislation.impact_suspended": "Licences suspended after a law change",
    "legislation.impact_reviewed": "Law-change impact reviewed",
    "organisation.create": "Organisation created",
    "team.create": "Team created",
    "user.create": "User created",
    "user.unlock": "Sign-in lock-out lifted",
    "user.unlock_address": "Sign-in lock-out of a client address lifted",
    "user.second_factor_set_up": "Two-step sign-in set up",
    "user.second_factor_reset": "Two-step sign-in reset",
    "user.set_role": "User's role changed",
    "user.deactivate": "User deactivated",
    "user.set_password": "Password set",
    "user.reactivate": "User reactivated",
    "user.password_change": "Password changed by its owner",
    "user.password_reset_sent": "Password reset link sent",
    "user.password_reset": "Password reset through an e-mailed link",
    "token.create": "API token created",
    "token.revoke": "API token revoked",
    "read": "Record viewed",
    "read.case": "Case page viewed",
    "read.oversight_case": "Case opened in the committee portal",
    "interest.declare": "Interest in an exporter declared",
    "interest.end": "Declared interest ended",
    "oversight.search_saved": "Search saved",
    "oversight.search_deleted": "Saved search deleted",
    "oversight.note_added": "Committee note added",
    "read.document": "Document downloaded",
}

# What the log's object types are called, and which data key names the object when the entry carries one.
OBJECT_NAMES = {
    "cases.case": "Case",
    "cases.document": "Document",
    "licences.licence": "Licence",
    "screening.match": "Screening match",
    "screening.screeningrun": "Screening run",
    "screening.listversion": "Sanctions list",
    "screening.rescreenjob": "Re-screen job",
    "legislation.caseassessment": "Rules assessment",
    "legislation.referencerevision": "Reference data revision",
    "legislation.countryprofile": "Country profile",
    "legislation.impactrun": "Law-change run",
    "accounts.user": "User",
    "accounts.team": "Team",
    "accounts.organisation": "Organisation",
    "accounts.apitoken": "API token",
}
_NAME_KEYS = ("reference", "number", "filename", "username", "name", "code", "prefix", "country", "entry")

# Field names of the entries' data as a reader knows them; any other key is humanised.
FIELD_LABELS = {
    "appealed": "Decision appealed",
    "as_of": "Assessed as of",
    "criteria": "Criteria",
    "decision": "Decision",
    "effective_from": "Effective from",
    "entry": "Listed entry",
    "filename": "File",
    "licence": "Licence",
    "licence_type": "Licence type",
    "line": "Goods line",
    "list": "List",
    "lists": "Lists screened",
    "months": "Valid for (months)",
    "new_matches": "New matches",
    "number": "Licence",
    "officer": "Case officer",
    "paused_workdays": "Clock paused (working days)",
    "recommendation": "Rules recommendation",
    "recommended": "Recommended",
    "recommended_by": "Recommended by",
    "revision": "Reference data revision",
    "shipped_on": "Shipped on",
    "size": "Size (bytes)",
    "sla_days": "Target (working days)",
    "sla_deadline": "Due by",
    "teams": "Referred to",
    "threshold": "Screening threshold",
    "valid_from": "Valid from",
    "valid_until": "Valid until",
    "years": "Years replayed",
}
# Values that are codes of a fixed vocabulary ("approved_with_conditions"): shown as words, in the
# models' own wording where plain humanising would mislead ("proviso" is advice to approve with one).
_CODE_KEYS = {"decision", "recommended", "recommendation", "kind", "licence_type", "trigger", "role"}
_CODE_WORDS = {
    ("kind", "proviso"): "Approve with proviso",
    ("trigger", "submit"): "Application submitted",
    ("trigger", "list_update"): "List updated",
}
# Shown elsewhere in the item (reference, change, reason) or meaningless to a reader (the rows' own ids).
_HIDDEN_KEYS = {"reference", "from", "to", "reason", "what", "digests", "base_revision", "items"}
_ID_KEYS = {"note", "request", "document", "shipment", "party"}
_HEX64 = re.compile(r"[0-9a-f]{64}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class HistoryItem:
    seq: int
    at: datetime
    actor: str
    label: str
    change: str  # "submitted → under review", or ""
    reason: str
    details: list[tuple[str, str]]


@dataclass(frozen=True)
class LogRow:
    """One row of the log browser: the words first, the raw action and object kept for filtering."""

    seq: int
    at: datetime
    actor: str
    action: str  # raw, e.g. "case.submit": auditors filter by it
    label: str
    object_raw: str  # "licences.licence:9", or ""
    object_label: str  # "Licence SIEL-2026-000009"
    case_id: int | None
    case_label: str  # the case reference, or its number when the case is unknown here


def _humanise(text: str) -> str:
    return humanise(text.replace(".", " "))


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    domain, _, verb = action.partition(".")
    words = _humanise(verb or domain)
    return words + (f" ({domain})" if verb and domain != "case" else "")


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key) or _humanise(key)


def entry_data(entry: AuditEntry) -> dict[str, Any]:
    try:
        data = json.loads(entry.entry).get("data") or {}
    except (ValueError, AttributeError):
        data = {}
    return data if isinstance(data, dict) else {"data": data}


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def _is_digest(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith("sha256:") or bool(_HEX64.fullmatch(value)))


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if key in _CODE_KEYS:
        return _CODE_WORDS.get((key, text)) or _humanise(text)
    if _ISO_DATE.fullmatch(text):
        day = dt.date.fromisoformat(text)
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return text


def _readable(key: str, value: Any) -> str | None:
    """The value as a reader reads it, or None when it is not worth showing on the case page (digests,
    row ids and nested structures stay in the log entry itself)."""
    if key in _HIDDEN_KEYS or value in (None, "", [], {}) or _is_digest(value):
        return None
    if key in _ID_KEYS and isinstance(value, int):
        return None
    if key == "line" and isinstance(value, int):
        return str(value + 1)  # goods lines are stored from 0 and shown from 1 (as on the licence)
    if key == "appealed" and isinstance(value, dict):
        criteria = ", ".join(str(c) for c in value.get("criteria") or [])
        return _scalar("decision", value.get("decision") or "") + (f" ({criteria})" if criteria else "")
    if key == "new_matches" and isinstance(value, list):
        return "; ".join(
            f"{m.get('entry')} on {m.get('list')} (score {m.get('score')})"
            for m in value
            if isinstance(m, dict)
        )
    if isinstance(value, dict):
        return None
    if isinstance(value, list):
        if not all(isinstance(v, str | int | float) for v in value):
            return f"{len(value)} item{'' if len(value) == 1 else 's'}"
        return ", ".join(_scalar(key, v) for v in value)
    return _scalar(key, value)


def readable_details(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key in sorted(data):
        text = _readable(key, data[key])
        if text:
            out.append((field_label(key), _short(text)))
    return out


def history_item(entry: AuditEntry) -> HistoryItem:
    data = entry_data(entry)
    change = ""
    if data.get("from") or data.get("to"):
        before = str(data.get("from") or "new").replace("_", " ")
        after = str(data.get("to") or "").replace("_", " ")
        change = f"{before} → {after}" if before != after else ""
    return HistoryItem(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor_label,
        label=action_label(entry.action),
        change=change,
        reason=str(data.get("reason") or ""),
        details=readable_details(data)[:5],
    )


def object_label(
    entry: AuditEntry,
    data: Mapping[str, Any],
    case_refs: Mapping[int, str],
    licence_numbers: Mapping[int, str],
) -> str:
    """ "Case APP-2026-000009", "Licence SIEL-2026-000003", "User olivia"; the type and id when the entry
    names nothing better."""
    otype, oid = entry.object_type, entry.object_id
    if not otype:
        return ""
    kind = OBJECT_NAMES.get(otype) or _humanise(otype.rpartition(".")[2])
    pk = int(oid) if oid.isdigit() else None
    name = ""
    if otype == "cases.case" and pk is not None:
        name = case_refs.get(pk, "")
    elif otype == "licences.licence" and pk is not None:
        name = licence_numbers.get(pk, "")
    elif otype == "screening.listversion" and data.get("list"):
        name = f"{data['list']} version {data.get('version', '?')}"
    if not name:
        name = next((str(data[k]) for k in _NAME_KEYS if isinstance(data.get(k), str | int)), "")
    return f"{kind} {name}" if name else f"{kind} #{oid}"


def log_row(entry: AuditEntry, case_refs: Mapping[int, str], licence_numbers: Mapping[int, str]) -> LogRow:
    data = entry_data(entry)
    case_id = entry.case_id
    return LogRow(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor_label,
        action=entry.action,
        label=action_label(entry.action),
        object_raw=f"{entry.object_type}:{entry.object_id}" if entry.object_type else "",
        object_label=object_label(entry, data, case_refs, licence_numbers),
        case_id=case_id,
        case_label=(case_refs.get(case_id) or str(case_id)) if case_id is not None else "",
    )
