"""A login session ends after 30 idle minutes; requests renew it, at most once a minute,
so most pages do not write the session."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from staff.idle import RENEWED_AT

pytestmark = pytest.mark.django_db


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def age_the_session(client, seconds):
    session = client.session
    session[RENEWED_AT] -= seconds
    session.save()


def test_a_request_soon_after_login_does_not_write_the_session(client, practitioner):
    client.force_login(practitioner)
    before = expiry(client)
    assert client.get(reverse("patients:list")).status_code == 200
    assert expiry(client) == before


def test_a_request_a_minute_later_renews_the_session(client, practitioner):
    client.force_login(practitioner)
    age_the_session(client, 61)
    before = expiry(client)
    client.get(reverse("patients:list"))
    assert expiry(client) > before
    assert time.time() - client.session[RENEWED_AT] < 5


def test_a_session_idle_past_its_expiry_is_logged_out(client, practitioner):
    client.force_login(practitioner)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date="2000-01-01T00:00:00Z"
    )
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_anonymous_visitor_gets_no_session_written(client):
    client.get(reverse("login"))
    assert Session.objects.count() == 0
