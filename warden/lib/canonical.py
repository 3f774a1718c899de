"""Canonical JSON: the exact bytes that are hashed, signed or compared byte for byte.

Sorted keys, no insignificant whitespace, UTF-8, and no floats (a float's text form is not stable
across platforms, so amounts are integers or decimal strings).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"not canonicalisable: {type(value).__name__}")


def _has_float(value: Any) -> bool:
    # Runs on every audit entry: plain loops, no generators, and no path strings on the way down (those are
    # built only to report a float, by _check_no_floats).
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return False
    if isinstance(value, dict):
        for v in value.values():  # noqa: SIM110 (a loop, not any(genexpr): hot path, measured)
            if _has_float(v):
                return True
        return False
    if isinstance(value, (list, tuple)):
        for v in value:  # noqa: SIM110
            if _has_float(v):
                return True
        return False
    return isinstance(value, float)


def _check_no_floats(value: Any, where: str = "$") -> None:
    if isinstance(value, float):
        raise TypeError(f"float at {where}: use an integer or a decimal string")
    if isinstance(value, dict):
        for k, v in value.items():
            _check_no_floats(v, f"{where}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _check_no_floats(v, f"{where}[{i}]")


def canonical_bytes(value: Any, *, allow_floats: bool = False) -> bytes:
    """>>> canonical_bytes({"b": 1, "a": [True, None, "é"]})
    b'{"a":[true,null,"\\xc3\\xa9"],"b":1}'
    """
    if not allow_floats and _has_float(value):
        _check_no_floats(value)
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    ).encode("utf-8")
