"""ISO dates given on the command line: one argparse type for every CLI that takes a date option."""

from __future__ import annotations

import argparse
import datetime as dt


def arg_date(value: str) -> dt.date:
    """`type=` of a date option: argparse turns the error into a usage message and exit status 2."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None
