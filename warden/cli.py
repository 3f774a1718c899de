"""The `warden` command. Each domain app may contribute subcommands from its own `cli.py`, listed in
warden/cli_commands.py:

    def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None   # adds parsers; each sets func=handler
    def on_init(out: Console) -> None                       # optional: runs during `warden init`

A handler takes the parsed args and returns the exit status (0 ok, 1 failure found, 2 bad input). A
refusal raised by a service (warden.lib.errors) is printed and mapped here, the one place for the command
line, so a handler need not catch it:

    2  InvalidInput (and any other refusal)    3  Forbidden    4  Conflict    5  NotFound
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

# Safe before django.setup(): the kernel's errors need no settings.
from warden.lib.errors import Conflict, Forbidden, NotFound, WardenError


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # an unsafe production configuration: the reasons, not a traceback
        print(f"warden: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _cli_modules() -> list[ModuleType]:
    """The subcommand modules (warden.cli_commands), imported here, once Django is set up."""
    from warden import cli_commands

    return list(cli_commands.MODULES)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="warden", description="Warden export licensing")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _cli_modules():
        register = getattr(mod, "register", None)
        if register is not None:
            register(sub)
    return parser


# Exit statuses of the refusals (the kinds of warden.lib.errors); 1 stays "a failure found" (verify, check).
EXIT_INVALID, EXIT_FORBIDDEN, EXIT_CONFLICT, EXIT_NOT_FOUND = 2, 3, 4, 5


def exit_status(exc: Exception) -> int:
    if isinstance(exc, Forbidden):
        return EXIT_FORBIDDEN
    if isinstance(exc, Conflict):
        return EXIT_CONFLICT
    if isinstance(exc, NotFound):
        return EXIT_NOT_FOUND
    return EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    _setup_django()
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    from warden.lib.workdays import CalendarDataEnded

    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except WardenError as exc:  # refused, nothing changed: the message (naming what and where), no traceback
        where = f"{exc.where}: " if exc.where and not str(exc).startswith(exc.where) else ""
        print(f"warden: {where}{exc}", file=sys.stderr)
        return exit_status(exc)
    except CalendarDataEnded as exc:  # data that has run out: the message, not a traceback
        print(f"warden: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
