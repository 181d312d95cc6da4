"""The PostgreSQL database of the settings, for the backup commands: its client tools'
environment, a connection of their own, and the row count of every table."""

import os
from urllib.parse import quote

import psycopg
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql


def require_postgresql(command):
    if connection.vendor != "postgresql":
        raise CommandError(
            f"{command} works on PostgreSQL only, and this database is {connection.vendor}. "
            "On SQLite, copy the database with sqlite3's online backup, e.g. "
            "sqlite3 db.sqlite3 \".backup 'backups/clinic.sqlite3'\" (README, Backups)."
        )


def database(name=None):
    """The default database's settings, for another database name if given."""
    db = connection.settings_dict
    return {
        "name": name or db["NAME"],
        "user": db["USER"] or "",
        "password": db["PASSWORD"] or "",
        "host": db["HOST"] or "",
        "port": str(db["PORT"] or ""),
        "sslmode": db.get("OPTIONS", {}).get("sslmode", ""),
    }


def client_env(name=None):
    """The environment for pg_dump, pg_restore, createdb and dropdb: the password is passed
    there, never on a command line that `ps` shows."""
    db = database(name)
    env = {**os.environ, "PGDATABASE": db["name"]}
    for key, variable in [
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("sslmode", "PGSSLMODE"),
    ]:
        if db[key]:
            env[variable] = db[key]
    return env


def url(name):
    """DATABASE_URL for the same server and user, another database."""
    db = database(name)
    login = quote(db["user"], safe="")
    if db["password"]:
        login += ":" + quote(db["password"], safe="")
    port = f":{db['port']}" if db["port"] else ""
    query = f"?sslmode={db['sslmode']}" if db["sslmode"] else ""
    return f"postgres://{login}@{db['host'] or 'localhost'}{port}/{quote(name)}{query}"


def connect(name=None, **kwargs):
    db = database(name)
    params = {key: value for key, value in db.items() if value and key != "name"}
    try:
        return psycopg.connect(dbname=db["name"], **params, **kwargs)
    except psycopg.OperationalError as error:
        raise CommandError(f"cannot connect to database {db['name']}: {error}") from None


def table_counts(conn):
    """{table: rows} for every table of the current schema, in the connection's snapshot."""
    tables = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
    ).fetchall()
    return {
        table: conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for (table,) in tables
    }
