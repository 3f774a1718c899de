"""`warden cases ...`: the decision steps for the authority's own tooling, refused exactly as on the case page.

    warden cases finalise REFERENCE --as USERNAME --decision D --reason TEXT [--criterion C ...]
                          [--conditions TEXT] [--justification TEXT] [--omit-proviso ADVICE_ID=REASON ...]
                          [--refuse-line INDEX=CRITERION[,CRITERION] ...]  (a global application's line)
    warden cases countersign REFERENCE --as USERNAME [--note TEXT]
    warden licences issue REFERENCE --as USERNAME            (registered by warden.licences.cli)

Exit 0 when done, 1 when the policy refuses (the sentence is printed: an unreviewed screening match, a stale
list version, separation of duties...), 2 for bad input (nothing changed)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:  # the command imports models only once Django is set up
    from warden.accounts.models import User
    from warden.cases.models import Case


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def resolve(args: argparse.Namespace) -> tuple[Any, Any] | int:
    """(actor, case) for --as and the reference, or the exit code after saying what is wrong."""
    from warden.accounts.models import User
    from warden.cases import policy

    username = args.as_user or os.environ.get("WARDEN_USER", "")
    if not username:
        _err().print("Say who is acting: --as USERNAME (or set WARDEN_USER)", markup=False)
        return 2
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        _err().print(f"No active user {username!r}", markup=False)
        return 2
    case = policy.visible_cases(actor).filter(reference=args.reference).first()
    if case is None:
        _err().print(f"No case {args.reference} is visible to {username}", markup=False)
        return 2
    return actor, case


def run(args: argparse.Namespace, step: Callable[[Any, Any], str]) -> int:
    from warden.cases.transitions import InvalidInput, WorkflowError

    found = resolve(args)
    if isinstance(found, int):
        return found
    actor, case = found
    try:
        message = step(actor, case)
    except InvalidInput as exc:
        where = f"{exc.field}: " if exc.field else ""
        _err().print(f"{where}{exc}", markup=False)
        return 2
    except WorkflowError as exc:
        _err().print(str(exc), markup=False)
        return 1
    Console(highlight=False, soft_wrap=True).print(message, markup=False)
    return 0


def _omitted(values: list[str]) -> dict[str, str]:
    from warden.cases.transitions import InvalidInput

    out = {}
    for v in values or []:
        key, sep, reason = v.partition("=")
        if not sep:
            raise InvalidInput(f"expected ADVICE_ID=REASON, not {v!r}", field="--omit-proviso")
        out[key.strip()] = reason.strip()
    return out


def _refuse_line(value: str) -> tuple[int, list[str]]:
    """`2=EU-CP:1,ATT:6.1`: refuse destination line 2 (from 0, as destinations[2]) under those criteria."""
    index, sep, rest = value.partition("=")
    criteria = [c.strip() for c in rest.split(",") if c.strip()]
    if not sep or not index.strip().isdigit() or not criteria:
        raise argparse.ArgumentTypeError(
            f"expected INDEX=CRITERION[,CRITERION], e.g. 2=EU-CP:1; not {value!r}"
        )
    return int(index), criteria


def _cmd_finalise(args: argparse.Namespace) -> int:
    from warden.cases import policy
    from warden.flows import case_decision

    def step(actor: User, case: Case) -> str:
        case_decision.finalise(
            actor=actor,
            case=case,
            decision=args.decision,
            reason=args.reason,
            criteria=args.criterion or [],
            conditions=args.conditions or "",
            justification=args.justification or "",
            omitted_provisos=_omitted(args.omit_proviso),
            citable=args.citable(),
            refused_lines=dict(args.refuse_line or []) or None,
        )
        if policy.pending_overrule(case) is not None:
            return f"{case.reference}: decision proposed against the engine; awaiting a second senior officer"
        return f"{case.reference} finalised: {case.decision}"

    return run(args, step)


def _cmd_countersign(args: argparse.Namespace) -> int:
    from warden.flows import case_decision

    def step(actor: User, case: Case) -> str:
        case_decision.countersign(actor=actor, case=case, note=args.note or "")
        return f"{case.reference} countersigned and finalised: {case.decision}"

    return run(args, step)


def add_actor(p: argparse.ArgumentParser) -> None:
    p.add_argument("reference", help="the case reference, e.g. APP-2026-000123")
    p.add_argument("--as", dest="as_user", metavar="USERNAME", help="who acts (default $WARDEN_USER)")


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], *, citable: Callable[[], Collection[str]]
) -> None:
    """`citable` gives the criteria of the ruleset in force (warden.legislation.citable, passed in by
    warden.cases.cli: this module sits with the cases domain, below the law)."""
    p = sub.add_parser("cases", help="decision steps on a case (authority tooling)")
    cs = p.add_subparsers(dest="cases_command", metavar="SUBCOMMAND")
    f = cs.add_parser("finalise", help="finalise a decision (or propose one against the engine)")
    add_actor(f)
    f.add_argument("--decision", required=True, choices=["approved", "approved_with_conditions", "refused"])
    f.add_argument("--reason", required=True, help="the reasons given to the exporter")
    f.add_argument("--criterion", action="append", help="a refusal criterion (repeat), e.g. EU-CP:7")
    f.add_argument("--conditions", help="licence conditions")
    f.add_argument("--justification", help="why the engine's recommendation is overruled (internal)")
    f.add_argument("--omit-proviso", action="append", metavar="ADVICE_ID=REASON", help="leave a proviso out")
    f.add_argument(
        "--refuse-line",
        action="append",
        type=_refuse_line,
        metavar="INDEX=CRITERIA",
        help="approve, but refuse this destination line of a global application (e.g. 2=EU-CP:1)",
    )
    f.set_defaults(func=_cmd_finalise, citable=citable)
    c = cs.add_parser("countersign", help="countersign a decision proposed against the engine")
    add_actor(c)
    c.add_argument("--note", help="an internal note")
    c.set_defaults(func=_cmd_countersign)
    p.set_defaults(func=lambda args: _help(p))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
