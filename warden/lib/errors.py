"""The refusals every domain raises, in the kernel so that no domain imports another one to raise them.

Four kinds, each a subclass of WardenError (str(exc) is a sentence fit for the person; `where` names what
was wrong when there is one thing to name: a field, a JSON pointer "/goods/0/rating", "file.xml line 12"):

    kind           API (warden.config.api)   UI (warden.web.errors)          CLI (warden.cli)
    InvalidInput   422 + errors[pointer]     400 page with the message       exit 2
    Forbidden      403                       403 page with the message       exit 3
    Conflict       409                       409 page with the message       exit 4
    NotFound       404                       404 page                        exit 5
    (other)        400                       400 page                        exit 2

Each interface maps them in that one place; a view, endpoint or command catches a kernel error only to do
better than the default (show it on the form the person is filling in). In every case nothing was changed:
the error is raised inside the service's transaction, which rolls back.

The domain's own names stay for their callers: NotPermitted is a Forbidden, IllegalTransition and
CaseConflict are Conflicts, and WorkflowError, which older code catches for "any refusal", is WardenError.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class WardenError(Exception):
    """Base of every refusal by the domain services. Nothing was changed."""

    def __init__(self, message: str, *, where: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        # `field=` is the name older callers use (a form or document field); `where` says it for any input.
        self.where = where or field

    @property
    def field(self) -> str:
        return self.where


class InvalidInput(WardenError):
    """The action is possible but its input is not (a refusal without criteria, an empty answer, a file that
    does not parse...). `where` names the offending field, pointer or line when there is one."""


class Forbidden(WardenError, PermissionDenied):
    """The actor may not do this (role, team, organisation or separation of duties). Also Django's
    PermissionDenied, so that code which predates the kernel still catches it."""


class Conflict(WardenError):
    """The thing is not in a state that allows this, or someone else changed it since the caller read it."""


class NotFound(WardenError, Http404):
    """No such thing, or none the actor may see (the two are not told apart, so nothing leaks). Also
    Django's Http404, for the same reason as Forbidden."""


# The older names, kept because every domain raises and catches them.
WorkflowError = WardenError


class IllegalTransition(Conflict):
    """The case (or licence) is not in a status from which this action is possible."""


class NotPermitted(Forbidden):
    """The user may not do this (role, team, organisation or separation of duties)."""


class CaseConflict(Conflict):
    """Someone else changed the case (or licence) since the caller read it; nothing was written."""


__all__ = [
    "CaseConflict",
    "Conflict",
    "Forbidden",
    "IllegalTransition",
    "InvalidInput",
    "NotFound",
    "NotPermitted",
    "WardenError",
    "WorkflowError",
]
