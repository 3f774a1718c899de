"""The one NinjaAPI instance; each domain app contributes a Router from its own api.py."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from warden.accounts.api import TokenAuth
from warden.lib.workdays import CalendarDataEnded

api = NinjaAPI(
    title="Warden API",
    version="1",
    description="Export licensing: submit applications (warden.application/1), track cases, answer requests, "
    "verify the audit log. Authenticate with `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.exception_handler(CalendarDataEnded)
def _calendar_ended(request: HttpRequest, exc: CalendarDataEnded) -> HttpResponse:
    # The bank-holiday data ends before the day asked about: say so (nothing was changed), not a 500.
    return api.create_response(request, {"detail": str(exc)}, status=503)


def _mount() -> None:
    # Imported here so that every app's router is registered once, after the API object exists.
    from warden.audit.api import router as audit_router
    from warden.cases.api import router as cases_router
    from warden.legislation.api import router as legislation_router
    from warden.oversight.api import router as oversight_router
    from warden.screening.api import router as screening_router

    api.add_router("/applications", cases_router)
    api.add_router("/audit", audit_router)
    api.add_router("/legislation", legislation_router)
    api.add_router("/screening", screening_router)
    api.add_router("/oversight", oversight_router)


_mount()
