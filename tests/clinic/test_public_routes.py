"""An anonymous visitor reaches nothing but the login and password-reset pages."""

import random
import re
import string
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern, RoutePattern

PUBLIC_PATHS = {
    "/accounts/login/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/done/",
    "/admin/login/",
    "/p/intake/thanks/",  # a thank-you page with no data
    "/healthz",  # "ok" or "failing" for the database and the cache
}
# The confirm page answers 200 to any link, saying whether it still works.
PUBLIC_VIEW_NAMES = {"password_reset_confirm"}


def random_value(converter):
    if isinstance(converter, UUIDConverter):
        return str(uuid.uuid4())
    if isinstance(converter, IntConverter):
        return str(random.randint(1, 10**6))
    if isinstance(converter, PathConverter | SlugConverter | StringConverter):
        return "".join(random.choices(string.ascii_lowercase, k=8))
    raise AssertionError(f"no random value for {converter!r}")


def regex_to_path(regex):
    """Fill each group of an admin-style regex with a value it accepts."""

    def fill(match):
        body = match.group(2)
        if "|" in body:
            return body.split("|")[0]
        if r"\d" in body:
            return str(random.randint(1, 10**6))
        return "".join(random.choices(string.ascii_lowercase, k=8))

    path = re.sub(r"\(\?P<(\w+)>(.*?)\)", fill, regex)
    return path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")


def all_paths(resolver=None, prefix="/"):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            part = str(pattern)
            for name, converter in pattern.converters.items():
                part = re.sub(rf"<(\w+:)?{name}>", random_value(converter), part)
        elif isinstance(pattern, RegexPattern):
            part = regex_to_path(pattern.regex.pattern)
        else:
            part = str(pattern)
        if isinstance(entry, URLResolver):
            yield from all_paths(entry, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + part


def test_the_walk_finds_the_main_routes():
    paths = set(all_paths())
    assert "/" in paths
    assert "/patients/" in paths
    assert any(re.fullmatch(r"/patients/[0-9a-f-]{36}/edit/", p) for p in paths)
    assert len(paths) > 40  # the admin's routes are walked too


@pytest.mark.django_db
def test_anonymous_visitor_gets_nothing_but_public_pages(client):
    reached = []
    for path in sorted(set(all_paths())):
        response = client.get(path)
        public = path in PUBLIC_PATHS or resolve(path).url_name in PUBLIC_VIEW_NAMES
        if response.status_code == 200 and not public:
            reached.append(path)
    assert reached == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(PUBLIC_PATHS - {"/accounts/reset/done/"}))
def test_public_pages_answer(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_a_private_page_sends_the_visitor_to_log_in(client):
    response = client.get("/patients/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/patients/")
