"""Who may read the audit log and act on it: the one place these rules live (views, template tags, CLI).

- browsing the log, opening an entry with its proof, downloading proofs: oversight and administrators
  (the log is the accountability record; they are the ones held to account and holding to account);
- signing a checkpoint on demand, rotating the signing key: administrators;
- a case's history from the log on its case page: whoever may read the case's internal material
  (cases.policy.can_view_internal), since entries carry advice, notes and findings;
- the latest checkpoint, the public key, the keyring and consistency proofs are public (they hold only
  hashes and the log's size), and an inclusion proof needs only a token: none is checked here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from warden.accounts.models import Role
from warden.cases import policy as case_policy


class AuditAction(StrEnum):
    BROWSE = "browse"
    CHECKPOINT = "checkpoint"
    ROTATE_KEY = "rotate_key"


ROLES: dict[AuditAction, frozenset[Role]] = {
    AuditAction.BROWSE: frozenset({Role.OVERSIGHT, Role.ADMINISTRATOR}),
    AuditAction.CHECKPOINT: frozenset({Role.ADMINISTRATOR}),
    AuditAction.ROTATE_KEY: frozenset({Role.ADMINISTRATOR}),
}


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def may(user: Any, action: AuditAction | str) -> bool:
    return _active(user) and getattr(user, "role", None) in ROLES[AuditAction(action)]


def can_browse(user: Any) -> bool:
    return may(user, AuditAction.BROWSE)


def can_make_checkpoint(user: Any) -> bool:
    return may(user, AuditAction.CHECKPOINT)


def can_rotate_key(user: Any) -> bool:
    return may(user, AuditAction.ROTATE_KEY)


def can_view_case_history(user: Any, case: Any) -> bool:
    return case is not None and case_policy.can_view_internal(user, case)
