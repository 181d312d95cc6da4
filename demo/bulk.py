"""Fast inserts of many plain rows, for the demo seed: COPY on PostgreSQL, bulk_create
elsewhere. Neither sends model signals, so nothing is audited or kept in history.

Rows are tuples of values for `fields` (attribute names: "patient_id", not "patient").
The model's other columns take their defaults, the same for every row, and
auto_now(_add) columns take the time of the call.
"""

from contextlib import contextmanager
from itertools import islice

from django.db import connection
from django.utils import timezone

BATCH_SIZE = 5000


def new_ids(model, count):
    """Reserve `count` primary keys for rows about to be inserted with explicit ids."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite has one writer at a time: in its transaction, the next ids stay free.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


def insert_rows(model, fields, rows, **constants):
    """Insert `rows` (an iterable of tuples matching `fields`); `constants` are values
    shared by every row. Returns the number of rows inserted."""
    if connection.vendor == "postgresql":
        return _copy(model, fields, rows, constants)
    count = 0
    rows = iter(rows)
    while batch := list(islice(rows, BATCH_SIZE)):
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True)), **constants) for row in batch]
        )
        count += len(batch)
    return count


def _copy(model, fields, rows, constants):
    given = {model._meta.get_field(name).attname for name in [*fields, *constants]}
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.attname in given or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = timezone.now()
        else:
            defaults[field.attname] = field.get_default()
    tail = (*constants.values(), *defaults.values())
    columns = [model._meta.get_field(name).column for name in [*fields, *constants, *defaults]]
    sql = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(column) for column in columns),
    )
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + tail)
            count += 1
    return count


@contextmanager
def bulk_load(models):
    """Around a block that fills these models' tables, on PostgreSQL, follow the manual's
    advice for populating a database: drop the tables' foreign keys and add them back
    after the block, so each is checked once over the whole table rather than row by row,
    then ANALYZE the tables so that queries are planned for their new size. The tables'
    own triggers (a signed note's parts are locked) are off for the block too: the loader
    writes a note's parts before the note, as those triggers would allow, and saves a
    million checks. Use it inside a transaction: no one else ever sees the tables without
    their keys and triggers."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        keys = [(table, connection.ops.quote_name(name), sql) for table, name, sql in cursor]
        # A table with foreign-key checks still pending cannot be altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    analyze(models)


def analyze(models):
    """On PostgreSQL, refresh the planner's statistics for these models' tables."""
    if connection.vendor != "postgresql":
        return
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")
