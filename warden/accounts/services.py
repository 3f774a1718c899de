"""Managing organisations, people, teams and API tokens. Administrators manage users (and decide no cases);
people manage their own API tokens. The system (`warden init`, the demo loader) acts as
warden.lib.actors.system(reason), allowed what accounts.policy.SYSTEM_ACTS names.

Every change writes an audit entry in the same transaction. Refusals raise NotPermitted / InvalidInput
(warden.lib.errors), whose str() is a sentence for the user.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from warden.accounts import policy, second_factor
from warden.accounts.actors import Actor, system
from warden.accounts.models import ApiToken, Organisation, Role, Team, TokenScope, User
from warden.accounts.policy import PeopleAction
from warden.audit.services import record
from warden.lib.errors import InvalidInput, NotPermitted

AUTHORITY_NAME = "Export Control Authority"

# The authority's teams: the licensing unit and the consulted departments (advisers belong to one of these).
DEFAULT_TEAMS: list[tuple[str, str, bool]] = [
    ("licensing", "Licensing Unit", False),
    ("foreign-affairs", "Foreign Affairs", True),
    ("defence", "Defence", True),
    ("intelligence", "Intelligence", True),
]


def _check(actor: Actor, action: PeopleAction, subject: User | None = None) -> None:
    why = policy.refusal(actor, action, subject)
    if why:
        raise NotPermitted(why)


_SETUP = system("reference setup: the authority and its teams")


@transaction.atomic
def ensure_reference_setup() -> dict[str, Team]:
    """Create the authority organisation and DEFAULT_TEAMS if missing (idempotent; run by `warden init`)."""
    if not Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).exists():
        org = Organisation.objects.create(name=AUTHORITY_NAME, kind=Organisation.Kind.AUTHORITY)
        record(
            actor=_SETUP, action="organisation.create", target=org, data={"name": org.name, "kind": org.kind}
        )
    teams = {}
    for code, name, advisory in DEFAULT_TEAMS:
        team, created = Team.objects.get_or_create(
            code=code, defaults={"name": name, "is_advisory": advisory}
        )
        if created:
            record(actor=_SETUP, action="team.create", target=team, data={"code": code, "advisory": advisory})
        teams[code] = team
    return teams


def our_state() -> str:
    """Our state, as our notifications to partner states name it (denials, catch-all notices): the country of
    the authority's organisation, "GB" before one is set up. A read only: unlike authority(), it creates none."""
    org = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).order_by("pk").first()
    return org.country if org is not None else "GB"


def authority() -> Organisation:
    org = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).order_by("pk").first()
    if org is None:
        ensure_reference_setup()
        org = Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).order_by("pk").first()
    assert org is not None
    return org


@transaction.atomic
def create_organisation(
    *,
    actor: Actor,
    name: str,
    country: str = "GB",
    registration_number: str = "",
    address: str = "",
    kind: str = Organisation.Kind.EXPORTER,
) -> Organisation:
    """Register an exporter organisation (administrator)."""
    _check(actor, PeopleAction.REGISTER_ORGANISATION)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("The organisation needs a name", field="name")
    org = Organisation.objects.create(
        name=name, country=country, registration_number=registration_number, address=address, kind=kind
    )
    record(actor=actor, action="organisation.create", target=org, data={"name": name, "kind": kind})
    return org


def _check_placement(role: str, organisation: Organisation | None, team: Team | None) -> None:
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}", field="role")
    if role == Role.EXPORTER:
        if organisation is None or organisation.kind != Organisation.Kind.EXPORTER:
            raise InvalidInput("An exporter must belong to an exporter organisation", field="organisation")
        if team is not None:
            raise InvalidInput("An exporter belongs to no team of the authority", field="team")
    else:
        if organisation is not None and organisation.kind != Organisation.Kind.AUTHORITY:
            raise InvalidInput(
                "Authority staff cannot belong to an exporter organisation", field="organisation"
            )
        if role == Role.ADVISER and (team is None or not team.is_advisory):
            raise InvalidInput("An adviser must belong to a consulted department's team", field="team")


@transaction.atomic
def create_user(
    *,
    actor: Actor,
    username: str,
    role: str,
    password: str | None = None,
    organisation: Organisation | None = None,
    team: Team | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    validate: bool = True,
) -> User:
    """Create a person with a role (administrator). Exporters belong to an exporter organisation; authority
    staff to the authority (set automatically) and, for advisers, to an advisory team. Without a password the
    account cannot log in until one is set. `validate=False` skips the password strength rules (demo only)."""
    _check(actor, PeopleAction.CREATE_USER)
    username = (username or "").strip()
    if not username:
        raise InvalidInput("A username is required", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(f"The username {username!r} is taken", field="username")
    if role != Role.EXPORTER and organisation is None:
        organisation = authority()
    _check_placement(role, organisation, team)
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        team=team,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )
    if password:
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise InvalidInput(" ".join(exc.messages), field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(
        actor=actor,
        action="user.create",
        target=user,
        data={"username": username, "role": role, "team": team.code if team else None},
    )
    return user


_KEEP = object()  # set_role's "leave the organisation as it is"


@transaction.atomic
def set_role(
    *,
    actor: Actor,
    user: User,
    role: str,
    team: Team | None = None,
    organisation: Organisation | None | object = _KEEP,
) -> User:
    """Change a person's role, team and (when given) organisation, under the placement rules of create_user.
    Administrators cannot change their own role (another administrator must)."""
    _check(actor, PeopleAction.CHANGE_ROLE, user)
    org = user.organisation if organisation is _KEEP else organisation
    if org is not None and not isinstance(org, Organisation):
        raise InvalidInput("The organisation is not one Warden knows", field="organisation")
    # Staff belong to the authority: set it for them when none is named (or an exporter's old one is kept);
    # an exporter organisation named for staff is refused by the placement rules below, not ignored.
    kept = organisation is _KEEP
    if role != Role.EXPORTER and (org is None or (kept and org.kind != Organisation.Kind.AUTHORITY)):
        org = authority()
    _check_placement(role, org, team)
    before = _placement(user)
    user.role, user.team, user.organisation = role, team, org
    user.save(update_fields=["role", "team", "organisation"])
    record(
        actor=actor, action="user.set_role", target=user, data={"before": before, "after": _placement(user)}
    )
    return user


def _placement(user: User) -> dict[str, str | None]:
    return {
        "role": user.role,
        "team": user.team.code if user.team else None,
        "organisation": user.organisation.name if user.organisation else None,
    }


@transaction.atomic
def deactivate_user(*, actor: Actor, user: User) -> User:
    """Stop a person from logging in or using API tokens (history stays attributed to them)."""
    _check(actor, PeopleAction.DEACTIVATE, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, action="user.deactivate", target=user, data={"username": user.username})
    return user


@transaction.atomic
def reactivate_user(*, actor: Actor, user: User) -> User:
    """Let a deactivated person sign in again. Their API tokens stay revoked (deactivation revoked them): they
    make new ones, so a token that leaked while the account was closed does not come back to life."""
    _check(actor, PeopleAction.REACTIVATE, user)
    if user.is_active:
        raise InvalidInput(f"{user.username} is active already", field="user")
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(actor=actor, action="user.reactivate", target=user, data={"username": user.username})
    return user


@transaction.atomic
def set_password(*, actor: Actor, user: User, password: str) -> User:
    """Set a password (the person themselves or an administrator), checked against the password rules."""
    _check(actor, PeopleAction.SET_PASSWORD, user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, action="user.set_password", target=user, data={"username": user.username})
    return user


TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365


@transaction.atomic
def create_api_token(
    *,
    actor: Actor,
    user: User,
    name: str,
    days: int = TOKEN_DAYS_DEFAULT,
    scope: str = TokenScope.WRITE,
    second_factor_passed: bool = False,
) -> tuple[ApiToken, str]:
    """A bearer token for `user`'s own systems (the person themselves, or an administrator), valid `days` days
    (1..365) with `scope` read (GET only) or write (all the user's role allows). Returns the row and the
    token; the token itself is not stored (only its SHA-256) and cannot be shown again.

    `second_factor_passed`: the actor's session passed two-step sign-in (the tokens page says); False, the
    default, refuses anyone whose sign-in takes a code (policy.token_creation_refusal)."""
    _check(actor, PeopleAction.CREATE_TOKEN, user)
    if isinstance(actor, User):
        why = second_factor.token_creation_refusal(
            actor=actor, subject=user, session_passed_code=second_factor_passed
        )
        if why:
            raise NotPermitted(why)
    if not user.is_active:
        raise InvalidInput(f"{user.username} is deactivated", field="user")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= TOKEN_DAYS_MAX:
        raise InvalidInput(f"A token lasts from 1 to {TOKEN_DAYS_MAX} days", field="days")
    if scope not in TokenScope.values:
        raise InvalidInput(f"Unknown scope {scope!r} (read or write)", field="scope")
    name = (name or "").strip() or "API token"
    token = ApiToken.generate()
    row = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=token[:12],
        digest=ApiToken.digest_of(token),
        expires_at=timezone.now() + dt.timedelta(days=days),
        scopes="read" if scope == TokenScope.READ else "read write",
    )
    record(
        actor=actor,
        action="token.create",
        target=row,
        data={
            "user": user.username,
            "prefix": row.prefix,
            "scopes": row.scopes,
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        },
    )
    return row, token


@transaction.atomic
def revoke_api_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    _check(actor, PeopleAction.REVOKE_TOKEN, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, action="token.revoke", target=token, data={"prefix": token.prefix})
    return token
