"""Model instances from one hand-written SELECT, for the few look-ups made on every request (the session, the
signed-in user with their team and organisation, the case behind a page or a status call).

Why: with 100,000 cases the ORM's Python work to compile a query (1-3 ms per query on this 2-core machine)
costs far more than SQLite or PostgreSQL take to answer these primary-key and unique-key look-ups, and the
load targets of issue 2 leave about 5 ms of CPU per request. The columns come from the models' own metadata,
so a new field is picked up without editing SQL here; the instances are ordinary model instances (from_db,
after each field's own database converters), with joined rows cached on them as select_related does.
Callers build their SQL once (functools.cache) from `columns`, `table` and `quote`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model
from django.db.models.expressions import Col

M = TypeVar("M", bound=Model)


def quote(name: str | None) -> str:
    if not name:
        raise ValueError("a column or table name is needed")
    return str(connections["default"].ops.quote_name(name))


def table(model: type[Model]) -> str:
    return quote(model._meta.db_table)


@functools.cache
def columns(model: type[Model], alias: str, exclude: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """('"a"."col1", "a"."col2", ...', (attname, ...)) for the concrete fields of `model` in model order,
    without the fields named in `exclude` (those are deferred on the instances, loaded if ever read)."""
    fields = [f for f in model._meta.concrete_fields if f.name not in exclude]
    sql = ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in fields)
    return sql, tuple(f.attname for f in fields)


def fetch_rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one SELECT on the default connection (through Django's cursor, so placeholders and transaction
    handling are the usual ones) and return its rows."""
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@functools.cache
def _plan(
    model: type[Model], attnames: tuple[str, ...]
) -> tuple[tuple[str, ...], list[tuple[Any, list[Any]]]]:
    """Model-ordered attnames and, per column, the converters the ORM would apply (backend's, then field's)."""
    conn = connections["default"]
    wanted = set(attnames)
    fields = [f for f in model._meta.concrete_fields if f.attname in wanted]
    if len(fields) != len(attnames):
        raise ValueError(f"unknown or repeated fields for {model.__name__}: {attnames}")
    ordered = tuple(f.attname for f in fields)
    if ordered != attnames:
        raise ValueError(f"fields of {model.__name__} must be in model order: {attnames}")
    out = []
    for f in fields:
        expr = Col(model._meta.db_table, f)
        out.append((expr, [*conn.ops.get_db_converters(expr), *expr.get_db_converters(conn)]))
    return ordered, out


def build(model: type[M], attnames: Sequence[str], values: Sequence[Any]) -> M:
    """An instance as the ORM would load it from `values` (columns for `attnames`, in model order); fields not
    named are deferred. Values are converted as the ORM does (SQLite returns datetimes as text, and so on)."""
    names, plan = _plan(model, tuple(attnames))
    conn = connections["default"]
    converted = []
    for (expr, converters), value in zip(plan, values, strict=True):
        for conv in converters:
            value = conv(value, expr, conn)
        converted.append(value)
    return model.from_db("default", names, converted)


def attach(instance: Model, field_name: str, related: Model | None) -> None:
    """Cache a joined row on `instance` as select_related does (no query when the template reads it)."""
    instance._meta.get_field(field_name).set_cached_value(instance, related)  # type: ignore[union-attr]
