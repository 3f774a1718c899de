"""The case workflow as ONE explicit table: action -> (from statuses, to status, roles allowed).

Every change to a case goes through a service in services.py, which looks its action up here, refuses it
with a clear message when the case is in the wrong status (IllegalTransition) or the user may not do it
(NotPermitted, decided in policy.py), and stores a CaseTransition row plus an audit entry.

    draft -> submitted -> initial_checks -> consultation -> under_final_review -> finalised -> licence_issued
                                     \\________________________/^                     |
                                                                   under_appeal <-----+ (refused)

Actions whose `to_status` is None leave the status unchanged (edit a draft, give advice, request or
answer information, add a note, upload a document). Requests for information are a sub-state: while one
is open, `Case.paused_since` is set and the SLA clock is paused; answering the last one resumes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from warden.accounts.models import Role
from warden.cases.models import Status

# The refusals live in the kernel (every domain raises them); re-exported here for the case services.
# Re-exported (the `X as X` form tells mypy --strict so): the case code and its callers name them from here.
from warden.lib.errors import CaseConflict as CaseConflict
from warden.lib.errors import IllegalTransition as IllegalTransition
from warden.lib.errors import InvalidInput as InvalidInput
from warden.lib.errors import NotPermitted as NotPermitted
from warden.lib.errors import WorkflowError as WorkflowError


class Action(StrEnum):
    CREATE = "create"
    # An officer proposes a change to a live licence on the holder's behalf (warden.flows.licence_amendment):
    # the amendment case is made for the holder's organisation and submitted at once.
    PROPOSE_FOR_HOLDER = "propose_for_holder"
    EDIT_DRAFT = "edit_draft"
    SUBMIT = "submit"
    START_INITIAL_CHECKS = "start_initial_checks"
    REFER = "refer"
    GIVE_ADVICE = "give_advice"
    REQUEST_INFORMATION = "request_information"
    ANSWER_REQUEST = "answer_request"
    RECOMMEND = "recommend"
    FINALISE = "finalise"
    # A final decision against the engine's recommendation needs a second senior officer (cases.decisions):
    # finalising such a decision proposes it, and another senior officer countersigns (finalises) or rejects it.
    PROPOSE_OVERRULE = "propose_overrule"
    COUNTERSIGN = "countersign"
    REJECT_OVERRULE = "reject_overrule"
    ISSUE_LICENCE = "issue_licence"
    WITHDRAW = "withdraw"
    APPEAL = "appeal"
    CLOSE = "close"
    ASSIGN = "assign"
    ADD_NOTE = "add_note"
    UPLOAD_DOCUMENT = "upload_document"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]  # empty only for CREATE and PROPOSE_FOR_HOLDER (the case does not exist yet)
    target: Status | None  # None: the status does not change
    roles: frozenset[Role]
    verb: str  # "finalise" -> "Cannot finalise APP-...: ..."
    gerund: str  # "finalising" -> "...; finalising needs under final review"
    # Shown to the exporter in the case history (internal steps such as referrals and advice are not).
    exporter_visible: bool = True


def _s(*statuses: Status) -> frozenset[Status]:
    return frozenset(statuses)


def _r(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


OFFICERS = _r(Role.LICENSING_OFFICER, Role.SENIOR_OFFICER)
CASEWORK = _s(
    Status.SUBMITTED,
    Status.INITIAL_CHECKS,
    Status.CONSULTATION,
    Status.UNDER_FINAL_REVIEW,
    Status.UNDER_APPEAL,
)
WITHDRAWABLE = CASEWORK | {Status.DRAFT}

# The table. Guards that look beyond the status (all referrals answered, no open request for information,
# the recommender is not the finaliser, refusal only for appeal) live in policy.py and services.py and are
# named in the `why_not` messages there.
TABLE: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.CREATE, _s(), Status.DRAFT, _r(Role.EXPORTER), "create", "creating"),
        Transition(
            Action.PROPOSE_FOR_HOLDER,
            _s(),
            Status.SUBMITTED,
            OFFICERS,
            "propose an amendment for the holder of",
            "proposing an amendment for the holder",
        ),
        Transition(Action.EDIT_DRAFT, _s(Status.DRAFT), None, _r(Role.EXPORTER), "edit", "editing"),
        Transition(
            Action.SUBMIT, _s(Status.DRAFT), Status.SUBMITTED, _r(Role.EXPORTER), "submit", "submitting"
        ),
        Transition(
            Action.START_INITIAL_CHECKS,
            _s(Status.SUBMITTED),
            Status.INITIAL_CHECKS,
            OFFICERS,
            "start initial checks on",
            "starting initial checks",
        ),
        Transition(
            Action.REFER,
            _s(Status.INITIAL_CHECKS, Status.CONSULTATION),
            Status.CONSULTATION,
            OFFICERS,
            "refer",
            "referring",
            exporter_visible=False,
        ),
        Transition(
            Action.GIVE_ADVICE,
            _s(Status.CONSULTATION),
            None,
            _r(Role.ADVISER),
            "give advice on",
            "giving advice",
            exporter_visible=False,
        ),
        Transition(
            Action.REQUEST_INFORMATION,
            CASEWORK,
            None,
            OFFICERS,
            "request information on",
            "requesting information",
        ),
        Transition(
            Action.ANSWER_REQUEST,
            CASEWORK,
            None,
            _r(Role.EXPORTER),
            "answer a request on",
            "answering a request",
        ),
        Transition(
            Action.RECOMMEND,
            _s(Status.INITIAL_CHECKS, Status.CONSULTATION, Status.UNDER_APPEAL),
            Status.UNDER_FINAL_REVIEW,
            OFFICERS,  # a senior officer may work a case too, but then another one must finalise it
            "recommend a decision on",
            "recommending",
            exporter_visible=False,
        ),
        Transition(
            Action.FINALISE,
            _s(Status.UNDER_FINAL_REVIEW),
            Status.FINALISED,
            _r(Role.SENIOR_OFFICER),
            "finalise",
            "finalising",
        ),
        Transition(
            Action.PROPOSE_OVERRULE,
            _s(Status.UNDER_FINAL_REVIEW),
            None,
            _r(Role.SENIOR_OFFICER),
            "propose a decision against the engine's recommendation on",
            "proposing a decision against the engine's recommendation",
            exporter_visible=False,
        ),
        Transition(
            Action.COUNTERSIGN,
            _s(Status.UNDER_FINAL_REVIEW),
            Status.FINALISED,
            _r(Role.SENIOR_OFFICER),
            "countersign the decision on",
            "countersigning",
        ),
        Transition(
            Action.REJECT_OVERRULE,
            _s(Status.UNDER_FINAL_REVIEW),
            None,
            _r(Role.SENIOR_OFFICER),
            "reject the proposed decision on",
            "rejecting a proposed decision",
            exporter_visible=False,
        ),
        Transition(
            Action.ISSUE_LICENCE,
            _s(Status.FINALISED),
            Status.LICENCE_ISSUED,
            OFFICERS,
            "issue a licence on",
            "issuing a licence",
        ),
        Transition(
            Action.WITHDRAW, WITHDRAWABLE, Status.WITHDRAWN, _r(Role.EXPORTER), "withdraw", "withdrawing"
        ),
        Transition(
            Action.APPEAL, _s(Status.FINALISED), Status.UNDER_APPEAL, _r(Role.EXPORTER), "appeal", "appealing"
        ),
        Transition(
            Action.CLOSE,
            _s(Status.FINALISED, Status.LICENCE_ISSUED),
            Status.CLOSED,
            OFFICERS,
            "close",
            "closing",
        ),
        Transition(Action.ASSIGN, CASEWORK, None, OFFICERS, "assign", "assigning", exporter_visible=False),
        Transition(
            Action.ADD_NOTE,
            CASEWORK | {Status.FINALISED, Status.LICENCE_ISSUED},
            None,
            OFFICERS,
            "add a note to",
            "adding a note",
            exporter_visible=False,
        ),
        Transition(
            Action.UPLOAD_DOCUMENT,
            _s(Status.DRAFT) | CASEWORK,
            None,
            _r(Role.EXPORTER, Role.LICENSING_OFFICER, Role.SENIOR_OFFICER),
            "upload a document to",
            "uploading a document",
        ),
    )
}

# An exporter may appeal a refusal within this many calendar days of the decision.
APPEAL_WINDOW_DAYS = 28

STATUS_PHRASE: dict[str, str] = {
    Status.DRAFT: "a draft",
    Status.SUBMITTED: "submitted",
    Status.INITIAL_CHECKS: "in initial checks",
    Status.CONSULTATION: "in consultation",
    Status.UNDER_FINAL_REVIEW: "under final review",
    Status.FINALISED: "finalised",
    Status.LICENCE_ISSUED: "licensed",
    Status.UNDER_APPEAL: "under appeal",
    Status.WITHDRAWN: "withdrawn",
    Status.CLOSED: "closed",
}

_ORDER = list(Status)


def get(action: Action | str) -> Transition:
    try:
        return TABLE[Action(action)]
    except ValueError:
        raise WorkflowError(f"Unknown action {action!r}") from None


def target_of(action: Action | str, current: str) -> str:
    """The status a case in `current` ends up in after `action` (unchanged when the table says None)."""
    t = get(action)
    return t.target if t.target is not None else current


def status_error(action: Action | str, reference: str, status: str) -> IllegalTransition:
    """'Cannot finalise APP-2026-000123: it is in consultation; finalising needs under final review'."""
    t = get(action)
    needs = [s.label.lower() for s in _ORDER if s in t.sources]
    needed = needs[0] if len(needs) == 1 else ", ".join(needs[:-1]) + " or " + needs[-1]
    phrase = STATUS_PHRASE.get(status, status)
    return IllegalTransition(f"Cannot {t.verb} {reference}: it is {phrase}; {t.gerund} needs {needed}")
