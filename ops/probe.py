"""The container's health check: `python -m ops.probe [URL]` asks the server's /healthz
(http://127.0.0.1:8000/healthz unless given) under the first of DJANGO_ALLOWED_HOSTS, so
that Django accepts the request, and exits 0 on 200, 1 otherwise. It imports no Django: it
runs every few seconds."""

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def host_header(allowed_hosts):
    first = allowed_hosts.split(",")[0].strip()
    if first in ("", "*"):
        return "localhost"
    return first.lstrip(".")


def main(argv=None, environ=None):
    argv = sys.argv[1:] if argv is None else argv
    environ = os.environ if environ is None else environ
    url = argv[0] if argv else DEFAULT_URL
    headers = {"Host": host_header(environ.get("DJANGO_ALLOWED_HOSTS", ""))}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5):
            return 0
    except urllib.error.HTTPError as error:
        print(f"{url} answered {error.code}: {error.read().decode(errors='replace')}")
    except OSError as error:
        print(f"{url} did not answer: {error}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
