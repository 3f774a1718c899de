"""Each workflow action the case page offers: its form, its button, and the service call it makes.
Which actions a user sees is case_decision.allowed_actions; this table only says how to ask for and pass input."""

from __future__ import annotations

from typing import Any

from django import forms

from warden.accounts.models import User
from warden.cases import forms as f
from warden.cases import policy, services
from warden.cases.models import Case, InformationRequest, Referral
from warden.cases.transitions import Action
from warden.flows import amendment, case_decision, submission
from warden.legislation.citable import citable_map
from warden.lib.errors import InvalidInput
from warden.lib.form_actions import FormAction

# The case page's actions: a FormAction on a Case, asked for with a Django form.
ActionSpec = FormAction[Case, type[forms.Form]]


def _submit(actor: User, case: Case, data: dict[str, Any]) -> str:
    submission.submit_case(actor=actor, case=case)
    return f"{case.reference} submitted. The authority will assess it; you can follow its status here."


def _start_checks(actor: User, case: Case, data: dict[str, Any]) -> str:
    services.start_initial_checks(actor=actor, case=case)
    return f"Initial checks started on {case.reference}; the case is assigned to you."


def _assign(actor: User, case: Case, data: dict[str, Any]) -> str:
    services.assign_case(actor=actor, case=case, officer=data["officer"])
    return f"{case.reference} assigned to {data['officer'].display_name}."


def _refer(actor: User, case: Case, data: dict[str, Any]) -> str:
    teams = list(data["teams"])
    services.refer_case(actor=actor, case=case, teams=teams, note=data.get("note", ""))
    return f"{case.reference} referred to " + ", ".join(t.name for t in teams) + "."


def _advise(actor: User, case: Case, data: dict[str, Any]) -> str:
    referral = (
        Referral.objects.filter(case=case, team_id=actor.team_id).first()
        if actor.team_id is not None
        else None
    )
    if referral is None:
        raise InvalidInput(f"{case.reference} was not referred to your team")
    case_decision.give_advice(
        actor=actor,
        referral=referral,
        kind=data["kind"],
        text=data["text"],
        proviso=data.get("proviso", ""),
        criteria=list(data.get("criteria") or []),
        citable=data.get("_citable"),
    )
    return f"Advice on {case.reference} recorded."


def _request_info(actor: User, case: Case, data: dict[str, Any]) -> str:
    services.request_information(actor=actor, case=case, question=data["question"])
    return f"Question sent to the exporter; the clock on {case.reference} is paused until they answer."


def _answer(actor: User, case: Case, data: dict[str, Any]) -> str:
    request = InformationRequest.objects.filter(case=case, pk=data["request_id"]).first()
    if request is None:
        raise InvalidInput("That request for information does not belong to this case", field="answer")
    document = None
    upload = data.get("amended_application")
    if upload:
        document, errors = submission.load_document(upload.read())
        if errors or document is None:
            first = errors[0] if errors else None
            where = f"{first.pointer or 'document'}: {first.message}" if first else "not a valid application"
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise InvalidInput(
                f"The amended application is not valid: {where}{more}", field="amended_application"
            )
    amendment.answer_information_request(
        actor=actor, request=request, answer=data["answer"], document=document
    )
    if document is not None:
        return "Answer and amended application sent. The authority has been told and the case continues."
    return "Answer sent. The authority has been told and the case continues."


def _decision_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "decision": data["decision"],
        "reason": data["reason"],
        "criteria": list(data.get("criteria") or []),
        "conditions": data.get("conditions", ""),
        "citable": data.get("_citable"),
    }


def _recommend(actor: User, case: Case, data: dict[str, Any]) -> str:
    case_decision.recommend(actor=actor, case=case, **_decision_kwargs(data))
    return f"Recommendation recorded; {case.reference} is now with a senior officer for final review."


def _finalise(actor: User, case: Case, data: dict[str, Any]) -> str:

    case_decision.finalise(
        actor=actor,
        case=case,
        justification=data.get("justification", ""),
        omitted_provisos=data.get("_omitted_provisos") or {},
        refused_lines=data.get("_refused_lines") or None,
        **_decision_kwargs(data),
    )
    if policy.pending_overrule(case) is not None:
        return (
            f"Your decision on {case.reference} goes against the engine's recommendation: it now awaits the "
            "countersignature of a second senior officer."
        )
    return f"{case.reference} finalised."


def _countersign(actor: User, case: Case, data: dict[str, Any]) -> str:
    case_decision.countersign(actor=actor, case=case, note=data.get("note", ""))
    return f"Decision countersigned; {case.reference} finalised."


def _reject_overrule(actor: User, case: Case, data: dict[str, Any]) -> str:
    case_decision.reject_overrule(actor=actor, case=case, reason=data["reason"])
    return f"Proposed decision on {case.reference} rejected; the case awaits a new decision."


def _issue(actor: User, case: Case, data: dict[str, Any]) -> str:

    licence = case_decision.issue_licence(actor=actor, case=case)
    return f"Licence {licence.number} issued."


def _withdraw(actor: User, case: Case, data: dict[str, Any]) -> str:
    services.withdraw(actor=actor, case=case, reason=data["reason"])
    return f"{case.reference} withdrawn."


def _appeal(actor: User, case: Case, data: dict[str, Any]) -> str:
    services.appeal(actor=actor, case=case, grounds=data["grounds"])
    return f"Appeal against the refusal of {case.reference} lodged."


def _close(actor: User, case: Case, data: dict[str, Any]) -> str:
    services.close_case(actor=actor, case=case, reason=data.get("reason", ""))
    return f"{case.reference} closed."


def _note(actor: User, case: Case, data: dict[str, Any]) -> str:
    services.add_note(actor=actor, case=case, text=data["text"])
    return "Note added."


def _upload(actor: User, case: Case, data: dict[str, Any]) -> str:
    upload = data["file"]
    try:
        document = amendment.upload_document(
            actor=actor, case=case, kind=data["kind"], filename=upload.name, content=upload.read()
        )
    except InvalidInput as exc:
        # The service names the bytes ("content"); the form's field is "file". Renamed, the refusal is shown
        # next to the file input (naming the file) instead of as a page-level message far from it.
        if exc.field in ("content", "filename"):
            raise InvalidInput(f"{upload.name}: {exc}", field="file") from None
        raise
    return f"{document.filename} uploaded."


ACTIONS: dict[str, ActionSpec] = {
    Action.SUBMIT: ActionSpec("Submit the application", f.SubmitForm, _submit),
    Action.START_INITIAL_CHECKS: ActionSpec("Start initial checks", f.ConfirmForm, _start_checks),
    Action.ASSIGN: ActionSpec("Assign a case officer", f.AssignForm, _assign),
    Action.REFER: ActionSpec("Refer to consulted departments", f.ReferForm, _refer),
    Action.GIVE_ADVICE: ActionSpec("Give your department's advice", f.AdviceForm, _advise),
    Action.REQUEST_INFORMATION: ActionSpec(
        "Ask the exporter for information", f.InformationRequestForm, _request_info
    ),
    Action.ANSWER_REQUEST: ActionSpec("Answer the request for information", f.AnswerForm, _answer),
    Action.RECOMMEND: ActionSpec("Recommend a decision", f.DecisionForm, _recommend),
    Action.FINALISE: ActionSpec(
        "Finalise the decision",
        f.FinaliseForm,
        _finalise,
        hint="As senior officer you countersign the recommendation, or decide otherwise. The reasons, criteria "
        "and conditions you give here are sent to the exporter.",
    ),
    # Reached through the finalise form (the service decides whether a decision needs a second signature);
    # listed so that a direct POST gets the same refusal or outcome.
    Action.PROPOSE_OVERRULE: ActionSpec("Finalise the decision", f.FinaliseForm, _finalise),
    Action.COUNTERSIGN: ActionSpec("Countersign the proposed decision", f.CountersignForm, _countersign),
    Action.REJECT_OVERRULE: ActionSpec(
        "Reject the proposed decision", f.RejectOverruleForm, _reject_overrule, danger=True
    ),
    Action.ISSUE_LICENCE: ActionSpec("Issue the licence", f.ConfirmForm, _issue),
    Action.WITHDRAW: ActionSpec("Withdraw the application", f.ReasonForm, _withdraw, danger=True),
    Action.APPEAL: ActionSpec("Appeal the refusal", f.AppealForm, _appeal),
    Action.CLOSE: ActionSpec("Close the case", f.OptionalReasonForm, _close, danger=True),
    Action.ADD_NOTE: ActionSpec("Add an internal note", f.NoteForm, _note),
    Action.UPLOAD_DOCUMENT: ActionSpec("Upload a document", f.DocumentUploadForm, _upload),
}


def make_form(action: str, case: Case, *args: Any, **kwargs: Any) -> forms.Form:
    """The action's form; forms that depend on the case (the finalise form's provisos) get it."""
    cls = ACTIONS[action].form
    if getattr(cls, "needs_case", False):
        kwargs["case"] = case
    if getattr(cls, "needs_criteria", False):
        kwargs["citable"] = citable_map()  # the ruleset in force, national criteria included
    return cls(*args, **kwargs)


def run_action(action: str, *, actor: User, case: Case, data: dict[str, Any], form: Any = None) -> str:
    if form is not None and hasattr(form, "omitted_provisos"):
        data = {**data, "_omitted_provisos": form.omitted_provisos()}
    if form is not None and hasattr(form, "refused_lines"):
        data = {**data, "_refused_lines": form.refused_lines()}
    if getattr(ACTIONS[action].form, "needs_criteria", False):
        # The service checks the criteria against the same ruleset the form offered.
        data = {**data, "_citable": list(citable_map())}
    return ACTIONS[action].run(actor, case, data)
