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

# Columns the list importers fill (screening.ListEntry; Match.entry_key and matched_name copy them). The
# parsers hold no Django, so the numbers live here; warden/screening/tests/test_import_limits.py holds
# them to the model's max_length. A longer identifier or name is refused, never cut: a cut id could
# merge two entries and a cut name would screen as a different one.
LIST_ENTRY_ID_MAX = 200
LIST_ENTRY_KIND_MAX = 20
LIST_ENTRY_NAME_MAX = 1000

# legislation.CountryProfile.name, filled from countries.yaml by the reference-data loader (no Django
# there); warden/legislation/tests/test_loader_limits.py holds it to the column.
COUNTRY_NAME_MAX = 100

# The largest value of a PositiveIntegerField on every database Django supports (PostgreSQL integer).
MAX_POSITIVE_INTEGER = 2**31 - 1
