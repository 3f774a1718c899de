"""Managing organisations, people, teams and API tokens. Administrators manage users (and decide no cases);
people manage their own API tokens. `actor=None` means the system itself (`warden init`, the demo loader).

Every change writes an audit entry in the same transaction. Refusals raise NotPermitted / InvalidInput
(warden.cases.transitions), whose str() is a sentence for the user.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from warden.accounts import policy
from warden.accounts.models import ApiToken, Organisation, Role, Team, User
from warden.audit.services import record
from warden.lib.actors import is_system
from warden.lib.errors import InvalidInput, NotPermitted

AUTHORITY_NAME = "Export Control Authority"

# The authority's teams: the licensing unit and the consulted departments (advisers belong to one of these).
DEFAULT_TEAMS: list[tuple[str, str, bool]] = [
    ("licensing", "Licensing Unit", False),
    ("foreign-affairs", "Foreign Affairs", True),
    ("defence", "Defence", True),
    ("intelligence", "Intelligence", True),
]


def _check_admin(actor: Any, what: str) -> None:
    if actor is None or is_system(actor):
        return  # the system (`warden init`, `warden users create`)
    if not policy.can_manage_people(actor):
        raise NotPermitted(f"Only an administrator can {what}")


@transaction.atomic
def ensure_reference_setup() -> dict[str, Team]:
    """Create the authority organisation and DEFAULT_TEAMS if missing (idempotent; run by `warden init`)."""
    if not Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).exists():
        org = Organisation.objects.create(name=AUTHORITY_NAME, kind=Organisation.Kind.AUTHORITY)
        record(
            actor=None, action="organisation.create", target=org, data={"name": org.name, "kind": org.kind}
        )
    teams = {}
    for code, name, advisory in DEFAULT_TEAMS:
        team, created = Team.objects.get_or_create(
            code=code, defaults={"name": name, "is_advisory": advisory}
        )
        if created:
            record(actor=None, action="team.create", target=team, data={"code": code, "advisory": advisory})
        teams[code] = team
    return teams


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
    actor: Any,
    name: str,
    country: str = "GB",
    registration_number: str = "",
    address: str = "",
    kind: str = Organisation.Kind.EXPORTER,
) -> Organisation:
    """Register an exporter organisation (administrator)."""
    _check_admin(actor, "register organisations")
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
    actor: Any,
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
    _check_admin(actor, "create users")
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


@transaction.atomic
def set_role(*, actor: Any, user: User, role: str, team: Team | None = None) -> User:
    """Change a person's role (and team). Administrators cannot change their own role."""
    _check_admin(actor, "change roles")
    if actor is not None and actor.pk == user.pk:
        raise NotPermitted("Administrators cannot change their own role")
    organisation = user.organisation
    if role != Role.EXPORTER and (organisation is None or organisation.kind != Organisation.Kind.AUTHORITY):
        organisation = authority()
    _check_placement(role, organisation, team)
    before = {"role": user.role, "team": user.team.code if user.team else None}
    user.role, user.team, user.organisation = role, team, organisation
    user.save(update_fields=["role", "team", "organisation"])
    record(
        actor=actor,
        action="user.set_role",
        target=user,
        data={"before": before, "after": {"role": role, "team": team.code if team else None}},
    )
    return user


@transaction.atomic
def deactivate_user(*, actor: Any, user: User) -> User:
    """Stop a person from logging in or using API tokens (history stays attributed to them)."""
    _check_admin(actor, "deactivate users")
    if actor is not None and actor.pk == user.pk:
        raise NotPermitted("Administrators cannot deactivate themselves")
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor=actor, action="user.deactivate", target=user, data={"username": user.username})
    return user


@transaction.atomic
def set_password(*, actor: Any, user: User, password: str) -> User:
    """Set a password (the person themselves or an administrator), checked against the password rules."""
    if actor is not None and actor.pk != user.pk:
        _check_admin(actor, "set other people's passwords")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, action="user.set_password", target=user, data={"username": user.username})
    return user


@transaction.atomic
def create_api_token(*, actor: Any, user: User, name: str) -> tuple[ApiToken, str]:
    """A bearer token for `user`'s own systems (the person themselves, or an administrator). Returns the row
    and the token; the token itself is not stored (only its SHA-256) and cannot be shown again."""
    if actor is not None and actor.pk != user.pk:
        _check_admin(actor, "create tokens for other people")
    if not user.is_active:
        raise InvalidInput(f"{user.username} is deactivated", field="user")
    name = (name or "").strip() or "API token"
    token = ApiToken.generate()
    row = ApiToken.objects.create(
        user=user, name=name[:100], prefix=token[:12], digest=ApiToken.digest_of(token)
    )
    record(actor=actor, action="token.create", target=row, data={"user": user.username, "prefix": row.prefix})
    return row, token


@transaction.atomic
def revoke_api_token(*, actor: Any, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        _check_admin(actor, "revoke other people's tokens")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, action="token.revoke", target=token, data={"prefix": token.prefix})
    return token
