"""The one NinjaAPI instance; each domain app contributes a Router from its own api.py."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from warden.accounts.api import TokenAuth
from warden.lib.errors import Conflict, Forbidden, InvalidInput, NotFound, WardenError
from warden.lib.workdays import CalendarDataEnded

# Every error answer of the API has this one shape, whoever raised it (a service's refusal, a malformed
# parameter caught by Ninja, a missing token): `detail` says what went wrong in words, `errors` (for invalid
# input) names each offending place as a JSON pointer. The OpenAPI document says so for every operation
# (WardenAPI.get_openapi_schema), so a client (and schemathesis in tests/test_api_fuzz.py) can rely on it.
ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "what went wrong, in words"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pointer", "message"],
                "properties": {"pointer": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}
ERROR_ANSWERS = {
    "400": "The request cannot be read (a malformed parameter or body).",
    "401": "No valid API token (`Authorization: Bearer <token>`).",
    "403": "The token's user may not do this (role, organisation, separation of duties).",
    "404": "No such thing, or none this user may see.",
    "409": "The case or licence is not in a state that allows this, or changed meanwhile.",
    "413": "The request body is over the size limit.",
    "422": "The input is invalid: `errors` names each field as a JSON pointer.",
}


class WardenAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        doc = super().get_openapi_schema(*args, **kwargs)
        doc.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in doc.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                # Ninja keys its own responses by int: one key type, or JSON would hold "422" twice.
                responses = {str(k): v for k, v in operation["responses"].items()}
                operation["responses"] = responses
                for status, words in ERROR_ANSWERS.items():
                    # Every 4xx body is the one error shape (the handlers below), documented or not.
                    responses[status] = {"description": words, "content": ref}
        return doc


api = WardenAPI(
    title="Warden API",
    version="1",
    description="Export licensing: submit applications (warden.application/1), track cases, answer requests, "
    "verify the audit log. Authenticate with `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def _malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Ninja's own check of parameters and bodies, in the one error shape: each place as a JSON pointer
    # ("/query/page", "/body/decision") with Pydantic's message.
    errors = []
    for e in exc.errors:
        loc = [str(part) for part in e.get("loc", ())]
        errors.append({"pointer": "/" + "/".join(loc), "message": str(e.get("msg", "invalid"))})
    where = ", ".join(err["pointer"] for err in errors[:5]) or "the request"
    body = {"detail": f"Invalid input at {where}", "errors": errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(CalendarDataEnded)
def _calendar_ended(request: HttpRequest, exc: CalendarDataEnded) -> HttpResponse:
    # The bank-holiday data ends before the day asked about: say so (nothing was changed), not a 500.
    return api.create_response(request, {"detail": str(exc)}, status=503)


# The one place a refusal becomes an HTTP status (warden.lib.errors lists the kinds). 422 for input is the
# interchange contract's (shared/contracts/README.md): the body names the field as a JSON pointer.
STATUS: tuple[tuple[type[WardenError], int], ...] = (
    (InvalidInput, 422),
    (Forbidden, 403),
    (Conflict, 409),
    (NotFound, 404),
)


def status_of(exc: WardenError) -> int:
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 400)


def error_body(exc: WardenError) -> dict[str, Any]:
    """{"detail": message} and, for invalid input, "errors": [{"pointer", "message"}] (the contract's shape).
    A document's own list of errors (several fields at once) is kept when the error carries one."""
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, InvalidInput):
        listed = getattr(exc, "errors", None)
        if listed and all(hasattr(e, "as_dict") for e in listed):
            body["errors"] = [e.as_dict() for e in listed]
        else:
            where = exc.where
            pointer = where if not where or where.startswith("/") else f"/{where}"
            body["errors"] = [{"pointer": pointer, "message": str(exc)}]
    return body


@api.exception_handler(WardenError)
def _refused(request: HttpRequest, exc: WardenError) -> HttpResponse:
    # Raised inside a service's transaction, which has rolled back: nothing was changed.
    return api.create_response(request, error_body(exc), status=status_of(exc))


def _mount() -> None:
    # Imported here so that every app's router is registered once, after the API object exists.
    from warden.accounts.api import router as account_router
    from warden.audit.api import router as audit_router
    from warden.cases.api import router as cases_router
    from warden.cases.api_casework import router as casework_router
    from warden.catchall.api import router as catchall_router
    from warden.denials.api import router as denials_router
    from warden.enduse.api import router as enduse_router
    from warden.legislation.api import router as legislation_router
    from warden.licences.api import router as licences_router
    from warden.licences.api_amendments import router as licence_amendments_router
    from warden.ogl.api import router as ogl_router
    from warden.oversight.api import router as oversight_router
    from warden.region.api import router as region_router
    from warden.reports.api import router as reports_router
    from warden.screening.api import router as screening_router
    from warden.transparency.api import router as transparency_router

    api.add_router("/applications", cases_router)
    api.add_router("/applications", casework_router)  # the officers' case actions
    api.add_router("/audit", audit_router)
    api.add_router("/legislation", legislation_router)
    api.add_router("/screening", screening_router)
    api.add_router("/denials", denials_router)
    api.add_router("/catch-all", catchall_router)
    api.add_router("/licences", licences_router)
    api.add_router("/licences", licence_amendments_router)  # versions and amendments
    api.add_router("/end-use", enduse_router)
    api.add_router("/open-licences", ogl_router)
    api.add_router("/region", region_router)
    api.add_router("/reports", reports_router)
    api.add_router("/applications", transparency_router)  # /{reference}/refusal-letter.pdf
    api.add_router("/oversight", oversight_router)
    api.add_router("/account", account_router)


_mount()
