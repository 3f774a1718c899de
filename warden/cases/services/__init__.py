"""Every change to a case: one function per action of transitions.TABLE.

Each public function takes keyword-only arguments, `actor` first, and runs in ONE durable transaction:
it locks the case row (SELECT ... FOR UPDATE), checks that nobody changed the case since the caller read it
(`expected_version`, by default the version of the Case object passed in), asks policy.py whether the actor
may do this now, applies the change, writes a CaseTransition row and an audit entry, and bumps
`case.version`. Either all of it is stored or nothing is.

Refusals are exceptions from warden.lib.errors, whose str() is a sentence for the user:
    NotPermitted       role, organisation, team or separation of duties   (web 403 / API 403 or 404)
    IllegalTransition  wrong status or a guard (open request, pending advice, not a refusal...)  (409)
    InvalidInput       bad arguments (a refusal without criteria, an empty answer...)  (422); .field names it
    InvalidDocument    an application document that fails the schema; .errors lists (pointer, message)
    CaseConflict       someone else changed the case meanwhile; reload and retry  (409)

The Case object passed in is refreshed in place after a successful change, so callers may chain calls.
Because the transactions are durable, these functions cannot be called inside another transaction.atomic()
(tests are fine: Django's TestCase lifts that check).

The functions live in topic modules of this package (intake, casework, deciding, documents; workflow is the
kernel they share) and are all importable from here, as `warden.cases.services.<name>`.
"""

from __future__ import annotations

from warden.cases.services.casework import (
    add_note,
    appeal,
    assign_case,
    close_case,
    give_advice,
    record_answer,
    refer_case,
    request_information,
    start_initial_checks,
    withdraw,
)
from warden.cases.services.deciding import countersign, finalise, recommend, reject_overrule
from warden.cases.services.documents import check_pdf, document_path, open_document, store_document
from warden.cases.services.intake import (
    InvalidDocument,
    create_and_mark_submitted,
    create_application,
    create_for_holder,
    exporter_of,
    mark_submitted,
    update_draft,
)

# The transition kernel, for the services of the domains above (licences) that move a case.
from warden.cases.services.workflow import CRITERION_SHAPE, _lock, _move, _sync, _text
from warden.lib.errors import CaseConflict, IllegalTransition, InvalidInput, NotPermitted, WorkflowError

__all__ = [
    "CRITERION_SHAPE",
    "_lock",
    "_move",
    "_sync",
    "_text",
    "check_pdf",
    "document_path",
    "exporter_of",
    "CaseConflict",
    "IllegalTransition",
    "InvalidDocument",
    "InvalidInput",
    "NotPermitted",
    "WorkflowError",
    "add_note",
    "record_answer",
    "appeal",
    "assign_case",
    "close_case",
    "countersign",
    "create_application",
    "finalise",
    "give_advice",
    "open_document",
    "recommend",
    "refer_case",
    "reject_overrule",
    "request_information",
    "start_initial_checks",
    "create_and_mark_submitted",
    "create_for_holder",
    "mark_submitted",
    "update_draft",
    "store_document",
    "withdraw",
]
