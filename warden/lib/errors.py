"""The refusals every domain raises, in the kernel so that no domain imports another one to raise them.

str(exc) is a sentence fit for the user. Each interface maps them in one place: the API to a status
(NotPermitted 403, InvalidInput 422, CaseConflict 409, IllegalTransition 409), the UI to a form message,
the CLI to exit code 2.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """Base of every refusal by the domain services. str(exc) is a sentence fit for the user."""


class IllegalTransition(WorkflowError):
    """The case (or licence) is not in a status from which this action is possible."""


class NotPermitted(WorkflowError):
    """The user may not do this (role, team, organisation or separation of duties)."""


class InvalidInput(WorkflowError):
    """The action is possible but its input is not (a refusal without criteria, an empty answer...).
    `field` names the offending argument when there is one."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class CaseConflict(WorkflowError):
    """Someone else changed the case (or licence) since the caller read it; nothing was written."""
