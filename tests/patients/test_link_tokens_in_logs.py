"""Tokens never reach the logs: the log filter cuts them out of a link's path."""

import io
import logging
import secrets

import pytest

from clinic.logfilters import RedactLinkTokens


def runserver_record(path, status="404"):
    return logging.LogRecord(
        "django.server", logging.WARNING, __file__, 1, '"%s" %s %s',
        (f"GET {path} HTTP/1.1", status, "1234"), None,
    )  # fmt: skip


@pytest.mark.parametrize("purpose", ["intake", "checkin"])
def test_the_log_filter_cuts_the_token_out_of_a_link_path(purpose):
    token = secrets.token_urlsafe(32)
    record = runserver_record(f"/p/{purpose}/{token}/about/")
    assert RedactLinkTokens().filter(record) is True
    assert record.getMessage() == f'"GET /p/{purpose}/[token]/about/ HTTP/1.1" 404 1234'


def test_the_log_filter_leaves_other_messages_alone():
    record = runserver_record("/patients/?q=silva", status="200")
    assert RedactLinkTokens().filter(record) is True
    assert record.getMessage() == '"GET /patients/?q=silva HTTP/1.1" 200 1234'
    assert record.args == ("GET /patients/?q=silva HTTP/1.1", "200", "1234")


def test_the_thanks_page_path_is_logged_as_it_is():
    record = runserver_record("/p/intake/thanks/", status="200")
    RedactLinkTokens().filter(record)
    assert "/p/intake/thanks/" in record.getMessage()


def test_the_server_log_is_written_without_the_token(caplog):
    """The configured handler of django.server redacts the record before the handlers after
    it (pytest's capture here) see it, and writes it without the token too."""
    logger = logging.getLogger("django.server")
    [console] = [
        h for h in logger.handlers if any(isinstance(f, RedactLinkTokens) for f in h.filters)
    ]
    written = io.StringIO()
    old_stream = console.setStream(written)
    added = caplog.handler not in logger.handlers
    if added:  # after the configured handler
        logger.addHandler(caplog.handler)
    token = secrets.token_urlsafe(32)
    try:
        with caplog.at_level(logging.INFO, logger="django.server"):
            logger.warning('"%s" %s %s', f"GET /p/intake/{token}/about/ HTTP/1.1", "404", "1234")
    finally:
        if added:
            logger.removeHandler(caplog.handler)
        console.setStream(old_stream)
    assert "/p/intake/[token]/about/" in caplog.text
    assert token not in caplog.text
    assert "/p/intake/[token]/about/" in written.getvalue()
    assert token not in written.getvalue()
