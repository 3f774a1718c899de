"""The one NinjaAPI instance; each domain app contributes a Router from its own api.py."""

from ninja import NinjaAPI

from warden.accounts.api import TokenAuth

api = NinjaAPI(
    title="Warden API",
    version="1",
    description="Export licensing: submit applications (warden.application/1), track cases, answer requests, "
    "verify the audit log. Authenticate with `Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    urls_namespace="api",
)


def _mount() -> None:
    # Imported here so that every app's router is registered once, after the API object exists.
    from warden.audit.api import router as audit_router
    from warden.cases.api import router as cases_router
    from warden.legislation.api import router as legislation_router
    from warden.screening.api import router as screening_router

    api.add_router("/applications", cases_router)
    api.add_router("/audit", audit_router)
    api.add_router("/legislation", legislation_router)
    api.add_router("/screening", screening_router)


_mount()
