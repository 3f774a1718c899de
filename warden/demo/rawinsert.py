"""Typed bulk INSERT (COPY on PostgreSQL) for the bench loader: rows as {attname: value}, prepared for the
database the way each field would prepare them, without building model instances."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import connection


def _adapt_decimal(ops: Any, digits: int, places: int, value: Any) -> Any:
    return ops.adapt_decimalfield_value(value, digits, places)


class RawInserter:
    """INSERT rows given as {attname: python value} with one executemany, preparing each value for the
    database the way the field would (dates, JSON, decimals) but without building model instances, which
    is where bulk_create spends most of its time. Missing fields take their default (auto_now: `now`)."""

    def __init__(self, model: type[Any], now: dt.datetime) -> None:
        ops = connection.ops
        self.fields = [f for f in model._meta.concrete_fields]
        self.preps: list[Callable[[Any], Any]] = []
        self.defaults: dict[str, Any] = {}
        # A unique field's callable default (a licence's verification code) must be drawn for every row;
        # one value taken at construction would repeat and break the unique constraint.
        self.per_row: dict[str, Callable[[], Any]] = {
            f.attname: f.default
            for f in self.fields
            if f.unique and not f.primary_key and callable(f.default)
        }
        for f in self.fields:
            kind = f.get_internal_type()
            if kind == "DateTimeField":
                prep: Callable[[Any], Any] = ops.adapt_datetimefield_value
            elif kind == "DateField":
                prep = ops.adapt_datefield_value
            elif kind == "JSONField":
                prep = lambda v: ops.adapt_json_value(v, None)  # noqa: E731
            elif kind == "DecimalField":
                prep = partial(_adapt_decimal, ops, f.max_digits, f.decimal_places)
            else:
                prep = lambda v: v  # noqa: E731
            self.preps.append(prep)
            auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            self.defaults[f.attname] = now if auto else (None if f.primary_key else f.get_default())
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.table = model._meta.db_table
        self.sql = (
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
        )

    def __call__(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        fields, preps, defaults = self.fields, self.preps, self.defaults
        if self.per_row:
            rows = [
                {**{k: make() for k, make in self.per_row.items() if k not in row}, **row} for row in rows
            ]
        params = [
            tuple(
                prep(row.get(f.attname, defaults[f.attname])) for f, prep in zip(fields, preps, strict=True)
            )
            for row in rows
        ]
        with connection.cursor() as cur:
            if connection.vendor != "postgresql":
                cur.executemany(self.sql, params)
                return
            # PostgreSQL: COPY, far faster than executemany or multi-row VALUES through Django's client-side
            # binding cursor (which re-parses the whole statement for every batch).
            table = connection.ops.quote_name(self.table)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            raw = connection.connection
            with raw.cursor() as pg, pg.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
