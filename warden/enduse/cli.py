"""`warden end-use list|plan|record`: end-use checks from the command line.

    warden end-use list [--overdue] [--format table|json]
    warden end-use plan LICENCE                               plan from risk, as the system (idempotent)
    warden end-use plan LICENCE --kind KIND --reason TEXT --as USERNAME [--due DATE]   by hand, an officer
    warden end-use record CHECK --finding F --as USERNAME [--notes TEXT] [--on DATE] [--evidence FILE ...]
    warden end-use withdraw CHECK --reason TEXT --as USERNAME   a wrong diversion finding; clears its flags
    warden end-use clear-flag FLAG --reason TEXT --as USERNAME  one flag (a false match), by its number

CHECK is the check's number or its reference (EUC-CHK-000012). Exit 0 done, 1 refused by the policy (the
sentence is printed), 2 bad input (nothing changed).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from rich.console import Console

from warden.accounts.models import User
from warden.enduse import queries, services
from warden.enduse.models import CheckKind, CheckStatus, DiversionFlag, EndUseCheck, Finding
from warden.lib.actors import system
from warden.lib.errors import InvalidInput, WorkflowError
from warden.lib.isodate import arg_date
from warden.licences.models import Licence


def _err(msg: str, code: int = 2) -> int:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {msg}", markup=False)
    return code


def _out(msg: str) -> None:
    Console(highlight=False, soft_wrap=True).print(msg, markup=False)


def _user(args: argparse.Namespace) -> User | int:
    username = args.as_user or os.environ.get("WARDEN_USER", "")
    if not username:
        return _err("say who is acting: --as USERNAME (or set WARDEN_USER)")
    user = User.objects.filter(username=username, is_active=True).first()
    return user if user is not None else _err(f"no active user {username!r}")


def _list(args: argparse.Namespace) -> int:
    rows = list(queries.checks(status=CheckStatus.OVERDUE if args.overdue else ""))
    if args.format == "json":
        print(json.dumps([queries.as_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    _out(f"{len(rows)} end-use check(s){' overdue' if args.overdue else ''}")
    for r in rows:
        d = queries.as_dict(r)
        _out(
            f"  {d['reference']}  {d['status']:<8} due {d['due_on']}  {d['licence']:<16} "
            f"{'DVC' if r.kind == CheckKind.DVC else 'PSV'}  {d['end_user']['name']} ({d['end_user']['country']})"
            f"  risk {d['risk_score']}"
        )
    return 0


def _plan(args: argparse.Namespace) -> int:
    licence = Licence.objects.select_related("case").filter(number=args.licence).first()
    if licence is None:
        return _err(f"no licence {args.licence}")
    try:
        if args.kind is None:
            made = services.plan_checks(actor=system(f"cli: end-use plan {licence.number}"), licence=licence)
            if not made:
                _out(f"{licence.number}: no new check (none called for, or already planned)")
            for row in made:
                _out(
                    f"{row.reference} planned: {row.get_kind_display()}, due {row.due_on} (score {row.risk_score})"
                )
            return 0
        user = _user(args)
        if isinstance(user, int):
            return user
        row = services.plan_check(
            actor=user, licence=licence, kind=args.kind, reason=args.reason or "", due_on=args.due
        )
    except InvalidInput as exc:
        return _err(str(exc))
    except WorkflowError as exc:
        return _err(str(exc), 1)
    _out(f"{row.reference} planned by hand: {row.get_kind_display()}, due {row.due_on}")
    return 0


def _find(ref: str) -> EndUseCheck | None:
    raw = ref.strip().upper().removeprefix("EUC-CHK-")
    return EndUseCheck.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None


def _record(args: argparse.Namespace) -> int:
    row = _find(args.check)
    if row is None:
        return _err(f"no end-use check {args.check}")
    user = _user(args)
    if isinstance(user, int):
        return user
    files = []
    for name in args.evidence or []:
        path = Path(name)
        if not path.is_file():
            return _err(f"{path}: no such file")
        files.append((path.name, path.read_bytes()))
    try:
        done = services.record_finding(
            actor=user,
            check=row,
            finding=args.finding,
            notes=args.notes or "",
            completed_on=args.on,
            evidence=files,
        )
    except InvalidInput as exc:
        return _err(f"{exc} (nothing recorded)")
    except WorkflowError as exc:
        return _err(str(exc), 1)
    _out(f"{row.reference}: {args.finding} recorded ({len(files)} evidence file(s))")
    for flag in done.flags:
        _out(f"  flagged: {flag.case.reference} (party {flag.party_name})")
    for lic in done.suspendable:
        _out(f"  suspension offered: licence {lic.number} (suspend it on its case page or licence page)")
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    row = _find(args.check)
    if row is None:
        return _err(f"no end-use check {args.check}")
    user = _user(args)
    if isinstance(user, int):
        return user
    try:
        cleared = services.withdraw_finding(actor=user, check=row, reason=args.reason)
    except InvalidInput as exc:
        return _err(f"{exc} (nothing changed)")
    except WorkflowError as exc:
        return _err(str(exc), 1)
    _out(f"{row.reference}: diversion finding withdrawn")
    for flag in cleared:
        _out(f"  cleared: flag {flag.pk} on {flag.case.reference}")
    return 0


def _clear_flag(args: argparse.Namespace) -> int:
    flag = DiversionFlag.objects.select_related("case").filter(pk=args.flag).first()
    if flag is None:
        return _err(f"no diversion flag {args.flag}")
    user = _user(args)
    if isinstance(user, int):
        return user
    try:
        services.clear_flag(actor=user, flag=flag, reason=args.reason)
    except InvalidInput as exc:
        return _err(f"{exc} (nothing changed)")
    except WorkflowError as exc:
        return _err(str(exc), 1)
    _out(f"flag {flag.pk} on {flag.case.reference} cleared")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("end-use", help="End-use checks: delivery verification and post-shipment visits")
    esub = p.add_subparsers(dest="enduse_command", metavar="ACTION", required=True)

    lst = esub.add_parser("list", help="The checks, overdue first")
    lst.add_argument("--overdue", action="store_true", help="only the overdue checks")
    lst.add_argument("--format", choices=("table", "json"), default="table")
    lst.set_defaults(func=_list)

    pl = esub.add_parser("plan", help="Plan from risk (or by hand with --kind, as an officer)")
    pl.add_argument("licence", help="the licence number, e.g. IEL-2026-000001")
    pl.add_argument("--kind", choices=CheckKind.values, help="plan this kind by hand instead of from risk")
    pl.add_argument("--reason", help="why (required by hand)")
    pl.add_argument("--due", type=arg_date, metavar="DATE", help="due date (by hand; default per kind)")
    pl.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="who plans by hand (default $WARDEN_USER)"
    )
    pl.set_defaults(func=_plan)

    rec = esub.add_parser("record", help="Record a check's finding (compliance inspector)")
    rec.add_argument("check", help="the check's number or reference (EUC-CHK-000012)")
    rec.add_argument("--finding", required=True, choices=Finding.values)
    rec.add_argument("--notes", help="what was found (required for concerns and diversion)")
    rec.add_argument("--on", type=arg_date, metavar="DATE", help="completed on (default today)")
    rec.add_argument("--evidence", action="append", metavar="FILE", help="a PDF of evidence (repeat)")
    rec.add_argument("--as", dest="as_user", metavar="USERNAME", help="the inspector (default $WARDEN_USER)")
    rec.set_defaults(func=_record)

    wd = esub.add_parser("withdraw", help="Withdraw a diversion finding shown wrong (senior officer)")
    wd.add_argument("check", help="the check's number or reference (EUC-CHK-000012)")
    wd.add_argument("--reason", required=True, help="why the finding was wrong")
    wd.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="the senior officer (default $WARDEN_USER)"
    )
    wd.set_defaults(func=_withdraw)

    cf = esub.add_parser("clear-flag", help="Clear one diversion flag: a false match (senior officer)")
    cf.add_argument("flag", type=int, help="the flag's number (the API's and the case page's)")
    cf.add_argument("--reason", required=True, help="why the flag does not apply")
    cf.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="the senior officer (default $WARDEN_USER)"
    )
    cf.set_defaults(func=_clear_flag)
