"""Validation of warden.application/1 documents against the project's own JSON Schema
(warden/cases/schemas/application-1.json), plus the few rules a schema cannot say (real calendar dates of
birth, a certificate not valid before it was issued, ratings that exist on the control list).

    errors = validate_application(doc, ratings=check)   # [] when valid, else [FieldError(pointer, message)]

Whether a rating exists is the law's business (the control list in force, warden.legislation.ratings), which
cases sits below: the caller passes the check in as `ratings` (warden.flows.submission does), a required
argument so that no path stores an application whose ratings nobody checked.

Each error names the field as a JSON pointer (RFC 6901: "/goods/0/quantity") and what was expected, so the
API can answer 422 and the CLI exit 2 without storing anything.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from warden.lib import clock, safe_json
from warden.rules.lines import line_errors

SCHEMA_PATH = Path(__file__).with_name("schemas") / "application-1.json"
FORMAT = "warden.application/1"


# ratings(doc, on, reference) -> [(JSON pointer, message)] for each goods line whose rating is not on the
# control list in force on `on` (of `reference`, or the live one when it is None).
RatingCheck: TypeAlias = Callable[[dict[str, Any], dt.date, Any], list[tuple[str, str]]]


class FieldError(NamedTuple):
    pointer: str  # JSON pointer of the offending field; "" for the document itself
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message}


@cache
def application_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    schema = application_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(err: ValidationError) -> str:
    schema = err.schema if isinstance(err.schema, dict) else {}
    expected = schema.get("x-expected")
    if err.validator == "required":
        # jsonschema reports a missing property at its parent; the message names the property.
        return err.message.replace(" is a required property", " is required")
    if err.validator == "enum" and not expected and isinstance(err.validator_value, list):
        options = ", ".join(json.dumps(o) for o in err.validator_value)
        return f"expected one of {options}; got {_show(err.instance)}"
    if expected:
        if err.validator in ("not", "contains", "minItems"):
            return f"expected {expected}"
        return f"expected {expected}; got {_show(err.instance)}"
    return err.message


def _extra_pointer(err: ValidationError) -> str:
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else ""
        return _pointer([*err.absolute_path, missing]) if missing else _pointer(err.absolute_path)
    return _pointer(err.absolute_path)


def _semantic_errors(
    doc: dict[str, Any], on: dt.date, reference: Any, ratings: RatingCheck
) -> list[FieldError]:
    """Rules beyond the schema; only run on documents that passed it. `on` is the day the control list
    must hold the ratings (the assessment date, else the application's date, else today)."""
    errors: list[FieldError] = [FieldError(p, m) for p, m in ratings(doc, on, reference)]
    for i, party in enumerate(doc.get("parties", [])):
        dob = party.get("date_of_birth")
        if dob and len(dob) == 10:
            try:
                dt.date.fromisoformat(dob)
            except ValueError:
                errors.append(FieldError(f"/parties/{i}/date_of_birth", f"{dob!r} is not a calendar date"))
    # A certificate dated in the future is not a document error: it is a finding of the assessment
    # (euc.issue_date, criterion 7, referred to an officer). Validity ending before issue is a typo.
    euc = doc.get("end_user_certificate")
    if euc and euc.get("valid_until") and euc["valid_until"] < euc["issued_on"]:
        errors.append(
            FieldError(
                "/end_user_certificate/valid_until",
                f"expected a date on or after issued_on ({euc['issued_on']}); got {euc['valid_until']}",
            )
        )
    temporary = doc.get("temporary_export")
    if temporary and doc.get("licence_type") != "temporary":
        errors.append(
            FieldError("/temporary_export", "a return date and purpose are for a temporary licence only")
        )
    # A global licence's destination lines must name goods and parties that exist (warden.rules.lines).
    errors.extend(FieldError(p, m) for p, m in line_errors(doc))
    return errors


def validate_application(
    doc: Any,
    *,
    ratings: RatingCheck,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    reference: Any = None,
) -> list[FieldError]:
    """Every problem with `doc` as a warden.application/1 document, sorted by pointer; [] when valid.

    Ratings must be on the control list in force on `as_of` (an assessment's date), else on the document's
    `submitted_on`, else on `today` (the configured time zone's day), by the caller's `ratings` check;
    `reference` is the reference snapshot to check them against (default: the live one)."""
    if not isinstance(doc, dict):
        return [FieldError("", "expected a JSON object (a warden.application/1 document)")]
    seen: set[tuple[str, str]] = set()
    errors: list[FieldError] = []
    for err in _validator().iter_errors(doc):
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # One error per unknown field, at the field itself, so that a misspelling is easy to find.
            known = set(err.schema.get("properties", {})) if isinstance(err.schema, dict) else set()
            found = [
                FieldError(_pointer([*err.absolute_path, k]), "unknown field (misspelt?)")
                for k in err.instance
                if k not in known
            ]
        else:
            found = [FieldError(_extra_pointer(err), _message(err))]
        for fe in found:
            if (fe.pointer, fe.message) not in seen:
                seen.add((fe.pointer, fe.message))
                errors.append(fe)
    if not errors:
        submitted = doc.get("submitted_on")
        on = as_of or (dt.date.fromisoformat(submitted) if submitted else None) or today or clock.today()
        errors = _semantic_errors(doc, on, reference, ratings)
    return sorted(errors, key=lambda e: (e.pointer, e.message))


def load_document(
    text: str | bytes, *, ratings: RatingCheck, as_of: dt.date | None = None
) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """Parse JSON text and validate it. A syntax error is reported at the document ("") with its line."""
    try:
        doc = safe_json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [FieldError("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
    errors = validate_application(doc, ratings=ratings, as_of=as_of)
    return (doc if not errors else None), errors
