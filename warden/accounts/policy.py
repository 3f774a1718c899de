"""Who may manage people: the one place this rule lives (views and services ask here).

- administrators add people, change roles and placement, deactivate and reactivate accounts, send password
  reset links and lift lock-outs; to anyone else the people pages do not exist (404). They cannot change
  their own role nor deactivate themselves (separation: another administrator must);
- everyone signed in manages their own API tokens and password only (another person's token is a 404);
- the system (warden.lib.actors.SystemActor) may register organisations and create people (`warden init`,
  the demo loader, `warden users create`), set a password (`warden users passwd`, the demo loader's published
  one), reactivate (`warden users reactivate`), unlock an account or an address, and send the reset link a person asked for at
  /account/reset/; nothing else: it changes no roles, deactivates nobody and holds no tokens.
"""

from __future__ import annotations

from enum import StrEnum

from warden.accounts.actors import Actor, Viewer, is_system, person, require_actor
from warden.accounts.models import Role, User

PEOPLE_MANAGERS = frozenset({Role.ADMINISTRATOR})


class PeopleAction(StrEnum):
    REGISTER_ORGANISATION = "register organisations"
    CREATE_USER = "create users"
    CHANGE_ROLE = "change roles"
    DEACTIVATE = "deactivate users"
    SET_PASSWORD = "set other people's passwords"
    CREATE_TOKEN = "create tokens for other people"
    REVOKE_TOKEN = "revoke other people's tokens"
    UNLOCK = "unlock sign-in"
    UNLOCK_ADDRESS = "unlock a client address"
    # Turning on one's own second factor (exporters opt in); resetting another person's is an administrator's.
    SET_UP_SECOND_FACTOR = "set up two-step sign-in for other people"
    RESET_SECOND_FACTOR = "reset other people's two-step sign-in"
    REACTIVATE = "reactivate users"
    SEND_RESET = "send password reset links to other people"
    # Only ever one's own (it needs the current password): administrators send a reset link instead.
    CHANGE_OWN_PASSWORD = "change another person's password with their current one"


SYSTEM_ACTS: frozenset[PeopleAction] = frozenset(
    {
        PeopleAction.REGISTER_ORGANISATION,
        PeopleAction.CREATE_USER,
        PeopleAction.SET_PASSWORD,
        PeopleAction.UNLOCK,
        PeopleAction.UNLOCK_ADDRESS,
        PeopleAction.RESET_SECOND_FACTOR,
        PeopleAction.REACTIVATE,
        PeopleAction.SEND_RESET,
    }
)
# What a person may do to their own account without being an administrator.
OWN_ACCOUNT: frozenset[PeopleAction] = frozenset(
    {
        PeopleAction.SET_PASSWORD,
        PeopleAction.CREATE_TOKEN,
        PeopleAction.REVOKE_TOKEN,
        PeopleAction.SEND_RESET,
        PeopleAction.SET_UP_SECOND_FACTOR,
    }
)


def can_manage_people(user: Viewer) -> bool:
    require_actor(user, "accounts.policy.can_manage_people")
    who = person(user)
    return who is not None and who.role in PEOPLE_MANAGERS


def refusal(actor: Actor, action: PeopleAction, subject: User | None = None) -> str | None:
    """Why `actor` may not do `action` (to the account `subject`, when it concerns one), or None."""
    require_actor(actor, f"accounts.policy.refusal({action.value!r})")
    if is_system(actor):
        return None if action in SYSTEM_ACTS else f"The system does not {action.value}"
    own = subject is not None and actor.pk == subject.pk
    if action is PeopleAction.CHANGE_OWN_PASSWORD:
        return (
            None
            if own
            else "Only the person themselves changes their password (an administrator sends a reset link)"
        )
    if own and action in OWN_ACCOUNT:
        return None
    if not can_manage_people(actor):
        return f"Only an administrator can {action.value}"
    if own and action is PeopleAction.CHANGE_ROLE:
        return "Administrators cannot change their own role"
    if own and action is PeopleAction.DEACTIVATE:
        return "Administrators cannot deactivate themselves"
    return None


# API tokens and the second factor (docs/decisions/0021-tokens-and-second-factor.md). A bearer token is a
# password that never asks for a code, so it must not become the way around one. The facts (whether a code
# is required, whether the person has a device, whether this session passed a code) are the caller's to
# find (warden.accounts.second_factor); the rule lives here.


def token_creation_refusal(
    *, actor_needs_code: bool, session_passed_code: bool, subject_lacks_required_device: bool
) -> str | None:
    """Why a token may not be created now, or None. `actor_needs_code`: signing the actor in takes a code (a
    confirmed device, or authority staff while WARDEN_REQUIRE_2FA is on); such a person creates tokens only
    from a session that passed it. `subject_lacks_required_device`: the token's owner must have a device and
    has none, so the token would be refused at once (token_use_refusal)."""
    if actor_needs_code and not session_passed_code:
        return "Creating an API token needs a session that passed two-step sign-in: sign out and in with your code"
    if subject_lacks_required_device:
        return "Two-step sign-in is required for this account and is not set up: set it up before creating tokens"
    return None


def token_use_refusal(*, code_required: bool, has_device: bool) -> str | None:
    """Why a live token is refused, or None: authority staff's tokens while two-step sign-in is required and
    the person has no confirmed device (the sign-in would not let them in; their token does not either)."""
    if code_required and not has_device:
        return (
            "two-step sign-in is required for this account and is not set up: sign in to Warden and set it up; "
            "the token works again after"
        )
    return None


# Declarations of interest (warden.accounts.interests): the people who act on cases declare their own;
# supervisors (senior officers) and oversight read everyone's, and nobody edits another person's.
INTEREST_DECLARERS = frozenset(
    {
        Role.LICENSING_OFFICER,
        Role.SENIOR_OFFICER,
        Role.ADVISER,
        Role.POLICY_OFFICER,
        Role.COMPLIANCE_INSPECTOR,
    }
)
INTEREST_SUPERVISORS = frozenset({Role.SENIOR_OFFICER, Role.OVERSIGHT})


def _is_active(user: object) -> bool:
    return bool(
        user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    )


def can_declare_interest(user: object) -> bool:
    return _is_active(user) and getattr(user, "role", None) in INTEREST_DECLARERS


def can_view_all_interests(user: object) -> bool:
    return _is_active(user) and getattr(user, "role", None) in INTEREST_SUPERVISORS
