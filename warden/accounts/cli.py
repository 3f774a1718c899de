"""`warden users create|list|passwd|reactivate|unlock|unlock-address|reset-two-step` and `warden organisations create`: a new deployment's first administrator and
organisations without the demo or a Python shell. The system acts (warden.lib.actors.system), through the
same services as the people pages, so the audit log records each account as the UI would.

Exit status: 0 done, 2 bad input (the message names the argument; nothing created).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from rich.console import Console

from warden.accounts import second_factor, services, throttle
from warden.accounts.models import Organisation, Role, Team, User
from warden.legislation.countries_iso import ISO_3166_ALPHA2
from warden.lib.actors import system
from warden.lib.errors import InvalidInput, WorkflowError


def _err(msg: str) -> int:
    Console(stderr=True).print(f"[bold red]error:[/] {msg}", highlight=False)
    return 2


def _field(exc: WorkflowError) -> str:
    field = getattr(exc, "field", "")
    return f"--{field.replace('_', '-')}: " if field and field not in ("username", "password") else ""


def _password(args: argparse.Namespace) -> str | None:
    """The password from standard input (its first line) or typed twice at a prompt; None if they differ."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"Password for {args.username}: ")
    if getpass.getpass("Again: ") != first:
        return None
    return first


def _organisation(name: str) -> Organisation | list[Organisation] | None:
    found = list(Organisation.objects.filter(name__iexact=name.strip()).order_by("pk")[:2])
    return found[0] if len(found) == 1 else (found or None)


def _create_user(args: argparse.Namespace) -> int:
    if args.role not in Role.values:
        return _err(f"--role: {args.role!r} is not a role (one of {', '.join(Role.values)})")
    org = None
    if args.organisation:
        found = _organisation(args.organisation)
        if found is None:
            return _err(f"--organisation: no organisation named {args.organisation!r}")
        if isinstance(found, list):
            return _err(f"--organisation: several organisations are named {args.organisation!r}")
        org = found
    team = None
    if args.team:
        team = Team.objects.filter(code=args.team).first()
        if team is None:
            codes = ", ".join(Team.objects.order_by("code").values_list("code", flat=True)) or "none yet"
            return _err(f"--team: no team {args.team!r} (teams: {codes})")
    password = _password(args)
    if password is None:
        return _err("password: the two passwords differ")
    if not password:
        return _err("password: empty (give one at the prompt or on standard input with --password-stdin)")
    try:
        user = services.create_user(
            actor=system("cli: users create"),
            username=args.username,
            role=args.role,
            password=password,
            organisation=org,
            team=team,
            email=args.email or "",
        )
    except WorkflowError as exc:
        return _err(f"{_field(exc)}{exc} (nothing created)")
    where = f", {user.organisation.name}" if user.organisation else ""
    print(f"{user.username}: {user.get_role_display()}{where}{f', team {team.code}' if team else ''}")
    return 0


def _user_row(u: User) -> dict[str, Any]:
    return {
        "username": u.username,
        "role": u.role,
        "organisation": u.organisation.name if u.organisation else None,
        "team": u.team.code if u.team else None,
        "email": u.email,
        "active": u.is_active,
        "last_login": u.last_login.isoformat() if u.last_login else None,
    }


def _list_users(args: argparse.Namespace) -> int:
    rows = [_user_row(u) for u in User.objects.select_related("organisation", "team").order_by("username")]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        state = "" if r["active"] else "  (deactivated)"
        print(f"{r['username']:<20} {r['role']:<18} {r['organisation'] or '-':<30} {r['team'] or '-'}{state}")
    return 0


def _unlock_user(args: argparse.Namespace) -> int:
    user = User.objects.filter(username=args.username).first()
    if user is None:
        return _err(f"USERNAME: no person is called {args.username[:150]!r}; nothing changed")
    cleared = throttle.unlock(actor=system("warden users unlock (command line)"), user=user)
    print(f"{user.username}: {cleared} failed sign-in(s) forgotten; they can sign in again")
    return 0


def _unlock_address(args: argparse.Namespace) -> int:
    try:
        address = throttle.normalise_address(args.address)
        cleared = throttle.unlock_address(
            actor=system("warden users unlock-address (command line)"), address=address
        )
    except InvalidInput as exc:
        return _err(f"ADDRESS: {exc}; nothing changed")
    if cleared:
        print(
            f"{address}: {cleared} recent failed sign-in(s) forgotten; accounts' own lock-outs are unchanged"
        )
    else:
        print(f"{address}: no recent failed sign-ins; nothing changed")
    return 0


def _reset_second_factor(args: argparse.Namespace) -> int:
    # The way back in when the only administrator has lost the phone: someone with the server resets it.
    user = User.objects.filter(username=args.username).first()
    if user is None:
        return _err(f"USERNAME: no person is called {args.username[:150]!r}; nothing changed")
    removed = second_factor.reset(actor=system("warden users reset-two-step (command line)"), user=user)
    print(
        f"{user.username}: two-step sign-in reset ({removed} device(s) removed); they set it up again next time"
    )
    return 0


def _named(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _passwd(args: argparse.Namespace) -> int:
    user = _named(args.username)
    if user is None:
        return _err(f"USERNAME: no person is called {args.username[:150]!r}; nothing changed")
    password = _password(args)
    if password is None:
        return _err("password: the two passwords differ (nothing changed)")
    if not password:
        return _err("password: empty (give one at the prompt or on standard input with --password-stdin)")
    try:
        services.set_password(
            actor=system("warden users passwd (command line)"), user=user, password=password
        )
    except WorkflowError as exc:
        return _err(f"{exc} (nothing changed)")
    print(f"{user.username}: password set; their other sessions are signed out")
    return 0


def _reactivate(args: argparse.Namespace) -> int:
    user = _named(args.username)
    if user is None:
        return _err(f"USERNAME: no person is called {args.username[:150]!r}; nothing changed")
    try:
        services.reactivate_user(actor=system("warden users reactivate (command line)"), user=user)
    except WorkflowError as exc:
        return _err(f"{exc} (nothing changed)")
    print(f"{user.username}: reactivated; they can sign in again (old API tokens stay revoked)")
    return 0


def _create_organisation(args: argparse.Namespace) -> int:
    country = (args.country or "").strip().upper()
    if country not in ISO_3166_ALPHA2:
        return _err(f"--country: {args.country!r} is not an ISO 3166-1 country code")
    if Organisation.objects.filter(name__iexact=args.name.strip()).exists():
        return _err(f"NAME: an organisation named {args.name.strip()!r} exists already (nothing created)")
    try:
        org = services.create_organisation(
            actor=system("cli: organisations create"),
            name=args.name,
            country=country,
            registration_number=args.registration_number or "",
            address=args.address or "",
        )
    except WorkflowError as exc:
        return _err(f"{_field(exc)}{exc} (nothing created)")
    print(f"{org.name} ({org.country}): exporter organisation #{org.pk}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    users = sub.add_parser("users", help="People and their roles")
    usub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    create = usub.add_parser("create", help="Create a person with a role (password prompted)")
    create.add_argument("username")
    create.add_argument("--role", required=True, help=", ".join(Role.values))
    create.add_argument("--organisation", metavar="NAME", help="an exporter's organisation (by name)")
    create.add_argument("--team", metavar="CODE", help="the authority's team (advisers: their department)")
    create.add_argument("--email", default="")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(func=_create_user)
    unlock = usub.add_parser("unlock", help="Lift a sign-in lock-out after too many wrong passwords")
    unlock.add_argument("username", metavar="USERNAME")
    unlock.set_defaults(func=_unlock_user)
    unlock_ip = usub.add_parser(
        "unlock-address", help="Lift the sign-in lock-out of one client address (no account is unlocked)"
    )
    unlock_ip.add_argument("address", metavar="ADDRESS", help="IPv4 or IPv6 address, as the log shows it")
    unlock_ip.set_defaults(func=_unlock_address)
    reset2 = usub.add_parser(
        "reset-two-step", help="Remove a person's two-step sign-in (a lost authenticator)"
    )
    reset2.add_argument("username", metavar="USERNAME")
    reset2.set_defaults(func=_reset_second_factor)
    passwd = usub.add_parser("passwd", help="Set a person's password (prompted twice, or --password-stdin)")
    passwd.add_argument("username", metavar="USERNAME")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd.set_defaults(func=_passwd)
    reactivate = usub.add_parser("reactivate", help="Let a deactivated person sign in again")
    reactivate.add_argument("username", metavar="USERNAME")
    reactivate.set_defaults(func=_reactivate)
    lst = usub.add_parser("list", help="Everyone with an account")
    lst.add_argument("--format", choices=("table", "json"), default="table")
    lst.set_defaults(func=_list_users)

    orgs = sub.add_parser("organisations", help="Exporter organisations")
    osub = orgs.add_subparsers(dest="organisations_command", metavar="ACTION", required=True)
    oc = osub.add_parser("create", help="Register an exporter organisation")
    oc.add_argument("name", metavar="NAME")
    oc.add_argument("--country", required=True, metavar="CC")
    oc.add_argument("--registration-number", default="")
    oc.add_argument("--address", default="")
    oc.set_defaults(func=_create_organisation)
