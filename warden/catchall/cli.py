"""`warden catch-all list|notify|decide|link`: catch-all referrals from the command line, refused exactly as
on their pages (warden.catchall.policy).

    warden catch-all list [--format table|json] [--as USERNAME]
    warden catch-all notify FILE.json --as USERNAME      an exporter's notification, or an officer's concern
                                                         (the file then names "organisation")
    warden catch-all decide REFERENCE --as USERNAME --decision licence_required|not_required --reason TEXT
                           [--basis art4_1a|art4_1b|art4_1c|art5|national] [--letter TEMPLATE]
    warden catch-all link REFERENCE APPLICATION --as USERNAME
    warden catch-all notices [--since DATE] [--format json|csv] [--output FILE]
                                                         the notices to partner states and customs
                                                         (warden.catchall/1; the operator's command line)

Exit 0 when done; a refusal prints its sentence and exits with warden.cli's status for it (2 bad input,
3 not permitted, 4 wrong state); nothing is changed then.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rich.console import Console

from warden.accounts.actors import Actor
from warden.accounts.models import Organisation, User
from warden.accounts.services import our_state
from warden.cases.models import Case
from warden.catchall import notices, queries, services
from warden.catchall.models import Basis, CatchAllReferral, Letter
from warden.flows import catch_all as flow
from warden.lib import clock, safe_json
from warden.lib.actors import system
from warden.lib.errors import InvalidInput, NotFound
from warden.lib.isodate import arg_date


def _actor(args: argparse.Namespace, *, required: bool = True) -> Actor:
    username = args.as_user or os.environ.get("WARDEN_USER", "")
    if not username:
        if not required:
            return system("cli: catch-all list")
        raise InvalidInput("say who is acting: --as USERNAME (or set WARDEN_USER)", where="--as")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(f"no active user {username!r}", where="--as")
    return user


def _referral(actor: Actor, reference: str) -> CatchAllReferral:
    r = queries.visible(actor).filter(reference=reference).first()
    if r is None:
        raise NotFound(f"no catch-all referral {reference} that {actor.username} may see")
    return r


def _list(args: argparse.Namespace) -> int:
    rows = queries.open_first(queries.visible(_actor(args, required=False)))
    if args.format == "json":
        print(json.dumps([queries.as_dict(r) for r in rows], ensure_ascii=False, indent=2, default=str))
        return 0
    out = Console(highlight=False, soft_wrap=True)
    out.print(f"{len(rows)} catch-all referral(s)")
    for r in rows:
        out.print(
            f"  {r.reference:<14} {r.status:<20} {r.destination}  {r.organisation.name}: {r.goods_description}"
        )
    return 0


def _notify(args: argparse.Namespace) -> int:
    actor = _actor(args)
    path = Path(args.file)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", where="FILE")
    try:
        data = safe_json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name}: not a readable JSON document: {exc}", where="FILE") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name}: expected a JSON object", where="FILE")
    note = services.Notification.from_dict(data)
    org_name = str(data.get("organisation") or "")
    if org_name:
        org = Organisation.objects.filter(name=org_name, kind=Organisation.Kind.EXPORTER).first()
        if org is None:
            raise InvalidInput(f"no exporter named {org_name!r}", where="organisation")
        referral = services.raise_concern(actor=actor, organisation=org, notification=note)
    else:
        referral = services.notify(actor=actor, notification=note)
    print(
        f"{referral.reference} recorded ({referral.get_origin_display().lower()}); do not export until decided"
    )
    return 0


def _decide(args: argparse.Namespace) -> int:
    actor = _actor(args)
    r = services.decide(
        actor=actor,
        referral=_referral(actor, args.reference),
        decision=args.decision,
        reason=args.reason,
        basis=args.basis or "",
        letter=args.letter or "",
    )
    print(f"{r.reference}: {r.get_status_display()}" + (f" ({r.get_basis_display()})" if r.basis else ""))
    return 0


def _link(args: argparse.Namespace) -> int:
    actor = _actor(args)
    referral = _referral(actor, args.reference)
    case = Case.objects.filter(reference=args.application, organisation_id=referral.organisation_id).first()
    if case is None:
        raise InvalidInput(
            f"no application {args.application} of {referral.organisation.name}", where="APPLICATION"
        )
    r = flow.link_application(actor=actor, referral=referral, case=case)
    print(f"{r.reference} linked to {case.reference}")
    return 0


def _notices(args: argparse.Namespace) -> int:
    records = [notices.as_record(n) for n in notices.held(since=args.since)]
    if args.format == "csv":
        text = notices.to_csv(records)
    else:
        doc = notices.document(records, issuing_state=our_state(), today=clock.today())
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{len(records)} notice(s) written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("catch-all", help="Catch-all referrals: the duty to notify and the inform decision")
    csub = p.add_subparsers(dest="catchall_command", metavar="ACTION", required=True)

    def actor(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help="who acts (default $WARDEN_USER)"
        )

    lst = csub.add_parser("list", help="Referrals, undecided first")
    lst.add_argument("--format", choices=("table", "json"), default="table")
    actor(lst)
    lst.set_defaults(func=_list)

    n = csub.add_parser("notify", help="Notify (exporter) or raise (officer) a referral from a JSON file")
    n.add_argument("file")
    actor(n)
    n.set_defaults(func=_notify)

    d = csub.add_parser("decide", help="Decide whether a licence is required")
    d.add_argument("reference")
    d.add_argument("--decision", required=True, choices=services.DECISIONS)
    d.add_argument("--reason", required=True)
    d.add_argument("--basis", choices=Basis.values)
    d.add_argument("--letter", choices=Letter.values)
    actor(d)
    d.set_defaults(func=_decide)

    ln = csub.add_parser("link", help="Link the licence application a referral called for")
    ln.add_argument("reference")
    ln.add_argument("application")
    actor(ln)
    ln.set_defaults(func=_link)

    nt = csub.add_parser("notices", help="Notices to partner states and customs (warden.catchall/1)")
    nt.add_argument("--since", type=arg_date, help="issued on or after this date (YYYY-MM-DD)")
    nt.add_argument("--format", choices=notices.FILE_FORMATS, default="json")
    nt.add_argument("--output", help="write to this file instead of standard output")
    nt.set_defaults(func=_notices)
