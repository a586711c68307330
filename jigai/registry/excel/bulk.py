"""Fast multi-row INSERTs for imports and demo data.

Django's bulk_create spends ~200 µs per row preparing each value through the SQL compiler (measured in
bench/bench_excel.py: 5,000 enterprises took 1.0 s, the same rows here 0.15 s), which made a 100,000-row
import take about a minute. These helpers write the same rows with one INSERT … VALUES (…), (…) … per batch:
plain values (text, numbers, booleans, foreign keys) go to the driver as they are, the others (Decimal,
dates, times, JSON, files) through the field's own get_db_prep_save, so the stored values are exactly
Django's. The primary keys come back with RETURNING (SQLite ≥ 3.35, PostgreSQL), in the order of the
VALUES, which is what Django's own bulk_create relies on too.

Only for rows the caller has validated: no model validation, no save(), no post_save (like bulk_create);
one `registry.signals.bulk_written` per call instead.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from ..signals import bulk_written

_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)
_PARAM_LIMIT = {"sqlite": 30_000, "postgresql": 60_000}  # below SQLite's 32,766 and PostgreSQL's 65,535
MAX_ROWS_PER_STATEMENT = 2000


def _converter(field: models.Field, connection: Any):
    if isinstance(field, models.FileField) or not isinstance(field, _PLAIN):
        prep = partial(field.get_db_prep_save, connection=connection)
        if isinstance(field, models.DateField):  # DateTimeField too: a batch shares its timestamps
            last: list[Any] = [object(), None]

            def cached(value: Any) -> Any:
                if value is not last[0]:
                    last[0], last[1] = value, prep(value)
                return last[1]

            return cached
        return prep
    return None


def insert_rows(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    returning: bool = False,
) -> list[Any]:
    """Insert `rows` (tuples in the order of `attnames`) into `model`'s table. Returns the new primary keys
    in row order when `returning`, else []."""
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    convert = [_converter(f, connection) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    limit = _PARAM_LIMIT.get(connection.vendor, 900)
    per_statement = max(1, min(MAX_ROWS_PER_STATEMENT, limit // max(1, len(fields))))
    pks: list[Any] = []

    def flush(batch: list[Any], count: int) -> None:
        # Table and column names come from the model's meta; every value is a parameter.
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([one] * count)}{suffix}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, batch)
            if returning:
                pks.extend(r[0] for r in cursor.fetchall())

    batch: list[Any] = []
    count = 0
    for row in rows:
        for value, conv in zip(row, convert, strict=True):
            if conv is not None:
                value = conv(value)
            elif isinstance(value, enum.Enum):
                value = value.value
            batch.append(value)
        count += 1
        if count == per_statement:
            flush(batch, count)
            batch, count = [], 0
    if count:
        flush(batch, count)
    return pks


def bulk_insert(objs: Sequence[models.Model]) -> None:
    """Insert unsaved model instances (all of one model) and set their primary keys, like bulk_create.
    auto_now / auto_now_add fields get one timestamp for the whole batch."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    # The primary key is left to the database unless the caller set it (e.g. the audit chain's seq).
    fields = [f for f in meta.concrete_fields if not (f.primary_key and objs[0].pk is None)]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    names = [f.attname for f in fields]
    returning = meta.pk not in fields
    pks = insert_rows(model, names, ([getattr(obj, n) for n in names] for obj in objs), returning=returning)
    for obj, pk in zip(objs, pks, strict=False):
        obj.pk = pk
    for obj in objs:
        obj._state.adding = False
        obj._state.db = router.db_for_write(model)
    # No post_save is sent (as with bulk_create); this one signal lets derived figures follow.
    bulk_written.send(sender=model, objs=objs)
