"""Update many rows fast.

Django's ``bulk_update`` builds one ``CASE WHEN id = ... THEN ...`` expression
per row and field in Python; for the 10,000 statuses of a large catalogue
import that alone takes longer than everything else together. One
parameterised ``UPDATE ... WHERE id = %s`` run with ``executemany`` does the
same in a fraction of the time on SQLite and on PostgreSQL (psycopg pipelines
it).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def bulk_update(objs: Sequence[models.Model], fields: Sequence[str], batch_size: int = 2000) -> int:
    """Write ``fields`` of every object in ``objs`` (all of one model); return the count.

    Like ``QuerySet.bulk_update``, it sends no signals and calls no ``save``.
    """
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)  # type: ignore[union-attr,arg-type]
    # Table and column names come from the model, never from input.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            params = [
                [
                    f.get_db_prep_save(getattr(obj, f.attname), connection)  # type: ignore[union-attr]
                    for f in columns
                ]
                + [obj.pk]
                for obj in objs[start : start + batch_size]
            ]
            cursor.executemany(sql, params)
    return len(objs)
