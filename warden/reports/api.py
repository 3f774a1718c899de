"""GET /api/reports/{kind}?year=YYYY&format=csv|json|xlsx|pdf|html: an annual report for authority staff
holding a token. A bad parameter is a 400 naming it and the accepted values; a role that may not is 403."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from warden.lib.errors import InvalidInput, NotPermitted
from warden.reports import services

router = Router(tags=["reports"])


@router.get(
    "/{kind}",
    summary="An annual report (att, unroca, coarm, national) for a calendar year",
    openapi_extra={
        "parameters": [
            {"name": "year", "in": "query", "required": True, "schema": {"type": "integer"}},
            {"name": "format", "in": "query", "schema": {"type": "string", "default": "json"}},
        ]
    },
)
def report(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        out = services.generate(
            actor=request.auth,  # type: ignore[attr-defined]
            kind=kind,
            year=request.GET.get("year", ""),
            fmt=request.GET.get("format", "json"),
        )
    except NotPermitted as exc:
        return JsonResponse({"detail": str(exc)}, status=403)
    except InvalidInput as exc:
        errors = [{"pointer": f"/query/{exc.field}", "message": str(exc)}]  # the API's one error shape
        return JsonResponse({"detail": str(exc), "errors": errors}, status=400)
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    return response
