"""Who may read the audit log and act on it: the one place these rules live (views, template tags, CLI).

- browsing the log, opening an entry with its proof, downloading proofs: oversight and administrators
  (the log is the accountability record; they are the ones held to account and holding to account);
- signing a checkpoint on demand, rotating the signing key: administrators;
- a case's history from the log on its case page: whoever may read the case's internal material, since
  entries carry advice, notes and findings: that is a case question, asked of cases.policy.can_view_internal
  by the template tag (the log sits below the domains that write to it, so it does not import them);
- the latest checkpoint, the public key, the keyring and consistency proofs are public (they hold only
  hashes and the log's size), and an inclusion proof needs only a token: none is checked here.
"""

from __future__ import annotations

from enum import StrEnum

from warden.lib.actors import AnyViewer, is_system, require_actor

# The log sits below accounts (every domain, accounts included, writes to it: docs/architecture.md), so it
# names the roles that may read it by their stored values; warden/audit/tests/test_policy_roles.py checks
# that each is an accounts Role.
OVERSIGHT = "oversight"
ADMINISTRATOR = "administrator"


class AuditAction(StrEnum):
    BROWSE = "browse"
    CHECKPOINT = "checkpoint"
    ROTATE_KEY = "rotate_key"


ROLES: dict[AuditAction, frozenset[str]] = {
    AuditAction.BROWSE: frozenset({OVERSIGHT, ADMINISTRATOR}),
    AuditAction.CHECKPOINT: frozenset({ADMINISTRATOR}),
    AuditAction.ROTATE_KEY: frozenset({ADMINISTRATOR}),
}


# What the system may do on its own: sign checkpoints (the periodic task) and record a key rotation made by
# whoever holds the host's key files (`warden audit rotate-key` without --as). It never browses the log.
SYSTEM_ACTS: frozenset[AuditAction] = frozenset({AuditAction.CHECKPOINT, AuditAction.ROTATE_KEY})


def _active(user: AnyViewer) -> bool:
    require_actor(user, "an audit policy check")
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def may(user: AnyViewer, action: AuditAction | str) -> bool:
    """Whether `user` may do `action`: a person by role; the system only the SYSTEM_ACTS. (A person object
    is any Person, so an anonymous request's user asks too, and is allowed nothing.)"""
    act = AuditAction(action)
    if is_system(user):
        return act in SYSTEM_ACTS
    return _active(user) and getattr(user, "role", None) in ROLES[act]


def can_browse(user: AnyViewer) -> bool:
    return may(user, AuditAction.BROWSE)


def can_make_checkpoint(user: AnyViewer) -> bool:
    return may(user, AuditAction.CHECKPOINT)


def can_rotate_key(user: AnyViewer) -> bool:
    return may(user, AuditAction.ROTATE_KEY)
