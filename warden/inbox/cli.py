"""`warden inbox deliver|daily`: turn new audit entries into notifications (and bulletins), and the daily
task (deadlines approaching, then the e-mail digests). Both are idempotent; run `deliver` every minute or so
and `daily` once a day from cron or a scheduled task."""

from __future__ import annotations

import argparse
import datetime as dt

from warden.inbox import services
from warden.lib import clock


def _deliver(args: argparse.Namespace) -> int:
    print(f"{services.catch_up()} notification(s) made")
    return 0


def _daily(args: argparse.Namespace) -> int:
    today = dt.date.fromisoformat(args.today) if args.today else clock.today()
    made, digests = services.daily(today)
    print(f"{made} deadline notification(s), {digests} digest e-mail(s)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("inbox", help="Notifications: deliver new ones, the daily deadlines and digests")
    isub = p.add_subparsers(dest="inbox_command", metavar="ACTION", required=True)
    d = isub.add_parser("deliver", help="Notify people of what the audit log recorded since the last run")
    d.set_defaults(func=_deliver)
    day = isub.add_parser("daily", help="Deadlines approaching and the daily e-mail digests")
    day.add_argument("--today", help="treat this date as today (YYYY-MM-DD)")
    day.set_defaults(func=_daily)
