"""Parse JSON from outside Warden with the limits the rest of the code assumes (issue 14 §1).

Python's json accepts NaN and Infinity, numbers thousands of digits long, nesting until RecursionError,
NUL characters (PostgreSQL refuses them in text: a DataError 500) and lone surrogates (unencodable as
UTF-8: a UnicodeEncodeError 500 on save). Each is refused here with a message naming it and where, as a
json.JSONDecodeError so that every caller's existing "not valid JSON" path reports it unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from warden.lib.limits import MAX_DB_INT, MAX_JSON_DEPTH, MAX_JSON_NUMBER_CHARS

_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class UnsafeJSON(json.JSONDecodeError):
    pass


def _refuse(message: str, text: str, pos: int = 0) -> UnsafeJSON:
    return UnsafeJSON(message, text, pos)


def _check_depth(text: str) -> None:
    """Bracket nesting outside strings, counted before parsing so that a deep document never recurses."""
    depth = 0
    in_string = False
    escaped = False
    for pos, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise _refuse(f"nested more than {MAX_JSON_DEPTH} levels deep", text, pos)
        elif char in "]}":
            depth -= 1


def unstorable(value: Any, pointer: str = "") -> str | None:
    """What in `value` (a string, or lists and dicts of them) no database column can hold, and where:
    "a NUL character in the text at /a/0", or None. Importers of files that are not JSON use it too."""
    if isinstance(value, str):
        found = _BAD_TEXT.search(value)
        if found:
            what = "a NUL character" if found.group() == "\x00" else "a lone surrogate (not Unicode text)"
            return f"{what} in the text at {pointer or '/'}"
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = unstorable(key, pointer) or unstorable(item, f"{pointer}/{key}")
            if problem:
                return problem
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            problem = unstorable(item, f"{pointer}/{index}")
            if problem:
                return problem
    return None


def unstorable_data(value: Any, where: str = "") -> str | None:
    """What in a parsed document (YAML, CSV, JSON) cannot be stored in a JSONField, and where, or None.
    Beyond unstorable(): YAML reads `.nan` and `.inf` (PostgreSQL's jsonb refuses them), `!!binary` and
    `!!set` (not JSON at all); whole numbers past the 64-bit column range are refused too. Dates pass:
    the loaders turn them into ISO text."""
    if isinstance(value, dict):
        for key, item in value.items():
            problem = unstorable_data(key, where) or unstorable_data(item, f"{where}/{key}")
            if problem:
                return problem
        return None
    if isinstance(value, list):
        for i, item in enumerate(value):
            problem = unstorable_data(item, f"{where}/{i}")
            if problem:
                return problem
        return None
    if isinstance(value, bool) or value is None or isinstance(value, dt.date):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{where or '/'}: {value!r} is not a number JSON can hold"
    if isinstance(value, int):
        return None if abs(value) <= MAX_DB_INT else f"{where or '/'}: a whole number too large to store"
    if isinstance(value, str):
        return unstorable(value, where)
    return f"{where or '/'}: a {type(value).__name__} value (expected text, a number, a date, a list or a mapping)"


def _walk(value: Any, pointer: str, text: str) -> None:
    problem = unstorable(value, pointer)
    if problem:
        raise _refuse(problem, text)


def _number(kind: type[int] | type[float], text: str) -> Any:
    def parse(token: str) -> Any:
        if len(token) > MAX_JSON_NUMBER_CHARS:
            raise _refuse(f"a number {len(token):,} characters long (at most {MAX_JSON_NUMBER_CHARS})", text)
        return kind(token)

    return parse


def _constant(token: str) -> Any:
    raise ValueError(f"{token} is not a number JSON allows")


def loads(data: str | bytes) -> Any:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    _check_depth(text)
    try:
        value = json.loads(
            text,
            parse_int=_number(int, text),
            parse_float=_number(float, text),
            parse_constant=_constant,
        )
    except UnsafeJSON:
        raise
    except RecursionError:  # pragma: no cover - _check_depth refuses first
        raise _refuse(f"nested more than {MAX_JSON_DEPTH} levels deep", text) from None
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise
        raise _refuse(str(exc), text) from None
    _walk(value, "", text)
    return value
