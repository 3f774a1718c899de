"""Limits shared by the boundary guards (issue 14).

The largest integer every database column Warden uses can hold: a 64-bit signed BigAutoField. A number
beyond it in a path or a query parameter names no row; passed on, SQLite raises OverflowError and
PostgreSQL a DataError, both a 500.
"""

from __future__ import annotations

MAX_DB_INT = 2**63 - 1
# Digits of MAX_DB_INT: any longer run of digits is certainly over it, so it is refused unparsed.
MAX_DB_INT_DIGITS = len(str(MAX_DB_INT))

# Uploaded and posted JSON (warden.lib.safe_json): an application is a few levels deep and its numbers a
# few digits; these bounds are far above any real document and far below what costs a worker.
MAX_JSON_DEPTH = 64
MAX_JSON_NUMBER_CHARS = 40
