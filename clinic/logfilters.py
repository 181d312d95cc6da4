import logging
import re
import sqlite3
import traceback

import django.db

try:
    import psycopg
except ImportError:  # a SQLite-only install
    psycopg = None

# Patient link pages: /p/<purpose>/<token>/...
TOKEN_IN_PATH = re.compile(r"(/p/[a-z]+/)[A-Za-z0-9_\-]{16,}")


class RedactLinkTokens(logging.Filter):
    """Tokens never reach the logs: a path with one is logged with the token cut out."""

    def filter(self, record):
        message = record.getMessage()
        if "/p/" in message:
            record.msg = TOKEN_IN_PATH.sub(r"\1[token]", message)
            record.args = None
        return True


DATABASE_ERRORS = (django.db.Error, sqlite3.Error) + ((psycopg.Error,) if psycopg else ())
# Quoted text in a database error's message, with the word before it: a name after one of
# NAMES is kept ('violates unique constraint "x"'); anything else quoted is a value
# ('invalid input syntax for type integer: "Smith"').
QUOTED = re.compile(r'(\w+ )?"[^"\n]*"')
NAMES = {"constraint ", "relation ", "column ", "table ", "index ", "type ", "function "}


def redacted(message):
    """A database error's message without the values it quotes: its first line (PostgreSQL's
    DETAIL, CONTEXT and LINE lines repeat the row or the statement), quoted values cut."""
    first = message.split("\n", 1)[0]
    return QUOTED.sub(
        lambda match: match[0] if match[1] in NAMES else f'{match[1] or ""}"[value]"', first
    )


def database_errors(record):
    """The database errors a log record carries: in its exception (and what caused it or
    happened while handling it) and among its arguments."""
    found, seen = [], set()
    error = record.exc_info[1] if record.exc_info else None
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DATABASE_ERRORS):
            found.append(error)
        error = error.__cause__ or error.__context__
    args = record.args if isinstance(record.args, tuple) else ()
    found += [arg for arg in args if isinstance(arg, DATABASE_ERRORS)]
    return found


class RedactDatabaseErrors(logging.Filter):
    """Database errors reach the logs without the data they quote.

    PostgreSQL's message for a duplicate patient ends `DETAIL: Key (lower(given_name),
    lower(family_name), date_of_birth)=(ana, silva, 1970-05-17) already exists`; a JSON or
    type error quotes what was typed. The record's message and its traceback keep the
    error's type and first line, with quoted values cut; the traceback is formatted here,
    and the exception itself taken off the record, so no handler can print it whole.
    """

    def filter(self, record):
        errors = database_errors(record)
        if not errors:
            return True
        replacements = {str(error): redacted(str(error)) for error in errors}
        if record.exc_info:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = _replace(text, replacements)
            record.exc_info = None
        message = record.getMessage()
        cleaned = _replace(message, replacements)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def _replace(text, replacements):
    for original, shorter in sorted(replacements.items(), key=lambda pair: -len(pair[0])):
        text = text.replace(original, shorter)
    return text
