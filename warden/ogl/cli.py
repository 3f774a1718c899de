"""`warden ogl list|load|register|report|suspend|revoke|reinstate|deregister|surrender`: open general licences.

    warden ogl list [--format table|json]
    warden ogl load [FILE]                       publish what a warden.ogl/1 file holds (default: the shipped,
                                                 illustrative file); as the system
    warden ogl register OGL --as USERNAME        an exporter registers its organisation
    warden ogl report REGISTRATION --as USERNAME --shipped-on DATE --declaration REF --destination CC
                      --rating R [--rating R ...] --description TEXT --quantity N --value AMOUNT
                      --currency CUR --consignee NAME --end-user NAME [--flag FLAG ...]
    warden ogl suspend|revoke|reinstate REGISTRATION --as USERNAME --reason TEXT   (a senior officer)
    warden ogl deregister|surrender REGISTRATION --as USERNAME                      (the holder)
    warden ogl returns [--as USERNAME] [--format table|json]   returns overdue or approaching (all, as the
                                                               system; an exporter's own with --as)
    warden ogl file-return REGISTRATION --as USERNAME          the holder files the oldest return due
    warden ogl sweep-returns [--today DATE]                    flag the returns missed (the daily run does it)

Exit status: 0 done, 2 bad input (naming the field and the condition) or an unknown user, 3 not permitted,
4 not possible in the current state, 5 no such OGL or registration visible to the user (warden.cli maps the
refusals; nothing is changed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path

from rich.console import Console

from warden.accounts.models import User
from warden.lib import clock
from warden.lib.actors import system
from warden.lib.errors import InvalidInput, NotFound
from warden.ogl import loader, policy, queries, returns, services
from warden.ogl.models import OglRegistration


def _person(args: argparse.Namespace) -> User:
    username = args.as_user or os.environ.get("WARDEN_USER", "")
    if not username:
        raise InvalidInput("Say who is acting: --as USERNAME (or set WARDEN_USER)")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(f"No active user {username!r}")
    return user


def _registration(user: User, reference: str) -> OglRegistration:
    reg = policy.visible_registrations(user).filter(reference=reference).first()
    if reg is None:
        raise NotFound(f"No registration {reference} is visible to {user.username}")
    return reg


def _list(args: argparse.Namespace) -> int:
    rows = [queries.ogl_dict(ogl, versions=args.format == "json") for ogl in queries.published()]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    console = Console(highlight=False)
    console.print(f"{len(rows)} open general licence(s) published; today {clock.today()}")
    for row in rows:
        v = row["current"]
        state = (
            f"version {v['number']} from {v['effective_from']}: {', '.join(v['permitted_destinations'])}; "
            f"ratings {', '.join(v['permitted_ratings'])}"
            if v
            else "not in force"
        )
        console.print(f"  {row['reference']:<22} {state}", markup=False)
        console.print(f"  {'':<22} {row['title']}", markup=False)
    return 0


def _load(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else loader.SHIPPED
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    result = loader.load_file(actor=system(f"cli: ogl load {path.name}"), path=path)
    print(f"{path.name}: {result.summary()}")
    for label in result.published:
        print(f"  published: {label}")
    return 0


def _register(args: argparse.Namespace) -> int:
    user = _person(args)
    ogl = queries.published().filter(reference=args.ogl).first()
    if ogl is None:
        raise NotFound(f"No open general licence {args.ogl}")
    reg = services.register(actor=user, ogl=ogl)
    print(
        f"Registered {reg.organisation.name} to use {ogl.reference}: quote {reg.reference} on customs declarations"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    user = _person(args)
    reg = _registration(user, args.registration)
    use, created = services.report_use(
        actor=user,
        registration=reg,
        report=services.UseReport(
            shipped_on=args.shipped_on,
            customs_declaration=args.declaration,
            destination=args.destination,
            ratings=args.rating,
            description=args.description,
            quantity=args.quantity,
            value=args.value,
            currency=args.currency,
            consignee_name=args.consignee,
            end_user_name=args.end_user,
            end_use_flags=args.flag or [],
        ),
    )
    what = "reported" if created else "was already reported (nothing added)"
    print(
        f"{reg.reference}: declaration {use.customs_declaration} {what}: shipped {use.shipped_on} to "
        f"{use.destination}, {use.value_amount} {use.currency} (version {use.version.number})"
    )
    return 0


def _change(args: argparse.Namespace) -> int:
    user = _person(args)
    reg = services.change_status(
        actor=user,
        registration=_registration(user, args.registration),
        action=args.ogl_command,
        reason=getattr(args, "reason", "") or "",
    )
    print(f"{reg.reference} is now {reg.get_status_display().lower()}")
    return 0


def _returns(args: argparse.Namespace) -> int:
    actor = _person(args) if (args.as_user or os.environ.get("WARDEN_USER")) else system("cli: ogl returns")
    rows = returns.queue(list(policy.visible_registrations(actor).prefetch_related("returns")))
    if args.format == "json":
        out = [
            {
                "registration": r.registration.reference,
                "number": r.scheduled.number,
                "due_on": r.scheduled.due_on.isoformat(),
                "state": r.state.value,
                "missed": r.missed,
            }
            for r in rows
        ]
        print(json.dumps(out, indent=2))
        return 0
    console = Console(highlight=False)
    console.print(f"{len(rows)} return(s) overdue or approaching")
    for r in rows:
        console.print(
            f"  {r.registration.reference:<28} return {r.scheduled.number:<3} due {r.scheduled.due_on}  "
            f"{r.state.value}{' (flagged)' if r.missed else ''}",
            markup=False,
        )
    return 0


def _file_return(args: argparse.Namespace) -> int:
    user = _person(args)
    row = returns.file_return(actor=user, registration=_registration(user, args.registration))
    print(f"return {row.number} of {args.registration} filed ({row.uses} use(s))")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    today = dt.date.fromisoformat(args.today) if args.today else clock.today()
    flagged = returns.flag_missed(actor=system("cli: ogl sweep-returns"), today=today)
    print(f"{len(flagged)} missed return(s) flagged")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("ogl", help="Open general licences: publish, register, report use, sanction")
    osub = p.add_subparsers(dest="ogl_command", metavar="ACTION", required=True)

    lst = osub.add_parser("list", help="The published open general licences")
    lst.add_argument("--format", choices=("table", "json"), default="table")
    lst.set_defaults(func=_list)

    ld = osub.add_parser("load", help="Publish the OGLs of a warden.ogl/1 file (default: the shipped one)")
    ld.add_argument("file", nargs="?")
    ld.set_defaults(func=_load)

    def _as(q: argparse.ArgumentParser) -> None:
        q.add_argument("--as", dest="as_user", metavar="USERNAME", help="who acts (default $WARDEN_USER)")

    reg = osub.add_parser("register", help="Register your organisation to use an OGL (an exporter)")
    reg.add_argument("ogl", metavar="OGL")
    _as(reg)
    reg.set_defaults(func=_register)

    rep = osub.add_parser("report", help="Report a use of a registration (an exporter)")
    rep.add_argument("registration", metavar="REGISTRATION")
    _as(rep)
    rep.add_argument("--shipped-on", required=True, metavar="DATE")
    rep.add_argument("--declaration", required=True, metavar="REF", help="the customs declaration reference")
    rep.add_argument("--destination", required=True, metavar="CC")
    rep.add_argument("--rating", required=True, action="append", metavar="RATING")
    rep.add_argument("--description", required=True)
    rep.add_argument("--quantity", required=True)
    rep.add_argument("--value", required=True, metavar="AMOUNT")
    rep.add_argument("--currency", required=True, metavar="CUR")
    rep.add_argument("--consignee", required=True, metavar="NAME")
    rep.add_argument("--end-user", required=True, metavar="NAME")
    rep.add_argument("--flag", action="append", metavar="FLAG", help="an end-use concern you are aware of")
    rep.set_defaults(func=_report)

    for action, words in (
        ("suspend", "Suspend a registration (a senior officer, with a reason)"),
        ("revoke", "Revoke a registration (a senior officer, with a reason)"),
        ("reinstate", "Reinstate a suspended registration (a senior officer, with a reason)"),
    ):
        q = osub.add_parser(action, help=words)
        q.add_argument("registration", metavar="REGISTRATION")
        _as(q)
        q.add_argument("--reason", required=True)
        q.set_defaults(func=_change)
    for action, words in (
        ("deregister", "Deregister your organisation's registration (the holder)"),
        ("surrender", "Surrender your organisation's registration (the holder)"),
    ):
        q = osub.add_parser(action, help=words)
        q.add_argument("registration", metavar="REGISTRATION")
        _as(q)
        q.set_defaults(func=_change)

    rq = osub.add_parser("returns", help="Returns overdue or approaching")
    _as(rq)
    rq.add_argument("--format", choices=("table", "json"), default="table")
    rq.set_defaults(func=_returns)

    fr = osub.add_parser("file-return", help="File the oldest return due of a registration (the holder)")
    fr.add_argument("registration", metavar="REGISTRATION")
    _as(fr)
    fr.set_defaults(func=_file_return)

    sw = osub.add_parser("sweep-returns", help="Flag the returns past their due date and not filed")
    sw.add_argument("--today", help="treat this date as today (YYYY-MM-DD)")
    sw.set_defaults(func=_sweep)
