import logging
import re

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
