"""The `warden` command. Each domain app may contribute subcommands from its own `cli.py`, listed in
warden/cli_commands.py:

    def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None   # adds parsers; each sets func=handler
    def on_init(out: Console) -> None                       # optional: runs during `warden init`

A handler takes the parsed args and returns the exit status (0 ok, 1 failure found, 2 bad input).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.config.settings")
    import django

    django.setup()


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
    except CalendarDataEnded as exc:  # data that has run out: the message, not a traceback
        print(f"warden: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
